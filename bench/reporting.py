"""Reporting at national size, on PostgreSQL, in a database of its own.

- ``rollup-ratio``: the roll-up of every indicator for one year for the whole nation
  (analytics.rollup.rollup_period, values written to tables) against the floor: one
  hand-written SQL aggregate over the same activities, GROUP BY ROLLUP of the path levels;
- ``dashboard-p95-ms``: the national dashboard page, served from the roll-up tables.
"""

from __future__ import annotations

import datetime
import statistics
import time

from django.core.management import call_command
from django.db import connection
from django.test import Client

FLOOR_SQL = """
SELECT substr(u.path, 1, 4) AS p1, substr(u.path, 1, 8) AS p2, substr(u.path, 1, 12) AS p3, substr(u.path, 1, 16) AS p4,
       count(*) FILTER (WHERE a.kind = 'training'),
       sum(a.officials) FILTER (WHERE a.kind IN ('meeting', 'training', 'event')),
       sum(a.staff_trained) FILTER (WHERE a.kind = 'training'),
       sum(a.audience)
FROM activities_activity a JOIN orgs_orgunit u ON u.id = a.unit_id
WHERE a.date BETWEEN %s AND %s
GROUP BY ROLLUP (p1, p2, p3, p4)
"""


def _median(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    from lantoa.activities.models import Activity
    from lantoa.analytics.rollup import rollup_period
    from lantoa.indicators.models import RollupRun
    from lantoa.orgs.models import Membership, OrgUnit, User

    if not Activity.objects.filter(origin_ref="synthetic").exists():
        started = time.perf_counter()
        call_command("generate_national_dataset", verbosity=0)
        print(f"# generated the national dataset in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"# {OrgUnit.objects.count()} units, {Activity.objects.count()} activities")
    start, end = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)

    def rollup():
        RollupRun.objects.filter(start=start, end=end).delete()
        rollup_period(start, end)

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [start, end])
            cursor.fetchall()

    rollup_s, floor_s = _median(rollup, 3), _median(floor, 3)
    print(f"rollup-s: {rollup_s:.2f}")
    print(f"rollup-floor-s: {floor_s:.2f}")
    print(f"rollup-ratio: {rollup_s / floor_s:.2f}")

    user, _ = User.objects.get_or_create(username="bench.national")
    Membership.objects.get_or_create(
        user=user, unit=OrgUnit.objects.get(depth=1), role="focal_point"
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    url = f"/dashboard/?start={start}&end={end}"
    assert client.get(url).status_code == 200
    samples = []
    for _ in range(30):
        began = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - began) * 1000)
    print(f"dashboard-p95-ms: {statistics.quantiles(samples, n=20)[18]:.0f}")
