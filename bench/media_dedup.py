"""The library's near-duplicate check at a million assets, on PostgreSQL, in its own database
(run by bench/reporting_main.py with ``LANTOA_BENCH_MODULE=media_dedup``).

An upload's picture is compared with the library by ``media.selectors.near_duplicates``: four
index lookups on the 16-bit bands of its perceptual hash, then the few rows sharing a band
compared in full. The bench fills ``media_asset`` with hash rows only (random 64-bit hashes,
generated in SQL), first 1,000 then 1,000,000, and times the same queries at both sizes (half
of them near an existing hash, two bits flipped, so they find it):
- ``media-dedup-1k-median-ms`` / ``-1m-median-ms`` and their p95;
- ``media-dedup-ratio``: the median at a million over the median at a thousand. The check is
  indexed: the ratio stays near 1 (a scan would make it ~1000).
"""

from __future__ import annotations

import random
import statistics
import time

from django.db import connection

SMALL = 1_000
LARGE = 1_000_000
QUERIES = 200


def _fill(unit_id: int, start: int, stop: int) -> None:
    """Hash rows ``start``..``stop`` (exclusive), their bands cut from the hash in SQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO media_asset (
                unit_id, kind, status, title, title_folded, description, author, place,
                licence, rights, consent, file, original_name, content_type, size, sha256,
                phash, phash_band0, phash_band1, phash_band2, phash_band3, metadata,
                search_folded, created_at, updated_at)
            SELECT %(unit)s, 'image', 'ready', 'bench ' || i, 'bench ' || i, '', '', '',
                'own', '', 'not_needed', 'library/bench.jpg', 'bench.jpg', 'image/jpeg', 1,
                md5(i::text) || md5(i::text), h,
                ('x' || substr(h, 1, 4))::bit(16)::int, ('x' || substr(h, 5, 4))::bit(16)::int,
                ('x' || substr(h, 9, 4))::bit(16)::int, ('x' || substr(h, 13, 4))::bit(16)::int,
                '{}'::jsonb, '', now(), now()
            FROM (SELECT i, substr(md5('phash' || i::text), 1, 16) AS h
                  FROM generate_series(%(start)s, %(stop)s - 1) AS i) AS rows
            """,
            {"unit": unit_id, "start": start, "stop": stop},
        )
        cursor.execute("ANALYZE media_asset")


def _queries(count: int, rng: random.Random) -> list[str]:
    """Half new random hashes, half existing ones with two bits flipped."""
    from lantoa.media.models import Asset

    known = list(Asset.objects.order_by("?").values_list("phash", flat=True)[: count // 2])
    out = []
    for phash in known:
        value = int(phash, 16) ^ (1 << rng.randrange(64)) ^ (1 << rng.randrange(64))
        out.append(f"{value:016x}")
    out += [f"{rng.getrandbits(64):016x}" for _ in range(count - len(out))]
    return out


def _time(queries: list[str]) -> tuple[list[float], int]:
    from lantoa.media.selectors import near_duplicates

    samples, found = [], 0
    for phash in queries:
        started = time.perf_counter()
        found += bool(near_duplicates(viewer=None, phash=phash))
        samples.append((time.perf_counter() - started) * 1000)
    return samples, found


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def main() -> None:
    from lantoa.orgs.choices import UnitKind
    from lantoa.orgs.models import OrgUnit

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE media_asset CASCADE")
    unit = OrgUnit.objects.filter(code="BENCH-MEDIA").first() or OrgUnit.objects.add_root(
        create_kwargs={"code": "BENCH-MEDIA", "name": "Bench", "kind": UnitKind.NATIONAL}
    )
    rng = random.Random(57)
    _fill(unit.pk, 0, SMALL)
    _time(_queries(20, rng))  # warm the connection and the plan cache first
    small, small_found = _time(_queries(QUERIES, rng))
    started = time.perf_counter()
    _fill(unit.pk, SMALL, LARGE)
    print(f"# media-dedup: {LARGE:,} hash rows in {time.perf_counter() - started:.1f} s")
    large, large_found = _time(_queries(QUERIES, rng))
    print(f"media-dedup-1k-median-ms: {statistics.median(small):.2f}")
    print(f"media-dedup-1k-p95-ms: {_p95(small):.2f}")
    print(f"media-dedup-1m-median-ms: {statistics.median(large):.2f}")
    print(f"media-dedup-1m-p95-ms: {_p95(large):.2f}")
    print(f"media-dedup-found: {small_found}/{QUERIES} at 1k, {large_found}/{QUERIES} at 1m")
    print(f"media-dedup-ratio: {statistics.median(large) / statistics.median(small):.2f}")
