"""Who changed what, when, from where — and who may read it."""

import datetime
import io
import re

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from lantoa.activities.models import Activity
from lantoa.assistant import services as assistant_services
from lantoa.assistant.models import Document, FaqEntry
from lantoa.indicators import services as indicator_services
from lantoa.indicators.models import IndicatorEntry, UnitFact
from lantoa.orgs.audit import acting
from lantoa.orgs.choices import Role
from lantoa.plans import services as plan_services
from lantoa.plans.importer import extract_plan, read_document
from lantoa.plans.models import Plan, Task
from lantoa.reports import services as report_services
from lantoa.reports.models import SubmissionTask
from lantoa.reports.periods import periods_ensure

from .documents import REPORTING_PLAN, SMALL_PLAN


def test_changes_are_recorded_with_actor_and_address(tree, client, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT, username="focal.bombo")
    client.force_login(focal)
    client.post(
        reverse("orgs:edit", args=[tree.vhxh.pk]),
        {"code": "25405-VHXH", "name": "Phòng VH-XH xã Bom Bo", "kind": "office"},
        REMOTE_ADDR="10.1.2.3",
    )
    entry = (
        LogEntry.objects.get_for_object(tree.vhxh)
        .filter(action=LogEntry.Action.UPDATE)
        .latest("timestamp")
    )
    assert entry.actor == focal
    assert entry.remote_addr == "10.1.2.3"
    assert entry.changes_dict["name"] == ["Phòng Văn hóa - Xã hội", "Phòng VH-XH xã Bom Bo"]


def test_membership_changes_are_recorded(tree, client, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    client.force_login(focal)
    client.post(
        reverse("orgs:members", args=[tree.school.pk]), {"username": "gv1", "role": "viewer"}
    )
    assert LogEntry.objects.filter(
        content_type__model="membership", actor=focal, action=LogEntry.Action.CREATE
    ).exists()


def test_audit_page_is_scoped_to_the_subtree(tree, client, make_user):
    admin = make_user(tree.root, Role.ADMINISTRATOR)
    client.force_login(admin)
    client.post(
        reverse("orgs:edit", args=[tree.school.pk]),
        {"code": "25405-THBB", "name": "Trường TH Bom Bo", "kind": "school"},
    )
    client.post(
        reverse("orgs:edit", args=[tree.skhcn.pk]),
        {"code": "20-SKHCN", "name": "Sở KH&CN Lạng Sơn", "kind": "department"},
    )

    client.force_login(make_user(tree.dongnai, Role.FOCAL_POINT))
    page = client.get(reverse("audit")).content.decode()
    assert "Trường TH Bom Bo" in page and "Sở KH&amp;CN Lạng Sơn" not in page

    client.force_login(make_user(tree.langson, Role.FOCAL_POINT))
    page = client.get(reverse("audit")).content.decode()
    assert "Sở KH&amp;CN Lạng Sơn" in page and "Trường TH Bom Bo" not in page


def test_reporters_cannot_read_the_audit_log(tree, client, make_user):
    client.force_login(make_user(tree.bombo, Role.REPORTER))
    assert client.get(reverse("audit")).status_code == 404


def test_passwords_never_reach_the_log(tree, client, make_user):
    user = make_user(tree.bombo)
    user.set_password("Bi-mat-2025!")
    user.save()
    entries = list(LogEntry.objects.all())
    assert entries
    assert all(
        user.password not in str(e.changes) and "password" not in e.changes_dict for e in entries
    )


# Every write through a service that writes its audit row ------------------------------------


def _entries(obj, action=None):
    entries = LogEntry.objects.get_for_object(obj).order_by("timestamp", "pk")
    return list(entries if action is None else entries.filter(action=action))


def _import(unit, text, actor=None, name="k.txt"):
    source = read_document(text.encode(), filename=name)
    return plan_services.plan_import(
        actor=actor, unit=unit, source=source, extracted=extract_plan(source.text), filename=name
    )


@pytest.fixture
def report(tree, make_user):
    """A draft report of the school under the commune's plan, and who acts on it."""
    focal = make_user(tree.bombo, Role.FOCAL_POINT, username="focal.bombo")
    reporter = make_user(tree.school, Role.REPORTER, username="gv.thbb")
    plan = _import(tree.bombo, REPORTING_PLAN)
    period = periods_ensure(plan, 2025)[1]
    draft = report_services.submission_draft(actor=reporter, period=period, unit=tree.school)
    return draft, reporter, focal


def test_report_decisions_are_on_the_record_with_who_and_from_what_to_what(report):
    """Approving, returning and reopening were written with QuerySet.update: no entry at all.
    Called as the API and tasks call them (no web request), each names its actor."""
    draft, reporter, focal = report
    row = draft.task_rows.first()
    saved = report_services.submission_save(
        actor=reporter, submission=draft, version=draft.version, narrative="Đã tập huấn",
        difficulties="", proposals="", tasks={row.task_id: ("done", "Tập huấn 30 người")},
    )  # fmt: skip
    submitted = report_services.submission_submit(
        actor=reporter, submission=saved, version=saved.version
    )
    returned = report_services.submission_return(
        actor=focal, submission=submitted, comment="Thiếu ảnh"
    )
    again = report_services.submission_submit(
        actor=reporter, submission=returned, version=returned.version
    )
    approved = report_services.submission_approve(actor=focal, submission=again)
    report_services.submission_reopen(actor=focal, submission=approved, reason="Sửa số liệu")

    steps = [
        (e.actor.username, e.changes_dict["status"])
        for e in _entries(draft, LogEntry.Action.UPDATE)
        if "status" in e.changes_dict
    ]
    assert steps == [
        ("gv.thbb", ["draft", "submitted"]),
        ("focal.bombo", ["submitted", "returned"]),
        ("gv.thbb", ["returned", "submitted"]),
        ("focal.bombo", ["submitted", "approved"]),
        ("focal.bombo", ["approved", "returned"]),
    ]
    narrative = next(
        e for e in _entries(draft, LogEntry.Action.UPDATE) if "narrative" in e.changes_dict
    )
    assert narrative.changes_dict["narrative"] == ["", "Đã tập huấn"]
    (task_entry,) = _entries(SubmissionTask.objects.get(pk=row.pk), LogEntry.Action.UPDATE)
    assert task_entry.actor == reporter
    assert task_entry.changes_dict["narrative"] == ["", "Tập huấn 30 người"]
    assert task_entry.changes_dict["status"][1] == "done"


def test_plans_tasks_and_targets_are_on_the_record(tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT, username="focal.bombo")
    plan = _import(tree.bombo, SMALL_PLAN, actor=focal)
    created = _entries(plan, LogEntry.Action.CREATE)
    assert created and created[0].actor == focal
    summary = next(e for e in _entries(plan) if e.additional_data.get("summary"))
    assert summary.actor == focal and "3" in summary.additional_data["summary"]

    first, second = plan.tasks.order_by("order")[:2]
    plan_services.plan_edit(
        actor=focal,
        plan=plan,
        header={"number": plan.number, "title": "Kế hoạch đã sửa", "date": plan.issued_on},
        tasks=[
            {"id": first.pk, "text": "Nhiệm vụ đã sửa", "status": "in_progress"},
            {"id": second.pk, "text": second.text, "DELETE": True},
        ],
    )
    (title,) = [e for e in _entries(plan, LogEntry.Action.UPDATE) if "title" in e.changes_dict]
    assert title.actor == focal and title.changes_dict["title"][1] == "Kế hoạch đã sửa"
    (task_change,) = _entries(first, LogEntry.Action.UPDATE)
    assert task_change.actor == focal
    assert task_change.changes_dict["text"] == [first.text, "Nhiệm vụ đã sửa"]
    assert task_change.changes_dict["status"] == ["not_started", "in_progress"]
    deleted = LogEntry.objects.get(
        content_type__model="task", object_pk=str(second.pk), action=LogEntry.Action.DELETE
    )
    assert deleted.actor == focal

    target = plan.targets.first()
    target.value = 90
    with acting(focal):
        target.save()
    assert _entries(target, LogEntry.Action.UPDATE)[0].actor == focal


def test_a_revision_records_the_old_plan_leaving_force(tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    old = _import(tree.bombo, SMALL_PLAN)
    source = read_document(SMALL_PLAN.encode(), filename="k2.txt")
    new = plan_services.plan_import(
        actor=focal, unit=tree.bombo, source=source, extracted=extract_plan(source.text),
        filename="k2.txt", replaces=old,
    )  # fmt: skip
    (replaced,) = [e for e in _entries(old, LogEntry.Action.UPDATE) if "status" in e.changes_dict]
    assert replaced.actor == focal and replaced.changes_dict["status"] == ["active", "replaced"]
    assert f"#{old.pk}" in next(
        e.additional_data["summary"] for e in _entries(new) if e.additional_data.get("summary")
    )


def test_unit_figures_and_typed_values_are_on_the_record(tree, make_user):
    reporter = make_user(tree.school, Role.REPORTER)
    indicator_services.fact_set(actor=reporter, unit=tree.school, key="officials_total", value=40)
    indicator_services.fact_set(actor=reporter, unit=tree.school, key="officials_total", value=45)
    fact = UnitFact.objects.get(unit=tree.school)
    (change,) = _entries(fact, LogEntry.Action.UPDATE)
    assert change.actor == reporter and [float(v) for v in change.changes_dict["value"]] == [40, 45]

    entry = indicator_services.entry_set(
        actor=reporter, unit=tree.school, code="press_sections",
        start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31),
        numerator=12, denominator=40, source="Sổ theo dõi",
    )  # fmt: skip
    assert isinstance(entry, IndicatorEntry)
    (created,) = _entries(entry, LogEntry.Action.CREATE)
    assert created.actor == reporter and created.changes_dict["source"][1] == "Sổ theo dõi"


def test_assistant_documents_faq_answers_are_on_the_record(
    tree, make_user, django_capture_on_commit_callbacks
):
    editor = make_user(tree.bombo, Role.EDITOR)
    faq = assistant_services.faq_create(
        actor=editor, unit=tree.bombo, question="Nộp báo cáo khi nào?", answer="Trước 15/12."
    )
    assert _entries(FaqEntry.objects.get(pk=faq.pk), LogEntry.Action.CREATE)[0].actor == editor
    document = assistant_services.document_upload(
        actor=editor, unit=tree.bombo, name="huong-dan.txt", data="Hướng dẫn báo cáo.".encode()
    )
    entries = _entries(Document.objects.get(pk=document.pk))
    assert entries[0].action == LogEntry.Action.CREATE and entries[0].actor == editor
    assert any("huong-dan" in str(e.changes_dict.get("file")) for e in entries)


def _activity_sheet(rows):
    from openpyxl import load_workbook

    from lantoa.activities.spreadsheets import template_xlsx

    book = load_workbook(io.BytesIO(template_xlsx()))
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_sheet_import_leaves_one_summary_entry_per_unit(tree, client, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    client.force_login(focal)
    row = ["25405-THBB", "meeting", "05/03/2025", "Sinh hoạt chuyên đề", 20, 15]
    rows = [row] * 3 + [["25405-VHXH", "meeting", "06/03/2025", "Hội nghị", 10, 10]]
    client.post(
        reverse("activities:import"), {"file": SimpleUploadedFile("a.xlsx", _activity_sheet(rows))}
    )
    assert Activity.objects.count() == 4
    (school,) = [e for e in _entries(tree.school) if e.additional_data.get("summary")]
    assert school.actor == focal and school.changes_dict["activities"] == ["0", "3"]
    assert "3 hoạt động" in school.additional_data["summary"]
    (office,) = [e for e in _entries(tree.vhxh) if e.additional_data.get("summary")]
    assert office.changes_dict["activities"] == ["0", "1"]


def test_api_writes_name_the_token_holder(tree, api_client, make_user):
    """The audit middleware sees no user on a token request: the service names its actor."""
    reporter = make_user(tree.school, Role.REPORTER)
    api_client.force_authenticate(reporter)
    response = api_client.post(
        reverse("v1:activity-list"),
        {"unit_code": "25405-THBB", "kind": "meeting", "date": "2025-03-05", "title": "Họp"},
        format="json",
    )
    assert response.status_code == 201
    (entry,) = _entries(Activity.objects.get(), LogEntry.Action.CREATE)
    assert entry.actor == reporter


def test_commands_write_as_the_system(tree, tmp_path):
    path = tmp_path / "k.txt"
    path.write_text(SMALL_PLAN, encoding="utf-8")
    call_command("import_plan", str(path), "--unit", "25405", stdout=io.StringIO())
    plan = Plan.objects.get()
    (created,) = _entries(plan, LogEntry.Action.CREATE)
    assert created.actor is None


def test_an_objects_history_is_on_its_page_for_those_who_see_it(tree, client, make_user, report):
    draft, reporter, focal = report
    submitted = report_services.submission_submit(
        actor=reporter, submission=draft, version=draft.version
    )
    report_services.submission_return(actor=focal, submission=submitted, comment="Thiếu ảnh")
    plan = draft.period.plan
    task = Task.objects.filter(plan=plan).first()
    plan_services.plan_edit(
        actor=focal,
        plan=plan,
        header={"number": plan.number, "title": plan.title, "date": plan.issued_on},
        tasks=[{"id": task.pk, "text": "Nhiệm vụ viết lại", "status": task.status}],
    )

    client.force_login(reporter)
    history = reverse("history-submission", args=[draft.pk])
    assert history in client.get(reverse("reports:submission", args=[draft.pk])).content.decode()
    # Loaded when the reader opens it (HTMX), or as a page of its own.
    rows = client.get(history, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in rows
    assert "focal.bombo" in rows and "Đã trả lại để chỉnh sửa" in rows and "Thiếu ảnh" in rows
    assert "None" not in rows, rows[rows.index("None") - 300 : rows.index("None") + 100]
    history = reverse("history-plan", args=[plan.pk])
    assert history in client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    page = client.get(history).content.decode()
    assert "Nhiệm vụ viết lại" in page and "focal.bombo" in page

    client.force_login(make_user(tree.xuanlap, Role.FOCAL_POINT))
    assert client.get(reverse("reports:submission", args=[draft.pk])).status_code == 404
    assert client.get(reverse("history-submission", args=[draft.pk])).status_code == 404
    assert client.get(reverse("history-plan", args=[plan.pk])).status_code == 404


def test_the_activity_pages_title_is_its_title_not_its_history(tree, client, make_user):
    reporter = make_user(tree.school, Role.REPORTER)
    client.force_login(reporter)
    client.post(
        reverse("activities:record"),
        {"unit": tree.school.pk, "kind": "meeting", "date": "2025-03-05", "title": "Họp"},
    )
    page = client.get(reverse("activities:detail", args=[Activity.objects.get().pk]))
    title = re.search(r"<title>(.*?)</title>", page.content.decode(), re.S).group(1)
    assert "<details" not in title and "Họp" in title


def test_audit_rows_name_related_objects_with_one_query_per_model(
    tree, make_user, django_assert_max_num_queries
):
    from lantoa.orgs.selectors import change_rows

    for n in range(6):
        make_user(tree.school, Role.VIEWER, username=f"xem{n}")
    entries = list(
        LogEntry.objects.filter(content_type__model="membership").select_related("content_type")
    )
    assert len(entries) >= 6
    with django_assert_max_num_queries(3):  # one in_bulk per related model, not one per value
        change_rows(entries)
    shown = [row for entry in entries for row in entry.rows]
    assert any(str(tree.school) in (old, new) for _label, old, new in shown), shown
    assert not any(v is not None and "None" in str(v) for _l, *pair in shown for v in pair)
