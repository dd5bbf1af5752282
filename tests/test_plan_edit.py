"""A plan that can be corrected: every part edited on its page, the task sheet round-tripping
every column, a mistaken import withdrawn, an ad hoc reporting period opened."""

import datetime
import io
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from lantoa.activities import services as activity_services
from lantoa.assistant.models import Document, Passage
from lantoa.indicators.models import Indicator
from lantoa.orgs.choices import Role
from lantoa.plans import review, services
from lantoa.plans.importer import extract_plan, read_document
from lantoa.plans.importer.extract import Task as ExtractedTask
from lantoa.plans.models import Plan, ReportDeadline
from lantoa.portal import services as portal_services
from lantoa.reports import services as report_services
from lantoa.reports.choices import PeriodKind
from lantoa.reports.models import ReportingPeriod, Submission
from lantoa.reports.periods import periods_ensure
from lantoa.reports.selectors import owed_reports, periods_to_review

from .documents import REPORTING_PLAN, SMALL_PLAN


def _import(unit, text=SMALL_PLAN, name="k.txt", due=None):
    source = read_document(text.encode(), filename=name)
    extracted = extract_plan(source.text)
    for task, (due_text, due_date) in zip(extracted.tasks, due or [], strict=False):
        # The importer's due dates (its branch lands separately): set as it will set them.
        task.due_text, task.due_date = due_text, due_date
    return services.plan_import(
        actor=None, unit=unit, source=source, extracted=extracted, filename=name
    )


@pytest.fixture(autouse=True)
def _language():
    yield
    translation.activate("vi")


@pytest.fixture
def focal(tree, make_user):
    return make_user(tree.bombo, Role.FOCAL_POINT, full_name="Điểu Thị Hoa")


def _entries(plan, text):
    return [
        e
        for e in LogEntry.objects.filter(object_pk=str(plan.pk))
        if text in (e.additional_data or {}).get("summary", "")
    ]


def test_the_importers_due_dates_are_saved_shown_and_in_the_api(tree, client, focal, api_client):
    plan = _import(tree.bombo, due=[("Quý IV/2025", "2025-12-31"), ("tháng 6/2026", "2026-06-30")])
    first, second, third = plan.tasks.order_by("order")
    assert (first.due_text, first.due_date) == ("Quý IV/2025", datetime.date(2025, 12, 31))
    assert (second.due_text, second.due_date) == ("tháng 6/2026", datetime.date(2026, 6, 30))
    assert (third.due_text, third.due_date) == ("", None)
    client.force_login(focal)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Quý IV/2025 (31/12/2025)" in page
    api_client.force_authenticate(focal)
    tasks = api_client.get(f"/api/v1/plans/{plan.pk}/").json()["tasks"]
    assert [(t["due_text"], t["due_date"]) for t in tasks] == [
        ("Quý IV/2025", "2025-12-31"),
        ("tháng 6/2026", "2026-06-30"),
        ("", None),
    ]


def test_the_review_form_carries_the_due_dates_when_the_importer_gives_them():
    source = read_document(SMALL_PLAN.encode(), filename="k.txt")
    extracted = extract_plan(source.text)
    data = extracted.as_dict()
    data["tasks"][0] |= {"due_text": "Quý IV/2025", "due_date": "2025-12-31"}
    # An extraction with the keys opens for review whatever the importer's version.
    opened = review.extraction_from_dict(data)
    initial = review.tasks_initial(opened)
    has_due = "due_text" in set(ExtractedTask.__dataclass_fields__)
    if has_due:
        assert initial[0]["due_text"] == "Quý IV/2025"
        assert initial[0]["due_date"] == datetime.date(2025, 12, 31)
    rows = [{**row, "due_text": "Quý I/2026", "due_date": datetime.date(2026, 3, 31)}
            for row in initial]  # fmt: skip
    header = {**review.header_initial(opened), "date": None}
    back = review.reviewed_extraction(opened, header, [], rows)
    if has_due:
        assert (back.tasks[0].due_text, back.tasks[0].due_date) == ("Quý I/2026", "2026-03-31")
    else:
        assert [t.text for t in back.tasks] == [t.text for t in opened.tasks]


def test_every_part_of_a_plan_is_edited_and_audited(tree, focal):
    plan = _import(tree.bombo)
    first, second, third = plan.tasks.order_by("order")
    target = plan.targets.order_by("order").first()
    old_deadline = plan.report_deadlines.get(day=15, month=6)
    duty = plan.responsible_units.order_by("order").first()
    indicator = Indicator.objects.order_by("pk").first()
    translation.activate("en")  # the record's summary is checked in English
    services.plan_edit(
        actor=focal,
        plan=plan,
        header={"number": plan.number, "title": plan.title, "date": plan.issued_on},
        tasks=[
            {"id": first.pk, "group": "1", "text": first.text, "timing": "once",
             "due_year": 2025, "due_text": "Quý IV/2025", "due_date": datetime.date(2025, 12, 31),
             "output": "Chuyên mục", "status": "in_progress",
             "lead": "Phòng Văn hóa - Xã hội", "support": "Trường Tiểu học Bom Bo; Hội Nông dân xã"},
            {"id": second.pk, "DELETE": True},
            {"text": "Tổ chức ngày hội chuyển đổi số", "timing": "annual", "group": "2",
             "lead": "Đoàn Thanh niên xã", "support": ""},
        ],
        targets=[
            {"id": target.pk, "indicator": indicator, "comparator": ">=", "value": Decimal("90"),
             "unit": "%", "year": 2026, "text": "Ít nhất 90% cán bộ được phổ biến Nghị quyết"},
            {"text": "Đến năm 2027 có 5 mô hình truyền thông số", "value": Decimal("5"),
             "unit": "count", "comparator": "=", "year": 2027},
        ],
        deadlines=[{"id": old_deadline.pk, "DELETE": True}, {"day": 30, "month": 11}],
        units=[
            {"id": duty.pk, "name": "Phòng Văn hóa - Xã hội xã Bom Bo", "unit": tree.vhxh,
             "duties": "Chủ trì, tổng hợp báo cáo"},
            {"name": "Trường Tiểu học Bom Bo", "unit": None, "duties": "Lồng ghép ngoại khóa"},
        ],
    )  # fmt: skip
    first.refresh_from_db()
    assert (first.timing, first.due_text, first.due_date, first.output, first.status) == (
        "once", "Quý IV/2025", datetime.date(2025, 12, 31), "Chuyên mục", "in_progress"
    )  # fmt: skip
    assert [(a.role, a.name, a.unit) for a in first.assignments.order_by("role", "pk")] == [
        ("lead", "Phòng Văn hóa - Xã hội", tree.vhxh),
        ("support", "Trường Tiểu học Bom Bo", tree.school),
        ("support", "Hội Nông dân xã", None),
    ]
    assert not plan.tasks.filter(pk=second.pk).exists()
    new = plan.tasks.get(text="Tổ chức ngày hội chuyển đổi số")
    assert new.order > third.order and [a.name for a in new.assignments.all()] == [
        "Đoàn Thanh niên xã"
    ]
    target.refresh_from_db()
    assert (target.indicator, target.comparator, target.value, target.unit, target.year) == (
        indicator, ">=", Decimal("90"), "%", 2026
    )  # fmt: skip
    assert plan.targets.filter(year=2027, value=5, unit="count").exists()
    assert sorted(plan.report_deadlines.values_list("day", "month")) == [(15, 12), (30, 11)]
    duty.refresh_from_db()
    assert (duty.name, duty.unit, duty.duties) == (
        "Phòng Văn hóa - Xã hội xã Bom Bo", tree.vhxh, "Chủ trì, tổng hợp báo cáo"
    )  # fmt: skip
    school = plan.responsible_units.get(name="Trường Tiểu học Bom Bo")
    assert school.unit == tree.school  # matched to the tree by its name
    # On the record: who, and each part's count.
    (entry,) = _entries(plan, "Plan edited")
    assert entry.actor == focal
    summary = entry.additional_data["summary"]
    assert "tasks 1 changed, 1 added, 1 removed" in summary
    assert "report deadlines 0 changed, 1 added, 1 removed" in summary
    assert LogEntry.objects.filter(actor=focal, content_type__model="taskassignment").count() >= 4


def test_editing_is_refused_to_a_reporter_and_outside_the_unit(tree, focal, make_user):
    plan = _import(tree.bombo)
    header = {"number": plan.number, "title": "Đổi", "date": None}
    with pytest.raises(PermissionDenied):
        services.plan_edit(actor=make_user(tree.bombo, Role.REPORTER), plan=plan,
                           header=header, tasks=[])  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.plan_edit(actor=make_user(tree.xuanlap, Role.FOCAL_POINT), plan=plan,
                           header=header, tasks=[])  # fmt: skip
    other = _import(tree.xuanlap, SMALL_PLAN.replace("12/KH-UBND", "13/KH-UBND"))
    with pytest.raises(ValidationError):  # a row of another plan
        services.plan_edit(actor=focal, plan=plan, header=header,
                           tasks=[{"id": other.tasks.first().pk, "DELETE": True}])  # fmt: skip
    assert other.tasks.count() == 3
    with pytest.raises(ValidationError):
        services.plan_edit(actor=focal, plan=plan, header=header, tasks=[],
                           deadlines=[{"day": 31, "month": 2}])  # fmt: skip
    with pytest.raises(ValidationError):
        services.plan_edit(actor=focal, plan=plan, header=header,
                           tasks=[{"text": f"Nhiệm vụ {i}"} for i in range(501)])  # fmt: skip
    plan.refresh_from_db()
    assert plan.title != "Đổi"


def test_a_task_with_activities_or_reports_is_not_removed(tree, focal, make_user):
    plan = _import(tree.bombo, REPORTING_PLAN)
    task = plan.tasks.order_by("order").first()
    activity_services.activity_record(
        actor=None, unit=tree.school, kind="meeting", date=datetime.date(2025, 9, 20),
        title="Hội nghị phổ biến Nghị quyết 57", tasks=[task],
    )  # fmt: skip
    header = {"number": plan.number, "title": "Tiêu đề mới", "date": plan.issued_on}
    with pytest.raises(ValidationError) as refused:
        services.plan_edit(actor=focal, plan=plan, header=header,
                           tasks=[{"id": task.pk, "DELETE": True}])  # fmt: skip
    assert refused.value.messages == [
        f"Không thể xóa “{task}”: có hoạt động gắn với mục này và sẽ bị mất theo. Hãy sửa nội "
        "dung thay vì xóa, hoặc thu hồi cả kế hoạch nếu đã nhập nhầm."
    ]
    assert plan.tasks.filter(pk=task.pk).exists()
    plan.refresh_from_db()
    assert plan.title != "Tiêu đề mới"  # nothing of the edit was saved


def test_the_edit_page_refuses_removing_a_reported_task_in_vietnamese(tree, client, focal):
    plan = _import(tree.bombo, REPORTING_PLAN)
    task = plan.tasks.order_by("order").first()
    period = periods_ensure(plan, 2025)[-1]
    report_services.submission_draft(actor=None, period=period, unit=tree.school)
    client.force_login(focal)
    page = client.get(reverse("plans:edit", args=[plan.pk]))
    data = _post_of(page)
    data["tasks-0-DELETE"] = "on"
    response = client.post(reverse("plans:edit", args=[plan.pk]), data, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert "không thể xóa" in response.content.decode().lower()
    assert plan.tasks.filter(pk=task.pk).exists()


def _post_of(page) -> dict:
    """What a browser posts for the edit page as shown."""
    data = {}
    context = page.context
    header = context["header"]
    for name in header.fields:
        value = header.initial.get(name)
        data[f"plan-{name}"] = "" if value is None else value
    for prefix in ("tasks", "targets", "deadlines", "units"):
        formset = context[prefix]
        for key, value in formset.management_form.initial.items():
            data[f"{prefix}-{key}"] = value
        for index, form in enumerate(formset.forms):
            for name in form.fields:
                if name == "DELETE":
                    continue
                value = form.initial.get(name)
                if value is None:
                    value = form.fields[name].initial
                data[f"{prefix}-{index}-{name}"] = "" if value is None else value
    return data


def test_the_task_sheet_round_trips_every_column(tree, client, focal):
    plan = _import(tree.bombo)
    client.force_login(focal)
    first = plan.tasks.order_by("order").first()
    book = load_workbook(
        io.BytesIO(client.get(reverse("plans:task-sheet", args=[plan.pk])).content)
    )
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert len(header) == 11
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == first.pk)
    edited = [first.pk, "III", "Xây dựng chuyên mục số trên Cổng thông tin",
              "Hoàn thành trong thời hạn", 2026, "Phòng Văn hóa - Xã hội",
              "Trường Tiểu học Bom Bo; Đoàn Thanh niên xã", "Chuyên mục hoạt động",
              "Đang thực hiện", "Quý II/2026", "30/06/2026"]  # fmt: skip
    for cell, value in zip(row, edited, strict=True):
        cell.value = value
    new_row = [None, "IV", "Tổ chức cuộc thi tìm hiểu Nghị quyết 57", "Hằng năm", None,
               "Trường Tiểu học Bom Bo", "", "Cuộc thi", "Chưa thực hiện", "tháng 11/2026",
               datetime.datetime(2026, 11, 30)]  # fmt: skip
    sheet.append(new_row)
    out = io.BytesIO()
    book.save(out)
    response = client.post(
        reverse("plans:task-sheet-upload", args=[plan.pk]),
        {"file": SimpleUploadedFile("t.xlsx", out.getvalue())},
    )
    assert response.status_code == 302
    # Exported again, every column holds what was typed.
    again = load_workbook(
        io.BytesIO(client.get(reverse("plans:task-sheet", args=[plan.pk])).content)
    ).active
    rows = {r[2]: r for r in again.iter_rows(min_row=2, values_only=True)}
    got = rows["Xây dựng chuyên mục số trên Cổng thông tin"]
    assert got[0] == first.pk
    assert list(got[1:10]) == edited[1:10]
    assert got[10].date() == datetime.date(2026, 6, 30)
    added = rows["Tổ chức cuộc thi tìm hiểu Nghị quyết 57"]
    assert list(added[1:10]) == new_row[1:5] + ["Trường Tiểu học Bom Bo", None] + new_row[7:10]
    assert added[10].date() == datetime.date(2026, 11, 30)
    first.refresh_from_db()
    assert [(a.role, a.unit) for a in first.assignments.order_by("role", "pk")] == [
        ("lead", tree.vhxh), ("support", tree.school), ("support", None)
    ]  # fmt: skip
    bad = load_workbook(io.BytesIO(out.getvalue()))
    bad.active.cell(row=2, column=11).value = "31/02/2026"
    bad_out = io.BytesIO()
    bad.save(bad_out)
    client.post(
        reverse("plans:task-sheet-upload", args=[plan.pk]),
        {"file": SimpleUploadedFile("t2.xlsx", bad_out.getvalue())},
    )
    first.refresh_from_db()
    assert first.due_date == datetime.date(2026, 6, 30)  # the bad sheet changed nothing


def test_an_old_sheet_without_due_dates_leaves_them(tree, client, focal):
    plan = _import(tree.bombo, due=[("Quý IV/2025", "2025-12-31")])
    client.force_login(focal)
    book = load_workbook(
        io.BytesIO(client.get(reverse("plans:task-sheet", args=[plan.pk])).content)
    )
    book.active.delete_cols(10, 2)  # as exported before the columns existed
    book.active.cell(row=2, column=9).value = "Đã hoàn thành"
    out = io.BytesIO()
    book.save(out)
    client.post(
        reverse("plans:task-sheet-upload", args=[plan.pk]),
        {"file": SimpleUploadedFile("old.xlsx", out.getvalue())},
    )
    first = plan.tasks.order_by("order").first()
    assert (first.status, first.due_text) == ("done", "Quý IV/2025")


def _withdrawable(tree, focal):
    plan = _import(tree.bombo, REPORTING_PLAN, name="12-KH-UBND.txt")
    periods = periods_ensure(plan, 2025)
    report = report_services.submission_draft(actor=None, period=periods[-1], unit=tree.school)
    document = Document.objects.create(
        unit=tree.bombo, name="12-KH-UBND.txt", kind="plan", plan=plan, review="published",
        status="ready",
    )  # fmt: skip
    Passage.objects.create(document=document, order=0, text="Kế hoạch 12/KH-UBND ...")
    return plan, periods, report


def test_a_mistaken_import_is_withdrawn(tree, focal, make_user):
    plan, periods, report = _withdrawable(tree, focal)
    reporter = make_user(tree.school, Role.REPORTER)
    today = datetime.date(2025, 12, 1)
    assert owed_reports(user=reporter, today=today)
    with pytest.raises(PermissionDenied):
        portal_services.plan_withdraw(actor=reporter, plan=plan, reason="Nhầm tệp")
    with pytest.raises(ValidationError):
        portal_services.plan_withdraw(actor=focal, plan=plan, reason="  ")
    translation.activate("en")
    portal_services.plan_withdraw(actor=focal, plan=plan, reason="Tải nhầm tệp của xã khác")
    plan.refresh_from_db()
    assert plan.status == "withdrawn"
    assert not Plan.objects.in_force().filter(pk=plan.pk).exists()
    assert plan.tasks.count() == 3 and plan.targets.count() == 2  # archived with it, kept
    assert all(p.closed_at for p in ReportingPeriod.objects.filter(plan=plan))
    assert Submission.objects.filter(pk=report.pk).exists()  # what was written is kept
    assert owed_reports(user=reporter, today=today) == []
    assert periods_to_review(user=focal, today=today) == []
    assert not Document.objects.filter(plan=plan).exists()
    assert not Passage.objects.filter(document__unit=tree.bombo).exists()
    (entry,) = _entries(plan, "Reason: Tải nhầm tệp của xã khác")
    assert entry.actor == focal
    assert _entries(plan, "reporting periods closed")
    with pytest.raises(ValidationError):
        portal_services.plan_withdraw(actor=focal, plan=plan, reason="Lần hai")
    with pytest.raises(ValidationError):
        report_services.submission_draft(actor=None, period=periods[0], unit=tree.vhxh)
    # The number is free for the right document.
    again = _import(tree.bombo, REPORTING_PLAN)
    assert again.number == plan.number and again.status == "active"


def test_the_withdraw_button_asks_for_a_reason_and_a_confirmation(tree, client, focal):
    plan, periods, _report = _withdrawable(tree, focal)
    client.force_login(focal)
    detail = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    url = reverse("plans:withdraw", args=[plan.pk])
    assert url in detail
    assert client.get(url).status_code == 200
    unconfirmed = client.post(url, {"reason": "Nhầm tệp"})
    assert unconfirmed.status_code == 200
    plan.refresh_from_db()
    assert plan.status == "active"
    done = client.post(url, {"reason": "Nhầm tệp", "confirm": "on"})
    assert done.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "withdrawn"
    # Through the project's URLs: the portal's service, which closed the periods too.
    assert all(p.closed_at for p in ReportingPeriod.objects.filter(plan=plan))
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert url not in page and reverse("plans:edit", args=[plan.pk]) not in page
    assert client.get(reverse("plans:edit", args=[plan.pk])).status_code == 302


def test_a_reporter_sees_no_withdraw_and_cannot_post_it(tree, client, make_user, focal):
    plan, _periods, _report = _withdrawable(tree, focal)
    client.force_login(make_user(tree.bombo, Role.REPORTER))
    assert (
        reverse("plans:withdraw", args=[plan.pk])
        not in client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    )
    response = client.post(
        reverse("plans:withdraw", args=[plan.pk]), {"reason": "x", "confirm": "on"}
    )
    assert response.status_code in (403, 404)
    plan.refresh_from_db()
    assert plan.status == "active"


def test_a_focal_point_opens_an_ad_hoc_period(tree, client, focal, make_user):
    plan = _import(tree.bombo, REPORTING_PLAN)
    school, office = make_user(tree.school, Role.REPORTER), make_user(tree.vhxh, Role.REPORTER)
    client.force_login(focal)
    home = client.get(reverse("reports:home")).content.decode()
    url = reverse("reports:period-ad-hoc")
    assert url in home
    chooser = client.get(url)
    assert chooser.status_code == 200
    form_url = f"{url}?plan={plan.pk}"
    assert client.get(form_url).status_code == 200
    today = datetime.date.today()
    response = client.post(
        form_url,
        {
            "title": "Báo cáo đột xuất về chuyển đổi số",
            "start": (today - datetime.timedelta(days=30)).isoformat(),
            "end": today.isoformat(),
            "deadline": (today + datetime.timedelta(days=7)).isoformat(),
            "units": [tree.school.pk],
        },
    )
    period = ReportingPeriod.objects.get(kind=PeriodKind.AD_HOC)
    assert response.status_code == 302 and response.url == reverse(
        "reports:period", args=[period.pk]
    )
    assert str(period) == "Báo cáo đột xuất về chuyển đổi số"
    assert list(period.units.all()) == [tree.school]
    owed = [row["period"] for row in owed_reports(user=school)]
    assert period in owed
    assert period not in [row["period"] for row in owed_reports(user=office)]
    assert period in [row["period"] for row in periods_to_review(user=focal)]
    report = report_services.submission_draft(actor=school, period=period, unit=tree.school)
    assert report.task_rows.count() == plan.tasks.count()
    with pytest.raises(ValidationError):
        report_services.submission_draft(actor=office, period=period, unit=tree.vhxh)
    summary = report_services.consolidation(period=period, with_indicators=False)
    assert [row["unit"] for row in summary["rows"]] == [tree.school]
    page = client.get(reverse("reports:period", args=[period.pk])).content.decode()
    assert "Báo cáo đột xuất về chuyển đổi số" in page
    assert _entries(plan, "Báo cáo đột xuất về chuyển đổi số")


def test_an_ad_hoc_period_is_refused_to_a_reporter_and_outside_the_subtree(
    tree, client, focal, make_user
):
    plan = _import(tree.bombo, REPORTING_PLAN)
    day = datetime.date(2026, 3, 1)
    args = {"title": "Đột xuất", "start": day, "end": day, "deadline": day}
    with pytest.raises(PermissionDenied):
        report_services.period_open_ad_hoc(
            actor=make_user(tree.bombo, Role.REPORTER), plan=plan, units=[tree.school], **args
        )
    with pytest.raises(ValidationError):
        report_services.period_open_ad_hoc(actor=focal, plan=plan, units=[tree.xl_school], **args)
    with pytest.raises(ValidationError):
        report_services.period_open_ad_hoc(actor=focal, plan=plan, units=[], **args)
    assert not ReportingPeriod.objects.filter(kind=PeriodKind.AD_HOC).exists()
    reporter = make_user(tree.school, Role.REPORTER)
    client.force_login(reporter)
    assert client.get(reverse("reports:period-ad-hoc")).status_code == 403
    ReportDeadline.objects.filter(plan=plan).delete()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quý IV/2025", datetime.date(2025, 12, 31)),
        ("quý I năm 2026", datetime.date(2026, 3, 31)),
        ("Quy 2/2026", datetime.date(2026, 6, 30)),
        ("tháng 6/2026", datetime.date(2026, 6, 30)),
        ("Tháng 2/2028", datetime.date(2028, 2, 29)),
        ("6 tháng đầu năm 2026", datetime.date(2026, 6, 30)),
        ("Năm 2027", datetime.date(2027, 12, 31)),
        ("trước ngày 15/11/2025", datetime.date(2025, 11, 15)),
        ("Hằng năm", None),
        ("Thường xuyên", None),
        ("tháng 13/2026", None),
    ],
)
def test_a_due_date_as_written_gives_its_last_day(text, expected):
    from lantoa.plans.importer.due import due_date_of

    assert due_date_of(text) == expected


def test_a_due_date_typed_as_text_fills_its_date(tree, focal):
    plan = _import(tree.bombo, due=[("Quý IV/2025", None)])
    first = plan.tasks.order_by("order").first()
    assert first.due_date == datetime.date(2025, 12, 31)  # the importer gave the text only
    row = {"id": first.pk, "text": first.text, "status": first.status,
           "due_text": "Quý I/2026", "due_date": first.due_date}  # fmt: skip
    header = {"number": plan.number, "title": plan.title, "date": plan.issued_on}
    services.plan_edit(actor=focal, plan=plan, header=header, tasks=[row])
    first.refresh_from_db()
    assert first.due_date == datetime.date(2026, 3, 31)  # the text changed, not the date
    row |= {"due_text": "Quý II/2026", "due_date": datetime.date(2026, 5, 15)}
    services.plan_edit(actor=focal, plan=plan, header=header, tasks=[row])
    first.refresh_from_db()
    assert first.due_date == datetime.date(2026, 5, 15)  # a date typed is kept


def test_no_reminder_for_a_deadline_taken_off_the_schedule(tree, focal, make_user):
    from lantoa.reports.models import Reminder
    from lantoa.reports.reminders import reminders_send

    make_user(tree.school, Role.REPORTER)
    plan = _import(tree.bombo, REPORTING_PLAN)
    old = periods_ensure(plan, 2025)[-1]
    assert old.deadline == datetime.date(2025, 12, 15)
    december = plan.report_deadlines.get(day=15, month=12)
    header = {"number": plan.number, "title": plan.title, "date": plan.issued_on}
    services.plan_edit(actor=focal, plan=plan, header=header, tasks=[],
                       deadlines=[{"id": december.pk, "day": 20, "month": 12}])  # fmt: skip
    assert sorted(plan.report_deadlines.values_list("day", "month")) == [(15, 6), (20, 12)]
    reminders_send(today=datetime.date(2025, 12, 17))
    assert not Reminder.objects.filter(period=old).exists()
    periods_ensure(plan, 2025)
    reminders_send(today=datetime.date(2025, 12, 17))
    assert Reminder.objects.filter(period__deadline=datetime.date(2025, 12, 20)).exists()
