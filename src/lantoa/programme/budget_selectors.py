"""Budget execution: estimate, allocations and spending per plan task and per unit; spending
above what was allocated is flagged. ``execution(unit, year)`` is what the report reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Sum

from lantoa.core.text import fold
from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit

from .models import BudgetAllocation, BudgetEstimate, BudgetSpending


@dataclass
class Line:
    """One estimate's execution."""

    estimate: BudgetEstimate
    allocated: int
    spent: int

    @property
    def over(self) -> bool:
        """Spending above the allocations (nothing allocated yet counts as zero)."""
        return self.spent > self.allocated

    @property
    def rate(self) -> int | None:
        """Spent as a whole percentage of the allocations (None when nothing is allocated)."""
        return round(100 * self.spent / self.allocated) if self.allocated else None


@dataclass
class Execution:
    lines: list[Line] = field(default_factory=list)

    @property
    def estimated(self) -> int:
        return sum(line.estimate.amount for line in self.lines)

    @property
    def allocated(self) -> int:
        return sum(line.allocated for line in self.lines)

    @property
    def spent(self) -> int:
        return sum(line.spent for line in self.lines)

    @property
    def over(self) -> list[Line]:
        return [line for line in self.lines if line.over]

    @property
    def rate(self) -> int | None:
        return round(100 * self.spent / self.allocated) if self.allocated else None


def lines_of(estimates) -> Execution:
    estimates = estimates.select_related("unit", "task", "task__plan").annotate(
        allocated_total=Sum("allocations__amount", distinct=False),
    )
    spent = dict(
        BudgetSpending.objects.filter(estimate__in=[e.pk for e in estimates])
        .values("estimate_id")
        .annotate(total=Sum("amount"))
        .values_list("estimate_id", "total")
        .order_by()
    )
    return Execution(
        [Line(e, int(e.allocated_total or 0), int(spent.get(e.pk) or 0)) for e in estimates]
    )


def execution(unit: OrgUnit, year: int, *, subtree: bool = True) -> Execution:
    """The execution of ``unit``'s estimates for ``year`` (and of the units below it unless
    ``subtree`` is False), one line per estimate. The reports app calls this; it applies no
    viewer's scope (the caller has already checked it may see ``unit``)."""
    estimates = BudgetEstimate.objects.filter(year=year)
    estimates = (
        estimates.filter(unit__path__startswith=unit.path)
        if subtree
        else estimates.filter(unit=unit)
    )
    return lines_of(estimates.order_by("unit__path", "task__order", "pk"))


def task_execution(*, viewer, task) -> Execution:
    """Every estimate for plan task ``task`` the viewer may see, all years and units."""
    estimates = BudgetEstimate.objects.restrict(viewer).filter(task=task)
    return lines_of(estimates.order_by("-year", "unit__path"))


def estimate_list(*, viewer, year: int | None = None, unit: OrgUnit | None = None):
    estimates = BudgetEstimate.objects.restrict(viewer, Action.VIEW)
    if year:
        estimates = estimates.filter(year=year)
    if unit is not None:
        estimates = estimates.filter(unit__path__startswith=unit.path)
    return estimates


def estimate_search(estimates, q: str, limit: int = 2000) -> list:
    """The estimates whose task, unit or note holds every word of ``q``, whatever the accents
    (folded in Python: a unit's budget lines are a few hundred)."""
    words = fold((q or "")[:200]).split()[:10]
    rows = list(estimates.select_related("unit", "task", "task__plan")[:limit])
    if not words:
        return rows
    return [
        e
        for e in rows
        if all(w in fold(f"{e.task.text} {e.unit.name} {e.note} {e.year}") for w in words)
    ]


def allocations_of(estimate):
    return BudgetAllocation.objects.filter(estimate=estimate)
