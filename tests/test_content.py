"""The communication desk: writing, reviewing and publishing items, as editors and approvers
of a commune live it, and the bad input the issue names (a script in the body, a schedule in
the past, publishing without approval, approving one's own item, two editors saving the same
draft): a clear Vietnamese message, nothing half-saved, nothing published."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from lantoa.content import selectors, services
from lantoa.content.choices import ContentKind, ContentStatus, ReviewDecision
from lantoa.content.html import asset_ids, check_body, clean_body, sanitise
from lantoa.content.models import Campaign, Comment, ContentItem, DeskSettings, Review, Revision
from lantoa.media.choices import AssetKind, AssetStatus, Licence
from lantoa.media.models import Asset, Collection
from lantoa.orgs import public_cache
from lantoa.orgs.choices import Role
from lantoa.plans import services as plan_services
from lantoa.plans.choices import AssignmentRole
from lantoa.plans.models import Task, TaskAssignment
from tests.documents import png_bytes

APPROVED = ReviewDecision.APPROVED
RETURNED = ReviewDecision.RETURNED


def _asset(unit, title="Ảnh hội nghị", kind=AssetKind.IMAGE):
    asset = Asset(
        unit=unit,
        kind=kind,
        status=AssetStatus.READY,
        title=title,
        title_folded=title.lower(),
        licence=Licence.OWN,
        original_name="anh.png",
        content_type="image/png",
        size=100,
        sha256="0" * 64,
    )
    asset.file.save("anh.png", ContentFile(png_bytes()), save=False)
    asset.save()
    return asset


@pytest.fixture
def desk(tree, make_user):
    """Bom Bo's editor and two approvers; an editor of Xuân Lập next door."""

    class Desk:
        unit = tree.bombo
        editor = make_user(tree.bombo, Role.EDITOR, full_name="Trần Thị Biên")
        approver = make_user(tree.bombo, Role.APPROVER, full_name="Lê Văn Duyệt")
        approver2 = make_user(tree.bombo, Role.APPROVER, full_name="Phạm Thị Hai")
        neighbour = make_user(tree.xuanlap, Role.EDITOR, full_name="Ngô Văn Bên")

    return Desk


def _item(desk, **extra):
    fields = {
        "kind": ContentKind.NEWS,
        "title": "Xã Bom Bo ra mắt mô hình Bình dân học vụ số",
        "summary": "Tin tóm tắt.",
        "body": "<p>Sáng nay, UBND xã Bom Bo tổ chức lễ ra mắt.</p>",
    }
    fields.update(extra)
    return services.item_create(actor=desk.editor, unit=desk.unit, **fields)


def _approved(desk, **extra):
    item = _item(desk, **extra)
    services.item_submit(actor=desk.editor, item=item)
    services.item_review(actor=desk.approver, item=item, decision=APPROVED)
    item.refresh_from_db()
    return item


def _entries(obj):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk)
    ).order_by("pk")


# -- the body ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "<p>Tin</p><script>alert(1)</script>",
        "<p>Tin</p><SCRIPT src='https://x.example/a.js'></SCRIPT>",
        '<iframe src="https://x.example"></iframe>',
        '<a href="javascript:alert(1)">bấm</a>',
        '<a href="java\tscript:alert(1)">bấm</a>',
    ],
)
def test_a_body_with_a_script_is_refused_with_a_vietnamese_message(body, settings):
    settings.LANGUAGE_CODE = "vi"
    from django.utils import translation

    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        check_body(body)
    assert "script" in refused.value.message_dict["body"][0]
    assert "chưa được lưu" in refused.value.message_dict["body"][0]


@pytest.mark.parametrize(
    "body",
    [
        '<img src="/library/3/r/web/" onerror="alert(1)">',
        '<p onclick="steal()">Tin</p>',
        "<p OnMouseOver=x>Tin</p>",
    ],
)
def test_a_body_with_an_event_handler_is_refused(body):
    from django.utils import translation

    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        check_body(body)
    assert "onclick" in refused.value.message_dict["body"][0]
    assert "xử lý sự kiện" in refused.value.message_dict["body"][0]


def test_an_image_from_outside_the_library_is_refused():
    for body in ('<img src="https://x.example/a.png">', '<img src="data:image/png;base64,AAAA">'):
        with pytest.raises(ValidationError) as refused:
            check_body(body)
        assert "không lấy từ thư viện" in refused.value.message_dict["body"][0]


def test_the_html_of_an_article_is_kept_and_the_rest_unwrapped():
    body = (
        "<h2>Tiêu đề</h2><h3>Mục</h3><h4>Ý</h4><p><strong>đậm</strong> <em>nghiêng</em> "
        "<u>gạch dưới</u> <s>gạch ngang</s><br>dòng mới <span style='color:red'>màu</span></p>"
        '<p><a href="https://bombo.binhphuoc.gov.vn" title="Cổng">cổng</a> '
        '<a href="mailto:vanhoa@bombo.vn">thư</a> <a href="/u/25405/">mục</a></p>'
        "<ul><li>một</li></ul><ol><li>hai</li></ol><blockquote>trích</blockquote>"
        '<figure><img src="/library/7/r/web/" alt="Ảnh" width="800" height="600">'
        "<figcaption>Chú thích</figcaption></figure><hr>"
        '<table><thead><tr><th colspan="2">Chỉ tiêu</th></tr></thead>'
        "<tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
        '<p><a href="/library/9/file/">Tải văn bản</a></p><h1>lớn</h1><div>khối</div>'
    )
    kept = clean_body(body)
    for fragment in (
        "<h2>Tiêu đề</h2>",
        "<h3>Mục</h3>",
        "<h4>Ý</h4>",
        "<strong>đậm</strong>",
        "<em>nghiêng</em>",
        "<u>gạch dưới</u>",
        "<s>gạch ngang</s>",
        "<br>",
        '<a href="https://bombo.binhphuoc.gov.vn" title="Cổng" rel="noopener">cổng</a>',
        '<a href="mailto:vanhoa@bombo.vn" rel="noopener">',
        '<a href="/u/25405/" rel="noopener">',
        "<ul><li>một</li></ul>",
        "<ol><li>hai</li></ol>",
        "<blockquote>trích</blockquote>",
        '<img src="/library/7/r/web/" alt="Ảnh" width="800" height="600">',
        "<figcaption>Chú thích</figcaption>",
        "<hr>",
        '<th colspan="2">Chỉ tiêu</th>',
        "<td>1</td>",
    ):
        assert fragment in kept, fragment
    # Not an article's: unwrapped, the words stay.
    assert "<span" not in kept and "màu" in kept
    assert "<h1>" not in kept and "lớn" in kept
    assert "<div>" not in kept and "khối" in kept
    assert asset_ids(kept) == [7, 9]
    assert sanitise('<a href="ftp://x.example/a">x</a>') == '<a rel="noopener">x</a>'


# -- writing --------------------------------------------------------------------------------------


def test_an_item_is_created_with_its_first_revision_and_a_readable_address(desk, tree):
    item = _item(desk, tags=["chuyển đổi số", "Chuyển Đổi Số", "AI"])
    assert item.status == ContentStatus.DRAFT
    assert item.slug == "xa-bom-bo-ra-mat-mo-hinh-binh-dan-hoc-vu-so"
    assert item.latest_revision.number == 1
    assert item.latest_revision.author == desk.editor
    assert sorted(t.name for t in item.tags.all()) == ["AI", "chuyển đổi số"]
    again = _item(desk)
    assert again.slug == "xa-bom-bo-ra-mat-mo-hinh-binh-dan-hoc-vu-so-2"
    # Another commune may use the same address under its own section.
    other = services.item_create(
        actor=desk.neighbour, unit=tree.xuanlap, kind=ContentKind.NEWS, title=item.title
    )
    assert other.slug == item.slug
    entry = _entries(item).first()
    assert entry.action == LogEntry.Action.CREATE and entry.actor == desk.editor


def test_an_item_is_checked_whole_before_anything_is_written(desk):
    with pytest.raises(ValidationError) as refused:
        services.item_create(
            actor=desk.editor,
            unit=desk.unit,
            kind=ContentKind.DIRECTIVE,
            title=" ",
            body="<p>x</p><script>1</script>",
        )
    errors = refused.value.message_dict
    assert {"title", "body", "document_number", "document_date"} <= set(errors)
    assert not ContentItem.objects.exists() and not Revision.objects.exists()


def test_an_editor_of_another_commune_cannot_write_here(desk):
    with pytest.raises(PermissionDenied):
        services.item_create(actor=desk.neighbour, unit=desk.unit, kind="news", title="Tin")


def test_a_directive_keeps_its_number_and_date(desk):
    item = _item(
        desk,
        kind=ContentKind.DIRECTIVE,
        document_number="12/CT-UBND",
        document_date=datetime.date(2025, 10, 2),
    )
    assert (item.document_number, item.document_date) == ("12/CT-UBND", datetime.date(2025, 10, 2))


def test_a_save_makes_a_revision_and_a_stale_version_is_refused_keeping_nothing(desk):
    item = _item(desk)
    first_version = item.version
    services.item_save(
        actor=desk.editor, item=item, version=first_version, title="Tiêu đề mới", body="<p>A</p>"
    )
    item.refresh_from_db()
    assert item.version == first_version + 1 and item.latest_revision.number == 2
    # A second editor had opened the same draft before that save.
    with pytest.raises(ValidationError) as refused:
        services.item_save(
            actor=desk.approver, item=item, version=first_version, title="Bản khác", body="<p>B</p>"
        )
    assert refused.value.code == "stale"
    assert "Trần Thị Biên" in refused.value.messages[0]
    assert item.revisions.count() == 2
    item.refresh_from_db()
    assert item.title == "Tiêu đề mới"


def test_the_edit_page_refuses_a_stale_save_and_keeps_the_text_typed(desk, client):
    item = _item(desk)
    services.item_save(actor=desk.editor, item=item, version=1, title="Bản của người thứ nhất")
    client.force_login(desk.approver)
    response = client.post(
        reverse("content:item-edit", args=[item.pk]),
        {
            "kind": "news",
            "title": "Bản của người thứ hai",
            "summary": "",
            "body": "<p>Đoạn văn người thứ hai gõ rất dài.</p>",
            "version": "1",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Người khác (Trần Thị Biên) đã lưu bài này" in page
    assert "Bản của người thứ hai" in page
    assert "Đoạn văn người thứ hai gõ rất dài." in page
    assert item.revisions.count() == 2


def test_the_edit_page_refuses_a_script_and_keeps_the_text(desk, client):
    item = _item(desk)
    client.force_login(desk.editor)
    response = client.post(
        reverse("content:item-edit", args=[item.pk]),
        {
            "kind": "news",
            "title": "Tin có mã độc",
            "body": "<p>Nội dung</p><img src=/library/1/r/web/ onerror=alert(1)>",
            "version": str(item.version),
        },
    )
    assert response.status_code == 200
    assert "xử lý sự kiện" in response.content.decode()
    assert "Tin có mã độc" in response.content.decode()
    assert item.revisions.count() == 1


def test_images_come_only_from_a_library_the_unit_may_use(desk, tree):
    own = _asset(desk.unit, "Ảnh của xã")
    province = _asset(tree.dongnai, "Infographic của tỉnh")
    neighbour = _asset(tree.xuanlap, "Ảnh của phường bên")
    with pytest.raises(ValidationError) as refused:
        _item(desk, body=f'<p><img src="/library/{province.pk}/r/web/" alt=""></p>')
    assert "body" in refused.value.message_dict
    shared = Collection.objects.create(unit=tree.dongnai, title="Bộ nhận diện", shared_down=True)
    shared.assets.add(province)
    item = _item(
        desk,
        cover=own,
        body=f'<figure><img src="/library/{province.pk}/r/web/" alt=""></figure>',
    )
    assert set(item.latest_revision.assets.all()) == {own, province}
    with pytest.raises(ValidationError) as refused:
        _item(desk, cover=neighbour)
    assert "cover" in refused.value.message_dict


# -- review -------------------------------------------------------------------------------------


def test_draft_in_review_approved_each_transition_audited(desk):
    item = _item(desk)
    services.item_submit(actor=desk.editor, item=item)
    item.refresh_from_db()
    assert item.status == ContentStatus.IN_REVIEW and item.review_step == 1
    review = services.item_review(actor=desk.approver, item=item, decision=APPROVED, comment="Tốt")
    item.refresh_from_db()
    assert item.status == ContentStatus.APPROVED
    statuses = [
        e.changes_dict.get("status") for e in _entries(item) if "status" in (e.changes_dict or {})
    ]
    assert ["draft", "in_review"] in statuses and ["in_review", "approved"] in statuses
    actors = {e.actor for e in _entries(item)}
    assert {desk.editor, desk.approver} <= actors
    assert _entries(review).get().actor == desk.approver
    assert Comment.objects.get(item=item).text == "Tốt"


def test_returned_needs_a_comment_and_goes_back_to_draft(desk):
    item = _item(desk)
    services.item_submit(actor=desk.editor, item=item)
    with pytest.raises(ValidationError):
        services.item_review(actor=desk.approver, item=item, decision=RETURNED)
    services.item_review(
        actor=desk.approver, item=item, decision=RETURNED, comment="Bổ sung ảnh hội nghị."
    )
    item.refresh_from_db()
    assert item.status == ContentStatus.DRAFT and item.review_step == 0
    assert item.comments.get().text == "Bổ sung ảnh hội nghị."
    assert Review.objects.get(item=item).decision == RETURNED


def test_the_reviewer_is_never_the_author(desk, make_user):
    # An approver writes an item: they may not approve it, another approver may.
    item = services.item_create(actor=desk.approver, unit=desk.unit, kind="news", title="Tin")
    services.item_submit(actor=desk.approver, item=item)
    with pytest.raises(ValidationError) as refused:
        services.item_review(actor=desk.approver, item=item, decision=APPROVED)
    assert refused.value.code == "own"
    item.refresh_from_db()
    assert item.status == ContentStatus.IN_REVIEW and not Review.objects.exists()
    # The author of the latest revision is refused too, even if someone else created it.
    other = _item(desk)
    services.item_save(actor=desk.approver2, item=other, version=other.version, title="Sửa")
    other.refresh_from_db()
    services.item_submit(actor=desk.editor, item=other)
    with pytest.raises(ValidationError):
        services.item_review(actor=desk.approver2, item=other, decision=APPROVED)
    # An editor (not an approver) may not review at all.
    with pytest.raises(PermissionDenied):
        services.item_review(actor=make_user(desk.unit, Role.EDITOR), item=item, decision=APPROVED)
    services.item_review(actor=desk.approver2, item=item, decision=APPROVED)
    item.refresh_from_db()
    assert item.status == ContentStatus.APPROVED


def test_two_review_steps_by_two_different_approvers(desk, tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    services.desk_settings_set(actor=focal, unit=desk.unit, review_steps=2)
    assert DeskSettings.objects.get(unit=desk.unit).review_steps == 2
    with pytest.raises(PermissionDenied):
        services.desk_settings_set(actor=desk.editor, unit=desk.unit, review_steps=1)
    item = _item(desk)
    services.item_submit(actor=desk.editor, item=item)
    services.item_review(actor=desk.approver, item=item, decision=APPROVED)
    item.refresh_from_db()
    assert item.status == ContentStatus.IN_REVIEW and item.review_step == 2
    # Waiting for the second step: not on the first approver's desk, on the second's.
    assert item not in selectors.desk(desk.approver).to_review
    assert item in selectors.desk(desk.approver2).to_review
    with pytest.raises(ValidationError) as refused:
        services.item_review(actor=desk.approver, item=item, decision=APPROVED)
    assert refused.value.code == "same_reviewer"
    services.item_review(actor=desk.approver2, item=item, decision=APPROVED)
    item.refresh_from_db()
    assert item.status == ContentStatus.APPROVED
    assert list(item.reviews.values_list("step", "reviewer")) == [
        (1, desk.approver.pk),
        (2, desk.approver2.pk),
    ]


# -- schedule and publish -------------------------------------------------------------------------


def test_a_schedule_in_the_past_or_an_expiry_before_go_live_is_refused(desk):
    item = _approved(desk)
    now = timezone.now()
    with pytest.raises(ValidationError) as refused:
        services.item_schedule(actor=desk.editor, item=item, go_live_at=now - datetime.timedelta(1))
    assert "go_live_at" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.item_schedule(
            actor=desk.editor,
            item=item,
            go_live_at=now + datetime.timedelta(days=2),
            expire_at=now + datetime.timedelta(days=1),
        )
    assert "expire_at" in refused.value.message_dict
    item.refresh_from_db()
    assert item.status == ContentStatus.APPROVED and item.go_live_at is None


def test_a_scheduled_item_is_due_then_published_then_expires(desk):
    item = _approved(desk)
    now = timezone.now()
    services.item_schedule(
        actor=desk.editor,
        item=item,
        go_live_at=now + datetime.timedelta(hours=1),
        expire_at=now + datetime.timedelta(days=30),
    )
    item.refresh_from_db()
    assert item.status == ContentStatus.SCHEDULED
    assert item in selectors.desk(desk.editor).scheduled
    assert item not in selectors.items_due(now).publish
    later = now + datetime.timedelta(hours=2)
    assert list(selectors.items_due(later).publish) == [item]
    services.item_mark_published(actor=None, item=item, at=later)
    item.refresh_from_db()
    assert item.status == ContentStatus.PUBLISHED
    assert item.live_revision == item.latest_revision
    assert item.first_published_at == later
    assert list(ContentItem.objects.public()) == [item]
    assert list(selectors.items_due(now + datetime.timedelta(days=31)).expire) == [item]
    services.item_mark_unpublished(actor=None, item=item, status=ContentStatus.EXPIRED)
    item.refresh_from_db()
    assert item.status == ContentStatus.EXPIRED and not ContentItem.objects.public().exists()


def test_publishing_without_approval_is_refused_and_nothing_is_published(desk):
    from django.utils import translation

    item = _item(desk)
    for step in (None, "submit"):
        if step:
            services.item_submit(actor=desk.editor, item=item)
        with translation.override("vi"), pytest.raises(ValidationError) as refused:
            services.item_mark_published(actor=desk.editor, item=item)
        assert "chưa được phê duyệt" in refused.value.messages[0]
        item.refresh_from_db()
        assert item.live_revision is None and item.published_at is None
        assert not ContentItem.objects.public().exists()


def test_the_public_keeps_the_approved_revision_while_changes_are_edited_and_reviewed(desk):
    cover = _asset(desk.unit, "Ảnh bìa")
    new_cover = _asset(desk.unit, "Ảnh bìa mới")
    item = _approved(desk, cover=cover, tags=["chuyển đổi số"])
    services.item_mark_published(actor=desk.editor, item=item)
    item.refresh_from_db()
    live = item.live_revision
    services.item_save(
        actor=desk.editor,
        item=item,
        version=item.version,
        title="Tiêu đề chưa duyệt",
        body="<p>Nội dung chưa duyệt</p>",
        cover=new_cover,
        tags=["AI"],
    )
    item.refresh_from_db()
    # Still published, with the approved revision and its cover and tags; the changes in draft.
    assert item.status == ContentStatus.PUBLISHED and item.draft_status == ContentStatus.DRAFT
    assert services.workflow_status(item) == ContentStatus.DRAFT
    public = ContentItem.objects.public().get()
    assert public.live_revision == live and "chưa duyệt" not in public.live_revision.body
    assert public.cover == cover and [t.name for t in public.tags.all()] == ["chuyển đổi số"]
    # The working copy shows the changes to the editor.
    assert services.working_copy(item)["cover"] == new_cover.pk
    services.item_submit(actor=desk.editor, item=item)
    item.refresh_from_db()
    assert item.status == ContentStatus.PUBLISHED and item.draft_status == ContentStatus.IN_REVIEW
    assert item in selectors.desk(desk.approver).to_review
    assert ContentItem.objects.public().get().live_revision == live
    with pytest.raises(ValidationError):  # not approved yet
        services.item_mark_published(actor=desk.editor, item=item)
    services.item_review(actor=desk.approver, item=item, decision=APPROVED)
    item.refresh_from_db()
    assert item.draft_status == ContentStatus.APPROVED
    assert ContentItem.objects.public().get().live_revision == live
    services.item_mark_published(actor=desk.editor, item=item)
    item.refresh_from_db()
    assert item.live_revision.number == 2 and item.draft_status == ""
    assert item.cover == new_cover and [t.name for t in item.tags.all()] == ["AI"]


def test_withdrawing_needs_a_reason_and_bumps_the_public_cache(desk, tree):
    item = _approved(desk)
    services.item_mark_published(actor=desk.editor, item=item)
    before = (public_cache.version(tree.bombo), public_cache.version(tree.dongnai))
    sibling = public_cache.version(tree.xuanlap)
    with pytest.raises(ValidationError):
        services.item_mark_unpublished(actor=desk.editor, item=item, reason="  ")
    services.item_mark_unpublished(
        actor=desk.editor, item=item, status=ContentStatus.WITHDRAWN, reason="Đăng nhầm ảnh"
    )
    item.refresh_from_db()
    assert item.status == ContentStatus.WITHDRAWN and item.unpublished_reason == "Đăng nhầm ảnh"
    assert public_cache.version(tree.bombo) != before[0]
    assert public_cache.version(tree.dongnai) != before[1]
    assert public_cache.version(tree.xuanlap) == sibling
    with pytest.raises(ValidationError):
        services.item_mark_unpublished(actor=desk.editor, item=item, reason="lần nữa")


# -- revisions --------------------------------------------------------------------------------------


def test_revert_copies_an_old_revision_as_a_new_one(desk):
    item = _item(desk)
    services.item_save(actor=desk.editor, item=item, version=1, title="Sai", body="<p>Sai</p>")
    item.refresh_from_db()
    services.item_revert(actor=desk.editor, item=item, revision=item.revisions.get(number=1))
    item.refresh_from_db()
    assert item.latest_revision.number == 3
    assert item.latest_revision.title == "Xã Bom Bo ra mắt mô hình Bình dân học vụ số"
    assert item.latest_revision.body == item.revisions.get(number=1).body
    assert item.title == item.latest_revision.title and item.version == 3


def test_compare_shows_the_words_changed_escaped(desk):
    item = _item(desk, body="<p>Hội nghị tổ chức tại hội trường xã.</p>")
    services.item_save(
        actor=desk.editor,
        item=item,
        version=1,
        title="Xã Bom Bo ra mắt <mô hình> mới",
        body="<p>Hội nghị tổ chức tại nhà văn hóa xã.</p>",
    )
    item.refresh_from_db()
    diff = services.revision_compare(item.revisions.get(number=1), item.latest_revision)
    assert "<del>hội trường</del> <ins>nhà văn hóa</ins>" in diff["body"]
    assert "&lt;mô hình&gt;" in diff["title"] and "<mô" not in diff["title"]


def test_the_review_page_shows_revisions_compare_and_reverts(desk, client):
    item = _item(desk)
    services.item_save(actor=desk.editor, item=item, version=1, title="Bản hai", body="<p>B</p>")
    client.force_login(desk.editor)
    page = client.get(reverse("content:item", args=[item.pk])).content.decode()
    assert "Các phiên bản" in page and "So sánh với bản mới nhất" in page
    assert reverse("history-contentitem", args=[item.pk]) in page
    compare = client.get(reverse("content:item-compare", args=[item.pk]) + "?a=1&b=2")
    assert "<ins>Bản hai</ins>" in compare.content.decode()
    client.post(reverse("content:item-revert", args=[item.pk]), {"revision": "1"})
    item.refresh_from_db()
    assert item.latest_revision.number == 3


# -- pages and scoping ------------------------------------------------------------------------------


def test_the_whole_cycle_through_the_pages(desk, client):
    client.force_login(desk.editor)
    response = client.post(
        reverse("content:item-new"),
        {
            "unit": desk.unit.pk,
            "kind": "article",
            "title": "Bài viết về Bình dân học vụ số",
            "summary": "Tóm tắt",
            "body": "<p>Nội dung <strong>đậm</strong></p>",
            "tags": "chuyển đổi số, AI",
        },
    )
    item = ContentItem.objects.get()
    assert response.status_code == 302 and response.url == reverse("content:item", args=[item.pk])
    client.post(reverse("content:item-submit", args=[item.pk]))
    # The author sees no review form and cannot approve by posting.
    page = client.get(reverse("content:item", args=[item.pk])).content.decode()
    assert 'value="approved"' not in page
    client.post(reverse("content:item-review", args=[item.pk]), {"decision": "approved"})
    item.refresh_from_db()
    assert item.status == ContentStatus.IN_REVIEW
    client.force_login(desk.approver)
    assert "Bài viết về Bình dân học vụ số" in client.get(reverse("content:desk")).content.decode()
    client.post(reverse("content:item-review", args=[item.pk]), {"decision": "approved"})
    item.refresh_from_db()
    assert item.status == ContentStatus.APPROVED
    client.post(reverse("content:item-publish", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == ContentStatus.PUBLISHED
    client.post(reverse("content:item-withdraw", args=[item.pk]), {"reason": "Trùng bài"})
    item.refresh_from_db()
    assert item.status == ContentStatus.WITHDRAWN


def test_publishing_from_the_page_without_approval_says_why(desk, client):
    item = _item(desk)
    client.force_login(desk.editor)
    response = client.post(reverse("content:item-publish", args=[item.pk]), follow=True)
    assert "chưa được phê duyệt" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ContentStatus.DRAFT


def test_a_schedule_in_the_past_from_the_page_says_why(desk, client):
    item = _approved(desk)
    client.force_login(desk.editor)
    response = client.post(
        reverse("content:item-schedule", args=[item.pk]),
        {"go_live_at": "2024-01-01T08:00"},
        follow=True,
    )
    assert "Thời điểm đăng đã qua" in response.content.decode()
    item.refresh_from_db()
    assert item.go_live_at is None


def test_another_communes_editor_gets_404_and_a_viewer_403(desk, client, make_user):
    item = _item(desk)
    client.force_login(desk.neighbour)
    for name in ("content:item", "content:item-edit"):
        assert client.get(reverse(name, args=[item.pk])).status_code == 404
    assert client.post(reverse("content:item-submit", args=[item.pk])).status_code == 404
    client.force_login(make_user(desk.unit, Role.VIEWER))
    assert client.get(reverse("content:item", args=[item.pk])).status_code == 200
    assert client.get(reverse("content:item-edit", args=[item.pk])).status_code == 403
    assert client.post(reverse("content:item-submit", args=[item.pk])).status_code == 403
    item.refresh_from_db()
    assert item.status == ContentStatus.DRAFT


def test_the_desk_lists_tasks_still_lacking_published_content(desk, client, tree):
    plan = plan_services.plan_create(actor=None, unit=tree.bombo, number="9/KH-UBND", title="KH")
    lacking = Task.objects.create(plan=plan, text="Duy trì chuyên mục NQ57 trên cổng", order=0)
    served = Task.objects.create(plan=plan, text="Đăng tin hoạt động chuyển đổi số", order=1)
    for task in (lacking, served):
        TaskAssignment.objects.create(
            task=task, unit=tree.bombo, name="UBND xã", role=AssignmentRole.LEAD
        )
    item = _approved(desk, tasks=[served])
    services.item_mark_published(actor=desk.editor, item=item)
    assert list(selectors.tasks_lacking(desk.editor, tree.bombo)) == [lacking]
    client.force_login(desk.editor)
    page = client.get(reverse("content:desk")).content.decode()
    assert "Duy trì chuyên mục NQ57 trên cổng" in page
    assert "Đăng tin hoạt động chuyển đổi số" not in page.split("Nhiệm vụ kế hoạch")[1]
    assert "Đã đăng trong tháng" in page


def test_the_menu_shows_the_desk_to_editors_only(desk, client, make_user):
    client.force_login(desk.editor)
    assert 'href="/desk/"' in client.get(reverse("home")).content.decode()
    client.force_login(make_user(desk.unit, Role.REPORTER))
    assert 'href="/desk/"' not in client.get(reverse("home")).content.decode()


def test_campaigns_and_review_steps_pages(desk, client, make_user):
    client.force_login(desk.editor)
    response = client.post(
        reverse("content:campaigns"),
        {
            "unit": desk.unit.pk,
            "title": "Ngày hội chuyển đổi số",
            "starts_on": "2025-10-10",
            "ends_on": "2025-10-01",
        },
    )
    assert "Ngày kết thúc chiến dịch trước ngày bắt đầu." in response.content.decode()
    assert not Campaign.objects.exists()
    client.post(
        reverse("content:campaigns"),
        {
            "unit": desk.unit.pk,
            "title": "Ngày hội chuyển đổi số",
            "starts_on": "2025-10-01",
            "ends_on": "2025-10-10",
        },
    )
    assert Campaign.objects.get().title == "Ngày hội chuyển đổi số"
    assert client.get(reverse("content:settings")).status_code == 403
    client.force_login(make_user(desk.unit, Role.ADMINISTRATOR))
    client.post(reverse("content:settings"), {"unit": desk.unit.pk, "review_steps": "2"})
    assert DeskSettings.objects.get(unit=desk.unit).review_steps == 2


# -- the API ---------------------------------------------------------------------------------------


def test_the_api_writes_reviews_and_refuses_as_the_pages_do(desk, api_client):
    api_client.force_authenticate(desk.editor)
    created = api_client.post(
        "/api/v1/content-items/",
        {
            "unit_code": "25405",
            "kind": "news",
            "title": "Tin qua API",
            "body": "<p>Nội dung</p>",
            "tags": ["AI"],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk, version = created.json()["id"], created.json()["version"]
    assert created.json()["workflow_status"] == "draft"
    refused = api_client.post(
        "/api/v1/content-items/",
        {"unit_code": "25405", "kind": "news", "title": "x", "body": "<script>1</script>"},
        format="json",
    )
    assert refused.status_code == 400 and "body" in refused.json()
    saved = api_client.patch(
        f"/api/v1/content-items/{pk}/",
        {"title": "Tin qua API (sửa)", "version": version},
        format="json",
    )
    assert saved.status_code == 200 and saved.json()["revision"] == 2
    assert saved.json()["tags"] == ["AI"]
    stale = api_client.patch(
        f"/api/v1/content-items/{pk}/", {"title": "Cũ", "version": version}, format="json"
    )
    assert stale.status_code == 400
    publish = api_client.post(f"/api/v1/content-items/{pk}/publish/")
    assert publish.status_code == 400
    assert api_client.post(f"/api/v1/content-items/{pk}/submit/").status_code == 200
    own = api_client.post(f"/api/v1/content-items/{pk}/review/", {"decision": "approved"})
    assert own.status_code in (400, 403)
    api_client.force_authenticate(desk.approver)
    reviewed = api_client.post(
        f"/api/v1/content-items/{pk}/review/", {"decision": "approved"}, format="json"
    )
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "approved"
    past = api_client.post(
        f"/api/v1/content-items/{pk}/schedule/",
        {"go_live_at": "2024-01-01T08:00:00+07:00"},
        format="json",
    )
    assert past.status_code == 400 and "go_live_at" in past.json()
    future = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    scheduled = api_client.post(
        f"/api/v1/content-items/{pk}/schedule/", {"go_live_at": future}, format="json"
    )
    assert scheduled.json()["status"] == "scheduled"
    published = api_client.post(f"/api/v1/content-items/{pk}/publish/")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert published.json()["live_revision"] == 2


def test_the_api_is_scoped(desk, api_client):
    item = _item(desk)
    api_client.force_authenticate(desk.neighbour)
    assert api_client.get(f"/api/v1/content-items/{item.pk}/").status_code == 404
    assert api_client.get("/api/v1/content-items/").json()["results"] == []
    assert api_client.post(f"/api/v1/content-items/{item.pk}/submit/").status_code == 404
    created = api_client.post(
        "/api/v1/content-items/",
        {"unit_code": "25405", "kind": "news", "title": "Tin"},
        format="json",
    )
    assert created.status_code == 400  # no such unit in their part of the tree
    api_client.force_authenticate(desk.editor)
    listed = api_client.get("/api/v1/content-items/").json()["results"]
    assert [row["id"] for row in listed] == [item.pk]


def test_the_library_knows_which_assets_an_item_uses_and_which_are_public(desk):
    from lantoa.media.models import AssetUsage

    first = _asset(desk.unit, "Ảnh thứ nhất")
    second = _asset(desk.unit, "Ảnh thứ hai")
    item = _approved(desk, cover=first)
    assert list(AssetUsage.objects.values_list("asset", "owner", "public")) == [
        (first.pk, "content.item", False)
    ]
    services.item_mark_published(actor=desk.editor, item=item)
    assert AssetUsage.objects.get(asset=first).public is True
    # A draft change uses another image: recorded, never public, until it goes live.
    item.refresh_from_db()
    services.item_save(
        actor=desk.editor,
        item=item,
        version=item.version,
        title=item.title,
        body=f'<figure><img src="/library/{second.pk}/r/web/" alt=""></figure>',
        cover=first,
    )
    usage = AssetUsage.objects.get(asset=second)
    assert (usage.owner, usage.public) == ("content.item.draft", False)
    assert AssetUsage.objects.get(asset=first).public is True
    services.item_mark_unpublished(actor=desk.editor, item=item, reason="Gỡ để sửa")
    assert not AssetUsage.objects.filter(public=True).exists()


def test_saving_an_item_in_review_takes_it_back_to_draft_and_an_unchanged_save_does_nothing(
    desk,
):
    item = _item(desk)
    services.item_submit(actor=desk.editor, item=item)
    item.refresh_from_db()
    unchanged = services.item_save(
        actor=desk.editor,
        item=item,
        version=item.version,
        title=item.title,
        summary="Tin tóm tắt.",
        body="<p>Sáng nay, UBND xã Bom Bo tổ chức lễ ra mắt.</p>",
    )
    assert unchanged.status == ContentStatus.IN_REVIEW and item.revisions.count() == 1
    services.item_save(
        actor=desk.editor, item=item, version=item.version, title="Sửa khi đang duyệt"
    )
    item.refresh_from_db()
    assert item.status == ContentStatus.DRAFT and item.review_step == 0
    # The approver cannot approve a text that changed under review.
    with pytest.raises(ValidationError):
        services.item_review(actor=desk.approver, item=item, decision=APPROVED)


def test_approvers_hear_of_an_item_to_review_and_the_author_of_the_decision(desk):
    from lantoa.orgs.models import Notification

    item = _item(desk)
    services.item_submit(actor=desk.editor, item=item)
    notices = Notification.objects.filter(url=reverse("content:item", args=[item.pk]))
    assert {n.user for n in notices} == {desk.approver, desk.approver2}
    assert "đang chờ duyệt" in notices.first().text
    services.item_review(actor=desk.approver, item=item, decision=RETURNED, comment="Thêm ảnh.")
    returned = Notification.objects.get(user=desk.editor)
    assert "bị trả lại" in returned.text and "Thêm ảnh." in returned.text


# -- second reading of issue 11 ---------------------------------------------------------------


@pytest.mark.parametrize("title", ["Embed", "Loại", "Chủ đề"])
def test_an_item_never_takes_an_address_the_public_section_uses(desk, client, title):
    """``/u/<code>/embed/`` (the embeddable block), ``loai/`` and ``chu-de/`` come before an
    item's address: an item titled so gets another address and its public page shows it."""
    item = _approved(desk, title=title)
    services.item_mark_published(actor=desk.editor, item=item)
    assert item.slug not in {"embed", "loai", "chu-de"}
    page = client.get(reverse("section:item", args=[desk.unit.code, item.slug]))
    assert page.status_code == 200
    assert title in page.content.decode()


def test_a_cover_whose_renditions_finish_after_publishing_appears_on_the_cached_page(desk, client):
    """The item page is cached at its first visit, before the library has made the cover's
    renditions; when they are ready the unit's pages (and its province's) are rebuilt."""
    from lantoa.media.tasks import asset_process

    cover = _asset(desk.unit, "Ảnh bìa đang xử lý")
    Asset.objects.filter(pk=cover.pk).update(status=AssetStatus.PROCESSING)
    item = _approved(desk, cover=Asset.objects.get(pk=cover.pk))
    services.item_mark_published(actor=desk.editor, item=item)
    url = reverse("section:item", args=[desk.unit.code, item.slug])
    section = reverse("section:section", args=[desk.unit.code])
    assert f"/{cover.pk}/r/" not in client.get(url).content.decode()
    assert f"/{cover.pk}/r/" not in client.get(section).content.decode()
    asset_process.enqueue(cover.pk)
    assert Asset.objects.get(pk=cover.pk).status == AssetStatus.READY
    shown = client.get(url).content.decode()
    assert f"/{cover.pk}/r/web/" in shown and 'property="og:image"' in shown
    assert f"/{cover.pk}/r/thumb/" in client.get(section).content.decode()


def test_the_desks_picker_is_the_librarys_and_lists_what_the_items_unit_may_use(desk, tree, client):
    """One picker (the library's ``/library/pick/``): the edit page points at it with the
    item's unit; it lists the unit's images and those shared down to it, searched without
    diacritics (tests/test_media.py), never a neighbour's, a video or one whose licence was withdrawn."""
    import re

    own = _asset(desk.unit, "Ảnh lễ ra mắt")
    province = _asset(tree.dongnai, "Infographic của tỉnh")
    Collection.objects.create(unit=tree.dongnai, title="Bộ nhận diện", shared_down=True).assets.add(
        province
    )
    _asset(tree.xuanlap, "Ảnh của phường bên")
    _asset(desk.unit, "Clip lễ ra mắt", kind=AssetKind.VIDEO)
    withdrawn = _asset(desk.unit, "Ảnh hết quyền")
    Asset.objects.filter(pk=withdrawn.pk).update(licence=Licence.WITHDRAWN)
    item = _item(desk)
    client.force_login(desk.editor)
    edit = client.get(reverse("content:item-edit", args=[item.pk])).content.decode()
    urls = set(re.findall(r'data-picker-url="([^"]+)"', edit))
    assert urls == {f"/library/pick/?kind=image&amp;unit={desk.unit.pk}"}
    listed = client.get(urls.pop().replace("&amp;", "&")).content.decode()
    ids = set(map(int, re.findall(r'data-asset-id="(\d+)"', listed)))
    assert ids == {own.pk, province.pk}
    assert client.get("/desk/assets/").status_code == 404


def test_an_approver_approving_their_own_item_on_the_review_page_is_told_why(desk, client):
    from django.utils import translation

    item = services.item_create(actor=desk.approver, unit=desk.unit, kind="news", title="Tin")
    services.item_submit(actor=desk.approver, item=item)
    client.force_login(desk.approver)
    with translation.override("vi"):
        answer = client.post(
            reverse("content:item-review", args=[item.pk]),
            {"decision": APPROVED, "comment": ""},
            HTTP_ACCEPT_LANGUAGE="vi",
            follow=True,
        )
    assert "Bạn là tác giả của bài này" in answer.content.decode()
    item.refresh_from_db()
    assert item.status == ContentStatus.IN_REVIEW and not Review.objects.exists()
    assert not ContentItem.objects.public().exists()


def test_the_api_refuses_an_event_handler_in_the_body_and_keeps_nothing(desk, api_client):
    api_client.force_authenticate(desk.editor)
    refused = api_client.post(
        "/api/v1/content-items/",
        {
            "unit_code": desk.unit.code,
            "kind": ContentKind.NEWS,
            "title": "Tin có mã độc",
            "body": '<p onmouseover="steal()">Tin</p>',
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert refused.status_code == 400 and "body" in refused.json()
    assert not ContentItem.objects.exists() and not Revision.objects.exists()


def test_the_item_page_gives_zalo_the_pictures_size_and_schema_tags(desk, client):
    """A link shared on Zalo (or Facebook) shows the title, summary and cover: the Open Graph
    tags with the picture's type and size, and the itemprop tags Zalo also reads."""
    from lantoa.media.tasks import asset_process

    cover = _asset(desk.unit, "Ảnh lễ ra mắt")
    asset_process.enqueue(cover.pk)
    item = _approved(desk, cover=cover, summary="Xã ra mắt mô hình.")
    services.item_mark_published(actor=desk.editor, item=item)
    page = client.get(reverse("section:item", args=[desk.unit.code, item.slug])).content.decode()
    web = cover.renditions.get(spec="web")
    assert '<meta property="og:image:type" content="image/jpeg">' in page
    assert f'<meta property="og:image:width" content="{web.width}">' in page
    assert f'<meta property="og:image:height" content="{web.height}">' in page
    assert '<meta itemprop="description" content="Xã ra mắt mô hình.">' in page
    assert f"/{cover.pk}/r/web/" in page.split('itemprop="image" content="')[1].split('"')[0]


def test_a_withdrawn_licence_shows_on_the_page_of_the_item_using_it(desk, client):
    """The library's page names the items using a file whose licence was withdrawn; the item's
    own page tells its editors too, where they can replace it."""
    from django.utils import translation

    from lantoa.media import services as media_services
    from lantoa.media.choices import Consent

    cover = _asset(desk.unit, "Ảnh mượn của báo")
    item = _approved(desk, cover=cover)
    services.item_mark_published(actor=desk.editor, item=item)
    client.force_login(desk.editor)
    url = reverse("content:item", args=[item.pk])
    with translation.override("vi"):
        before = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
        media_services.asset_edit(
            actor=desk.editor,
            asset=cover,
            title=cover.title,
            licence=Licence.WITHDRAWN,
            consent=Consent.NOT_NEEDED,
        )
        after = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "đã bị thu hồi" not in before
    assert "Giấy phép sử dụng “Ảnh mượn của báo”" in after and "đã bị thu hồi" in after
    assert reverse("media:detail", args=[cover.pk]) in after


def test_the_desks_list_finds_an_item_typed_without_diacritics(desk, client):
    found = _item(desk, title="Tập huấn kỹ năng số cho hội nông dân")
    other = _item(desk, title="Ra mắt tổ công nghệ số cộng đồng")
    changed = _item(desk, title="Tin cũ")
    services.item_save(
        actor=desk.editor, item=changed, version=changed.version, title="Hội thi Đường lên đỉnh"
    )
    client.force_login(desk.editor)

    def listed(query):
        page = client.get(reverse("content:items"), {"q": query}).content.decode()
        return {
            i.pk for i in (found, other, changed) if reverse("content:item", args=[i.pk]) in page
        }

    assert listed("tap huan ky nang") == {found.pk}
    assert listed("HOI NONG DAN") == {found.pk}
    assert listed("duong len dinh") == {changed.pk}
    assert listed("tin cu") == set()
    assert listed("") == {found.pk, other.pk, changed.pk}
