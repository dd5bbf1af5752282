"""Benchmarks of the org tree at national size, on PostgreSQL, as ratios against a floor.

Builds (once, in its own database) the national tree from vietnam-provinces plus ~28 units
under every commune (~97,000 units), then measures, for a provincial focal point:
- the scoped subtree count through ``restrict()`` against the same count in hand-written SQL
  (the floor), printed as ``subtree-ratio``, and the same in a new request (user and
  memberships looked up first);
- the unit page of a province and an accent-insensitive search, as p95 in milliseconds.
Then the plan importer (bench/importer.py), the bounded inputs (bench/bounds.py), the
diacritics restorer (bench/restore.py), OCR per page (bench/ocr.py), reporting and the assistant
(bench/reporting.py, bench/assistant.py), the library's near-duplicate check at a million
assets (bench/media_dedup.py) and the public NQ57 section through a real server
(bench/public_pages.py). Run with ``make bench``.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
os.environ.setdefault("LANTOA_DEBUG", "1")
os.environ["LANTOA_DATABASE_URL"] = os.environ.get(
    "LANTOA_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lantoa_bench"
)
os.environ["LANTOA_TESTING"] = "1"  # fast password hashing for the bench user

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from lantoa.orgs.choices import Role, UnitKind  # noqa: E402
from lantoa.orgs.models import Membership, OrgUnit, User  # noqa: E402
from lantoa.orgs.national import append_children, load_national_tree  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bounds  # noqa: E402
import importer  # noqa: E402
import ocr  # noqa: E402
import restore as restore_bench  # noqa: E402

UNITS_PER_COMMUNE = 28


def ensure_database():
    import psycopg

    name = connection.settings_dict["NAME"]
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)


def ensure_national_size():
    load_national_tree()
    if OrgUnit.objects.count() > 50_000:
        return
    started = time.perf_counter()
    for commune in OrgUnit.objects.filter(depth=3).iterator():
        children = [
            OrgUnit(
                code=f"{commune.code}-B{i:02d}",
                name=f"Đơn vị {i} {commune.name}",
                kind=UnitKind.OTHER,
            )
            for i in range(UNITS_PER_COMMUNE)
        ]
        append_children(commune, children)
    print(f"# built {OrgUnit.objects.count()} units in {time.perf_counter() - started:.1f} s")


def timed(fn, repeat=30):
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def p95(samples):
    return statistics.quantiles(samples, n=20)[18]


def main():
    ensure_database()
    ensure_national_size()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE orgs_orgunit")
    province = OrgUnit.objects.get(code="75")
    user, _ = User.objects.get_or_create(username="bench.focal")
    user.set_password("bench")
    user.save()
    Membership.objects.get_or_create(user=user, unit=province, role=Role.FOCAL_POINT)
    user = User.objects.get(pk=user.pk)

    def cold():
        fresh = User.objects.get(pk=user.pk)  # as in a new request: the scope is looked up again
        return OrgUnit.objects.restrict(fresh).count()

    def scoped():
        return OrgUnit.objects.restrict(user).count()

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM orgs_orgunit WHERE path LIKE %s", [province.path + "%"]
            )
            return cursor.fetchone()[0]

    assert scoped() == floor()
    scoped_ms, floor_ms, cold_ms = timed(scoped), timed(floor), timed(cold)
    print(f"subtree-units: {floor()}")
    print(f"subtree-median-ms: {statistics.median(scoped_ms):.2f}")
    print(f"subtree-floor-median-ms: {statistics.median(floor_ms):.2f}")
    print(f"subtree-ratio: {statistics.median(scoped_ms) / statistics.median(floor_ms):.2f}")
    print(
        f"subtree-new-request-median-ms: {statistics.median(cold_ms):.2f}  (user and memberships looked up too)"
    )

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    assert client.get(f"/units/{province.pk}/").status_code == 200
    assert b"Xu\xc3\xa2n L\xe1\xba\xadp" in client.get("/units/", {"q": "xuan lap"}).content
    page = timed(lambda: client.get(f"/units/{province.pk}/"), repeat=20)
    search = timed(lambda: client.get("/units/", {"q": "xuan lap"}), repeat=20)
    print(f"unit-page-p95-ms: {p95(page):.0f}")
    print(f"search-p95-ms: {p95(search):.0f}")

    from lantoa.portal.demo.units import load_demo

    load_demo()  # the seed plans' units
    importer.main()
    bounds.main()
    restore_bench.main([])
    ocr.main()
    reporting_bench()


def reporting_bench() -> None:
    """Reporting at national size, the assistant over 10,000 passages, the library's
    near-duplicate check over a million hash rows and the public section each run in a
    database of their own (bench/reporting.py, bench/assistant.py, bench/media_dedup.py,
    bench/public_pages.py)."""
    import subprocess

    script = str(Path(__file__).with_name("reporting_main.py"))
    for module, database in (
        ("reporting", "reporting"),
        ("assistant", "assistant"),
        ("media_dedup", "media"),
        ("public_pages", "public"),
    ):
        env = dict(
            os.environ,
            LANTOA_BENCH_MODULE=module,
            LANTOA_BENCH_DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/lantoa_bench_{database}",
        )
        subprocess.run([sys.executable, script], env=env, check=True)  # noqa: S603


if __name__ == "__main__":
    main()
