"""The reporting cycle: periods, drafts from evidence, submit, return, approve, reopen, consolidate."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lantoa.activities.services import activity_record
from lantoa.indicators.services import fact_set
from lantoa.orgs.choices import Role
from lantoa.plans import services as plan_services
from lantoa.reports import services
from lantoa.reports.models import Submission
from lantoa.reports.periods import periods_ensure, reporting_units

from .documents import REPORTING_PLAN


@pytest.fixture
def plan(tree, import_plan_text):
    return import_plan_text(tree.bombo, REPORTING_PLAN)


@pytest.fixture
def period(plan):
    first, second = periods_ensure(plan, 2025)
    assert (first.kind, first.start, first.end, first.deadline) == (
        "semiannual",
        datetime.date(2025, 1, 1),
        datetime.date(2025, 6, 30),
        datetime.date(2025, 6, 15),
    )
    assert (second.kind, second.end, second.deadline) == (
        "annual",
        datetime.date(2025, 12, 31),
        datetime.date(2025, 12, 15),
    )
    return second


def test_who_reports(tree, plan):
    assert {u.code for u in reporting_units(plan)} == {
        "25405-VHXH",
        "25405-THBB",
    }  # named office + the schools


def test_a_plan_without_a_schedule_follows_its_parent(tree, plan):
    child = plan_services.plan_create(
        actor=None,
        unit=tree.school,
        number="2/KH-THBB",
        title="Kế hoạch trường",
        references=["12/KH-UBND"],
    )
    assert [p.deadline.month for p in periods_ensure(child, 2026)] == [6, 12]


def test_draft_from_evidence_then_the_whole_cycle(tree, plan, period, make_user):
    reporter = make_user(tree.school, Role.REPORTER)
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    fact_set(actor=reporter, unit=tree.school, key="officials_total", value=40)
    task = plan.tasks.get(order=2)
    activity_record(actor=reporter, unit=tree.school, kind="training", date=datetime.date(2025, 10, 3), title="Tập huấn",
                    counts={"participants": 30, "officials": 30, "staff_trained": 2}, tasks=[task])  # fmt: skip

    draft = services.submission_draft(actor=reporter, period=period, unit=tree.school)
    values = {row.code: row for row in draft.indicator_rows.all()}
    assert values["officials_informed"].value == 75  # 30 of 40
    assert values["training_programs"].value == 1
    rows = {row.task_id: row for row in draft.task_rows.all()}
    assert rows[task.pk].status == "in_progress" and rows[task.pk].activity_count == 1
    once = plan.tasks.get(order=1)  # due 2025, not done by the year's end
    assert rows[once.pk].status == "overdue"

    # Two people editing the same draft: the second, stale save is refused, not merged silently.
    services.submission_save(
        actor=reporter,
        submission=draft,
        version=1,
        narrative="Đã tập huấn",
        difficulties="",
        proposals="",
    )
    with pytest.raises(ValidationError) as conflict:
        services.submission_save(
            actor=reporter,
            submission=draft,
            version=1,
            narrative="Bản khác",
            difficulties="",
            proposals="",
        )
    assert conflict.value.code == "conflict"
    draft.refresh_from_db()
    assert draft.narrative == "Đã tập huấn"

    submitted = services.submission_submit(actor=reporter, submission=draft, version=draft.version)
    assert submitted.status == "submitted" and submitted.on_time is not None
    with pytest.raises(ValidationError):
        services.submission_save(
            actor=reporter,
            submission=submitted,
            version=submitted.version,
            narrative="x",
            difficulties="",
            proposals="",
        )
    with pytest.raises(PermissionDenied):
        services.submission_approve(actor=reporter, submission=submitted)

    returned = services.submission_return(
        actor=focal, submission=submitted, comment="", task_comments={task.pk: "Bổ sung ảnh"}
    )
    assert returned.status == "returned" and returned.comments.get().task == task
    fixed = services.submission_save(
        actor=reporter, submission=returned, version=returned.version, narrative="Đã bổ sung", difficulties="", proposals="",
        tasks={task.pk: ("done", "Đã tập huấn 30 người")},
    )  # fmt: skip
    resubmitted = services.submission_submit(
        actor=reporter, submission=fixed, version=fixed.version
    )
    approved = services.submission_approve(actor=focal, submission=resubmitted)
    assert approved.status == "approved" and approved.is_locked
    with pytest.raises(ValidationError):
        services.submission_reopen(actor=focal, submission=approved, reason=" ")
    reopened = services.submission_reopen(actor=focal, submission=approved, reason="Sửa số liệu")
    assert reopened.status == "returned" and "Sửa số liệu" in reopened.comments.last().text


def test_consolidation_counts_completeness_and_timeliness(tree, plan, period, make_user):
    reporter = make_user(tree.school, Role.REPORTER)
    draft = services.submission_draft(actor=reporter, period=period, unit=tree.school)
    services.submission_submit(actor=reporter, submission=draft, version=draft.version)
    Submission.objects.filter(pk=draft.pk).update(
        submitted_at=datetime.datetime(2025, 12, 20, tzinfo=datetime.UTC)
    )
    summary = services.consolidation(period=period)
    assert (summary["expected"], summary["received"], summary["on_time"]) == (2, 1, 0)
    assert (summary["completeness"], summary["timeliness"]) == (50.0, 0.0)


def test_reports_are_refused_outside_scope_or_obligation(tree, plan, period, make_user):
    with pytest.raises(PermissionDenied):
        services.submission_draft(
            actor=make_user(tree.xl_school, Role.REPORTER), period=period, unit=tree.school
        )
    with pytest.raises(ValidationError):
        services.submission_draft(
            actor=make_user(tree.bombo, Role.FOCAL_POINT), period=period, unit=tree.bombo
        )


def test_official_documents_read_back(tree, plan, period, make_user):
    import io

    import docx
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from lantoa.reports.documents import report_docx, report_pdf, report_xlsx

    reporter = make_user(tree.school, Role.REPORTER)
    draft = services.submission_draft(actor=reporter, period=period, unit=tree.school)
    services.submission_save(
        actor=reporter, submission=draft, version=draft.version, narrative="Đã tổ chức 02 buổi sinh hoạt chuyên đề.",
        difficulties="Thiếu thiết bị.", proposals="Đề nghị hỗ trợ máy chiếu.",
    )  # fmt: skip
    draft.refresh_from_db()

    document = docx.Document(io.BytesIO(report_docx(draft)))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "BÁO CÁO" in text and "KHÓ KHĂN, VƯỚNG MẮC" in text and "Thiếu thiết bị." in text
    lines = [line for c in cells for line in c.split("\n")]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines and "Độc lập - Tự do - Hạnh phúc" in lines
    assert "TRƯỜNG TIỂU HỌC BOM BO" in lines and any(
        line.startswith("Số:") and "/BC-" in line for line in lines
    )
    assert "Nơi nhận:" in lines and "Chỉ tiêu kế hoạch" in lines
    assert any(
        line.startswith("Bom Bo, ngày") for line in lines
    )  # the place is the school's commune
    section = document.sections[0]
    assert (
        round(section.page_width.mm),
        round(section.page_height.mm),
        round(section.left_margin.mm),
    ) == (210, 297, 30)
    assert (
        document.styles["Normal"].font.name == "Times New Roman"
        and document.styles["Normal"].font.size.pt == 14
    )

    pdf = PdfReader(io.BytesIO(report_pdf(draft)))
    pdf_text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "BÁO CÁO" in pdf_text and "Đề nghị hỗ trợ máy chiếu." in pdf_text
    fonts = {str(f) for page in pdf.pages for f in page["/Resources"]["/Font"].values()}
    assert pdf.pages[0].mediabox.width == pytest.approx(595, abs=1)
    assert fonts

    book = load_workbook(io.BytesIO(report_xlsx(draft)))
    assert book.sheetnames == ["Chỉ tiêu", "Nhiệm vụ"] and book["Nhiệm vụ"].max_row == 4


def test_the_cycle_through_the_pages(tree, plan, period, client, make_user):
    import io

    import docx
    from django.urls import reverse

    reporter = make_user(tree.school, Role.REPORTER)
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    client.force_login(reporter)
    home = client.get(reverse("reports:home"))
    owed = [row for row in home.context["owed"] if row["period"] == period]
    assert owed and owed[0]["submission"] is None
    response = client.post(reverse("reports:start", args=[period.pk]), {"unit": tree.school.pk})
    submission = Submission.objects.get()
    assert response["Location"] == reverse("reports:submission", args=[submission.pk])
    page = client.get(response["Location"])
    task_id = page.context["rows"][0]["row"].task_id
    data = {"version": submission.version, "narrative": "Đã thực hiện", "difficulties": "", "proposals": "",
            "action": "submit"}  # fmt: skip
    for item in page.context["rows"]:
        data[f"status_{item['row'].task_id}"] = item["row"].status
        data[f"narrative_{item['row'].task_id}"] = ""
    client.post(response["Location"], data)
    submission.refresh_from_db()
    assert submission.status == "submitted"

    client.force_login(focal)
    assert (
        client.get(reverse("reports:period", args=[period.pk])).context["summary"]["received"] == 1
    )
    client.post(
        response["Location"],
        {"action": "return", "comment": "", f"comment_{task_id}": "Thiếu minh chứng"},
    )
    submission.refresh_from_db()
    assert submission.status == "returned"

    client.force_login(reporter)
    page = client.get(response["Location"])
    assert "Thiếu minh chứng" in page.content.decode()
    data["version"] = submission.version
    client.post(response["Location"], data)
    client.force_login(focal)
    client.post(response["Location"], {"action": "approve"})
    submission.refresh_from_db()
    assert submission.status == "approved"
    document = client.get(reverse("reports:document-docx", args=[submission.pk]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(document.content)).paragraphs)
    assert "BÁO CÁO" in text and "Đã thực hiện" in text

    # A report for a unit one does not cover: refused as missing.
    client.force_login(make_user(tree.xl_school, Role.REPORTER))
    assert client.get(response["Location"]).status_code == 404
    assert (
        client.post(
            reverse("reports:start", args=[period.pk]), {"unit": tree.school.pk}
        ).status_code
        == 404
    )


def test_indicator_values_export(tree, plan, period, api_client, make_user):
    fact_set(actor=None, unit=tree.school, key="officials_total", value=10)
    activity_record(actor=None, unit=tree.school, kind="meeting", date=datetime.date(2025, 5, 5), title="Họp",
                    counts={"participants": 5, "officials": 5})  # fmt: skip
    api_client.force_authenticate(make_user(tree.bombo, Role.FOCAL_POINT))
    rows = api_client.get("/api/v1/indicator-values/", {"period": period.pk}).json()
    school = {r["indicator"]: r for r in rows if r["unit_code"] == "25405-THBB"}
    assert school["officials_informed"]["value"] == "50.0" and school["officials_informed"][
        "denominator"
    ] in ("10", "10.00")
    assert {r["unit_code"] for r in rows} == {"25405", "25405-VHXH", "25405-THBB"}
    csv_response = api_client.get(
        "/api/v1/indicator-values/", {"period": period.pk, "format": "csv"}
    )
    text = csv_response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("unit_code,unit_name") and "25405-THBB" in text
    api_client.force_authenticate(make_user(tree.xuanlap, Role.FOCAL_POINT))
    assert api_client.get("/api/v1/indicator-values/", {"period": period.pk}).status_code == 404


def test_reminders_before_and_after_the_deadline_once(
    tree, plan, period, make_user, django_capture_on_commit_callbacks
):
    from django.core import mail

    from lantoa.orgs.models import Notification
    from lantoa.reports.reminders import reminders_send

    reporter = make_user(tree.school, Role.REPORTER)
    make_user(tree.vhxh, Role.REPORTER)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(today=datetime.date(2025, 11, 1)) == 0  # too early
        assert reminders_send(today=datetime.date(2025, 12, 10)) == 2  # a week before 15/12
        assert reminders_send(today=datetime.date(2025, 12, 11)) == 0  # not twice
    assert len(mail.outbox) == 2 and "15/12/2025" in mail.outbox[0].body
    note = Notification.objects.get(user=reporter)
    assert "Trường Tiểu học Bom Bo" in note.text
    draft = services.submission_draft(actor=reporter, period=period, unit=tree.school)
    services.submission_submit(actor=reporter, submission=draft, version=draft.version)
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            reminders_send(today=datetime.date(2025, 12, 20)) == 1
        )  # only the office is overdue now


def test_dashboard_live_and_from_the_rollup_with_saved_views(tree, plan, client, make_user):
    from django.urls import reverse

    from lantoa.analytics.rollup import rollup_period
    from lantoa.reports.models import SavedDashboard

    fact_set(actor=None, unit=tree.school, key="officials_total", value=10)
    fact_set(actor=None, unit=tree.xuanlap, key="officials_total", value=10)
    activity_record(actor=None, unit=tree.school, kind="meeting", date=datetime.date(2025, 5, 5), title="Họp",
                    counts={"participants": 9, "officials": 9})  # fmt: skip
    client.force_login(make_user(tree.dongnai, Role.FOCAL_POINT))
    url = reverse("dashboard") + "?start=2025-01-01&end=2025-12-31"
    live = client.get(url)
    rows = {r.value.code: r for r in live.context["data"]["rows"]}
    assert not live.context["data"]["rolled_up"]
    assert rows["officials_informed"].value.value == 45  # 9 of 20 in the province
    assert [(u.code, v) for u, v, _w in rows["officials_informed"].ranking] == [
        ("25405", 90),
        ("26104", 0),
    ]
    assert (
        rows["officials_informed"].status == ""
    )  # no target for this indicator in Đồng Nai's plans
    rollup_period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    rolled = client.get(url)
    assert rolled.context["data"]["rolled_up"]
    again = {r.value.code: r for r in rolled.context["data"]["rows"]}
    assert (
        again["officials_informed"].value.value == 45
        and again["officials_informed"].trend[-1][1] == 45
    )
    client.post(url + "&indicator=officials_informed", {"name": "Cán bộ được tuyên truyền"})
    assert SavedDashboard.objects.get().indicators == ["officials_informed"]
    bombo = client.get(
        reverse("dashboard") + f"?unit={tree.bombo.pk}&start=2025-01-01&end=2025-12-31"
    )
    status = {r.value.code: r.status for r in bombo.context["data"]["rows"]}
    assert (
        status["officials_informed"] == "at_risk"
    )  # 90% of officials against the 2025 target of 100%
    assert client.get(reverse("dashboard") + f"?unit={tree.langson.pk}").status_code == 404


def test_a_focal_points_own_report_carries_its_units_reports(tree, plan, period, client, make_user):
    """The commune reports to the province; its report lists the reports of its own units over
    the same span, with completeness and timeliness, in the page and in the .docx."""
    import io

    import docx
    from django.urls import reverse

    from lantoa.plans.models import ReportDeadline

    province_plan = plan_services.plan_create(
        actor=None, unit=tree.dongnai, number="45/KH-UBND", title="Kế hoạch tỉnh", references=[]
    )
    ReportDeadline.objects.create(plan=province_plan, day=15, month=12)
    province_period = periods_ensure(province_plan, 2025)[0]
    assert (province_period.start, province_period.end) == (period.start, period.end)

    school_reporter = make_user(tree.school, Role.REPORTER)
    draft = services.submission_draft(actor=school_reporter, period=period, unit=tree.school)
    services.submission_submit(actor=school_reporter, submission=draft, version=draft.version)

    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    own = services.submission_draft(actor=focal, period=province_period, unit=tree.bombo)
    client.force_login(focal)
    page = client.get(reverse("reports:submission", args=[own.pk]))
    (below,) = page.context["units_below"]
    assert (below["expected"], below["received"]) == (2, 1)
    html = page.content.decode()
    assert reverse("reports:submission", args=[draft.pk]) in html  # drill down
    assert "Trường Tiểu học Bom Bo" in html and "Phòng Văn hóa - Xã hội" in html

    document = client.get(reverse("reports:document-docx", args=[own.pk]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(document.content)).paragraphs)
    assert "đã nhận 1/2 báo cáo (50%)" in text


def test_each_figure_leads_to_the_activities_behind_it(tree, plan, period, client, make_user):
    from django.urls import reverse

    reporter = make_user(tree.school, Role.REPORTER)
    for kind, title in (("training", "Tập huấn chuyển đổi số"), ("article", "Bài viết NQ57")):
        activity_record(actor=reporter, unit=tree.school, kind=kind, date=datetime.date(2025, 4, 2),
                        title=title, counts={"participants": 10})  # fmt: skip
    activity_record(actor=reporter, unit=tree.school, kind="training", date=datetime.date(2024, 4, 2),
                    title="Tập huấn năm trước")  # fmt: skip
    draft = services.submission_draft(actor=reporter, period=period, unit=tree.school)
    client.force_login(reporter)
    page = client.get(reverse("reports:submission", args=[draft.pk]))
    trained = next(i for i in page.context["indicators"] if i["code"] == "training_programs")
    assert trained["value"] == "1"
    listing = client.get(reverse("activities:list") + "?" + trained["evidence"])
    titles = [a.title for a in listing.context["page"]]
    assert titles == ["Tập huấn chuyển đổi số"]
    # A viewer from elsewhere following the same link learns nothing of this unit: the unit
    # reads as missing, as every out-of-scope id does.
    client.force_login(make_user(tree.xl_school, Role.REPORTER))
    assert client.get(reverse("activities:list") + "?" + trained["evidence"]).status_code == 404


def test_recording_for_a_report_keeps_to_its_period(tree, plan, period, client, make_user):
    from django.urls import reverse

    from lantoa.activities.models import Activity

    reporter = make_user(tree.school, Role.REPORTER)
    draft = services.submission_draft(actor=reporter, period=period, unit=tree.school)
    client.force_login(reporter)
    url = reverse("activities:record") + f"?report={draft.pk}"
    form = {"unit": tree.school.pk, "kind": "meeting", "title": "Hội nghị quán triệt NQ57",
            "participants": 12, "officials": 12}  # fmt: skip
    response = client.post(url, {**form, "date": "2024-11-02"})
    assert response.status_code == 200
    assert "ngoài kỳ báo cáo" in " ".join(response.context["form"].errors["date"])
    assert not Activity.objects.exists()

    response = client.post(url, {**form, "date": "2025-03-08"})
    assert response["Location"] == reverse("reports:submission", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.indicator_rows.get(code="officials_informed").numerator == 12


def test_typed_figures_are_entered_on_the_report(tree, plan, period, client, make_user):
    from django.urls import reverse

    reporter = make_user(tree.school, Role.REPORTER)
    draft = services.submission_draft(actor=reporter, period=period, unit=tree.school)
    client.force_login(reporter)
    url = reverse("reports:submission", args=[draft.pk])
    over = client.post(url, {"action": "entry", "indicator": "press_sections", "numerator": "12",
                             "denominator": "10", "source": "Sở TT"})  # fmt: skip
    assert over.status_code == 200 and over.context["entry_form"].errors["numerator"]
    assert "100%" in over.content.decode()
    unsourced = client.post(url, {"action": "entry", "indicator": "press_sections", "numerator": "3", "source": " "})  # fmt: skip
    assert unsourced.context["entry_form"].errors["source"]
    computed = client.post(url, {"action": "entry", "indicator": "training_programs", "numerator": "3", "source": "x"})  # fmt: skip
    assert computed.context["entry_form"].errors["indicator"]
    saved = client.post(url, {"action": "entry", "indicator": "press_sections", "numerator": "3",
                              "source": "Báo cáo của Ban Tuyên giáo"})  # fmt: skip
    assert saved.status_code == 302
    assert draft.indicator_rows.get(code="press_sections").numerator == 3

    services.submission_submit(actor=reporter, submission=draft, version=draft.version + 0)
    draft.refresh_from_db()
    with pytest.raises(ValidationError):
        services.submission_entry(actor=reporter, submission=draft, code="press_sections",
                                  numerator=4, source="x")  # fmt: skip


def test_a_refresh_never_rewrites_a_report_submitted_meanwhile(tree, plan, period, make_user):
    """A refresh holding an old copy of the draft, after a colleague submitted it: the
    submitted figures stay as submitted."""
    reporter = make_user(tree.school, Role.REPORTER)
    stale = services.submission_draft(actor=reporter, period=period, unit=tree.school)
    services.submission_submit(
        actor=reporter, submission=Submission.objects.get(pk=stale.pk), version=1
    )
    activity_record(actor=None, unit=tree.school, kind="training", date=datetime.date(2025, 10, 3),
                    title="Tập huấn", counts={"participants": 3, "staff_trained": 1})  # fmt: skip
    assert services.submission_refresh(stale) is False
    assert stale.indicator_rows.get(code="training_programs").value == 0


def test_a_refresh_moves_a_tasks_status_unless_the_reporter_chose_it(tree, plan, period, make_user):
    reporter = make_user(tree.school, Role.REPORTER)
    draft = services.submission_draft(actor=reporter, period=period, unit=tree.school)
    first, second = (draft.task_rows.get(task__order=n) for n in (0, 2))
    assert (first.status, second.status) == ("not_started", "not_started")
    services.submission_save(
        actor=reporter, submission=draft, version=1, narrative="", difficulties="", proposals="",
        tasks={first.task_id: ("not_started", ""), second.task_id: ("done", "Đã xong")},
    )  # fmt: skip
    activity = activity_record(actor=None, unit=tree.school, kind="meeting", date=datetime.date(2025, 10, 3),
                               title="Họp", tasks=[first.task, second.task])  # fmt: skip
    services.drafts_refresh_after_activity(activity)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.activity_count) == ("in_progress", 1)
    assert (second.status, second.activity_count) == ("done", 1)


def test_activities_behind_a_submitted_report_stay_as_reported(tree, plan, period, make_user):
    from lantoa.activities.services import activity_edit, activity_withdraw

    reporter = make_user(tree.school, Role.REPORTER)
    activity = activity_record(actor=reporter, unit=tree.school, kind="meeting",
                               date=datetime.date(2025, 10, 3), title="Họp")  # fmt: skip
    draft = services.submission_draft(actor=reporter, period=period, unit=tree.school)
    services.submission_submit(actor=reporter, submission=draft, version=1)
    with pytest.raises(ValidationError) as refused:
        activity_withdraw(actor=reporter, activity=activity, reason="Nhầm")
    assert "mở lại" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        activity_edit(actor=reporter, activity=activity, unit=tree.school, kind="meeting",
                      date=datetime.date(2025, 10, 3), title="Họp khác")  # fmt: skip
    # Another period's report does not hold it back.
    earlier = activity_record(actor=reporter, unit=tree.school, kind="meeting",
                              date=datetime.date(2024, 10, 3), title="Họp cũ")  # fmt: skip
    assert activity_withdraw(actor=reporter, activity=earlier, reason="Nhầm").is_withdrawn


def test_four_eyes_holds_when_the_submitter_was_not_kept_on_the_report(
    tree, plan, period, make_user
):
    """Reports submitted before ``submitted_by`` existed: the audit log says who submitted."""
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    draft = services.submission_draft(actor=focal, period=period, unit=tree.school)
    services.submission_submit(actor=focal, submission=draft, version=1)
    Submission.objects.filter(pk=draft.pk).update(submitted_by=None)
    with pytest.raises(ValidationError) as refused:
        services.submission_approve(actor=focal, submission=Submission.objects.get(pk=draft.pk))
    assert refused.value.code == "four_eyes"


def test_saved_dashboards_go_through_a_checked_audited_service(tree, plan, make_user):
    from auditlog.models import LogEntry

    from lantoa.reports.models import SavedDashboard

    focal = make_user(tree.dongnai, Role.FOCAL_POINT)
    span = {"start": datetime.date(2025, 1, 1), "end": datetime.date(2025, 12, 31)}
    with pytest.raises(ValidationError) as unknown:
        services.dashboard_save(actor=focal, name="X", unit=tree.bombo, indicators=["nope"], **span)
    assert "nope" in " ".join(unknown.value.messages)
    with pytest.raises(PermissionDenied):
        services.dashboard_save(actor=focal, name="X", unit=tree.langson, indicators=[], **span)
    saved = services.dashboard_save(
        actor=focal, name="  Cán bộ  ", unit=tree.bombo, indicators=["officials_informed"], **span
    )
    assert (saved.name, saved.owner, saved.indicators) == ("Cán bộ", focal, ["officials_informed"])
    assert LogEntry.objects.get_for_object(saved).get().actor == focal
    assert SavedDashboard.objects.count() == 1
