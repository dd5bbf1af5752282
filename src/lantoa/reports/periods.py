"""Reporting periods from the plans' report schedules.

A deadline in the first half of the year ("trước ngày 10/6") closes the six-monthly report of
January to June; one in the second half ("trước ngày 10/12") the annual report. A plan without a
schedule of its own follows the plan it implements (the cascade), so a commune plan that says
nothing reports on its province's dates.

Reports are owed from the plan's adoption: a period whose deadline falls before the plan's issue
date is never opened, nor one whose deadline had passed when the plan was imported, unless the
importer asked for those too (``Plan.reports_from``). A plan imported in December does not make
every unit below it late at once.
"""

from __future__ import annotations

import datetime

from django.db.models import Q

from lantoa.orgs.choices import SUBNATIONAL_KINDS
from lantoa.orgs.models import OrgUnit
from lantoa.plans.matching import kinds_named
from lantoa.plans.models import Plan

from .choices import PeriodKind
from .models import ReportingPeriod

ADMINISTRATIVE_CHILDREN = SUBNATIONAL_KINDS


def schedule_of(plan: Plan, _seen: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """(day, month) deadlines of the plan, or of the nearest plan up the cascade that has some."""
    own = [(d.day, d.month) for d in plan.report_deadlines.all()]
    if own or plan.pk in _seen:
        return own
    for basis in plan.legal_bases.select_related("parent"):
        if basis.parent is not None:
            inherited = schedule_of(basis.parent, _seen | {plan.pk})
            if inherited:
                return inherited
    return []


def periods_ensure(
    plan: Plan, year: int, *, since: datetime.date | None = None
) -> list[ReportingPeriod]:
    """The plan's periods of ``year`` (created on first use; idempotent); with ``since``, only
    those whose deadline is on or after it."""
    periods = []
    for day, month in sorted(schedule_of(plan), key=lambda dm: (dm[1], dm[0])):
        try:
            deadline = datetime.date(year, month, day)
        except ValueError:
            continue
        if since is not None and deadline < since:
            continue
        if month <= 6:
            kind, start, end = (
                PeriodKind.SEMIANNUAL,
                datetime.date(year, 1, 1),
                datetime.date(year, 6, 30),
            )
        else:
            kind, start, end = (
                PeriodKind.ANNUAL,
                datetime.date(year, 1, 1),
                datetime.date(year, 12, 31),
            )
        period, _created = ReportingPeriod.objects.get_or_create(
            plan=plan, start=start, end=end, deadline=deadline, defaults={"kind": kind}
        )
        periods.append(period)
    return periods


def periods_open(plan: Plan, today: datetime.date) -> list[ReportingPeriod]:
    """The plan's periods a unit can report for on ``today``: of this year and the last, begun,
    and due no earlier than the plan's reports are owed from; with the ad hoc periods a focal
    point opened under the plan, begun and due this year or the last. A closed period is not."""
    since = plan.owed_from
    regular = [
        period
        for year in (today.year - 1, today.year)
        for period in periods_ensure(plan, year, since=since)
        if period.start <= today and period.closed_at is None
    ]
    ad_hoc = ReportingPeriod.objects.filter(
        plan=plan,
        kind=PeriodKind.AD_HOC,
        closed_at__isnull=True,
        start__lte=today,
        deadline__year__gte=today.year - 1,
    )
    seen = {period.pk for period in regular}
    return regular + [period for period in ad_hoc if period.pk not in seen]


def period_is_open(period: ReportingPeriod) -> bool:
    """Whether reports are owed for ``period`` at all (not one from before the plan's adoption
    or the importer's choice, nor one closed, nor one whose deadline was taken off the plan's
    schedule). An ad hoc period is owed whatever its dates."""
    if period.closed_at is not None:
        return False
    if period.kind == PeriodKind.AD_HOC:
        return True
    if (period.deadline.day, period.deadline.month) not in schedule_of(period.plan):
        return False  # a deadline the plan's schedule no longer has (edited since)
    since = period.plan.owed_from
    return since is None or period.deadline >= since


def period_units(period: ReportingPeriod) -> list[OrgUnit]:
    """Who owes a report for ``period``: the units an ad hoc period names, else the plan's
    :func:`reporting_units`."""
    if period.kind == PeriodKind.AD_HOC and period.pk is not None:
        named = list(period.units.order_by("path"))
        if named:
            return named
    return reporting_units(period.plan)


def reporting_units(plan: Plan) -> list[OrgUnit]:
    """Who owes the plan's issuer a report: the units its "Tổ chức thực hiện" names (linked to
    the tree, or every unit of a kind for a group such as "Các trường học trên địa bàn") and the
    administrative units directly below the issuer."""
    kinds = {
        kind
        for duty in plan.responsible_units.filter(unit__isnull=True)
        for kind in kinds_named(duty.name)
    }
    named = plan.responsible_units.filter(unit__isnull=False).values("unit_id")
    depth = plan.unit.depth
    return list(
        OrgUnit.objects.filter(path__startswith=plan.unit.path)
        .exclude(pk=plan.unit_id)
        .filter(
            Q(pk__in=named)
            | Q(kind__in=kinds, depth__lte=depth + 2)
            | Q(kind__in=ADMINISTRATIVE_CHILDREN, depth=depth + 1)
        )
        .order_by("path")
    )
