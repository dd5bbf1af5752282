"""Published content is evidence: publishing an item records its activity (counted by the report
drafts without retyping) and puts it in the assistant; withdrawing or expiring it takes both
back; scheduled items go live once; internal documents reach the assistant only through a
second person's review."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lantoa.activities.choices import ActivityKind, ActivityOrigin
from lantoa.activities.models import Activity
from lantoa.assistant import services as assistant_services
from lantoa.assistant.choices import DocumentKind
from lantoa.assistant.models import Document
from lantoa.content import services as content_services
from lantoa.content.choices import ContentKind, ContentStatus, ReviewDecision
from lantoa.content.models import ContentItem
from lantoa.orgs.choices import Role
from lantoa.portal import publishing
from lantoa.reports import services as report_services
from lantoa.reports.periods import periods_ensure

from .documents import REPORTING_PLAN

BODY = (
    "<p>Trường Tiểu học Bom Bo tổ chức lớp tập huấn chữ ký số cho 45 giáo viên tại phòng máy "
    "tính của trường.</p><p>Giảng viên hướng dẫn ký số học bạ điện tử và sổ điểm điện tử trên "
    "cổng quản lý giáo dục của Sở Giáo dục và Đào tạo.</p>"
)
QUESTION = "Lớp tập huấn chữ ký số cho giáo viên tổ chức ở đâu?"


@pytest.fixture
def plan(tree, import_plan_text):
    return import_plan_text(tree.bombo, REPORTING_PLAN)


@pytest.fixture
def desk(tree, make_user):
    return {
        "editor": make_user(tree.school, Role.EDITOR, username="bientap"),
        "approver": make_user(tree.school, Role.APPROVER, username="pheduyet"),
    }


def _approved(desk, unit, *, kind=ContentKind.NEWS, title="Tập huấn chữ ký số cho giáo viên",
              body=BODY, tasks=(), **extra):  # fmt: skip
    item = content_services.item_create(
        actor=desk["editor"], unit=unit, kind=kind, title=title, body=body, tasks=tasks, **extra
    )
    content_services.item_submit(actor=desk["editor"], item=item)
    content_services.item_review(
        actor=desk["approver"], item=item, decision=ReviewDecision.APPROVED
    )
    item.refresh_from_db()
    return item


def _publish(desk, item, capture):
    with capture(execute=True):
        return publishing.item_publish(actor=desk["approver"], item=item)


def _draft_count(period, unit, task) -> int:
    draft = report_services.submission_draft(actor=None, period=period, unit=unit)
    return draft.task_rows.get(task=task).activity_count


def _period_of_today(plan):
    today = timezone.localdate()
    periods = periods_ensure(plan, today.year)
    return next(p for p in periods if p.start <= today <= p.end and p.kind == "annual")


def test_publishing_records_one_activity_counted_by_the_report_draft(
    tree, plan, desk, django_capture_on_commit_callbacks
):
    task = plan.tasks.get(order=2)
    period = _period_of_today(plan)
    assert _draft_count(period, tree.school, task) == 0  # the draft exists before publishing

    item = _approved(desk, tree.school, tasks=[task])
    published = _publish(desk, item, django_capture_on_commit_callbacks)
    assert published.status == ContentStatus.PUBLISHED

    (activity,) = Activity.objects.filter(origin_ref=f"content:{item.pk}")
    assert activity.origin == ActivityOrigin.CONTENT and activity.kind == ActivityKind.ARTICLE
    assert activity.unit == tree.school and list(activity.tasks.all()) == [task]
    assert activity.date == timezone.localdate() and activity.items == 1
    assert activity.title == "Tập huấn chữ ký số cho giáo viên"
    assert f"/u/{tree.school.code}/{item.slug}/" in activity.description
    # The report's draft counts it without anyone typing it: refreshed as the item went live.
    assert _draft_count(period, tree.school, task) == 1

    # The audience reached, typed on the activity's page, survives a republication.
    Activity.objects.filter(pk=activity.pk).update(audience=1200)
    # A new revision approved and published: the same activity, its title updated.
    content_services.item_save(
        actor=desk["editor"], item=published, version=published.version,
        kind=ContentKind.NEWS, title="Tập huấn chữ ký số cho 45 giáo viên", body=BODY,
        tasks=[task],
    )  # fmt: skip
    item.refresh_from_db()
    content_services.item_submit(actor=desk["editor"], item=item)
    content_services.item_review(
        actor=desk["approver"], item=item, decision=ReviewDecision.APPROVED
    )
    _publish(desk, item, django_capture_on_commit_callbacks)
    (again,) = Activity.objects.filter(origin_ref=f"content:{item.pk}")
    assert again.pk == activity.pk and again.title == "Tập huấn chữ ký số cho 45 giáo viên"
    assert (again.items, again.audience) == (1, 1200)
    assert _draft_count(period, tree.school, task) == 1

    # Withdrawn: the activity is withdrawn, the draft no longer counts it.
    item.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        publishing.item_withdraw(actor=desk["approver"], item=item, reason="Sai số liệu")
    again.refresh_from_db()
    assert again.is_withdrawn and "Sai số liệu" in again.withdrawn_reason
    assert _draft_count(period, tree.school, task) == 0
    assert not ContentItem.objects.public().filter(pk=item.pk).exists()

    # Corrected, reviewed and published again: counted again, by one live activity.
    item.refresh_from_db()
    content_services.item_save(
        actor=desk["editor"], item=item, version=item.version, kind=ContentKind.NEWS,
        title="Tập huấn chữ ký số cho 45 giáo viên (đính chính)", body=BODY, tasks=[task],
    )  # fmt: skip
    item.refresh_from_db()
    content_services.item_submit(actor=desk["editor"], item=item)
    content_services.item_review(
        actor=desk["approver"], item=item, decision=ReviewDecision.APPROVED
    )
    _publish(desk, item, django_capture_on_commit_callbacks)
    evidence = Activity.objects.filter(origin_ref=f"content:{item.pk}")
    assert evidence.count() == 2 and evidence.filter(withdrawn_at__isnull=True).count() == 1
    assert _draft_count(period, tree.school, task) == 1


def test_kinds_of_content_map_to_kinds_of_activity():
    assert set(publishing.ACTIVITY_KIND) == set(ContentKind.values)
    assert publishing.ACTIVITY_KIND[ContentKind.NEWSLETTER] == ActivityKind.BULLETIN
    assert all(kind in ActivityKind.values for kind in publishing.ACTIVITY_KIND.values())


def test_the_assistant_answers_from_published_content_only(
    tree, desk, client, django_capture_on_commit_callbacks
):
    # A draft (and an item in review) is not in the corpus.
    draft = content_services.item_create(
        actor=desk["editor"], unit=tree.school, kind=ContentKind.NEWS,
        title="Tập huấn chữ ký số cho giáo viên", body=BODY,
    )  # fmt: skip
    content_services.item_submit(actor=desk["editor"], item=draft)
    reply, _logged = assistant_services.ask(unit=tree.school, question=QUESTION)
    assert not reply.answer or "phòng máy" not in reply.answer

    content_services.item_review(
        actor=desk["approver"], item=draft, decision=ReviewDecision.APPROVED
    )
    _publish(desk, draft, django_capture_on_commit_callbacks)
    document = Document.objects.get(unit=tree.school, name=f"content-{draft.pk}")
    assert document.kind == DocumentKind.CONTENT and document.review == "published"
    assert document.url == f"/u/{tree.school.code}/{draft.slug}/"
    reply, _logged = assistant_services.ask(unit=tree.school, question=QUESTION)
    assert "phòng máy" in reply.answer
    assert reply.citations[0]["document"] == f"content-{draft.pk}"
    # The cited passage leads to the item in the unit's section; so does the documents page.
    passage = client.get(reverse("assistant:passage", args=[reply.citations[0]["passage"]]))
    assert f'href="{document.url}"' in passage.content.decode()
    client.force_login(desk["editor"])
    assert f'href="{document.url}"' in client.get(reverse("assistant:documents")).content.decode()

    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        publishing.item_withdraw(actor=desk["approver"], item=draft, reason="Đăng nhầm")
    assert not Document.objects.filter(name=f"content-{draft.pk}").exists()
    reply, _logged = assistant_services.ask(unit=tree.school, question=QUESTION)
    assert not reply.answer or "phòng máy" not in reply.answer


def test_publishing_without_approval_publishes_nothing(tree, desk):
    item = content_services.item_create(
        actor=desk["editor"], unit=tree.school, kind=ContentKind.NEWS, title="Bản nháp", body=BODY
    )
    with pytest.raises(ValidationError) as refused:
        publishing.item_publish(actor=desk["approver"], item=item)
    assert refused.value.code == "not_approved"
    item.refresh_from_db()
    assert item.status == ContentStatus.DRAFT
    assert not Activity.objects.filter(origin=ActivityOrigin.CONTENT).exists()
    assert not Document.objects.filter(kind=DocumentKind.CONTENT).exists()


def test_a_scheduled_item_goes_live_once_and_an_expired_one_leaves(
    tree, desk, client, django_capture_on_commit_callbacks
):
    item = _approved(desk, tree.school, title="Ngày hội chuyển đổi số của trường")
    section = f"/u/{tree.school.code}/"
    assert "Ngày hội chuyển đổi số" not in client.get(section).content.decode()
    soon = timezone.now() + datetime.timedelta(hours=1)
    content_services.item_schedule(
        actor=desk["approver"],
        item=item,
        go_live_at=soon,
        expire_at=soon + datetime.timedelta(days=2),
    )
    item.refresh_from_db()
    assert item.status == ContentStatus.SCHEDULED
    assert publishing.publish_due() == (0, 0)  # not yet

    later = soon + datetime.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert publishing.publish_due(later) == (1, 0)
        assert publishing.publish_due(later) == (0, 0)  # run twice: published once
    item.refresh_from_db()
    assert item.status == ContentStatus.PUBLISHED
    assert ContentItem.objects.public().filter(pk=item.pk).exists()
    assert Activity.objects.filter(origin_ref=f"content:{item.pk}").count() == 1
    assert Document.objects.filter(name=f"content-{item.pk}").exists()
    assert "Ngày hội chuyển đổi số" in client.get(section).content.decode()
    assert client.get(f"{section}{item.slug}/").status_code == 200

    # Past its expiry: the command (cron's) takes it out of the section and out of the evidence.
    after = (soon + datetime.timedelta(days=2, minutes=1)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_due", "--now", after)
        call_command("publish_due", "--now", after)
    item.refresh_from_db()
    assert item.status == ContentStatus.EXPIRED
    assert not ContentItem.objects.public().filter(pk=item.pk).exists()
    assert Activity.objects.get(origin_ref=f"content:{item.pk}").is_withdrawn
    assert not Document.objects.filter(name=f"content-{item.pk}").exists()
    assert "Ngày hội chuyển đổi số" not in client.get(section).content.decode()
    assert client.get(f"{section}{item.slug}/").status_code == 404


def test_the_scheduled_run_is_a_task_too(tree, desk, django_capture_on_commit_callbacks):
    from lantoa.portal.tasks import publish_due

    item = _approved(desk, tree.school)
    content_services.item_schedule(
        actor=desk["approver"], item=item, go_live_at=timezone.now() + datetime.timedelta(seconds=1)
    )
    ContentItem.objects.filter(pk=item.pk).update(go_live_at=timezone.now())  # the time came
    with django_capture_on_commit_callbacks(execute=True):
        result = publish_due.enqueue()
    assert result.return_value == [1, 0]
    item.refresh_from_db()
    assert item.status == ContentStatus.PUBLISHED


def test_withdrawing_an_item_a_submitted_report_counted_keeps_the_evidence(
    tree, plan, desk, django_capture_on_commit_callbacks
):
    task = plan.tasks.get(order=2)
    period = _period_of_today(plan)
    item = _publish(
        desk, _approved(desk, tree.school, tasks=[task]), django_capture_on_commit_callbacks
    )
    draft = report_services.submission_draft(actor=None, period=period, unit=tree.school)
    report_services.submission_submit(actor=None, submission=draft, version=draft.version)

    with django_capture_on_commit_callbacks(execute=True):
        publishing.item_withdraw(actor=desk["approver"], item=item, reason="Ảnh chưa xin phép")
    item.refresh_from_db()
    # The item is down (and out of the assistant) all the same...
    assert item.status == ContentStatus.WITHDRAWN
    assert not Document.objects.filter(name=f"content-{item.pk}").exists()
    # ...but the report keeps what it counted, and the item's history says why.
    activity = Activity.objects.get(origin_ref=f"content:{item.pk}")
    assert not activity.is_withdrawn
    from auditlog.models import LogEntry

    summaries = " ".join(
        str((e.additional_data or {}).get("summary", ""))
        for e in LogEntry.objects.get_for_object(item)
    )
    assert "mở lại" in summaries or "báo cáo" in summaries


def test_internal_documents_are_public_only_after_a_second_person_approves(tree, desk, make_user):
    """The assistant's upload page keeps its own review: an editor's upload is pending (never
    cited, never answered from) until an approver other than the uploader publishes it."""
    editor = desk["editor"]
    text = "Quy chế sử dụng chữ ký số: giáo viên ký học bạ điện tử tại phòng máy tính số 2."
    document = assistant_services.document_index(
        actor=editor, unit=tree.school, name="quy-che.txt", data=text.encode()
    )
    assert document.review == "pending"
    reply, _logged = assistant_services.ask(unit=tree.school, question="Giáo viên ký học bạ ở đâu?")
    assert not reply.answer or "phòng máy tính số 2" not in reply.answer
    with pytest.raises(PermissionDenied):
        assistant_services.document_publish(
            actor=editor, document=document, checksum=document.checksum
        )
    assistant_services.document_publish(
        actor=desk["approver"], document=document, checksum=document.checksum
    )
    reply, _logged = assistant_services.ask(unit=tree.school, question="Giáo viên ký học bạ ở đâu?")
    assert "phòng máy tính số 2" in reply.answer


def test_a_directive_documents_file_is_indexed_once_published(
    tree, desk, django_capture_on_commit_callbacks
):
    from lantoa.media import services as media_services
    from lantoa.media.choices import Licence

    from .documents import docx_bytes

    signed = media_services.asset_upload(
        actor=desk["editor"],
        unit=tree.school,
        title="Quyết định thành lập tổ công nghệ số",
        name="qd-12.docx",
        licence=Licence.GOVERNMENT,
        data=docx_bytes([
            "QUYẾT ĐỊNH",
            "Về việc thành lập Tổ công nghệ số của Trường Tiểu học Bom Bo",
            "Điều 1. Thành lập Tổ công nghệ số gồm 5 giáo viên, do thầy Điểu Minh làm tổ trưởng.",
        ]),
    )  # fmt: skip
    item = _approved(
        desk, tree.school, kind=ContentKind.DIRECTIVE,
        title="Quyết định thành lập Tổ công nghệ số",
        body=f'<p>Toàn văn quyết định:</p><p><a href="/library/{signed.pk}/file/">Tải về</a></p>',
        document_number="12/QĐ-THBB", document_date=datetime.date(2025, 9, 5),
    )  # fmt: skip
    question = "Ai làm tổ trưởng tổ công nghệ số của trường?"
    reply, _logged = assistant_services.ask(unit=tree.school, question=question)
    assert not reply.answer or "Điểu Minh" not in reply.answer  # approved, not yet published
    _publish(desk, item, django_capture_on_commit_callbacks)
    document = Document.objects.get(name=f"content-{item.pk}")
    assert document.number == "12/QĐ-THBB" and document.issued == "5/9/2025"
    reply, _logged = assistant_services.ask(unit=tree.school, question=question)
    assert "Điểu Minh" in reply.answer


def test_html_text_keeps_paragraphs_and_drops_markup():
    text = assistant_services.html_text(
        "<h2>Tin</h2><p>Một &amp; hai</p><ul><li>ba</li><li>bốn</li></ul><p>năm<br>sáu</p>"
    )
    assert text.splitlines() == ["Tin", "Một & hai", "ba", "bốn", "năm", "sáu"]


def test_the_desk_page_and_the_api_publish_through_the_same_service(
    tree, plan, desk, client, api_client, django_capture_on_commit_callbacks
):
    task = plan.tasks.get(order=2)
    page_item = _approved(desk, tree.school, title="Tin đăng từ trang biên tập", tasks=[task])
    client.force_login(desk["approver"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("content:item-publish", args=[page_item.pk]))
    assert response.status_code == 302
    assert Activity.objects.filter(origin_ref=f"content:{page_item.pk}").count() == 1
    assert Document.objects.filter(name=f"content-{page_item.pk}").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("content:item-withdraw", args=[page_item.pk]), {"reason": "Trùng tin"})
    assert Activity.objects.get(origin_ref=f"content:{page_item.pk}").is_withdrawn
    assert not Document.objects.filter(name=f"content-{page_item.pk}").exists()

    api_item = _approved(desk, tree.school, title="Tin đăng qua API")
    api_client.force_authenticate(desk["approver"])
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(f"/api/v1/content-items/{api_item.pk}/publish/")
    assert response.status_code == 200, response.content
    (activity,) = Activity.objects.filter(origin_ref=f"content:{api_item.pk}")
    assert activity.kind == ActivityKind.ARTICLE and not activity.is_withdrawn
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            f"/api/v1/content-items/{api_item.pk}/withdraw/", {"reason": "Sai ảnh"}, format="json"
        )
    assert response.status_code == 200, response.content
    activity.refresh_from_db()
    assert activity.is_withdrawn
    # Publishing what is not approved: a 400 with the reason, nothing recorded.
    draft = content_services.item_create(
        actor=desk["editor"], unit=tree.school, kind=ContentKind.NEWS, title="Nháp", body=BODY
    )
    response = api_client.post(f"/api/v1/content-items/{draft.pk}/publish/")
    assert response.status_code == 400
    assert not Activity.objects.filter(origin_ref=f"content:{draft.pk}").exists()


@pytest.mark.django_db(transaction=True)
def test_two_scheduled_runs_at_once_publish_once(tree, desk):
    """Cron on two machines at the same minute: on PostgreSQL in two threads (the item's row
    lock makes the second wait, then find it published and skip it); elsewhere one after the
    other."""
    from django.db import connection

    from .test_services import _in_parallel

    item = _approved(desk, tree.school)
    content_services.item_schedule(
        actor=desk["approver"], item=item, go_live_at=timezone.now() + datetime.timedelta(hours=1)
    )
    later = timezone.now() + datetime.timedelta(hours=2)
    calls = [lambda: publishing.publish_due(later), lambda: publishing.publish_due(later)]
    results = _in_parallel(*calls) if connection.vendor == "postgresql" else [c() for c in calls]
    assert sorted(results) == [(0, 0), (1, 0)], results
    assert Activity.objects.filter(origin_ref=f"content:{item.pk}").count() == 1
