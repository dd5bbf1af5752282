"""What a person sees of reporting: the reports their units owe, the periods they review."""

from __future__ import annotations

from django.utils import timezone

from lantoa.orgs.choices import ROLE_ACTIONS, Action
from lantoa.orgs.models import OrgUnit, User
from lantoa.plans.models import Plan

from .choices import PeriodKind
from .models import Submission
from .periods import period_units, periods_open, reporting_units


def _membership_units(user: User, action: str) -> list[OrgUnit]:
    return [
        m.unit
        for m in user.memberships.select_related("unit")
        if action in ROLE_ACTIONS.get(m.role, ())
    ]


def owed_reports(*, user: User, today=None) -> list[dict]:
    """For each unit the user reports for: every period of the plans above it that it owes a
    report under, from the period's start, with the report's status."""
    today = today or timezone.localdate()
    rows = []
    for unit in _membership_units(user, Action.RECORD):
        chain = unit.chain_paths[:-1]  # the plans above the unit, which it reports under
        for plan in Plan.objects.in_force().filter(unit__path__in=chain).select_related("unit"):
            named = unit in reporting_units(plan)
            for period in periods_open(plan, today):
                if period.kind == PeriodKind.AD_HOC:
                    if unit not in period_units(period):
                        continue
                elif not named:
                    continue
                submission = Submission.objects.filter(period=period, unit=unit).first()
                rows.append(
                    {
                        "unit": unit,
                        "period": period,
                        "submission": submission,
                        "late": submission is None and period.deadline < today,
                    }
                )
    rows.sort(key=lambda row: row["period"].deadline, reverse=True)
    return rows


def periods_to_review(*, user: User, today=None) -> list[dict]:
    today = today or timezone.localdate()
    rows = []
    for unit in _membership_units(user, Action.APPROVE_REPORT):
        for plan in Plan.objects.in_force().filter(unit=unit):
            for period in periods_open(plan, today):
                rows.append({"unit": unit, "period": period})
    rows.sort(key=lambda row: row["period"].deadline, reverse=True)
    return rows


def open_report(*, viewer: User, pk) -> Submission | None:
    """A report the viewer can still add to (a draft or returned report in their scope)."""
    if not str(pk or "").isdigit():
        return None
    report = (
        Submission.objects.restrict(viewer, Action.RECORD)
        .select_related("unit", "period")
        .filter(pk=pk)
        .first()
    )
    return None if report is None or report.is_locked else report


def reports_on_time(unit: OrgUnit, year: int) -> tuple[int, int]:
    """(reports sent by their deadline, reports due) of ``unit`` for the periods whose deadline
    fell in ``year`` and has passed: the public scorecard's "reports on time" (given to the
    evaluation pages by the composition root)."""
    today = timezone.localdate()
    due = Submission.objects.filter(
        unit=unit, period__deadline__year=year, period__deadline__lt=today
    ).select_related("period")
    on_time = sum(1 for s in due if s.on_time)
    return on_time, len(due)
