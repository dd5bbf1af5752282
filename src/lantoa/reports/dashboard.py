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

from lantoa.indicators.catalogue import STANDARD_INDICATORS
from lantoa.indicators.computation import METHODS, Value
from lantoa.indicators.models import IndicatorValue, RollupRun
from lantoa.indicators.rollup import ROLLUP_DEPTH, values_all
from lantoa.orgs.models import OrgUnit
from lantoa.plans.models import Target, Task

BASE_YEAR = 2025


@dataclass
class Row:
    value: Value
    target: Target | None = None
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


def _status(value: Value, target: Target | None, today: datetime.date) -> str:
    if target is None or target.value is None or value.value is None or not target.year:
        return ""
    share = min(
        Decimal(1),
        Decimal(today.year - BASE_YEAR + 1) / Decimal(max(1, target.year - BASE_YEAR + 1)),
    )
    expected = target.value * share
    if value.value >= expected:
        return "on_track"
    if value.value >= expected * Decimal("0.8"):
        return "at_risk"
    return "off_track"


def _values(unit: OrgUnit, start, end, codes):
    """{code: Value} for the unit, {code: {child pk: (num, den)}} for the level below, whether
    they came from the roll-up tables, the children by path and each indicator's unit."""
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
    unit_of = {
        code: (
            "count"
            if METHODS[code].kind in ("count", "sum")
            else ("n_of_m" if METHODS[code].kind in ("yesno", "plans") else "%")
        )
        for code in codes
    }
    values = {code: Value(code, *own.get(code, (None, None)), unit_of[code]) for code in codes}
    for code in codes:
        if METHODS[code].kind in ("count", "sum") and values[code].numerator is None:
            values[code].numerator = Decimal(0)
    return values, below, run is not None, children, unit_of


def dashboard_for(
    *, unit: OrgUnit, start: datetime.date, end: datetime.date, codes: list[str] | None = None
) -> dict:
    today = timezone.localdate()
    codes = [c for c in (codes or [s.code for s in STANDARD_INDICATORS]) if c in METHODS]
    values, below, rolled_up, children, unit_of = _values(unit, start, end, codes)
    chain = unit.chain_paths
    targets: dict[str, Target] = {}
    for target in (
        Target.objects.in_force()
        .filter(
            plan__unit__path__in=chain,
            indicator__isnull=False,
            value__isnull=False,
        )
        .select_related("indicator", "plan__unit")
        .order_by("-plan__unit__depth", "year")
    ):
        targets.setdefault(target.indicator.code, target)
    runs = list(RollupRun.objects.filter(finished_at__isnull=False).order_by("start", "end")[:8])
    history = {
        (r.run_id, r.code): r
        for r in IndicatorValue.objects.filter(run__in=runs, unit=unit, code__in=codes)
    }
    by_pk = {c.pk: c for c in children.values()}
    rows = []
    for code in codes:
        value = values[code]
        row = Row(value=value, target=targets.get(code))
        row.status = _status(value, row.target, today)
        trend = []
        for run in runs:
            stored = history.get((run.pk, code))
            point = (
                Value(code, stored.numerator, stored.denominator, unit_of[code]).value
                if stored
                else None
            )
            trend.append((f"{run.start:%m/%Y}–{run.end:%m/%Y}", point))
        row.trend = _bars(trend)
        ranked = [
            (by_pk[pk], Value(code, num, den, unit_of[code]).value)
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
            timing="once",
            due_year__lt=today.year,
        )
        .exclude(status="done")
        .count()
    )
    return {"rows": rows, "overdue_tasks": overdue, "rolled_up": rolled_up}
