"""Reads of plans, always through the viewer's scope."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.text import fold
from lantoa.orgs.choices import SUBNATIONAL_KINDS
from lantoa.orgs.models import OrgUnit, User
from lantoa.orgs.scoping import minimal_prefixes, subtree_q

from .models import LegalBasis, Plan, ReportDeadline, Task, TaskAssignment, in_force_q


def plan_list(*, viewer: User) -> QuerySet[Plan]:
    return (
        Plan.objects.restrict(viewer)
        .select_related("unit")
        .annotate(
            task_count=Count("tasks", distinct=True), target_count=Count("targets", distinct=True)
        )
    )


def plan_detail(*, viewer: User, pk: int) -> Plan:
    return (
        Plan.objects.restrict(viewer)
        .select_related("unit")
        .prefetch_related(
            "targets__indicator",
            Prefetch(
                "tasks",
                queryset=Task.objects.prefetch_related(
                    Prefetch("assignments", queryset=TaskAssignment.objects.select_related("unit"))
                ),
            ),
            Prefetch("legal_bases", queryset=LegalBasis.objects.select_related("parent__unit")),
            "report_deadlines",
            "responsible_units__unit",
        )
        .get(pk=pk)
    )


def plan_children(*, viewer: User, plan: Plan) -> QuerySet[Plan]:
    """Plans in the viewer's scope that name this plan as their legal basis."""
    return (
        Plan.objects.restrict(viewer)
        .filter(legal_bases__parent=plan)
        .select_related("unit")
        .distinct()
    )


def tasks_for_user(*, user: User) -> QuerySet[Task]:
    """ "My tasks": tasks assigned to the user's units or below them, and every task of the
    plans the user's own units issued."""
    memberships = list(user.memberships.select_related("unit"))
    paths = minimal_prefixes(m.unit.path for m in memberships)
    if not paths:
        return Task.objects.none()
    assigned = TaskAssignment.objects.filter(task=OuterRef("pk")).filter(
        subtree_q("unit__path", paths)
    )
    return (
        Task.objects.restrict(user)
        .in_force()
        .filter(Exists(assigned) | Q(plan__unit__in=[m.unit_id for m in memberships]))
        .select_related("plan__unit")
        .prefetch_related("assignments")
        .order_by("plan__unit__path", "plan_id", "order")
    )


def cascade_status(*, viewer: User, unit: OrgUnit) -> list[dict]:
    """For each administrative unit directly below ``unit`` (provinces under the nation,
    communes under a province), whether it has issued its plan: the 2025 target "100% of units
    issue a plan", measured live. One query for the units, one for the plans."""
    children = list(
        OrgUnit.objects.restrict(viewer)
        .filter(
            path__startswith=unit.path, depth=unit.depth + 1, kind__in=_ADMINISTRATIVE_CHILD_KINDS
        )
        .order_by("path")
    )
    issued = {
        p["unit_id"]: p
        for p in Plan.objects.in_force()
        .filter(unit__in=children)
        .values("unit_id")
        .annotate(n=Count("pk"))
    }
    return [{"unit": child, "plans": issued.get(child.pk, {}).get("n", 0)} for child in children]


_ADMINISTRATIVE_CHILD_KINDS = list(SUBNATIONAL_KINDS)


def upcoming_deadlines(
    *, user: User, today: datetime.date | None = None, limit: int = 4
) -> list[dict]:
    """The next report deadlines of the active plans that concern the user's units."""
    today = today or timezone.localdate()
    unit_ids = [m.unit_id for m in user.memberships.all()]
    if not unit_ids:
        return []
    ancestors_and_own = {
        path for unit in OrgUnit.objects.filter(pk__in=unit_ids) for path in unit.chain_paths
    }
    deadlines = ReportDeadline.objects.filter(
        in_force_q("plan__"), plan__unit__path__in=ancestors_and_own
    ).select_related("plan__unit")
    upcoming = []
    for deadline in deadlines:
        for year in (today.year, today.year + 1):
            try:
                date = datetime.date(year, deadline.month, deadline.day)
            except ValueError:
                continue
            if date >= today:
                upcoming.append({"date": date, "plan": deadline.plan, "days": (date - today).days})
                break
    upcoming.sort(key=lambda item: item["date"])
    return upcoming[:limit]


def task_groups(
    *, viewer: User, unit: OrgUnit | None, query: str = "", selected=()
) -> list[tuple[str, list[Task], bool]]:
    """The tasks an activity or a content item of ``unit`` may serve, for the picker: first those assigned to the
    unit itself (or to a unit under it), then the other tasks of the plans in force that bind
    it, each with its full text; each group is (label, tasks, folded). ``query`` narrows
    them (accents optional; a plan number matches too); the ``selected`` ones are always kept, so a search never unticks a task."""
    if unit is None:
        return []
    selected_ids = {int(pk) for pk in selected if str(pk).isdigit()}
    assigned = TaskAssignment.objects.filter(task=OuterRef("pk"), unit__path__startswith=unit.path)
    tasks = (
        Task.objects.restrict(viewer)
        .in_force()
        .filter(plan__unit__path__in=unit.chain_paths)
        .select_related("plan")
        .annotate(own=Exists(assigned))
        .order_by("-own", "-plan__unit__depth", "plan_id", "order")
    )
    words = fold(query).split()
    chosen, own, others = [], [], []
    for task in tasks:
        if task.pk in selected_ids:
            chosen.append(task)
            continue
        if words:
            haystack = fold(f"{task.plan} {task.group_title} {task.text}")
            if not all(word in haystack for word in words):
                continue
        (own if task.own else others).append(task)
    groups = []
    if chosen:
        groups.append((_("Chosen"), chosen, False))
    groups.append((_("Assigned to %(unit)s") % {"unit": unit.name}, own, False))
    if others:
        label = _("Other tasks of the plans that bind %(unit)s") % {"unit": unit.name}
        groups.append((label, others, not words))  # folded unless searching
    return groups
