"""The national roll-up of every indicator for one period, as tables.

The contributions of every unit are aggregated in a few grouped queries on the path prefix of
the deepest level kept (``substr(path, 1, 4·depth)``), every indicator of a source at once,
then added up into the levels above in memory: a handful of set-based queries whatever the
number of units. Values are written per indicator
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
from lantoa.plans.models import in_force_q

from .computation import METHODS
from .models import IndicatorEntry, IndicatorValue, RollupRun, UnitFact

STEP = OrgUnit.steplen
# The tables hold the administrative levels (nation, provinces, communes): what dashboards and
# reports up the chain read. A commune's own units are few; their values are computed live.
ROLLUP_DEPTH = 3
ADMINISTRATIVE = ("province", "city", "commune", "ward", "special_zone")


def _levels(depths) -> list[int]:
    return list(range(1, depths + 1)) if isinstance(depths, int) else sorted(depths)


def _plus(a, b):
    """Add two optional sums: None means nothing to add, not zero."""
    if a is None:
        return b
    return a if b is None else a + b


def _spread(rows, levels: list[int], keys) -> dict[str, dict]:
    """Sum rows grouped by the path prefix of the deepest level into every requested level
    above: a row of a unit shallower than the deepest level counts for its own prefixes only."""
    totals: dict[str, dict] = defaultdict(dict)
    for row in rows:
        prefix = row["prefix"]
        for depth in levels:
            if STEP * depth > len(prefix):
                break
            total = totals[prefix[: STEP * depth]]
            for key in keys:
                total[key] = _plus(total.get(key), row[key])
    return totals


def _grouped(queryset, deepest: int, aggregates: dict, extra: tuple[str, ...] = ()):
    return (
        queryset.annotate(prefix=Substr("unit__path", 1, STEP * deepest))
        .values("prefix", *extra)
        .annotate(**aggregates)
        .order_by()
    )


def values_all(
    codes, start: datetime.date, end: datetime.date, depths, under: OrgUnit | None = None
) -> dict[str, dict[str, tuple]]:
    """(numerator, denominator) of every indicator in ``codes`` for every unit path at
    ``depths`` (every depth up to it when a number), within ``under``'s subtree when given.

    One grouped query over the activities serves every activity-based indicator (conditional
    sums, one column each), one over the facts and one over the typed entries; the rows,
    grouped at the deepest level, are added up into the levels above in memory."""
    levels = _levels(depths)
    deepest = levels[-1]
    scope = under.path if under is not None else ""
    methods = {code: METHODS[code] for code in codes}
    result: dict[str, dict[str, tuple]] = {code: {} for code in codes}

    from_activities = {c: m for c, m in methods.items() if m.kind in ("count", "sum", "ratio")}
    if from_activities:
        aggregates = {}
        for code, method in from_activities.items():
            where = Q(kind__in=method.activity_kinds) if method.activity_kinds else Q()
            aggregates[code] = (
                Count("pk", filter=where)
                if method.kind == "count"
                else Sum(method.field, filter=where)
            )
        activities = Activity.objects.filter(
            date__gte=start, date__lte=end, unit__path__startswith=scope
        )
        sums = _spread(_grouped(activities, deepest, aggregates), levels, list(aggregates))
        for prefix, row in sums.items():
            for code in from_activities:
                result[code][prefix] = (Decimal(row[code] or 0), None)

    fact_keys = {m.fact for m in methods.values() if m.kind in ("ratio", "yesno")}
    if fact_keys:
        facts = UnitFact.objects.filter(key__in=fact_keys, unit__path__startswith=scope)
        rows = _grouped(
            facts,
            deepest,
            {"d": Sum("value"), "yes": Count("pk", filter=Q(value__gt=0)), "all": Count("pk")},
            ("key",),
        )
        by_key: dict[str, list] = defaultdict(list)
        for row in rows:
            by_key[row["key"]].append(row)
        for code, method in methods.items():
            if method.kind == "ratio":
                for prefix, row in _spread(by_key[method.fact], levels, ["d"]).items():
                    numerator = result[code].get(prefix, (Decimal(0), None))[0]
                    result[code][prefix] = (numerator, row["d"])
            elif method.kind == "yesno":
                for prefix, row in _spread(by_key[method.fact], levels, ["yes", "all"]).items():
                    result[code][prefix] = (Decimal(row["yes"]), Decimal(row["all"]))

    typed = [c for c, m in methods.items() if m.kind == "typed"]
    if typed:
        entries = IndicatorEntry.objects.filter(
            indicator__code__in=typed,
            period_start=start,
            period_end=end,
            unit__path__startswith=scope,
        )
        rows = _grouped(
            entries,
            deepest,
            {"n": Sum("numerator"), "d": Sum("denominator")},
            ("indicator__code",),
        )
        by_code: dict[str, list] = defaultdict(list)
        for row in rows:
            by_code[row["indicator__code"]].append(row)
        for code in typed:
            for prefix, row in _spread(by_code[code], levels, ["n", "d"]).items():
                result[code][prefix] = (row["n"], row["d"])

    for code in (c for c, m in methods.items() if m.kind == "plans"):
        # A unit's value counts the administrative units one level below it: not additive up
        # the tree, so one small query per level over the administrative units only.
        below = OrgUnit.objects.filter(kind__in=ADMINISTRATIVE, path__startswith=scope)
        for depth in levels:
            rows = (
                below.filter(depth=depth + 1)
                .annotate(prefix=Substr("path", 1, STEP * depth))
                .values("prefix")
                .annotate(
                    all=Count("pk", distinct=True),
                    yes=Count("pk", filter=in_force_q("plans__"), distinct=True),
                )
                .order_by()
            )
            for row in rows:
                result[code][row["prefix"]] = (Decimal(row["yes"]), Decimal(row["all"]))
    return result


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
    ids = dict(OrgUnit.objects.filter(depth__lte=max_depth).values_list("path", "pk"))
    todo = [code for code in METHODS if code not in run.done]
    computed = values_all(todo, start, end, max_depth) if todo else {}
    for code in todo:
        values = computed[code]
        with transaction.atomic():
            IndicatorValue.objects.filter(run=run, code=code).delete()
            _write(run, code, ((ids[p], num, den) for p, (num, den) in values.items() if p in ids))
            run.done = [*run.done, code]
            run.save(update_fields=["done"])
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])
    return run
