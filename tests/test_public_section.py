"""The public NQ57 section: what a citizen reads at /u/, its feeds, sitemap and embed block,
and that it stays fast (cached, conditional, a constant number of queries) and never shows what
is not published."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.text import slugify

from lantoa.content.choices import ContentKind, ContentStatus
from lantoa.content.models import ContentItem, Revision
from lantoa.content.public_views import rendition_url
from lantoa.core.text import fold
from lantoa.media.choices import AssetKind, AssetStatus, Licence
from lantoa.media.models import Asset, Tag
from lantoa.orgs import public_cache
from lantoa.orgs.models import User
from lantoa.plans.models import Plan, Target

ATOM = "{http://www.w3.org/2005/Atom}"
_serial = itertools.count(1)


@pytest.fixture
def author(db):
    return User.objects.create_user("bientap", password="x")


def tag(name: str) -> Tag:
    found, _created = Tag.objects.get_or_create(
        slug=slugify(fold(name)), defaults={"name": name, "name_folded": fold(name)}
    )
    return found


def publish(
    unit,
    author,
    title,
    *,
    summary="",
    body="<p>Nội dung.</p>",
    kind=ContentKind.NEWS,
    tags=(),
    status=ContentStatus.PUBLISHED,
    when=None,
    cover=None,
    bump=True,
):
    """A published item made directly with the models (as the desk's publish service would):
    an item, its first revision, live; the unit's public version bumped."""
    n = next(_serial)
    when = when or timezone.now() - timedelta(minutes=100 - n % 100)
    item = ContentItem.objects.create(
        unit=unit,
        kind=kind,
        status=status,
        title=title,
        title_folded=fold(title),
        slug=f"{slugify(fold(title))[:80]}-{n}",
        created_by=author,
        published_at=when if status == ContentStatus.PUBLISHED else None,
        first_published_at=when if status == ContentStatus.PUBLISHED else None,
        cover=cover,
    )
    revision = Revision.objects.create(
        item=item, number=1, title=title, summary=summary, body=body, author=author
    )
    item.latest_revision = revision
    if status == ContentStatus.PUBLISHED:
        item.live_revision = revision
    item.save()
    item.tags.set(tags)
    if bump:
        public_cache.bump(unit)
    return item


def new_draft(item, author, *, title, body):
    """A newer revision waiting for review: the working copy changes, the live one stays."""
    revision = Revision.objects.create(
        item=item, number=item.revisions.count() + 1, title=title, body=body, author=author
    )
    item.latest_revision = revision
    item.title = title
    item.title_folded = fold(title)
    item.save()
    return revision


def make_cover(unit, author):
    return Asset.objects.create(
        unit=unit,
        kind=AssetKind.IMAGE,
        status=AssetStatus.READY,
        title="Lớp học số ở Bom Bo",
        title_folded=fold("Lớp học số ở Bom Bo"),
        licence=Licence.choices[0][0],
        file=ContentFile(b"\x89PNG\r\n\x1a\n", name="lop-hoc.png"),
        original_name="lop-hoc.png",
        content_type="image/png",
        size=8,
        sha256="0" * 64,
        created_by=author,
    )


def parse_xml(content: bytes):
    """Our own feed or sitemap, read back as a reader would."""
    return ET.fromstring(content)  # noqa: S314 - Lantoa's own output


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# --- the directory -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [("bom bo", "Xã Bom Bo"), ("xuan lap", "Phường Xuân Lập"), ("ĐỒNG NAI", "Tỉnh Đồng Nai")],
)
def test_directory_finds_a_unit_typed_without_diacritics(tree, client, query, expected):
    text = page(client, "/u/", q=query)
    assert expected in text
    assert "/u/25405/" in text or expected != "Xã Bom Bo"
    assert "Tỉnh Lạng Sơn" not in text


def test_directory_lists_the_nation_and_provinces_and_bounds_the_query(tree, client):
    text = page(client, "/u/")
    assert "Tỉnh Đồng Nai" in text and "Tỉnh Lạng Sơn" in text and "/u/BKHCN/" in text
    assert "Xã Bom Bo" not in text  # communes are found by searching
    assert client.get("/u/", {"q": "x" * 5000, "page": "abc"}).status_code == 200
    assert client.get("/u/", {"page": "-1"}).status_code == 200


# --- the section ---------------------------------------------------------------------------------


def test_section_lists_only_published_live_revisions(tree, client, author):
    live = publish(tree.bombo, author, "Bom Bo mở lớp kỹ năng số", summary="Người dân học.")
    new_draft(live, author, title="Tiêu đề nháp bí mật", body="<p>Bản nháp chưa duyệt</p>")
    publish(tree.bombo, author, "Bài đang chờ duyệt", status=ContentStatus.IN_REVIEW)
    publish(tree.bombo, author, "Bài đã gỡ", status=ContentStatus.WITHDRAWN)
    publish(tree.bombo, author, "Bài hết hạn", status=ContentStatus.EXPIRED)
    text = page(client, "/u/25405/")
    assert "Bom Bo mở lớp kỹ năng số" in text and "Người dân học." in text
    for hidden in ("Tiêu đề nháp bí mật", "Bài đang chờ duyệt", "Bài đã gỡ", "Bài hết hạn"):
        assert hidden not in text
    # searching the draft's words finds nothing: the working copy is not what is published
    assert "Bom Bo mở lớp" not in page(client, "/u/25405/", q="nhap bi mat")
    # the item page shows the live revision's text, never the newer draft
    item_page = page(client, f"/u/25405/{live.slug}/")
    assert "Bom Bo mở lớp kỹ năng số" in item_page and "<p>Nội dung.</p>" in item_page
    assert "nháp" not in item_page


def test_search_within_the_section_without_diacritics(tree, client, author):
    publish(tree.bombo, author, "Chuyển đổi số ở thôn Bù Tam")
    publish(tree.bombo, author, "Hội thi sáng tạo kỹ thuật")
    text = page(client, "/u/25405/", q="chuyen doi so")
    assert "Chuyển đổi số ở thôn Bù Tam" in text and "Hội thi sáng tạo" not in text


def test_province_and_nation_gather_their_communes_items(tree, client, author):
    publish(tree.bombo, author, "Tin của xã Bom Bo")
    publish(tree.xuanlap, author, "Tin của phường Xuân Lập")
    publish(tree.langson, author, "Tin của Lạng Sơn")
    province = page(client, "/u/75/")
    assert "Tin của xã Bom Bo" in province and "Tin của phường Xuân Lập" in province
    assert "Tin của Lạng Sơn" not in province
    assert "Xã Bom Bo" in province  # which unit published it, and the communes' sections
    nation = page(client, "/u/BKHCN/")
    assert all(t in nation for t in ("Tin của xã Bom Bo", "Tin của Lạng Sơn"))
    commune = page(client, "/u/25405/")
    assert "Tin của phường Xuân Lập" not in commune


def test_kind_and_tag_pages(tree, client, author):
    digital = tag("Chuyển đổi số")
    publish(tree.bombo, author, "Video hướng dẫn dịch vụ công", kind=ContentKind.VIDEO)
    publish(tree.bombo, author, "Tin chuyển đổi số", tags=[digital])
    by_kind = page(client, "/u/25405/loai/video/")
    assert "Video hướng dẫn dịch vụ công" in by_kind and "Tin chuyển đổi số" not in by_kind
    by_tag = page(client, f"/u/25405/chu-de/{digital.slug}/")
    assert "Tin chuyển đổi số" in by_tag and "Video hướng dẫn" not in by_tag
    assert client.get("/u/25405/loai/khong-co/").status_code == 404
    assert client.get("/u/25405/chu-de/khong-co/").status_code == 404
    assert client.get("/u/KHONG-CO/").status_code == 404
    landing = page(client, "/u/25405/")
    assert f"/u/25405/chu-de/{digital.slug}/" in landing and "/u/25405/loai/video/" in landing


def test_section_shows_the_plan_in_brief_the_assistant_and_the_embed_snippet(tree, client, author):
    plan = Plan.objects.create(
        unit=tree.bombo, number="12/KH-UBND", title="Kế hoạch thực hiện Nghị quyết 57 năm 2025"
    )
    Target.objects.create(plan=plan, text="100% thôn có điểm truy cập Internet công cộng", order=0)
    text = page(client, "/u/25405/")
    assert "12/KH-UBND" in text and "100% thôn có điểm truy cập Internet" in text
    assert 'action="/assistant/25405/?embed=1"' in text and 'name="q"' in text
    assert "Nhúng chuyên mục vào cổng thông tin" in text
    assert "http://testserver/u/25405/embed.js" in text


def test_item_page_has_open_graph_tags_canonical_and_related(tree, client, author):
    cover = make_cover(tree.bombo, author)
    digital = tag("Chuyển đổi số")
    item = publish(
        tree.bombo,
        author,
        "Bom Bo số hóa sổ hộ tịch",
        summary="Toàn bộ sổ hộ tịch được số hóa.",
        tags=[digital],
        cover=cover,
    )
    other = publish(tree.bombo, author, "Bom Bo ra mắt bản đồ số", tags=[digital])
    changing = publish(tree.bombo, author, "Bom Bo tập huấn AI", tags=[digital])
    new_draft(changing, author, title="Tiêu đề mới chưa duyệt", body="<p>Chưa duyệt</p>")
    text = page(client, f"/u/25405/{item.slug}/")
    url = f"http://testserver/u/25405/{item.slug}/"
    assert '<meta property="og:type" content="article">' in text
    assert '<meta property="og:title" content="Bom Bo số hóa sổ hộ tịch">' in text
    assert '<meta property="og:description" content="Toàn bộ sổ hộ tịch được số hóa.">' in text
    assert f'<meta property="og:url" content="{url}">' in text
    assert f'<link rel="canonical" href="{url}">' in text
    image = "http://testserver" + rendition_url(cover.pk, "web")
    assert f'<meta property="og:image" content="{image}">' in text
    assert f'src="{rendition_url(cover.pk, "thumb")}"' in page(client, "/u/25405/")
    # before its renditions are made, a cover is not shown (no broken picture)
    waiting = make_cover(tree.bombo, author)
    Asset.objects.filter(pk=waiting.pk).update(status=AssetStatus.PROCESSING)
    early = publish(tree.bombo, author, "Ảnh chưa xử lý xong", cover=waiting)
    early_page = page(client, f"/u/25405/{early.slug}/")
    assert 'property="og:image"' not in early_page and f"/{waiting.pk}/r/" not in early_page
    # a video's cover is its poster frame (videos have no "web" size)
    clip = make_cover(tree.bombo, author)
    Asset.objects.filter(pk=clip.pk).update(kind=AssetKind.VIDEO)
    video = publish(tree.bombo, author, "Clip Bom Bo", kind=ContentKind.VIDEO, cover=clip)
    poster = "http://testserver" + rendition_url(clip.pk, "poster")
    video_page = page(client, f"/u/25405/{video.slug}/")
    assert f'<meta property="og:image" content="{poster}">' in video_page
    assert "Bom Bo ra mắt bản đồ số" in text and f"/u/25405/{other.slug}/" in text
    # a related item being changed shows its live title, never the draft's
    assert "Bom Bo tập huấn AI" in text and "chưa duyệt" not in text
    assert "Chuyển đổi số" in text


def test_withdrawn_is_gone_and_unpublished_is_missing(tree, client, author):
    withdrawn = publish(tree.bombo, author, "Bài đã gỡ xuống", status=ContentStatus.WITHDRAWN)
    draft = publish(tree.bombo, author, "Bản nháp", status=ContentStatus.DRAFT)
    expired = publish(tree.bombo, author, "Hết hạn", status=ContentStatus.EXPIRED)
    overdue = publish(tree.bombo, author, "Quá hạn chưa gỡ")
    ContentItem.objects.filter(pk=overdue.pk).update(expire_at=timezone.now() - timedelta(hours=1))
    public_cache.bump(tree.bombo)
    gone = client.get(f"/u/25405/{withdrawn.slug}/")
    assert gone.status_code == 410 and "Bài đã gỡ xuống" not in gone.content.decode()
    for item in (draft, expired, overdue):
        assert client.get(f"/u/25405/{item.slug}/").status_code == 404
    assert "Quá hạn chưa gỡ" not in page(client, "/u/25405/")
    # an item is read under its own unit only
    live = publish(tree.bombo, author, "Tin thật")
    assert client.get(f"/u/26104/{live.slug}/").status_code == 404


# --- feeds, sitemap, embed --------------------------------------------------------------------


def test_atom_feed_parses_with_entries_and_absolute_links(tree, client, author):
    first = publish(tree.bombo, author, "Tin thứ nhất", summary="Tóm tắt một")
    second = publish(tree.xuanlap, author, "Tin thứ hai")
    publish(tree.bombo, author, "Nháp", status=ContentStatus.DRAFT)
    response = client.get("/u/75/feed.atom")
    assert response.status_code == 200 and "atom+xml" in response["Content-Type"]
    root = parse_xml(response.content)
    assert "Tỉnh Đồng Nai" in root.find(f"{ATOM}title").text
    entries = root.findall(f"{ATOM}entry")
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert titles == ["Tin thứ hai", "Tin thứ nhất"]  # newest first, the draft absent
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert links == [
        f"http://testserver/u/26104/{second.slug}/",
        f"http://testserver/u/25405/{first.slug}/",
    ]
    self_link = [
        link.get("href") for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"
    ]
    assert self_link == ["http://testserver/u/75/feed.atom"]
    national = parse_xml(client.get("/u/feed.atom").content)
    assert len(national.findall(f"{ATOM}entry")) == 2


def test_rss_feed_parses(tree, client, author):
    item = publish(tree.bombo, author, "Tin RSS", summary="Tóm tắt RSS")
    response = client.get("/u/25405/feed.rss")
    assert response.status_code == 200 and "rss+xml" in response["Content-Type"]
    channel = parse_xml(response.content).find("channel")
    assert "Xã Bom Bo" in channel.find("title").text
    (entry,) = channel.findall("item")
    assert entry.find("title").text == "Tin RSS"
    assert entry.find("link").text == f"http://testserver/u/25405/{item.slug}/"
    assert entry.find("description").text == "Tóm tắt RSS"


def test_sitemap_lists_sections_and_published_items(tree, client, author):
    item = publish(tree.bombo, author, "Tin trong sitemap")
    draft = publish(tree.bombo, author, "Nháp ngoài sitemap", status=ContentStatus.DRAFT)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = [node.text for node in parse_xml(response.content).iter(f"{ns}loc")]
    assert f"http://testserver/u/25405/{item.slug}/" in urls
    assert "http://testserver/u/25405/" in urls and "http://testserver/u/75/" in urls
    assert "http://testserver/u/26104/" not in urls  # a commune with nothing published
    assert not any(draft.slug in url for url in urls)


def test_embed_may_be_framed_and_nothing_else(tree, client, author, settings):
    settings.LANTOA_CSP = True
    publish(tree.bombo, author, "Tin nhúng")
    embed = client.get("/u/25405/embed/")
    assert embed.status_code == 200 and "Tin nhúng" in embed.content.decode()
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert '<base target="_blank">' in embed.content.decode()
    section = client.get("/u/25405/")
    assert section["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in section["Content-Security-Policy"]
    script = client.get("/u/25405/embed.js")
    assert script.status_code == 200 and "javascript" in script["Content-Type"]
    body = script.content.decode()
    assert "http://testserver/u/25405/embed/" in body and "currentScript" in body
    # a second, cached, answer is framable too
    again = client.get("/u/25405/embed/")
    assert (
        "X-Frame-Options" not in again and "frame-ancestors *" in again["Content-Security-Policy"]
    )


# --- speed -----------------------------------------------------------------------------------


def test_second_request_is_served_from_cache_and_a_publish_shows_the_new_item(tree, client, author):
    publish(tree.bombo, author, "Tin đầu tiên")
    first = client.get("/u/75/")
    assert first.status_code == 200
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    assert first["ETag"] and first["Last-Modified"]
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/u/75/")
    assert second.content == first.content
    assert len(queries) == 0, [q["sql"] for q in queries]
    # parameters the page does not read are the same page: no copy, no query
    with CaptureQueriesContext(connection) as queries:
        tracked = client.get("/u/75/", {"utm_source": "zalo", "fbclid": "abc"})
    assert tracked.content == first.content and len(queries) == 0
    assert tracked["ETag"] == first["ETag"]
    publish(tree.bombo, author, "Tin mới đăng")  # the commune's publish bumps the province
    third = client.get("/u/75/")
    assert "Tin mới đăng" in third.content.decode()
    assert third["ETag"] != first["ETag"]


def test_conditional_get_answers_304(tree, client, author):
    publish(tree.bombo, author, "Tin có ETag")
    for url in ("/u/25405/", "/u/25405/feed.atom", "/u/25405/embed/"):
        first = client.get(url)
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again.content == b""
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert since.status_code == 304
    item = publish(tree.bombo, author, "Tin sau")
    assert client.get("/u/25405/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    assert client.get(f"/u/25405/{item.slug}/").status_code == 200


def test_a_withdrawal_changes_last_modified_forward(tree, client, author):
    older = publish(tree.bombo, author, "Tin cũ", when=timezone.now() - timedelta(days=2))
    newer = publish(tree.bombo, author, "Tin mới", when=timezone.now() - timedelta(days=1))
    first = client.get("/u/25405/")
    ContentItem.objects.filter(pk=newer.pk).update(status=ContentStatus.WITHDRAWN)
    public_cache.bump(tree.bombo)
    after = client.get("/u/25405/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert after.status_code == 200 and "Tin mới" not in after.content.decode()
    assert "Tin cũ" in after.content.decode() and older.slug in after.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/u/75/",
        "/u/25405/",
        "/u/25405/loai/news/",
        "/u/75/feed.atom",
        "/u/75/feed.rss",
        "/u/75/embed/",
    ],
)
def test_constant_number_of_queries(tree, client, author, url, django_assert_max_num_queries):
    digital, ai = tag("Chuyển đổi số"), tag("Trí tuệ nhân tạo")
    cover = make_cover(tree.bombo, author)
    Plan.objects.create(unit=tree.bombo, number="1/KH-UBND", title="Kế hoạch")

    def fill(count):
        for n in range(count):
            publish(
                tree.bombo if n % 2 else tree.xuanlap,
                author,
                f"Tin số {n} {next(_serial)}",
                tags=[digital, ai][: n % 3],
                cover=cover if n % 2 else None,
            )

    def queries():
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    fill(3)
    few = queries()
    fill(27)
    many = queries()
    assert many == few
    with django_assert_max_num_queries(12):
        from django.core.cache import cache

        cache.clear()
        client.get(url)


def test_item_page_query_count_does_not_grow(tree, client, author):
    digital = tag("Chuyển đổi số")
    item = publish(tree.bombo, author, "Tin chính", tags=[digital])
    publish(tree.bombo, author, "Tin liên quan đầu", tags=[digital])
    from django.core.cache import cache

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/u/25405/{item.slug}/").status_code == 200
        return len(captured)

    few = count()
    for n in range(20):
        publish(tree.bombo, author, f"Tin liên quan {n}", tags=[digital])
    assert count() == few <= 8


def test_public_pages_need_no_login_and_refuse_writes(tree, client, author):
    item = publish(tree.bombo, author, "Tin công khai")
    for url in ("/u/", "/u/25405/", f"/u/25405/{item.slug}/", "/u/25405/feed.atom"):
        assert client.get(url).status_code == 200
    assert client.post("/u/25405/").status_code == 405


def test_section_pages_through_older_items(tree, client, author):
    for n in range(25):
        publish(tree.bombo, author, f"Tin thứ {n:02d}", when=timezone.now() - timedelta(hours=n))
    first = page(client, "/u/25405/")
    assert "Tin thứ 00" in first and "Tin thứ 19" in first and "Tin thứ 20" not in first
    assert 'href="?page=2"' in first and "Trang 1/2" in first
    second = page(client, "/u/25405/", page="2")
    assert "Tin thứ 24" in second and "Tin thứ 00" not in second
    assert "Tin thứ 24" in page(client, "/u/25405/", page="999999")  # past the end: the last
    found = page(client, "/u/25405/", q="tin thu 2")
    assert "Tin thứ 21" in found and "Tin thứ 13" not in found


def test_a_cached_page_is_kept_per_language(tree, client, author, settings):
    publish(tree.bombo, author, "Tin song ngữ")
    assert "Chuyên mục Nghị quyết 57 của Xã Bom Bo" in page(client, "/u/25405/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/u/25405/")
    assert "NQ57 section of Xã Bom Bo" in english.content.decode()
    assert english["Content-Language"] == "en"
    head = client.head("/u/25405/")
    assert head.status_code == 200 and head["ETag"] == english["ETag"]
