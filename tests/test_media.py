"""The resource library (kho tài nguyên số): uploads checked by size and content before they
are read whole, duplicates recognised (same bytes; the same picture resized and recompressed),
embedded metadata read, renditions made in the background (Pillow, ffmpeg), collections shared
down the tree, usages guarding deletion and public serving, and every page and endpoint kept
inside the viewer's scope. Real pictures, video and audio, made here with Pillow and ffmpeg."""

from __future__ import annotations

import datetime
import io
import random
import struct
import subprocess

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image, ImageDraw, ImageFilter

from lantoa.media import files, selectors, services
from lantoa.media.choices import AssetKind, AssetStatus, Consent, Licence
from lantoa.media.models import Asset, AssetUsage
from lantoa.orgs.choices import Role

pytestmark = pytest.mark.django_db


# --- real files ------------------------------------------------------------------------------


def photo(seed: int, size=(800, 600)) -> Image.Image:
    """A picture with shapes and colours of its own: two seeds give two different pictures."""
    rnd = random.Random(seed)
    image = Image.new("RGB", size, tuple(rnd.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(25):
        x0, y0 = rnd.randrange(size[0]), rnd.randrange(size[1])
        box = (x0, y0, x0 + rnd.randrange(40, 400), y0 + rnd.randrange(40, 300))
        fill = tuple(rnd.randrange(256) for _ in range(3))
        (draw.ellipse if rnd.random() < 0.5 else draw.rectangle)(box, fill=fill)
    return image.filter(ImageFilter.GaussianBlur(2))


def jpeg(image: Image.Image, quality: int = 90, exif: Image.Exif | None = None) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def camera_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x013B] = "Nguyen Van Minh"  # Artist
    exif[0x8298] = "UBND xa Bom Bo"  # Copyright
    exif[0x010E] = "Hoi nghi chuyen doi so"  # ImageDescription
    exif[0x0112] = 6  # Orientation: turned a quarter
    exif.get_ifd(0x8769)[0x9003] = "2025:09:01 08:30:00"  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (11.0, 51.0, 0.0)
    gps[3], gps[4] = "E", (107.0, 6.0, 0.0)
    return exif


def ffmpeg(tmp_path, *args, name: str) -> bytes:
    out = tmp_path / name
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", *args, "-y", str(out)], check=True, timeout=60
    )
    return out.read_bytes()


def small_video(tmp_path) -> bytes:
    return ffmpeg(
        tmp_path,
        "-f", "lavfi", "-i", "testsrc=duration=1:size=160x120:rate=5",
        "-pix_fmt", "yuv420p", "-c:v", "libx264",
        name="clip.mp4",
    )  # fmt: skip


def small_audio(tmp_path) -> bytes:
    return ffmpeg(
        tmp_path, "-f", "lavfi", "-i", "sine=frequency=440:duration=1", name="podcast.mp3"
    )


def upload(actor, unit, data, name="anh.jpg", **fields):
    fields.setdefault("licence", Licence.OWN)
    return services.asset_upload(actor=actor, unit=unit, name=name, data=data, **fields)


@pytest.fixture
def editor(tree, make_user):
    return make_user(tree.bombo, Role.EDITOR, username="bientap.bombo", full_name="Điểu Thị Hoa")


# --- upload: content, size, metadata, duplicates ---------------------------------------------


def test_a_photo_is_added_with_its_embedded_metadata_and_audited(tree, editor):
    asset = upload(editor, tree.bombo, jpeg(photo(1), exif=camera_exif()), name="hoi-nghi.jpg")
    asset.refresh_from_db()
    assert asset.kind == AssetKind.IMAGE and asset.content_type == "image/jpeg"
    assert asset.author == "Nguyen Van Minh"
    assert asset.rights == "UBND xa Bom Bo"
    assert asset.description == "Hoi nghi chuyen doi so"
    assert asset.taken_on == datetime.date(2025, 9, 1)
    assert asset.place == "11.85000, 107.10000"
    assert asset.metadata["exif"]["Artist"] == "Nguyen Van Minh"
    assert (asset.width, asset.height) == (600, 800)  # shown upright
    assert asset.title == "hoi nghi" and asset.status == AssetStatus.PROCESSING
    assert len(asset.phash) == 16 and asset.phash_band0 == int(asset.phash[:4], 16)
    entry = LogEntry.objects.get_for_object(asset).get(action=LogEntry.Action.CREATE)
    assert entry.actor == editor


def iptc_jpeg(records: list[tuple[int, str]]) -> bytes:
    """A JPEG carrying IPTC records in a Photoshop APP13 block, as newsroom software writes."""
    data = b"".join(
        b"\x1c\x02" + bytes([tag]) + struct.pack(">H", len(v.encode())) + v.encode()
        for tag, v in records
    )
    block = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(data))
    block += data + (b"\x00" if len(data) % 2 else b"")
    app13 = b"Photoshop 3.0\x00" + block
    plain = jpeg(photo(30))
    return plain[:2] + b"\xff\xed" + struct.pack(">H", len(app13) + 2) + app13 + plain[2:]


def test_iptc_caption_byline_place_and_keywords_fill_the_empty_fields(tree, editor):
    data = iptc_jpeg(
        [
            (5, "Lễ ra quân Tháng chuyển đổi số"),
            (120, "Cán bộ xã Bom Bo hướng dẫn người dân dùng VNeID"),
            (80, "Trần Thị Lan"),
            (55, "20250901"),
            (90, "Bom Bo"),
            (95, "Đồng Nai"),
            (116, "Báo Đồng Nai"),
            (25, "AI"),
            (25, "chuyển đổi số"),
        ]
    )
    asset = upload(editor, tree.bombo, data, name="IMG_0042.JPG")
    assert asset.title == "Lễ ra quân Tháng chuyển đổi số"
    assert asset.description == "Cán bộ xã Bom Bo hướng dẫn người dân dùng VNeID"
    assert (asset.author, asset.rights) == ("Trần Thị Lan", "Báo Đồng Nai")
    assert asset.place == "Bom Bo, Đồng Nai"
    assert asset.taken_on == datetime.date(2025, 9, 1)
    assert sorted(t.name for t in asset.tags.all()) == ["AI", "chuyển đổi số"]
    assert asset.metadata["iptc"]["By-line"] == "Trần Thị Lan"


def test_what_the_user_typed_wins_over_the_embedded_metadata(tree, editor):
    asset = upload(
        editor,
        tree.bombo,
        jpeg(photo(2), exif=camera_exif()),
        title="Lễ ra quân",
        author="Trần Thị Lan",
        place="Xã Bom Bo",
        tags="Chuyển đổi số, AI",
    )
    assert (asset.title, asset.author, asset.place) == ("Lễ ra quân", "Trần Thị Lan", "Xã Bom Bo")
    assert sorted(t.name for t in asset.tags.all()) == ["AI", "Chuyển đổi số"]


def test_the_same_bytes_are_offered_instead_of_a_second_copy(tree, editor):
    data = jpeg(photo(3))
    first = upload(editor, tree.bombo, data, title="Ảnh gốc")
    with pytest.raises(services.DuplicateAsset) as caught:
        upload(editor, tree.bombo, data, name="ban-sao.jpg", title="Bản sao")
    assert caught.value.existing == first
    assert "Ảnh gốc" in caught.value.messages[0]
    assert Asset.objects.count() == 1


def test_a_resized_recompressed_copy_is_a_possible_duplicate_and_another_picture_is_not(
    tree, editor
):
    original = upload(editor, tree.bombo, jpeg(photo(4), quality=92))
    resized = jpeg(photo(4).resize((480, 360)), quality=55)
    with pytest.raises(services.PossibleDuplicates) as caught:
        upload(editor, tree.bombo, resized, name="nho.jpg")
    assert caught.value.candidates == [original]
    assert Asset.objects.count() == 1
    confirmed = upload(editor, tree.bombo, resized, name="nho.jpg", allow_duplicate=True)
    assert confirmed.pk != original.pk
    different = upload(editor, tree.bombo, jpeg(photo(5)), name="khac.jpg")  # not flagged
    assert selectors.near_duplicates(viewer=editor, phash=different.phash) == [different]


@pytest.mark.parametrize(
    ("content", "found"),
    [
        (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "tài liệu PDF"),
        (b"<!doctype html><html><script>alert(1)</script></html>", "trang web"),
    ],
)
def test_a_mislabeled_upload_is_refused_with_a_clear_message(tree, editor, content, found):
    with pytest.raises(ValidationError) as caught:
        upload(editor, tree.bombo, content, name="anh-hoi-nghi.jpg")
    message = caught.value.message_dict["file"][0]
    assert "anh-hoi-nghi.jpg" in message and found in message
    assert not Asset.objects.exists()


class Untouchable:
    """An upload that records a size and fails the test if more than its head is read."""

    def __init__(self, name, size, head=b""):
        self.name, self.size, self._head = name, size, head
        self.read_past_head = False

    def seek(self, position):
        pass

    def read(self, n=-1):
        if n < 0 or n > files.HEAD_BYTES:
            self.read_past_head = True
            raise AssertionError("read whole")
        return self._head[:n]

    def chunks(self, size=None):
        self.read_past_head = True
        raise AssertionError("read whole")


def test_an_oversized_upload_is_refused_before_it_is_read(tree, editor, settings):
    huge = Untouchable("phong-su.mp4", 10 * 1024**3)
    with pytest.raises(ValidationError) as caught:
        upload(editor, tree.bombo, huge, name="phong-su.mp4")
    assert "MB" in caught.value.message_dict["file"][0] and not huge.read_past_head
    # Within the largest limit but over the picture limit: only the head was read.
    settings.LIBRARY_IMAGE_MAX_BYTES = 1024 * 1024
    head = jpeg(photo(6))[:1000]
    picture = Untouchable("anh.jpg", 3 * 1024 * 1024, head=head)
    with pytest.raises(ValidationError) as caught:
        upload(editor, tree.bombo, picture)
    assert "1 MB" in caught.value.message_dict["file"][0] and not picture.read_past_head
    assert not Asset.objects.exists()


def test_a_decompression_bomb_is_refused_from_its_header(tree, editor):
    bomb = png(Image.new("1", (12_000, 12_000)))  # 144 million pixels in a few kilobytes
    assert len(bomb) < 100_000
    with pytest.raises(ValidationError) as caught:
        upload(editor, tree.bombo, bomb, name="bom.png")
    assert "triệu điểm ảnh" in caught.value.message_dict["file"][0]
    assert not Asset.objects.exists()


def test_a_viewer_cannot_upload(tree, make_user):
    viewer = make_user(tree.bombo, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        upload(viewer, tree.bombo, jpeg(photo(7)))


# --- renditions in the background ------------------------------------------------------------


def test_image_renditions_are_upright_small_and_stripped(
    tree, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        asset = upload(editor, tree.bombo, jpeg(photo(8, (1600, 1200)), exif=camera_exif()))
    asset.refresh_from_db()
    assert asset.status == AssetStatus.READY
    renditions = {r.spec: r for r in asset.renditions.all()}
    assert set(renditions) == {"thumb", "web"}
    with Image.open(renditions["web"].file) as web:
        assert web.size == (960, 1280)  # upright: portrait
        assert not web.getexif()  # author and GPS are not carried into what is published
    with Image.open(renditions["thumb"].file) as thumb:
        assert max(thumb.size) == 320


def test_a_video_gets_its_duration_and_a_poster_frame(
    tree, editor, client, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        asset = upload(editor, tree.bombo, small_video(tmp_path), name="clip.mp4")
    asset.refresh_from_db()
    assert asset.kind == AssetKind.VIDEO and asset.status == AssetStatus.READY
    assert asset.duration == pytest.approx(1.0, abs=0.3)
    assert (asset.width, asset.height) == (160, 120)
    client.force_login(editor)
    url = reverse("media:asset-file", args=[asset.pk])
    part = client.get(url, HTTP_RANGE="bytes=0-99")  # a phone's player starts with a range
    assert part.status_code == 206 and len(part.content) == 100
    assert part["Content-Range"] == f"bytes 0-99/{asset.size}"
    with asset.file.open("rb") as stored:
        assert client.get(url, HTTP_RANGE="bytes=-10").content == stored.read()[-10:]
    poster = asset.renditions.get(spec="poster")
    with Image.open(poster.file) as frame:
        assert frame.size == (160, 120)


def test_audio_gets_its_duration(tree, editor, tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        asset = upload(editor, tree.bombo, small_audio(tmp_path), name="ban-tin.mp3")
    asset.refresh_from_db()
    assert asset.kind == AssetKind.AUDIO and asset.content_type == "audio/mpeg"
    assert asset.status == AssetStatus.READY
    assert asset.duration == pytest.approx(1.0, abs=0.3)


def test_a_video_named_like_a_photo_is_refused(tree, editor, tmp_path):
    with pytest.raises(ValidationError) as caught:
        upload(editor, tree.bombo, small_video(tmp_path), name="anh.jpg")
    assert "video" in caught.value.message_dict["file"][0]


# --- usages, deletion, licences ----------------------------------------------------------------


def test_an_asset_in_use_is_not_deleted(tree, editor, client):
    asset = upload(editor, tree.bombo, jpeg(photo(9)))
    services.usage_set(
        owner="content.item", owner_id=41, assets=[asset], label="Tin: Hội nghị tập huấn"
    )
    with pytest.raises(ValidationError) as caught:
        services.asset_delete(actor=editor, asset=asset)
    assert "Tin: Hội nghị tập huấn" in caught.value.messages[0]
    client.force_login(editor)
    page = client.post(reverse("media:delete", args=[asset.pk]))
    assert "Tin: Hội nghị tập huấn" in page.content.decode()
    assert Asset.objects.live().filter(pk=asset.pk).exists()
    services.usage_clear(owner="content.item", owner_id=41)
    response = client.post(reverse("media:delete", args=[asset.pk]))
    assert response.status_code == 302
    assert client.get(reverse("media:detail", args=[asset.pk])).status_code == 404
    assert LogEntry.objects.get_for_object(asset).filter(actor=editor).count() >= 2


def test_usage_set_replaces_the_owners_set(tree, editor):
    a, b, c = (upload(editor, tree.bombo, jpeg(photo(10 + i))) for i in range(3))
    services.usage_set(owner="content.item", owner_id=7, assets=[a, b], label="Bài A")
    services.usage_set(owner="content.item", owner_id=7, assets=[b, c], label="Bài A (sửa)")
    rows = AssetUsage.objects.filter(owner="content.item", owner_id=7)
    assert {u.asset_id for u in rows} == {b.pk, c.pk}
    assert {u.label for u in rows} == {"Bài A (sửa)"}
    assert services.usage_set_public(owner="content.item", owner_id=7, public=True) == 2
    assert selectors.asset_is_public(b) and not selectors.asset_is_public(a)
    usage_entries = LogEntry.objects.filter(content_type__model="assetusage")
    assert usage_entries.filter(action=LogEntry.Action.CREATE).count() == 3
    assert usage_entries.filter(action=LogEntry.Action.DELETE).count() == 1


def test_a_withdrawn_licence_shows_where_the_asset_is_used(tree, editor, client):
    asset = upload(editor, tree.bombo, jpeg(photo(13)), title="Ảnh mượn")
    services.usage_set(owner="content.item", owner_id=3, assets=[asset], label="Bản tin số 3")
    services.asset_edit(
        actor=editor,
        asset=asset,
        title=asset.title,
        licence=Licence.WITHDRAWN,
        consent=Consent.NOT_NEEDED,
    )
    client.force_login(editor)
    page = client.get(reverse("media:detail", args=[asset.pk])).content.decode()
    assert "giấy phép" in page.lower() and "Bản tin số 3" in page
    listing = client.get(reverse("media:list")).content.decode()
    assert "Ảnh mượn" in listing and "thu hồi" in listing
    with pytest.raises(ValidationError):  # no new use
        services.usage_set(owner="content.item", owner_id=4, assets=[asset])


# --- sharing down the tree, scoping, serving ----------------------------------------------------


def test_a_province_collection_shared_down_reaches_its_communes_only(tree, make_user, client):
    province_editor = make_user(tree.dongnai, Role.EDITOR)
    infographic = upload(
        province_editor,
        tree.dongnai,
        png(photo(14)),
        name="infographic.png",
        title="Infographic NQ57",
    )
    kept = upload(province_editor, tree.dongnai, jpeg(photo(15)), title="Ảnh nội bộ tỉnh")
    collection = services.collection_create(
        actor=province_editor, unit=tree.dongnai, title="Infographic dùng chung", shared_down=True
    )
    services.collection_add(actor=province_editor, collection=collection, assets=[infographic])
    commune_editor = make_user(tree.bombo, Role.EDITOR)
    sibling_editor = make_user(tree.skhcn, Role.EDITOR)  # Lạng Sơn
    assert list(selectors.assets_visible(commune_editor)) == [infographic]
    assert list(selectors.assets_usable(commune_editor, tree.bombo).filter(pk=infographic.pk)) == []
    assert not selectors.assets_visible(sibling_editor).exists()
    client.force_login(commune_editor)
    assert client.get(reverse("media:detail", args=[infographic.pk])).status_code == 200
    assert client.get(reverse("media:detail", args=[kept.pk])).status_code == 404
    assert client.get(reverse("media:edit", args=[infographic.pk])).status_code == 403
    assert client.get(reverse("media:collection", args=[collection.pk])).status_code == 200
    client.force_login(sibling_editor)
    assert client.get(reverse("media:detail", args=[infographic.pk])).status_code == 404
    assert client.get(reverse("media:collection", args=[collection.pk])).status_code == 404
    services.collection_edit(
        actor=province_editor, collection=collection, title=collection.title, shared_down=False
    )
    assert not selectors.assets_visible(commune_editor).exists()


def test_the_picker_lists_usable_assets_with_their_addresses(
    tree, make_user, client, django_capture_on_commit_callbacks
):
    province_editor = make_user(tree.dongnai, Role.EDITOR)
    with django_capture_on_commit_callbacks(execute=True):
        shared = upload(province_editor, tree.dongnai, jpeg(photo(16)), title="Bản đồ số")
    collection = services.collection_create(
        actor=province_editor, unit=tree.dongnai, title="Chung", shared_down=True
    )
    services.collection_add(actor=province_editor, collection=collection, assets=[shared])
    commune_editor = make_user(tree.bombo, Role.EDITOR)
    client.force_login(commune_editor)
    fragment = client.get(
        reverse("media:pick"), {"q": "ban do", "unit": tree.bombo.pk, "kind": "image"}
    ).content.decode()
    assert f'data-asset-id="{shared.pk}"' in fragment
    assert reverse("media:asset-rendition", args=[shared.pk, "thumb"]) in fragment
    assert reverse("media:asset-rendition", args=[shared.pk, "web"]) in fragment
    assert "Bản đồ số" not in client.get(reverse("media:pick"), {"q": "hoa sen"}).content.decode()
    assert client.get(reverse("media:pick"), {"unit": "abc"}).status_code == 400
    assert client.get(reverse("media:pick"), {"unit": tree.xuanlap.pk}).status_code == 404


def test_files_are_public_only_once_a_usage_is(
    tree, editor, client, make_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        asset = upload(editor, tree.bombo, jpeg(photo(17)))
    file_url = reverse("media:asset-file", args=[asset.pk])
    thumb_url = reverse("media:asset-rendition", args=[asset.pk, "thumb"])
    assert client.get(file_url).status_code == 404  # anonymous
    assert client.get(thumb_url).status_code == 404
    client.force_login(make_user(tree.xuanlap, Role.ADMINISTRATOR))
    assert client.get(file_url).status_code == 404  # another commune's staff
    client.force_login(editor)
    staff = client.get(file_url)
    assert staff.status_code == 200 and staff["Cache-Control"].startswith("private")
    client.logout()
    services.usage_set(owner="content.item", owner_id=5, assets=[asset], label="Bài nháp")
    assert client.get(file_url).status_code == 404  # used by a draft: still private
    services.usage_set_public(owner="content.item", owner_id=5, public=True)
    served = client.get(file_url)
    assert served.status_code == 200 and b"".join(served.streaming_content)[:3] == b"\xff\xd8\xff"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]
    assert served["Cache-Control"].startswith("public")
    assert "inline" in served["Content-Disposition"]
    again = client.get(file_url, HTTP_IF_NONE_MATCH=served["ETag"])
    assert again.status_code == 304
    thumb = client.get(thumb_url)
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert client.get(reverse("media:asset-rendition", args=[asset.pk, "huge"])).status_code == 404
    services.usage_set_public(owner="content.item", owner_id=5, public=False)
    assert client.get(file_url).status_code == 404


def test_a_document_is_served_as_an_attachment(tree, editor, client):
    from tests.documents import docx_bytes

    client.force_login(editor)
    posted = client.post(
        reverse("media:upload"),
        {
            "unit": tree.bombo.pk,
            "file": SimpleUploadedFile("ke-hoach.docx", docx_bytes(["Kế hoạch truyền thông"])),
            "licence": Licence.OWN,
            "consent": Consent.NOT_NEEDED,
        },
    )
    asset = Asset.objects.get()
    assert posted.status_code == 302 and posted["Location"].endswith(f"/library/{asset.pk}/")
    assert asset.kind == AssetKind.DOCUMENT and asset.status == AssetStatus.READY
    assert asset.title == "ke hoach" and asset.content_type.endswith("wordprocessingml.document")
    response = client.get(reverse("media:asset-file", args=[asset.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]


def test_a_pdf_gets_a_preview_of_its_first_page(
    tree, editor, client, django_capture_on_commit_callbacks
):
    from tests.documents import text_pdf_bytes

    data = text_pdf_bytes(["KE HOACH TRUYEN THONG NGHI QUYET 57", "Xa Bom Bo, nam 2025"])
    with django_capture_on_commit_callbacks(execute=True):
        asset = upload(editor, tree.bombo, data, name="ke-hoach.pdf", title="Kế hoạch 57")
    asset.refresh_from_db()
    assert asset.kind == AssetKind.DOCUMENT and asset.status == AssetStatus.READY
    with Image.open(asset.renditions.get(spec="thumb").file) as page:
        assert max(page.size) == 320
    client.force_login(editor)
    response = client.get(reverse("media:asset-file", args=[asset.pk]))
    assert "attachment" in response["Content-Disposition"]


# --- search and facets ---------------------------------------------------------------------------


def test_search_without_diacritics_and_facets(tree, editor, client):
    upload(editor, tree.bombo, jpeg(photo(18)), title="Hội nghị chuyển đổi số", tags="Nông thôn")
    upload(editor, tree.bombo, jpeg(photo(19)), title="Lễ ra quân", tags="Trí tuệ nhân tạo")
    upload(editor, tree.vhxh, png(photo(20)), title="Sơ đồ dịch vụ công", tags="Trí tuệ nhân tạo")
    client.force_login(editor)
    found = client.get(reverse("media:list"), {"q": "chuyen doi so"}).content.decode()
    assert "Hội nghị chuyển đổi số" in found and "Lễ ra quân" not in found
    by_tag = client.get(reverse("media:list"), {"q": "tri tue"}).content.decode()
    assert "Lễ ra quân" in by_tag and "Sơ đồ dịch vụ công" in by_tag
    assets, _ = selectors.asset_search(viewer=editor, params={})
    facets = selectors.asset_facets(assets)
    assert [(k, str(label), n) for k, label, n in facets.kinds] == [("image", "Hình ảnh", 3)]
    assert {(u.name, n) for u, n in facets.units} == {(tree.bombo.name, 2), (tree.vhxh.name, 1)}
    assert ("Trí tuệ nhân tạo", 2) in {(t.name, n) for t, n in facets.tags}
    month = facets.months[0][0].strftime("%Y-%m")
    assert client.get(reverse("media:list"), {"month": month, "unit": "abc"}).status_code == 400
    assert client.get(reverse("media:list"), {"month": "2025-99", "kind": "x"}).status_code == 200


# --- pages and API -------------------------------------------------------------------------------


def test_the_upload_page_offers_the_existing_asset(tree, editor, client):
    data = jpeg(photo(21))
    existing = upload(editor, tree.bombo, data, title="Đã có trong kho")
    client.force_login(editor)
    response = client.post(
        reverse("media:upload"),
        {
            "unit": tree.bombo.pk,
            "file": SimpleUploadedFile("lan-hai.jpg", data, content_type="image/jpeg"),
            "licence": Licence.OWN,
            "consent": Consent.NOT_NEEDED,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Đã có trong kho" in page and reverse("media:detail", args=[existing.pk]) in page
    assert Asset.objects.count() == 1


def test_the_upload_page_asks_to_confirm_a_similar_picture(tree, editor, client):
    upload(editor, tree.bombo, jpeg(photo(22)), title="Ảnh lớn")
    client.force_login(editor)
    small = jpeg(photo(22).resize((400, 300)), quality=60)
    fields = {"unit": tree.bombo.pk, "licence": Licence.OWN, "consent": Consent.NOT_NEEDED}
    first = client.post(
        reverse("media:upload"), {**fields, "file": SimpleUploadedFile("nho.jpg", small)}
    )
    assert "Ảnh lớn" in first.content.decode() and Asset.objects.count() == 1
    confirmed = client.post(
        reverse("media:upload"),
        {**fields, "file": SimpleUploadedFile("nho.jpg", small), "confirm_different": "on"},
    )
    assert confirmed.status_code == 302 and Asset.objects.count() == 2


def test_the_library_is_in_the_menu_of_editors_only(tree, editor, client, make_user):
    client.force_login(editor)
    assert reverse("media:list") in client.get(reverse("home")).content.decode()
    client.force_login(make_user(tree.bombo, Role.REPORTER))
    assert reverse("media:list") not in client.get(reverse("home")).content.decode()


def test_api_lists_searches_and_uploads(tree, editor, api_client, make_user):
    api_client.force_authenticate(editor)
    data = jpeg(photo(23))
    created = api_client.post(
        "/api/v1/assets/",
        {
            "unit_code": tree.bombo.code,
            "file": SimpleUploadedFile("le-ra-quan.jpg", data),
            "title": "Lễ ra quân",
            "licence": Licence.OWN,
        },
        format="multipart",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["kind"] == "image" and body["file_url"] == f"/library/{body['id']}/file/"
    again = api_client.post(
        "/api/v1/assets/",
        {"unit_code": tree.bombo.code, "file": SimpleUploadedFile("x.jpg", data), "licence": "own"},
        format="multipart",
    )
    assert again.status_code == 409 and again.json()["existing"]["id"] == body["id"]
    listed = api_client.get("/api/v1/assets/", {"q": "le ra quan"}).json()["results"]
    assert [a["id"] for a in listed] == [body["id"]]
    api_client.force_authenticate(make_user(tree.xuanlap, Role.EDITOR))
    assert api_client.get("/api/v1/assets/").json()["results"] == []
    assert api_client.get(f"/api/v1/assets/{body['id']}/").status_code == 404
    assert api_client.get("/api/v1/assets/", {"unit": "abc"}).status_code == 400


def test_the_upload_page_refuses_a_mislabeled_or_oversized_file_in_vietnamese(
    tree, editor, client, settings
):
    """Through the page: a PDF named like a photo, and a photo over the picture limit, each
    answered on the form in Vietnamese; nothing is kept."""
    settings.LIBRARY_IMAGE_MAX_BYTES = 1024
    client.force_login(editor)
    fields = {"unit": tree.bombo.pk, "licence": Licence.OWN, "consent": Consent.NOT_NEEDED}
    pdf = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    with translation.override("vi"):
        mislabeled = client.post(
            reverse("media:upload"),
            {**fields, "file": SimpleUploadedFile("anh-hoi-nghi.jpg", pdf, "image/jpeg")},
            HTTP_ACCEPT_LANGUAGE="vi",
        )
        oversized = client.post(
            reverse("media:upload"),
            {**fields, "file": SimpleUploadedFile("anh-lon.jpg", jpeg(photo(7)), "image/jpeg")},
            HTTP_ACCEPT_LANGUAGE="vi",
        )
    assert mislabeled.status_code == 200
    assert "nội dung thực tế là một tài liệu PDF" in mislabeled.content.decode()
    assert oversized.status_code == 200
    assert "dung lượng tối đa thư viện chấp nhận" in oversized.content.decode()
    assert not Asset.objects.exists()
