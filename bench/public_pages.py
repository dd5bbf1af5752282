"""The public NQ57 section under load, through a real server, in a database of its own.

The server and this script share a Redis cache (as production's workers do), so the bench
bumps the versions the server reads. Starts Lantoa's server on 127.0.0.1 (``runserver --insecure --nothreading``: debug off, the
CSP on, one process with its own memory cache and one kept database connection, as a worker
of the production server), fills it with published items across a province's
communes, then measures with plain HTTP requests (a new connection each):
- ``static``: a static file (``app.css``) served by the same server, the baseline;
- the province's section (its communes' items gathered), an item page and the Atom feed,
  from the cache (the same address again) and uncached (the unit's public version bumped
  before each request, as a publish does: the page is built again);
- a conditional request (``If-None-Match``) answered 304.
Prints the p95 of each in milliseconds and its ratio to the static file's p95.
"""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

ITEMS = int(os.environ.get("LANTOA_BENCH_PUBLIC_ITEMS", "5000"))
COMMUNES = 20
REPEAT = int(os.environ.get("LANTOA_BENCH_PUBLIC_REPEAT", "200"))
REDIS = os.environ.get("LANTOA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
CACHE_PREFIX = "lantoa-bench-public"
SRC = Path(__file__).resolve().parents[1] / "src"


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def ensure_items() -> tuple[str, str]:
    """A nation, a province and its communes, ITEMS published items among them: returns the
    province's code and one item's address."""
    from lantoa.content.choices import ContentKind, ContentStatus
    from lantoa.content.models import ContentItem, Revision
    from lantoa.core.text import fold
    from lantoa.media.models import Tag
    from lantoa.orgs.choices import UnitKind
    from lantoa.orgs.models import OrgUnit, User

    province = OrgUnit.objects.filter(code="BENCH-75").first()
    if province is None:
        nation = OrgUnit.objects.add_root(
            create_kwargs={"code": "BENCH-VN", "name": "Quốc gia", "kind": UnitKind.NATIONAL}
        )
        province = OrgUnit.objects.add_child(
            nation,
            create_kwargs={"code": "BENCH-75", "name": "Tỉnh Đồng Nai", "kind": UnitKind.PROVINCE},
        )
        for n in range(COMMUNES):
            province.refresh_from_db()
            OrgUnit.objects.add_child(
                province,
                create_kwargs={
                    "code": f"BENCH-75-{n:02d}",
                    "name": f"Xã Thử Nghiệm {n}",
                    "kind": UnitKind.COMMUNE,
                },
            )
    communes = list(OrgUnit.objects.filter(code__startswith="BENCH-75-").order_by("code"))
    have = ContentItem.objects.filter(unit__in=communes).count()
    if have < ITEMS:
        started = time.perf_counter()
        author, _created = User.objects.get_or_create(username="bench.editor")
        tags = [
            Tag.objects.get_or_create(
                slug=f"bench-{n}", defaults={"name": f"Chủ đề {n}", "name_folded": f"chu de {n}"}
            )[0]
            for n in range(5)
        ]
        now = timezone.now()
        with transaction.atomic():
            items = ContentItem.objects.bulk_create(
                [
                    ContentItem(
                        unit=communes[n % COMMUNES],
                        kind=ContentKind.values[n % len(ContentKind.values)],
                        status=ContentStatus.PUBLISHED,
                        title=f"Tin số {n}: chuyển đổi số ở xã",
                        title_folded=fold(f"Tin số {n}: chuyển đổi số ở xã"),
                        slug=f"tin-so-{n}",
                        created_by=author,
                        published_at=now - timedelta(minutes=n),
                        first_published_at=now - timedelta(minutes=n),
                    )
                    for n in range(have, ITEMS)
                ],
                batch_size=2000,
            )
            Revision.objects.bulk_create(
                [
                    Revision(
                        item=item,
                        number=1,
                        title=item.title,
                        summary="Người dân được hướng dẫn dùng dịch vụ công trực tuyến.",
                        body="<p>Nội dung bài viết về Nghị quyết 57.</p>" * 20,
                        author=author,
                    )
                    for item in items
                ],
                batch_size=2000,
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE content_contentitem AS i SET live_revision_id = r.id, "
                    "latest_revision_id = r.id FROM content_revision AS r "
                    "WHERE r.item_id = i.id AND i.live_revision_id IS NULL"
                )
            Through = ContentItem.tags.through
            Through.objects.bulk_create(
                [
                    Through(contentitem_id=item.pk, tag_id=tags[i % 5].pk)
                    for i, item in enumerate(items)
                ],
                batch_size=5000,
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"# published {ITEMS - have} items in {time.perf_counter() - started:.0f} s")
    item = ContentItem.objects.filter(unit__in=communes).order_by("-published_at").first()
    return province.code, f"/u/{item.unit.code}/{item.slug}/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    env = dict(
        os.environ,
        PYTHONPATH=str(SRC),
        LANTOA_DEBUG="0",
        LANTOA_HTTPS="0",
        LANTOA_CSP="1",
        LANTOA_SECRET_KEY=secrets.token_urlsafe(50),
        LANTOA_ALLOWED_HOSTS="127.0.0.1",
        LANTOA_DATABASE_URL=os.environ["LANTOA_DATABASE_URL"],
        LANTOA_DB_CONN_MAX_AGE="60",
        LANTOA_CACHE_URL=REDIS,
        LANTOA_CACHE_PREFIX=CACHE_PREFIX,
    )
    env.pop("LANTOA_TESTING", None)
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "lantoa",
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
            "--nothreading",
            "--insecure",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _body, _headers = get(port, "/static/lantoa/app.css")
            if status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start")


def get(port: int, path: str, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, body, dict(response.getheaders())
    finally:
        conn.close()


def timed(
    port: int, paths, expect: int = 200, headers: dict | None = None, before=None
) -> list[float]:
    samples = []
    for path in paths:
        if before is not None:
            before()
        started = time.perf_counter()
        status, _body, _headers = get(port, path, headers)
        samples.append((time.perf_counter() - started) * 1000)
        assert status == expect, (path, status)
    return samples


def main() -> None:
    from django.test import override_settings

    shared = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": CACHE_PREFIX,
        }
    }
    with override_settings(CACHES=shared):
        measure()


def measure() -> None:
    from lantoa.orgs import public_cache
    from lantoa.orgs.models import OrgUnit

    province, item = ensure_items()
    commune = OrgUnit.objects.get(code=item.split("/")[2])
    port = free_port()
    server = start_server(port)
    try:
        section = f"/u/{province}/"
        feed = f"/u/{province}/feed.atom"
        timed(port, ["/static/lantoa/app.css"] * 20)  # warm
        for path in (section, item, feed):
            assert get(port, path)[0] == 200, path  # warm: stored in the server's cache
        static = timed(port, ["/static/lantoa/app.css"] * REPEAT)
        base = p95(static)
        print(f"public-static-p95-ms: {base:.2f}  (median {statistics.median(static):.2f})")
        results = {}
        for name, path in (("section", section), ("item", item), ("feed", feed)):
            cached = timed(port, [path] * REPEAT)
            uncached = timed(port, [path] * REPEAT, before=lambda: public_cache.bump(commune))
            results[name] = (p95(cached), p95(uncached))
            print(
                f"# {name} median ms: cached {statistics.median(cached):.2f}, "
                f"uncached {statistics.median(uncached):.2f}"
            )
        etag = get(port, section)[2]["ETag"]
        not_modified = timed(port, [section] * REPEAT, expect=304, headers={"If-None-Match": etag})
        print(
            f"# {ITEMS} published items in {COMMUNES} communes of one province; {REPEAT} requests each"
        )
        for name, (cached, uncached) in results.items():
            print(
                f"public-{name}-cached-p95-ms: {cached:.2f}  ratio-to-static: {cached / base:.2f}"
            )
            print(
                f"public-{name}-uncached-p95-ms: {uncached:.2f}  ratio-to-static: {uncached / base:.2f}"
                f"  (cached is {uncached / cached:.1f}x faster)"
            )
        print(
            f"public-section-304-p95-ms: {p95(not_modified):.2f}  "
            f"ratio-to-static: {p95(not_modified) / base:.2f}"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
