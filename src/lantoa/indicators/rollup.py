"""The national roll-up of every indicator for one period, as tables.

For each indicator the per-unit contributions are aggregated once, then summed up the tree one
level at a time by grouping on the path prefix of that level (``substr(path, 1, 4·depth)``):
a handful of set-based queries whatever the number of units. Values are written per indicator
inside a transaction and recorded in the run's fill state, so a run that stopped half-way
resumes where it was and never counts anything twice.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from lantoa.activities.models import Activity
from lantoa.orgs.models import OrgUnit

from .computation import METHODS
from .models import IndicatorEntry, IndicatorValue, RollupRun, UnitFact

STEP = OrgUnit.steplen
# The tables hold the administrative levels (nation, provinces, communes): what dashboards and
# reports up the chain read. A commune's own units are few; their values are computed live.
ROLLUP_DEPTH = 3


def _by_prefix(queryset, path_field: str, aggregates: dict, depths) -> dict[str, dict]:
    """Sum ``aggregates`` for every path prefix of ``depths`` (every depth up to it when a
    number): one grouped query per depth."""
    totals: dict[str, dict] = defaultdict(dict)
    for depth in range(1, depths + 1) if isinstance(depths, int) else depths:
        rows = (
            queryset.annotate(prefix=Substr(path_field, 1, STEP * depth))
            .values("prefix")
            .annotate(**aggregates)
            .order_by()
        )
        for row in rows:
            prefix = row.pop("prefix")
            if len(prefix) == STEP * depth:
                totals[prefix].update(row)
    return totals


def values_for(
    code: str, start: datetime.date, end: datetime.date, depths, under: OrgUnit | None = None
) -> dict:
    """(numerator, denominator) of indicator ``code`` for every unit path at ``depths`` (every
    depth up to it when a number), within ``under``'s subtree when given."""
    method = METHODS[code]
    scope = under.path if under is not None else ""
    activities = Activity.objects.filter(
        date__gte=start, date__lte=end, unit__path__startswith=scope
    )
    if method.activity_kinds:
        activities = activities.filter(kind__in=method.activity_kinds)
    facts = UnitFact.objects.filter(key=method.fact, unit__path__startswith=scope)
    if method.kind == "count":
        sums = _by_prefix(activities, "unit__path", {"n": Count("pk")}, depths)
        return {p: (Decimal(r["n"]), None) for p, r in sums.items()}
    if method.kind in ("sum", "ratio"):
        sums = _by_prefix(activities, "unit__path", {"n": Sum(method.field)}, depths)
        values = {p: (Decimal(r["n"] or 0), None) for p, r in sums.items()}
        if method.kind == "ratio":
            for prefix, row in _by_prefix(facts, "unit__path", {"d": Sum("value")}, depths).items():
                values[prefix] = (values.get(prefix, (Decimal(0), None))[0], row["d"])
        return values
    if method.kind == "yesno":
        counts = _by_prefix(
            facts,
            "unit__path",
            {"yes": Count("pk", filter=Q(value__gt=0)), "all": Count("pk")},
            depths,
        )
        return {p: (Decimal(r["yes"]), Decimal(r["all"])) for p, r in counts.items()}
    if method.kind == "plans":
        # A unit's value counts the administrative units one level below it.
        below = OrgUnit.objects.filter(
            kind__in=("province", "city", "commune", "ward", "special_zone"), path__startswith=scope
        )
        levels = range(1, depths + 1) if isinstance(depths, int) else depths
        counts = {}
        for depth in levels:
            rows = (
                below.filter(depth=depth + 1)
                .annotate(prefix=Substr("path", 1, STEP * depth))
                .values("prefix")
                .annotate(
                    all=Count("pk", distinct=True),
                    yes=Count("pk", filter=Q(plans__status="active"), distinct=True),
                )
                .order_by()
            )
            for row in rows:
                counts[row["prefix"]] = (Decimal(row["yes"]), Decimal(row["all"]))
        return counts
    entries = IndicatorEntry.objects.filter(
        indicator__code=code, period_start=start, period_end=end, unit__path__startswith=scope
    )
    sums = _by_prefix(
        entries, "unit__path", {"n": Sum("numerator"), "d": Sum("denominator")}, depths
    )
    return {p: (r["n"], r["d"]) for p, r in sums.items()}


def _write(run: RollupRun, code: str, rows) -> None:
    """Insert the values; on PostgreSQL with COPY, several times faster than INSERTs."""
    if connection.vendor == "postgresql":
        table = IndicatorValue._meta.db_table
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(
                f"COPY {table} (run_id, unit_id, code, numerator, denominator) FROM STDIN"
            ) as copy:
                for unit_id, num, den in rows:
                    copy.write_row((run.pk, unit_id, code, num, den))
        return
    IndicatorValue.objects.bulk_create(
        (
            IndicatorValue(run=run, unit_id=unit_id, code=code, numerator=num, denominator=den)
            for unit_id, num, den in rows
        ),
        batch_size=5000,
    )


def rollup_period(start: datetime.date, end: datetime.date) -> RollupRun:
    """Fill (or finish filling) the values of every indicator for the nation, every province
    and every commune for [start, end]."""
    run, _created = RollupRun.objects.get_or_create(start=start, end=end)
    max_depth = min(ROLLUP_DEPTH, OrgUnit.objects.aggregate(d=Max("depth"))["d"] or 1)
    ids = dict(OrgUnit.objects.values_list("path", "pk"))
    for code in METHODS:
        if code in run.done:
            continue
        values = values_for(code, start, end, max_depth)
        with transaction.atomic():
            IndicatorValue.objects.filter(run=run, code=code).delete()
            _write(run, code, ((ids[p], num, den) for p, (num, den) in values.items() if p in ids))
            run.done = [*run.done, code]
            run.save(update_fields=["done"])
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])
    return run
