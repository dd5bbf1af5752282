"""Figures that mean what they say: reach counts people, not attendances; a share above 100 %
is never printed; status follows the target's own timeline; one definition per indicator; the
roll-up runs on a schedule and picks up late reports."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from lantoa.activities.attendance import attendance_set
from lantoa.activities.services import activity_record
from lantoa.analytics.computation import compute
from lantoa.analytics.rollup import rollup_period
from lantoa.indicators import services as indicator_services
from lantoa.indicators.models import IndicatorValue, RollupRun
from lantoa.orgs.choices import Role
from lantoa.orgs.models import Person
from lantoa.orgs.people import people_import
from lantoa.reports import services as report_services
from lantoa.reports.periods import periods_ensure

H1 = (datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _staff_list(n=34, communication=2):
    rows = [("Họ và tên", "Chức vụ", "Loại")]
    for i in range(1, n + 1):
        kind = "Cán bộ truyền thông" if i <= communication else "Công chức"
        rows.append((f"Nguyễn Văn Người {i}", "Chuyên viên", kind))
    return _xlsx(rows)


def _meeting(unit, officials, date=datetime.date(2025, 3, 1), kind="meeting"):
    return activity_record(
        actor=None, unit=unit, kind=kind, date=date, title="Hội nghị quán triệt Nghị quyết 57",
        counts={"participants": officials, "officials": officials},
    )  # fmt: skip


# 1. People lists and attendance ------------------------------------------------------------


def test_people_list_import_reports_bad_rows_by_number_and_saves_nothing(tree):
    bad = _xlsx(
        [
            ("Họ và tên", "Chức vụ", "Loại"),
            ("Trần Thị Bình", "Hiệu trưởng", "Viên chức"),
            ("", "Giáo viên", "Viên chức"),
            ("Lê Văn Cường", "Kế toán", "Ngoài biên chế??"),
        ]
    )
    with pytest.raises(ValidationError) as error:
        people_import(actor=None, unit=tree.school, data=bad)
    text = " ".join(error.value.messages)
    assert "3" in text and "4" in text
    assert not Person.objects.exists()
    with pytest.raises(ValidationError):
        people_import(actor=None, unit=tree.school, data=b"not a workbook")


def test_people_list_is_kept_current_by_reimport(tree):
    first = people_import(actor=None, unit=tree.bombo, data=_staff_list(3, communication=1))
    assert first == {"added": 3, "updated": 0, "left": 0}
    assert Person.objects.filter(unit=tree.bombo, kind="communication").count() == 1
    # Person 3 left; a newcomer arrived.
    second = people_import(
        actor=None,
        unit=tree.bombo,
        data=_xlsx(
            [
                ("Họ và tên", "Chức vụ", "Loại"),
                ("Nguyễn Văn Người 1", "Chuyên viên", "Cán bộ truyền thông"),
                ("nguyen van nguoi 2", "Chuyên viên", "Công chức"),  # typed without accents
                ("Phạm Thị Mới", "Văn thư", "Người lao động"),
            ]
        ),
    )
    assert second == {"added": 1, "updated": 2, "left": 1}
    assert sorted(Person.objects.filter(unit=tree.bombo, is_active=True).values_list("full_name", flat=True)) == [
        "Nguyễn Văn Người 1", "Nguyễn Văn Người 2", "Phạm Thị Mới",
    ]  # fmt: skip


def test_reach_counts_distinct_people_not_attendances(tree):
    """The 235,3 % case: 28 + 34 + 18 attendances of 34 staff are at most 34 people."""
    people_import(actor=None, unit=tree.bombo, data=_staff_list(34))
    people = list(Person.objects.filter(unit=tree.bombo).order_by("pk"))
    names = [p.full_name for p in people]
    first = _meeting(tree.bombo, 28)
    attendance_set(actor=None, activity=first, names=names[:28])
    second = _meeting(tree.bombo, 34, date=datetime.date(2025, 4, 1))
    attendance_set(actor=None, activity=second, whole_unit=True)
    third = _meeting(tree.bombo, 18, date=datetime.date(2025, 5, 1))
    attendance_set(actor=None, activity=third, names=names[10:28])
    value = compute("officials_informed", unit=tree.bombo, start=H1[0], end=H1[1])
    assert (value.numerator, value.denominator, value.value) == (34, 34, Decimal("100.0"))
    # Without the whole-unit meeting: 28 distinct people of 34.
    second.delete()
    value = compute("officials_informed", unit=tree.bombo, start=H1[0], end=H1[1])
    assert (value.numerator, value.value) == (28, Decimal("82.4"))
    # Communication staff trained: only the communication staff count, once each.
    training = _meeting(tree.bombo, 5, kind="training")
    attendance_set(actor=None, activity=training, names=names[:5])
    trained = compute("staff_trained", unit=tree.bombo, start=H1[0], end=H1[1])
    assert (trained.numerator, trained.denominator) == (2, 2)


def test_sign_in_sheet_unknown_names_are_refused_whole(tree):
    people_import(actor=None, unit=tree.bombo, data=_staff_list(3))
    activity = _meeting(tree.bombo, 3)
    sheet = _xlsx([("STT", "Họ và tên"), (1, "Nguyễn Văn Người 1"), (2, "Người Lạ")])
    with pytest.raises(ValidationError) as error:
        attendance_set(actor=None, activity=activity, data=sheet)
    assert "Người Lạ" in " ".join(error.value.messages)
    assert not activity.attendance.exists()
    ok = _xlsx([("STT", "Họ và tên"), (1, "Nguyễn Văn Người 1"), (2, "NGUYEN VAN NGUOI 2")])
    assert attendance_set(actor=None, activity=activity, data=ok) == 2
    from auditlog.models import LogEntry

    entry = next(
        e for e in LogEntry.objects.get_for_object(activity) if "attendance" in e.changes_dict
    )
    assert entry.changes_dict["attendance"] == ["", "Nguyễn Văn Người 1; Nguyễn Văn Người 2"]


def test_a_unit_without_a_list_never_adds_attendances_and_its_typed_figure_wins(tree):
    indicator_services.fact_set(actor=None, unit=tree.bombo, key="officials_total", value=34)
    for n, month in ((28, 3), (34, 4), (18, 5)):
        _meeting(tree.bombo, n, date=datetime.date(2025, month, 1))
    value = compute("officials_informed", unit=tree.bombo, start=H1[0], end=H1[1])
    assert value.value == Decimal("100.0")  # at least the 34 of the largest meeting, not 235,3
    indicator_services.entry_set(
        actor=None, unit=tree.bombo, code="officials_informed", start=H1[0], end=H1[1],
        numerator=30, denominator=34, source="Danh sách ký nhận các hội nghị",
    )  # fmt: skip
    value = compute("officials_informed", unit=tree.bombo, start=H1[0], end=H1[1])
    assert (value.numerator, value.denominator, value.value) == (30, 34, Decimal("88.2"))
    province = compute("officials_informed", unit=tree.dongnai, start=H1[0], end=H1[1])
    assert (province.numerator, province.denominator) == (30, 34)
    with pytest.raises(ValidationError) as error:  # a share needs what it is out of
        indicator_services.entry_set(
            actor=None, unit=tree.bombo, code="officials_informed", start=H1[0], end=H1[1],
            numerator=30, source="Danh sách",
        )  # fmt: skip
    assert "denominator" in error.value.message_dict


def test_people_page_imports_and_edits(tree, client, make_user):
    client.force_login(make_user(tree.school, Role.REPORTER))
    url = reverse("orgs:people", args=[tree.school.pk])
    assert client.get(url).status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("ds.xlsx", _xlsx([("Họ và tên",), ("",), ("Ai đó", "", "???")]))
    page = client.post(url, {"action": "import", "file": bad})
    assert page.status_code == 200 and "3" in page.content.decode()
    assert not Person.objects.exists()
    good = SimpleUploadedFile("ds.xlsx", _staff_list(4))
    assert client.post(url, {"action": "import", "file": good}).status_code == 302
    person = Person.objects.get(unit=tree.school, full_name="Nguyễn Văn Người 4")
    assert "Nguyễn Văn Người 4" in client.get(url).content.decode()
    client.post(
        url,
        {
            "action": "edit", "person": person.pk, "full_name": "Nguyễn Văn Người Bốn",
            "position": "Tổ trưởng", "kind": "staff", "is_active": "",
        },
    )  # fmt: skip
    person.refresh_from_db()
    assert (person.full_name, person.position, person.kind, person.is_active) == (
        "Nguyễn Văn Người Bốn", "Tổ trưởng", "staff", False,
    )  # fmt: skip
    client.force_login(make_user(tree.school, Role.VIEWER))
    assert client.post(url, {"action": "import", "file": good}).status_code == 403
    template = client.get(reverse("orgs:people-template"))
    assert template.status_code == 200
    from lantoa.orgs.people import read_rows

    assert read_rows(template.content, max_rows=10)[0][1][:3] == ("Họ và tên", "Chức vụ", "Loại")


def test_attendance_page(tree, client, make_user):
    people_import(actor=None, unit=tree.bombo, data=_staff_list(3))
    activity = _meeting(tree.bombo, 3)
    client.force_login(make_user(tree.bombo, Role.REPORTER))
    url = reverse("activities:attendance", args=[activity.pk])
    assert client.get(url).status_code == 200
    page = client.post(url, {"names": "Nguyễn Văn Người 1\nAi Đó"})
    assert page.status_code == 200 and "Ai Đó" in page.content.decode()
    assert not activity.attendance.exists()
    assert client.post(url, {"whole_unit": "on"}).status_code == 302
    assert activity.attendance.count() == 3
    # Untick one: the list of who attended is edited, not added to.
    kept = list(Person.objects.filter(unit=tree.bombo).order_by("pk").values_list("pk", flat=True))[
        :2
    ]
    page = client.get(url).content.decode()
    assert page.count('name="people"') == 3 and page.count("checked") >= 3
    assert client.post(url, {"people": [str(pk) for pk in kept]}).status_code == 302
    assert sorted(activity.attendance.values_list("person_id", flat=True)) == kept
    foreign = Person.objects.create(unit=tree.xuanlap, full_name="Người Phường Khác")
    assert client.post(url, {"people": [str(foreign.pk)]}).status_code == 200
    assert sorted(activity.attendance.values_list("person_id", flat=True)) == kept


# 2. A share above 100 % is never printed -------------------------------------------------


def test_a_share_over_100_is_flagged_not_printed(tree, make_user, client):
    from lantoa.plans.models import ReportDeadline, ResponsibleUnit
    from lantoa.plans.services import plan_create
    from lantoa.reports.documents import content_of, report_docx

    plan = plan_create(actor=None, unit=tree.bombo, number="9/KH-UBND", title="Kế hoạch")
    ReportDeadline.objects.create(plan=plan, day=10, month=12)
    ResponsibleUnit.objects.create(plan=plan, unit=tree.school, name=tree.school.name)
    period = periods_ensure(plan, 2025)[-1]
    indicator_services.fact_set(actor=None, unit=tree.school, key="officials_total", value=34)
    _meeting(tree.school, 40)  # more people at the meeting than the school states it has
    submission = report_services.submission_draft(actor=None, period=period, unit=tree.school)
    row = next(i for i in content_of(submission).indicators if i["code"] == "officials_informed")
    assert row["over_100"] and row["value"] == "—" and "117" not in row["value"]
    import docx

    document = docx.Document(io.BytesIO(report_docx(submission)))
    cells = [cell.text for table in document.tables for r in table.rows for cell in r.cells]
    assert not any("117,6" in c for c in cells)
    client.force_login(make_user(tree.school, Role.REPORTER))
    page = client.get(reverse("reports:submission", args=[submission.pk])).content.decode()
    assert "117,6%" in page and "100 %" in page
    assert "kind=meeting" in page  # the link to the activities behind it
    dashboard = client.get(
        reverse("dashboard") + f"?unit={tree.school.pk}&start=2025-01-01&end=2025-12-31"
    ).content.decode()
    assert "117,6%" in dashboard and "không thể vượt quá một trăm phần trăm" in dashboard


# 3. Status follows the target's own timeline ------------------------------------------------


def test_expected_value_follows_the_targets_timeline(tree):
    from lantoa.plans.models import Plan, Target
    from lantoa.portal.dashboard import expected_value, status_of

    plan = Plan.objects.create(
        unit=tree.bombo, number="1/KH", issued_on=datetime.date(2025, 1, 1), status="active"
    )
    t2030 = Target.objects.create(plan=plan, year=2030, value=80, unit="%", text="80% năm 2030")
    mid_2026 = datetime.date(2026, 12, 31)
    alone = expected_value(t2030, [t2030], mid_2026)
    assert Decimal("26") < alone < Decimal("27")  # 2 of 6 years of the way to 80
    assert status_of(Decimal(39), alone) == "on_track"
    # With a 2025 milestone of 60 %, the line starts there: 39 % in 2026 is off track.
    t2025 = Target.objects.create(plan=plan, year=2025, value=60, unit="%", text="60% năm 2025")
    expected = expected_value(t2030, [t2025, t2030], mid_2026)
    assert Decimal("63") < expected < Decimal("65")
    assert status_of(Decimal(39), expected) == "off_track"
    assert status_of(Decimal(55), expected) == "at_risk"
    # Near the end of the timeline, 39 % of an 80 % target is off track.
    late = expected_value(t2030, [t2030], datetime.date(2030, 6, 30))
    assert status_of(Decimal(39), late) == "off_track"
    assert expected_value(t2030, [t2030], datetime.date(2031, 6, 30)) == 80


# 4. One definition -------------------------------------------------------------------------


def test_one_definition_for_computation_rollup_and_dashboard():
    from lantoa.analytics import computation, rollup
    from lantoa.indicators.catalogue import DEFINITIONS
    from lantoa.portal import dashboard

    assert {c: d.method for c, d in DEFINITIONS.items()} == computation.METHODS
    assert rollup.values_all is computation.values_all
    assert dashboard.values_all is computation.values_all
    assert not hasattr(rollup, "_spread") and not hasattr(dashboard, "METHODS_UNITS")


# 5. Trend and scheduled roll-up ------------------------------------------------------------


def test_dashboard_trend_shows_the_newest_eight_runs_in_time_order(tree, make_user, client):
    from lantoa.portal.dashboard import dashboard_for

    for year in range(2015, 2026):
        rollup_period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    data = dashboard_for(
        unit=tree.root, start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31)
    )
    labels = [label for label, _v, _h in data["rows"][0].trend]
    assert labels[0].startswith("01/2018") and labels[-1].startswith("01/2025")
    assert len(labels) == 8


def test_late_reports_mark_runs_stale_and_the_schedule_refreshes_them(tree):
    indicator_services.fact_set(actor=None, unit=tree.bombo, key="officials_total", value=10)
    run = rollup_period(*H1)
    stored = IndicatorValue.objects.get(run=run, unit=tree.dongnai, code="officials_informed")
    assert stored.numerator == 0
    _meeting(tree.bombo, 5)  # a late report within the run's span
    _meeting(tree.bombo, 4, date=datetime.date(2025, 9, 1))  # outside it
    run.refresh_from_db()
    assert run.stale
    call_command("rollup", "--today", "2025-07-15")
    run.refresh_from_db()
    assert not run.stale
    stored = IndicatorValue.objects.get(run=run, unit=tree.dongnai, code="officials_informed")
    assert stored.numerator == 5
    # A people list arriving later: the schedule sees it and recomputes with the list.
    from lantoa.analytics.rollup import rollup_scheduled
    from lantoa.portal.dashboard import dashboard_for

    people_import(actor=None, unit=tree.bombo, data=_staff_list(8))
    rollup_scheduled(datetime.date(2025, 7, 15))
    stored = IndicatorValue.objects.get(run=run, unit=tree.dongnai, code="officials_informed")
    # Nobody ticked yet: the meeting's own count of 5 officials, out of the 8 on the list.
    assert (stored.numerator, stored.denominator) == (5, 8)
    indicator_services.entry_set(
        actor=None, unit=tree.bombo, code="officials_informed", start=H1[0], end=H1[1],
        numerator=6, denominator=8, source="Sổ ký nhận",
    )  # fmt: skip
    data = dashboard_for(unit=tree.root, start=H1[0], end=H1[1], codes=["officials_informed"])
    assert data["rolled_up"] and data["stale"]
    # The schedule also rolls up the current spans.
    assert RollupRun.objects.filter(
        start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31), finished_at__isnull=False
    ).exists()


def test_rollup_task_runs_the_schedule(tree):
    from lantoa.analytics.tasks import rollup_refresh

    result = rollup_refresh.call()
    assert result >= 1 and RollupRun.objects.filter(finished_at__isnull=False).exists()


# 6. Names in the reader's language ---------------------------------------------------------


def test_indicator_names_follow_the_interface_language(tree, make_user, client, settings):
    from lantoa.plans.models import ReportDeadline, ResponsibleUnit
    from lantoa.plans.services import plan_create

    plan = plan_create(actor=None, unit=tree.bombo, number="9/KH-UBND", title="Kế hoạch")
    ReportDeadline.objects.create(plan=plan, day=10, month=12)
    ResponsibleUnit.objects.create(plan=plan, unit=tree.school, name=tree.school.name)
    submission = report_services.submission_draft(
        actor=None, period=periods_ensure(plan, 2025)[-1], unit=tree.school
    )
    client.force_login(make_user(tree.school, Role.REPORTER))
    url = reverse("reports:submission", args=[submission.pk])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert "Officials informed of Resolution 57" in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    vietnamese = client.get(url).content.decode()
    assert "Officials informed of Resolution 57" not in vietnamese
    assert "Cán bộ, công chức, viên chức được tuyên truyền" in vietnamese


def test_the_demo_school_reaches_people_not_attendances(tree):
    """The demo's 235,3 %: a school of 34 whose 28 + 34 attendances were summed."""
    from django.utils import timezone

    from lantoa.portal.demo.reporting import load_demo_reporting

    assert load_demo_reporting() == 2
    today = timezone.localdate()
    start = today - datetime.timedelta(days=60)
    informed = compute("officials_informed", unit=tree.school, start=start, end=today)
    assert (informed.numerator, informed.denominator, informed.value) == (34, 34, 100)
    trained = compute("staff_trained", unit=tree.school, start=start, end=today)
    assert (trained.numerator, trained.denominator) == (2, 3)
    assert not compute("officials_informed", unit=tree.bombo, start=start, end=today).over_100


def test_people_list_changes_are_on_the_audit_trail(tree, make_user):
    from auditlog.models import LogEntry

    reporter = make_user(tree.bombo, Role.REPORTER)
    people_import(actor=reporter, unit=tree.bombo, data=_staff_list(2))
    people_import(actor=reporter, unit=tree.bombo, data=_staff_list(1))
    left = Person.objects.get(full_name="Nguyễn Văn Người 2")
    entries = LogEntry.objects.get_for_object(left).order_by("pk")
    assert entries.count() == 2 and entries.last().changes_dict["is_active"] == ["True", "False"]


def test_dashboard_status_follows_the_timeline_not_the_calendar(tree, settings):
    """39 % of an 80 % target for 2030, on a line that starts from 60 % in 2025: off track."""
    from lantoa.indicators.services import indicators_ensure_standard
    from lantoa.plans.models import Plan, Target
    from lantoa.portal.dashboard import dashboard_for

    indicator = indicators_ensure_standard()["officials_informed"]
    plan = Plan.objects.create(
        unit=tree.bombo, number="2/KH", issued_on=datetime.date(2025, 1, 1), status="active"
    )
    for year, value in ((2025, 60), (2030, 80)):
        Target.objects.create(
            plan=plan, year=year, value=value, unit="%", text=f"{value}%", indicator=indicator
        )
    indicator_services.fact_set(actor=None, unit=tree.bombo, key="officials_total", value=100)
    _meeting(tree.bombo, 39, date=datetime.date(2026, 3, 1))
    span = (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    data = dashboard_for(unit=tree.bombo, start=span[0], end=span[1], codes=["officials_informed"])
    row = data["rows"][0]
    assert row.value.value == Decimal("39.0") and row.target.year == 2030
    assert Decimal("61") < row.expected < Decimal("63")
    assert row.status == "off_track"


def test_the_report_form_takes_a_reach_figure_that_wins(tree, make_user, client):
    from lantoa.plans.models import ReportDeadline, ResponsibleUnit
    from lantoa.plans.services import plan_create

    plan = plan_create(actor=None, unit=tree.bombo, number="9/KH-UBND", title="Kế hoạch")
    ReportDeadline.objects.create(plan=plan, day=10, month=12)
    ResponsibleUnit.objects.create(plan=plan, unit=tree.school, name=tree.school.name)
    period = periods_ensure(plan, 2025)[-1]
    indicator_services.fact_set(actor=None, unit=tree.school, key="officials_total", value=34)
    for n, month in ((28, 3), (34, 4), (18, 5)):
        _meeting(tree.school, n, date=datetime.date(2025, month, 1))
    reporter = make_user(tree.school, Role.REPORTER)
    draft = report_services.submission_draft(actor=reporter, period=period, unit=tree.school)
    assert draft.indicator_rows.get(code="officials_informed").value == 100  # not 235,3
    client.force_login(reporter)
    url = reverse("reports:submission", args=[draft.pk])
    no_total = client.post(url, {"action": "entry", "indicator": "officials_informed",
                                 "numerator": "30", "source": "Sổ ký nhận"})  # fmt: skip
    assert no_total.status_code == 200 and no_total.context["entry_form"].errors
    saved = client.post(url, {"action": "entry", "indicator": "officials_informed", "numerator": "30",
                              "denominator": "34", "source": "Sổ ký nhận hội nghị"})  # fmt: skip
    assert saved.status_code == 302
    row = draft.indicator_rows.get(code="officials_informed")
    assert (row.numerator, row.denominator, row.value) == (30, 34, Decimal("88.2"))
    page = client.get(url).content.decode()
    assert "88,2%" in page and "Sổ ký nhận hội nghị" in page


def test_rollup_with_people_lists_and_typed_figures_equals_the_live_computation(tree):
    from lantoa.analytics.computation import METHODS, compute_all

    people_import(actor=None, unit=tree.school, data=_staff_list(10, communication=2))
    indicator_services.fact_set(actor=None, unit=tree.bombo, key="officials_total", value=20)
    indicator_services.fact_set(actor=None, unit=tree.xl_school, key="officials_total", value=30)
    names = [p.full_name for p in Person.objects.filter(unit=tree.school).order_by("pk")]
    # A commune meeting the school's teachers attend counts for the school.
    attendance_set(actor=None, activity=_meeting(tree.bombo, 15), names=names[:6])
    attendance_set(actor=None, activity=_meeting(tree.school, 8, kind="training"), names=names[:8])
    _meeting(tree.xl_school, 25)
    _meeting(tree.xl_school, 12, date=datetime.date(2025, 4, 2))
    indicator_services.entry_set(
        actor=None, unit=tree.xuanlap, code="officials_informed", start=H1[0], end=H1[1],
        numerator=5, denominator=8, source="Sổ ký nhận",
    )  # fmt: skip
    # A typed province figure, and an office that states no total (nothing to count it over).
    indicator_services.entry_set(
        actor=None, unit=tree.dongnai, code="staff_trained", start=H1[0], end=H1[1],
        numerator=3, denominator=4, source="Danh sách học viên",
    )  # fmt: skip
    _meeting(tree.vhxh, 7)
    indicator_services.fact_set(actor=None, unit=tree.bombo, key="population", value=900)
    activity_record(
        actor=None, unit=tree.xuanlap, kind="event", date=datetime.date(2025, 3, 1),
        title="Ngày hội", counts={"participants": 5, "officials": 0, "audience": 400},
    )  # fmt: skip
    run = rollup_period(*H1)
    for unit in (tree.root, tree.dongnai, tree.bombo, tree.xuanlap):
        for expected in compute_all(unit=unit, start=H1[0], end=H1[1]):
            if METHODS[expected.code].kind not in ("people", "ratio", "largest", "count", "typed"):
                continue
            stored = IndicatorValue.objects.filter(run=run, code=expected.code, unit=unit).first()
            got = (stored.numerator, stored.denominator) if stored else (None, None)
            want = (expected.numerator, expected.denominator)
            assert got == want or (not any(got) and not any(want)), (unit, expected.code)
    # Bom Bo: its own meeting's 15 over its 20 (no list), the school's 8 distinct of its 10.
    bombo = compute("officials_informed", unit=tree.bombo, start=H1[0], end=H1[1])
    assert (bombo.numerator, bombo.denominator) == (23, 30)
    # Xuân Lập: its typed 5/8 stands for the ward and its school.
    xuanlap = compute("officials_informed", unit=tree.xuanlap, start=H1[0], end=H1[1])
    assert (xuanlap.numerator, xuanlap.denominator) == (5, 8)
    province = compute("staff_trained", unit=tree.dongnai, start=H1[0], end=H1[1])
    assert (province.numerator, province.denominator) == (3, 4)
    assert compute("staff_trained", unit=tree.bombo, start=H1[0], end=H1[1]).denominator == 2
    # Xuân Lập's audience is out of no population: Bom Bo's 0 of 900 only.
    reached = compute("citizens_reached", unit=tree.dongnai, start=H1[0], end=H1[1])
    assert (reached.numerator, reached.denominator) == (0, 900)


def test_rollup_command_for_one_span_and_bad_arguments(tree):
    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("rollup", "--start", "2025-01-01", "--end", "2025-06-30", stdout=out)
    from lantoa.indicators.catalogue import STANDARD_INDICATORS

    wanted = f"2025-01-01–2025-06-30: {len(STANDARD_INDICATORS)} indicators"
    assert wanted in out.getvalue()
    assert RollupRun.objects.get(start=H1[0], end=H1[1]).finished_at
    with pytest.raises(CommandError):
        call_command("rollup", "--start", "2025-01-01")
    with pytest.raises(CommandError):
        call_command("rollup", "--start", "2025-07-01", "--end", "2025-01-01")


def test_a_listed_unit_without_a_sign_in_sheet_counts_its_meetings_officials(tree):
    people_import(actor=None, unit=tree.bombo, data=_staff_list(10))
    names = [p.full_name for p in Person.objects.filter(unit=tree.bombo).order_by("pk")]
    _meeting(tree.bombo, 8)  # no sign-in sheet: its typed count of officials
    value = compute("officials_informed", unit=tree.bombo, start=H1[0], end=H1[1])
    assert (value.numerator, value.denominator, value.value) == (8, 10, Decimal("80.0"))
    attendance_set(actor=None, activity=_meeting(tree.bombo, 3), names=names[:3])
    value = compute("officials_informed", unit=tree.bombo, start=H1[0], end=H1[1])
    assert (value.numerator, value.denominator) == (8, 10)  # the larger, never 8 + 3
    attendance_set(actor=None, activity=_meeting(tree.bombo, 9), names=names[:9])
    value = compute("officials_informed", unit=tree.bombo, start=H1[0], end=H1[1])
    assert (value.numerator, value.denominator) == (9, 10)
    _meeting(tree.bombo, 12)  # more than the list: flagged, never printed
    assert compute("officials_informed", unit=tree.bombo, start=H1[0], end=H1[1]).over_100


def test_people_reimport_of_an_unchanged_list_writes_nothing(tree):
    from auditlog.models import LogEntry

    people_import(actor=None, unit=tree.bombo, data=_staff_list(3, communication=1))
    stamps = dict(Person.objects.values_list("pk", "updated_at"))
    entries = LogEntry.objects.count()
    again = people_import(actor=None, unit=tree.bombo, data=_staff_list(3, communication=1))
    assert again == {"added": 0, "updated": 3, "left": 0}
    assert dict(Person.objects.values_list("pk", "updated_at")) == stamps
    assert LogEntry.objects.count() == entries
