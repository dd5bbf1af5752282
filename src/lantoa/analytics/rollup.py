"""The national roll-up of every indicator for one period, as tables.

The values are those of ``computation.values_all`` (the same definitions a report and the
dashboard use), for the nation, every province and every commune at once. Values are written
per indicator inside a transaction and recorded in the run's fill state, so a run that stopped
half-way resumes where it was and never counts anything twice. A run is marked stale when
evidence, a fact, a typed figure or a people list changes within its span; ``rollup_scheduled``
(the ``lantoa rollup`` command and the ``rollup_refresh`` task) refreshes stale runs.
"""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from lantoa.indicators.models import IndicatorValue, RollupRun
from lantoa.orgs.models import OrgUnit, Person

from .computation import METHODS, values_all

# The tables hold the administrative levels (nation, provinces, communes): what dashboards and
# reports up the chain read. A commune's own units are few; their values are computed live.
ROLLUP_DEPTH = 3


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


def rollup_period(start: datetime.date, end: datetime.date, *, refresh: bool = False) -> RollupRun:
    """Fill (or finish filling) the values of every indicator for the nation, every province
    and every commune for [start, end]; with ``refresh``, compute every indicator again (the
    run is readable with its old values meanwhile, each indicator replaced whole)."""
    run, _created = RollupRun.objects.get_or_create(start=start, end=end)
    if refresh or run.stale:
        # Cleared before reading: a change arriving while this runs marks the run stale again.
        RollupRun.objects.filter(pk=run.pk).update(stale=False, done=[])
        run.refresh_from_db()
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


def scheduled_spans(today: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The spans the dashboards read by default: this year and last, and their halves."""
    spans = []
    for year in (today.year - 1, today.year):
        spans += [
            (datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
            (datetime.date(year, 1, 1), datetime.date(year, 6, 30)),
            (datetime.date(year, 7, 1), datetime.date(year, 12, 31)),
        ]
    return [(start, end) for start, end in spans if start <= today]


def rollup_scheduled(today: datetime.date | None = None) -> list[RollupRun]:
    """What the schedule runs: the current spans rolled up when missing or unfinished, and
    every stale run (however old) refreshed, so late reports reach the tables."""
    today = today or timezone.localdate()
    done = []
    # A people list changed since a run was computed: reach divides by the lists of every period.
    changed = Person.objects.aggregate(last=Max("updated_at"))["last"]
    if changed is not None:
        RollupRun.objects.filter(finished_at__lt=changed).update(stale=True)
    wanted = set(scheduled_spans(today))
    existing = {(r.start, r.end): r for r in RollupRun.objects.all()}
    for span in sorted(wanted | {k for k, r in existing.items() if r.stale or not r.finished_at}):
        run = existing.get(span)
        if run is not None and run.finished_at and not run.stale:
            continue
        done.append(rollup_period(*span))
    return done
