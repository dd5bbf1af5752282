"""What a dashboard shows for a unit's subtree and a period: each indicator against the plan's
targets with an on-track / at-risk / off-track status, its trend over the rolled-up periods,
the units below ranked, overdue tasks and report completeness.

Values come from the national roll-up tables when the period has been rolled up (two queries
for any unit), otherwise they are computed live for the unit and the level below it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from lantoa.analytics.computation import METHODS, Value, value_of, values_all
from lantoa.analytics.rollup import ROLLUP_DEPTH
from lantoa.indicators.catalogue import STANDARD_INDICATORS
from lantoa.indicators.models import IndicatorValue, RollupRun
from lantoa.orgs.models import OrgUnit
from lantoa.plans.choices import TaskStatus, Timing
from lantoa.plans.models import Target, Task

# Status against a target: the value expected by the period's end on a straight line from the
# plan's start (or the previous milestone of the same indicator) to the target in its year.
ON_TRACK_SHARE = Decimal(1)  # at least what is expected by now
AT_RISK_SHARE = Decimal("0.8")  # at least four fifths of it; below, off track
TREND_RUNS = 8


@dataclass
class Row:
    value: Value
    target: Target | None = None
    expected: Decimal | None = None  # what the target's timeline expects by the period's end
    status: str = ""  # on_track | at_risk | off_track | ""
    trend: list[tuple[str, Decimal | None, int]] = field(
        default_factory=list
    )  # label, value, bar %
    ranking: list[tuple[OrgUnit, Decimal | None, int]] = field(default_factory=list)


def _bars(items: list[tuple]) -> list[tuple]:
    """Each (label, value) with the bar length a chart draws, relative to the largest value."""
    largest = max((v for _label, v in items if v), default=0)
    return [
        (label, value, int(100 * value / largest) if value and largest else 0)
        for label, value in items
    ]


def _plan_start(target: Target) -> datetime.date:
    plan = target.plan
    if plan.issued_on:
        return plan.issued_on
    return datetime.date(plan.created_at.year, 1, 1) if plan.created_at else datetime.date.min


def expected_value(target: Target, milestones: list[Target], when: datetime.date) -> Decimal | None:
    """The value the target's own timeline expects on ``when``: a straight line from the
    previous milestone of the indicator in the same plan (or from zero at the plan's start) to
    the target's value at the end of its year; the target itself once its year is over."""
    if target.value is None or not target.year:
        return None
    end = datetime.date(target.year, 12, 31)
    before = [m for m in milestones if m.year and m.year < target.year and m.value is not None]
    if before:
        previous = max(before, key=lambda m: m.year)
        start, start_value = datetime.date(previous.year, 12, 31), previous.value
    else:
        start, start_value = _plan_start(target), Decimal(0)
    if when >= end or start >= end:
        return target.value
    if when <= start:
        return start_value
    share = Decimal((when - start).days) / Decimal((end - start).days)
    return start_value + (target.value - start_value) * share


def status_of(value: Decimal | None, expected: Decimal | None) -> str:
    if value is None or expected is None:
        return ""
    if value >= expected * ON_TRACK_SHARE:
        return "on_track"
    if value >= expected * AT_RISK_SHARE:
        return "at_risk"
    return "off_track"


def _targets(unit: OrgUnit, end: datetime.date) -> dict[str, tuple[Target, list[Target]]]:
    """Per indicator, the target the period works towards (the nearest plan up the chain, its
    first milestone not already past at the period's end, else its last) and the plan's other
    milestones for that indicator."""
    by_code: dict[str, list[Target]] = {}
    nearest: dict[str, int] = {}
    for target in (
        Target.objects.in_force()
        .filter(
            plan__unit__path__in=unit.chain_paths,
            indicator__isnull=False,
            value__isnull=False,
        )
        .select_related("indicator", "plan__unit")
        .order_by("-plan__unit__depth", "year")
    ):
        code = target.indicator.code
        if nearest.setdefault(code, target.plan_id) == target.plan_id:
            by_code.setdefault(code, []).append(target)
    chosen = {}
    for code, milestones in by_code.items():
        ahead = [t for t in milestones if t.year and t.year >= end.year]
        chosen[code] = (ahead[0] if ahead else milestones[-1], milestones)
    return chosen


def _values(unit: OrgUnit, start, end, codes):
    """{code: Value} for the unit, {code: {child pk: (num, den)}} for the level below, the run
    they came from (None when computed live) and the children by path."""
    children = {
        c.path: c for c in OrgUnit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
    }
    run = None
    if unit.depth + 1 <= ROLLUP_DEPTH:
        run = RollupRun.objects.filter(start=start, end=end, finished_at__isnull=False).first()
    own: dict[str, tuple] = {}
    below: dict[str, dict] = {code: {} for code in codes}
    if run is not None:
        rows = IndicatorValue.objects.filter(
            run=run,
            code__in=codes,
            unit__path__startswith=unit.path,
            unit__depth__lte=unit.depth + 1,
        )
        for row in rows.select_related("unit"):
            if row.unit_id == unit.pk:
                own[row.code] = (row.numerator, row.denominator)
            else:
                below[row.code][row.unit_id] = (row.numerator, row.denominator)
    else:
        computed = values_all(codes, start, end, [unit.depth, unit.depth + 1], under=unit)
        for code in codes:
            found = computed[code]
            own[code] = found.get(unit.path, (None, None))
            below[code] = {children[p].pk: v for p, v in found.items() if p in children}
    values = {code: value_of(code, own.get(code)) for code in codes}
    return values, below, run, children


def dashboard_for(
    *, unit: OrgUnit, start: datetime.date, end: datetime.date, codes: list[str] | None = None
) -> dict:
    today = timezone.localdate()
    codes = [c for c in (codes or [s.code for s in STANDARD_INDICATORS]) if c in METHODS]
    values, below, run, children = _values(unit, start, end, codes)
    targets = _targets(unit, end)
    when = min(end, today)
    runs = list(
        RollupRun.objects.filter(finished_at__isnull=False).order_by("-end", "-start")[:TREND_RUNS]
    )[::-1]  # the newest runs, oldest first
    history = {
        (r.run_id, r.code): r
        for r in IndicatorValue.objects.filter(run__in=runs, unit=unit, code__in=codes)
    }
    by_pk = {c.pk: c for c in children.values()}
    rows = []
    for code in codes:
        value = values[code]
        target, milestones = targets.get(code, (None, []))
        row = Row(value=value, target=target)
        if target is not None:
            row.expected = expected_value(target, milestones, when)
            row.status = status_of(value.value, row.expected)
        trend = []
        for past in runs:
            stored = history.get((past.pk, code))
            point = (
                Value(code, stored.numerator, stored.denominator, METHODS[code].display_unit).value
                if stored
                else None
            )
            trend.append((f"{past.start:%m/%Y}–{past.end:%m/%Y}", point))
        row.trend = _bars(trend)
        ranked = [
            (by_pk[pk], Value(code, num, den, METHODS[code].display_unit).value)
            for pk, (num, den) in below[code].items()
            if pk in by_pk
        ]
        ranked.sort(key=lambda item: (item[1] is None, -(item[1] or 0)))
        row.ranking = _bars(ranked[:10])
        rows.append(row)
    overdue = (
        Task.objects.in_force()
        .filter(
            plan__unit__path__startswith=unit.path,
            timing=Timing.ONCE,
            due_year__lt=today.year,
        )
        .exclude(status=TaskStatus.DONE)
        .count()
    )
    return {
        "rows": rows,
        "overdue_tasks": overdue,
        "rolled_up": run is not None,
        "stale": bool(run and run.stale),
    }
