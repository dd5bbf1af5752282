"""Every page that takes input, on a phone: each field filled with Vietnamese text, saved, the
page reloaded (or its edit page opened), and what was typed is there again.

Pages that take input, and the test that round-trips them:

  page (URL)                                          test
  --------------------------------------------------  -------------------------------------------
  activity record and edit (/activities/new/, /N/edit/) test_activity_form.py::test_every_field_of_an_activity_is_kept_and_the_photo_shows
  profile, e-mail preference (/profile/)              test_activity_form.py::test_the_email_preference_is_kept
  people list import and one person (/units/N/people/) test_people_and_attendance.py
  who attended (/activities/N/attendance/)            test_people_and_attendance.py (ticks, names);
                                                      test_people_added_and_attendance_from_a_sheet_or_the_whole_unit
                                                      (sign-in sheet, the whole unit)
  a person added (/units/N/people/, "Thêm người")     test_people_added_and_attendance_from_a_sheet_or_the_whole_unit
  plan review: issuer, open past periods              test_plan_import_choices.py
  report: signer's name (/reports/N/)                 test_report_signer.py
  report: submit, return with comment, approve        test_report_cycle.py
  login (/accounts/login/)                            test_reporter_journey.py
  assistant question from a website (widget)          test_assistant_widget.py
  plan by hand (/plans/new/) and edit (/plans/N/edit/,
    header, tasks added, changed, removed)            test_plan_by_hand_then_edited_header_and_tasks
  task table upload (/plans/N/tasks/upload/)          test_plan_by_hand_then_edited_header_and_tasks
  plan edit, every part: tasks' units and due dates,
    targets, report deadlines, units of "Tổ chức thực
    hiện" (/plans/N/edit/); withdraw (/plans/N/withdraw/) test_plan_edit_page.py
  ad hoc reporting period (/reports/periods/new/)     tests/test_plan_edit.py (Django client)
  plan upload → review (/plans/upload/, /plans/imports/N/):
    header, targets, tasks, units to create           test_plan_review_every_field_is_the_plan_saved
  unit create and edit (/units/N/add/, /units/N/edit/) test_unit_members_and_figures
  unit move (/units/N/move/)                          test_unit_members_and_figures
  members: grant a role, invite (/units/N/members/)   test_unit_members_and_figures
  unit figures (/units/N/figures/)                    test_unit_members_and_figures
  report: results, difficulties, proposals, signer,
    typed figure with source, return comment and
    task comments, reopen reason (/reports/N/)        test_report_every_field_and_the_focal_points_comments
  report: task status and narrative                   test_report_every_field_and_the_focal_points_comments
                                                      (and test_report_cycle.py)
  report started (/reports/periods/N/start/)          test_report_cycle.py
  activity edit: every field, evidence removed, link
    added (/activities/N/edit/)                       test_activity_edited_role_removed_and_language_chosen
  role removed (/units/memberships/N/revoke/)         test_activity_edited_role_removed_and_language_chosen
  language (/i18n/setlang/)                           test_activity_edited_role_removed_and_language_chosen
  activity sheet import (/activities/import/)         test_activity_sheet_import_and_withdraw
  activity withdraw (/activities/N/withdraw/)         test_activity_sheet_import_and_withdraw
  assistant documents upload (/assistant/documents/)  test_assistant_documents_faq_and_answers
  FAQ entry and staff answer (/assistant/questions/)  test_assistant_documents_faq_and_answers
  assistant page question (/assistant/CODE/)          test_assistant_documents_faq_and_answers
  password change (/accounts/password_change/)        test_password_dashboard_views_and_notices
  password reset by e-mail (/accounts/password_reset/,
    /accounts/reset/…/)                               test_password_dashboard_views_and_notices
  assistant answer rated unhelpful (/assistant/rate/N/) test_assistant_documents_faq_and_answers
  document published (/assistant/documents/N/publish/) test_assistant_documents_faq_and_answers
  dashboard filters and saved views (/dashboard/)     test_password_dashboard_views_and_notices
  notification read, one and all (/notifications/read/) test_password_dashboard_views_and_notices
"""

import datetime
import io
import re

import pytest
from django.core import mail
from openpyxl import Workbook, load_workbook

from lantoa.activities.models import Activity
from lantoa.activities.services import activity_record
from lantoa.assistant.models import Question
from lantoa.orgs import notifications
from lantoa.orgs.choices import Role
from lantoa.orgs.models import OrgUnit
from lantoa.plans import services as plan_services
from lantoa.plans.importer import extract_plan, read_document
from lantoa.plans.models import Plan
from lantoa.reports import services as report_services
from lantoa.reports.periods import periods_ensure
from tests.conftest import PASSWORD
from tests.documents import REPORTING_PLAN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, url, username, password=PASSWORD):
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def _save(page, name="Lưu"):
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def _value(page, selector):
    return page.locator(selector).input_value()


def _imported_plan(tree):
    source = read_document(REPORTING_PLAN.encode())
    return plan_services.plan_import(
        actor=None,
        unit=tree.bombo,
        source=source,
        extracted=extract_plan(source.text),
        filename="12-KH-UBND.txt",
    )


def test_plan_by_hand_then_edited_header_and_tasks(live_server, tree, make_user, page):
    make_user(tree.bombo, Role.FOCAL_POINT, username="daumoi.bombo", full_name="Điểu Thị Hoa")
    url = live_server.url
    _sign_in(page, url, "daumoi.bombo")

    page.goto(f"{url}/plans/new/")
    page.select_option("select[name=unit]", str(tree.bombo.pk))
    page.fill("input[name=number]", "63/KH-UBND")
    page.fill("input[name=date]", "2025-10-15")
    page.fill("input[name=issuer]", "Ủy ban nhân dân xã Bom Bo")
    page.fill("textarea[name=title]", "Kế hoạch tuyên truyền chuyển đổi số năm 2026")
    page.fill("input[name=references]", "1169/QĐ-TTg, 45/KH-UBND")
    _save(page)
    plan = Plan.objects.get(number="63/KH-UBND")
    page.reload()
    assert page.locator("h1").inner_text() == "Kế hoạch số 63/KH-UBND"
    assert "Ủy ban nhân dân xã Bom Bo" in page.locator(".eyebrow").text_content()
    assert page.get_by_text("Kế hoạch tuyên truyền chuyển đổi số năm 2026", exact=True).is_visible()
    assert page.get_by_text("15/10/2025").first.is_visible()
    cascade = page.locator(".cascade").inner_text()
    assert "1169/QĐ-TTg" in cascade and "45/KH-UBND" in cascade

    # The edit page: the header as saved, then header and two new tasks changed.
    page.goto(f"{url}/plans/{plan.pk}/edit/")
    assert _value(page, "input[name=plan-number]") == "63/KH-UBND"
    assert _value(page, "input[name=plan-date]") == "2025-10-15"
    assert _value(page, "textarea[name=plan-title]") == (
        "Kế hoạch tuyên truyền chuyển đổi số năm 2026"
    )
    assert _value(page, "input[name=plan-issuer]") == "Ủy ban nhân dân xã Bom Bo"
    page.fill("input[name=plan-number]", "64/KH-UBND")
    page.fill("input[name=plan-date]", "2025-10-20")
    page.fill("textarea[name=plan-title]", "Kế hoạch truyền thông Nghị quyết 57 năm 2026")
    page.fill("input[name=plan-issuer]", "UBND xã Bom Bo")
    tasks = {
        0: ("I", "once", "2026", "in_progress", "Xây dựng chuyên mục “Chuyển đổi số” trên Trang thông tin điện tử xã", "Chuyên mục được đăng tải"),  # noqa: E501
        1: ("II", "annual", "2027", "done", "Tập huấn kỹ năng số cho cán bộ thôn, ấp", "Ít nhất hai lớp tập huấn"),  # noqa: E501
    }  # fmt: skip
    for i, (group, timing, due, status, text, output) in tasks.items():
        page.fill(f"input[name=tasks-{i}-group]", group)
        page.select_option(f"select[name=tasks-{i}-timing]", timing)
        page.fill(f"input[name=tasks-{i}-due_year]", due)
        page.select_option(f"select[name=tasks-{i}-status]", status)
        page.fill(f"textarea[name=tasks-{i}-text]", text)
        page.fill(f"input[name=tasks-{i}-output]", output)
    _save(page)
    assert page.url.endswith(f"/plans/{plan.pk}/")
    page.goto(f"{url}/plans/{plan.pk}/edit/")
    page.reload()
    assert _value(page, "input[name=plan-number]") == "64/KH-UBND"
    assert _value(page, "input[name=plan-date]") == "2025-10-20"
    assert _value(page, "textarea[name=plan-title]") == (
        "Kế hoạch truyền thông Nghị quyết 57 năm 2026"
    )
    assert _value(page, "input[name=plan-issuer]") == "UBND xã Bom Bo"
    for i, (group, timing, due, status, text, output) in tasks.items():
        assert _value(page, f"input[name=tasks-{i}-group]") == group
        assert _value(page, f"select[name=tasks-{i}-timing]") == timing
        assert _value(page, f"input[name=tasks-{i}-due_year]") == due
        assert _value(page, f"select[name=tasks-{i}-status]") == status
        assert _value(page, f"textarea[name=tasks-{i}-text]") == text
        assert _value(page, f"input[name=tasks-{i}-output]") == output

    # The task table: downloaded, every column of the first task changed, uploaded.
    sheet = page.request.get(f"{url}/plans/{plan.pk}/tasks.xlsx")
    book = load_workbook(io.BytesIO(sheet.body()))
    row = book.active[2]
    row[1].value = "III"
    row[2].value = "Phát bản tin chuyển đổi số trên loa truyền thanh mỗi tuần"
    row[3].value = "Hằng năm"
    row[4].value = 2028
    row[5].value = "Phòng Văn hóa - Xã hội"
    row[6].value = "Trường Tiểu học Bom Bo; Đoàn Thanh niên xã"
    row[7].value = "52 bản tin mỗi năm"
    row[8].value = "Đã hoàn thành"
    edited = io.BytesIO()
    book.save(edited)
    page.goto(f"{url}/plans/{plan.pk}/")
    page.set_input_files(
        "input[name=file]",
        {"name": "nhiem-vu.xlsx", "mimeType": "application/octet-stream", "buffer": edited.getvalue()},
    )  # fmt: skip
    _save(page, "Tải lên bảng đã chỉnh sửa")
    assert "Đã cập nhật bảng nhiệm vụ" in page.locator(".messages").inner_text()
    page.reload()
    item = page.locator("ol.tasks li", has_text="Phát bản tin chuyển đổi số trên loa truyền thanh")
    details = item.inner_text()
    for shown in ("Đã hoàn thành", "52 bản tin mỗi năm", "Phòng Văn hóa - Xã hội",
                  "Trường Tiểu học Bom Bo", "Đoàn Thanh niên xã"):  # fmt: skip
        assert shown in details, shown
    assert page.locator("h3", has_text="III").count() == 1
    page.goto(f"{url}/plans/{plan.pk}/edit/")
    assert _value(page, "select[name=tasks-0-timing]") == "annual"
    assert _value(page, "input[name=tasks-0-due_year]") == "2028"
    # A task removed on the edit page is gone.
    page.locator("input[name=tasks-1-DELETE]").check()
    _save(page)
    assert page.url.endswith(f"/plans/{plan.pk}/")  # the empty rows for new tasks left out
    page.goto(f"{url}/plans/{plan.pk}/edit/")
    assert page.locator("textarea[name$=-text]", has_text="Tập huấn kỹ năng số").count() == 0
    assert _value(page, "textarea[name=tasks-0-text]").startswith("Phát bản tin chuyển đổi số")
    assert _value(page, "textarea[name=tasks-1-text]") == ""  # the empty rows for new tasks


def test_plan_review_every_field_is_the_plan_saved(live_server, tree, make_user, page):
    make_user(tree.bombo, Role.FOCAL_POINT, username="daumoi.bombo", full_name="Điểu Thị Hoa")
    url = live_server.url
    _sign_in(page, url, "daumoi.bombo")
    page.goto(f"{url}/plans/upload/")
    page.select_option("select[name=unit]", str(tree.bombo.pk))
    page.set_input_files(
        "input[name=file]",
        {"name": "12-KH-UBND.txt", "mimeType": "text/plain", "buffer": REPORTING_PLAN.encode()},
    )
    _save(page, "Đọc văn bản")
    assert "/plans/imports/" in page.url

    # The header.
    page.fill("input[name=plan-number]", "13/KH-UBND")
    page.fill("input[name=plan-date]", "2025-09-06")
    page.fill(
        "textarea[name=plan-title]", "Truyền thông Nghị quyết số 57-NQ/TW trên địa bàn xã Bom Bo"
    )
    page.fill("input[name=plan-issuer]", "UBND xã Bom Bo")
    # The first target, every field; the second one not kept.
    page.fill("input[name=targets-0-year]", "2026")
    page.select_option("select[name=targets-0-comparator]", ">=")
    page.fill("input[name=targets-0-value]", "95")
    page.select_option("select[name=targets-0-unit]", "%")
    page.fill(
        "textarea[name=targets-0-text]",
        "Năm 2026: ít nhất 95% cán bộ, công chức được phổ biến Nghị quyết",
    )  # noqa: E501
    page.locator("input[name=targets-1-keep]").uncheck()
    # The first task, every field.
    page.fill("input[name=tasks-0-group]", "1")
    page.select_option("select[name=tasks-0-timing]", "once")
    page.fill("input[name=tasks-0-due_year]", "2026")
    page.fill(
        "textarea[name=tasks-0-text]",
        "Duy trì chuyên mục “Nghị quyết 57” trên Trang thông tin điện tử xã Bom Bo",
    )  # noqa: E501
    page.fill("input[name=tasks-0-lead]", "Phòng Văn hóa - Xã hội")
    page.fill("input[name=tasks-0-support]", "Trường Tiểu học Bom Bo; Hội Liên hiệp Phụ nữ xã")
    page.fill("input[name=tasks-0-output]", "Mỗi tháng ít nhất bốn tin, bài")
    # A unit the plan names that is not in the tree: created.
    proposal = page.locator("fieldset.item", has=page.locator("input[name=units-0-code]"))
    name = page.locator("input[name=units-0-name]").input_value()
    proposal.locator("input[name=units-0-create]").check()
    page.fill("input[name=units-0-code]", "25405-TTDV")
    page.select_option("select[name=units-0-kind]", "service_centre")
    with page.expect_navigation():
        page.click("button[name=confirm]")

    plan = Plan.objects.get(number="13/KH-UBND")
    assert page.url.endswith(f"/plans/{plan.pk}/")
    page.reload()
    assert page.locator("h1").inner_text() == "Kế hoạch số 13/KH-UBND"
    assert "UBND xã Bom Bo" in page.locator(".eyebrow").text_content()
    assert page.get_by_text("06/09/2025").first.is_visible()
    target = page.locator("ul.targets li")
    assert target.count() == 1
    assert "≥ 95%" in target.inner_text()
    assert "ít nhất 95% cán bộ, công chức được phổ biến Nghị quyết" in target.inner_text()
    assert page.locator("h3", has_text="2026").count() >= 1
    task = page.locator("ol.tasks li", has_text="Duy trì chuyên mục “Nghị quyết 57”").inner_text()
    for shown in ("Mỗi tháng ít nhất bốn tin, bài", "Phòng Văn hóa - Xã hội",
                  "Trường Tiểu học Bom Bo", "Hội Liên hiệp Phụ nữ xã", "2026"):  # fmt: skip
        assert shown in task, shown
    created = OrgUnit.objects.get(code="25405-TTDV")
    assert page.get_by_role("link", name=created.name).is_visible() and created.name == name

    page.goto(f"{url}/plans/{plan.pk}/edit/")
    assert _value(page, "input[name=plan-number]") == "13/KH-UBND"
    assert _value(page, "input[name=plan-date]") == "2025-09-06"
    assert _value(page, "textarea[name=plan-title]") == (
        "Truyền thông Nghị quyết số 57-NQ/TW trên địa bàn xã Bom Bo"
    )
    assert _value(page, "input[name=plan-issuer]") == "UBND xã Bom Bo"
    assert _value(page, "input[name=tasks-0-group]") == "1"
    assert _value(page, "select[name=tasks-0-timing]") == "once"
    assert _value(page, "input[name=tasks-0-due_year]") == "2026"
    assert _value(page, "input[name=tasks-0-output]") == "Mỗi tháng ít nhất bốn tin, bài"
    page.goto(f"{url}/units/{created.pk}/edit/")
    assert _value(page, "input[name=code]") == "25405-TTDV"
    assert _value(page, "select[name=kind]") == "service_centre"


def test_unit_members_and_figures(live_server, tree, make_user, page):
    make_user(tree.bombo, Role.FOCAL_POINT, username="daumoi.bombo", full_name="Điểu Thị Hoa")
    make_user(tree.school, Role.VIEWER, username="gv.tuyet", full_name="Võ Thị Tuyết")
    url = live_server.url
    _sign_in(page, url, "daumoi.bombo")

    # A sub-unit added, then edited.
    page.goto(f"{url}/units/{tree.bombo.pk}/add/")
    page.fill("input[name=code]", "25405-DTN")
    page.fill("input[name=name]", "Đoàn Thanh niên xã Bom Bo")
    page.select_option("select[name=kind]", "mass_organisation")
    _save(page)
    unit = OrgUnit.objects.get(code="25405-DTN")
    page.goto(f"{url}/units/{unit.pk}/edit/")
    page.reload()
    assert _value(page, "input[name=code]") == "25405-DTN"
    assert _value(page, "input[name=name]") == "Đoàn Thanh niên xã Bom Bo"
    assert _value(page, "select[name=kind]") == "mass_organisation"
    page.fill("input[name=code]", "25405-DOANTN")
    page.fill("input[name=name]", "Đoàn Thanh niên Cộng sản Hồ Chí Minh xã Bom Bo")
    page.select_option("select[name=kind]", "office")
    _save(page)
    page.goto(f"{url}/units/{unit.pk}/edit/")
    assert _value(page, "input[name=code]") == "25405-DOANTN"
    assert _value(page, "input[name=name]") == "Đoàn Thanh niên Cộng sản Hồ Chí Minh xã Bom Bo"
    assert _value(page, "select[name=kind]") == "office"
    # ...and moved under the office of culture.
    page.goto(f"{url}/units/{unit.pk}/move/")
    page.fill("input[name=new_parent]", "25405-VHXH")
    _save(page)
    page.reload()
    assert page.locator(".breadcrumb, nav").filter(has_text="Phòng Văn hóa - Xã hội").count()

    # People and roles: a new account invited, an account of the commune given a role.
    page.goto(f"{url}/units/{tree.bombo.pk}/members/")
    page.fill("input[name=username]", "nguyen.thi.lan")
    page.select_option("select[name=role]", "reporter")
    page.fill("input[name=full_name]", "Nguyễn Thị Lan")
    page.fill("input[name=email]", "lan.nguyen@bombo.gov.vn")
    _save(page, "Giao vai trò")
    page.fill("input[name=username]", "gv.tuyet")
    page.select_option("select[name=role]", "viewer")
    _save(page, "Giao vai trò")
    page.reload()
    row = page.locator("tr", has_text="nguyen.thi.lan").inner_text()
    assert "Nguyễn Thị Lan" in row and "Người báo cáo" in row
    row = page.locator("tr", has_text="gv.tuyet").inner_text()
    assert "Võ Thị Tuyết" in row and "Người xem" in row
    assert [m.to for m in mail.outbox] == [["lan.nguyen@bombo.gov.vn"]]

    # The unit's own figures and their source.
    page.goto(f"{url}/units/{tree.bombo.pk}/figures/")
    figures = {"officials_total": "34", "communication_staff_total": "5",
               "population": "12850", "website_section": "1", "network_formed": "0"}  # fmt: skip
    for key, value in figures.items():
        page.fill(f"input[name={key}]", value)
    source = "Quyết định số 15/QĐ-UBND ngày 02/01/2025 giao biên chế của UBND xã"
    page.fill("input[name=source]", source)
    _save(page)
    page.goto(f"{url}/units/{tree.bombo.pk}/figures/")
    page.reload()
    for key, value in figures.items():
        assert _value(page, f"input[name={key}]") == value, key
    assert _value(page, "input[name=source]") == source
    # A figure emptied is no longer stated.
    page.fill("input[name=population]", "")
    _save(page)
    page.goto(f"{url}/units/{tree.bombo.pk}/figures/")
    assert _value(page, "input[name=population]") == ""
    assert _value(page, "input[name=officials_total]") == "34"


def _unfold(page):
    """Open every folded part of the page, so each field in it can be typed into."""
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")


def test_report_every_field_and_the_focal_points_comments(live_server, tree, make_user, page):
    plan = _imported_plan(tree)
    task = plan.tasks.order_by("order").first()
    reporter = make_user(tree.school, Role.REPORTER, username="gv.bombo", full_name="Lê Thị Hà")
    make_user(tree.bombo, Role.FOCAL_POINT, username="daumoi.bombo", full_name="Điểu Thị Hoa")
    report = report_services.submission_draft(
        actor=reporter, period=periods_ensure(plan, 2025)[1], unit=tree.school
    )
    url = live_server.url
    report_url = f"{url}/reports/{report.pk}/"
    texts = {
        "narrative": "Trường đã tổ chức 3 buổi sinh hoạt chuyên đề về Nghị quyết 57.\nĐăng 12 tin, bài.",  # noqa: E501
        "difficulties": "Đường truyền Internet ở điểm trường Bù Tam còn chập chờn.",
        "proposals": "Đề nghị UBND xã hỗ trợ kinh phí nâng cấp phòng máy tính.",
    }
    _sign_in(page, url, "gv.bombo")
    page.goto(report_url)
    _unfold(page)
    for name, text in texts.items():
        page.fill(f"textarea[name={name}]", text)
    page.fill("input[name=signer_name]", "Trần Văn Hiệu")
    task_values = {
        t.pk: (status, f"{t.text[:30]}: đã thực hiện, {n + 1} tin bài.")
        for n, (t, status) in enumerate(zip(plan.tasks.order_by("order"),
                                            ["done", "in_progress", "overdue"], strict=False))
    }  # fmt: skip
    for pk, (status, narrative) in task_values.items():
        page.select_option(f"select[name=status_{pk}]", status)
        page.fill(f"textarea[name=narrative_{pk}]", narrative)
    _save(page, "Lưu bản nháp")
    page.reload()
    for name, text in texts.items():
        assert _value(page, f"textarea[name={name}]") == text, name
    assert _value(page, "input[name=signer_name]") == "Trần Văn Hiệu"
    for pk, (status, narrative) in task_values.items():
        assert _value(page, f"select[name=status_{pk}]") == status, pk
        assert _value(page, f"textarea[name=narrative_{pk}]") == narrative, pk

    # A figure nothing computes, typed with its source.
    _unfold(page)
    indicator = page.locator("select[name=indicator] option").first
    label = indicator.inner_text()
    page.select_option("select[name=indicator]", indicator.get_attribute("value"))
    page.fill("input[name=numerator]", "28")
    page.fill("input[name=denominator]", "34")
    page.fill("input[name=source]", "Biên bản hội nghị ngày 12/9/2025 của Trường Tiểu học Bom Bo")
    _save(page, "Lưu số liệu")
    page.reload()
    row = page.locator("tbody tr", has_text=label).first.inner_text()
    assert "Biên bản hội nghị ngày 12/9/2025 của Trường Tiểu học Bom Bo" in row
    assert "82,4%" in row  # 28 out of 34
    _save(page, "Gửi báo cáo")

    # The commune returns it with a comment on the whole and one on a task.
    _sign_in(page, url, "daumoi.bombo")
    page.goto(report_url)
    _unfold(page)
    page.fill("textarea[name=comment]", "Đề nghị bổ sung ảnh chụp buổi sinh hoạt chuyên đề.")
    page.fill(f"input[name=comment_{task.pk}]", "Nêu rõ số tin, bài đã đăng trên trang của trường.")
    _save(page, "Trả lại kèm ý kiến")

    _sign_in(page, url, "gv.bombo")
    page.goto(report_url)
    page.reload()
    _unfold(page)
    assert page.locator(
        "p", has_text="Đề nghị bổ sung ảnh chụp buổi sinh hoạt chuyên đề."
    ).first.is_visible()
    assert page.locator(
        "p", has_text="Nêu rõ số tin, bài đã đăng trên trang của trường."
    ).first.is_visible()
    for name, text in texts.items():
        assert _value(page, f"textarea[name={name}]") == text, name
    _save(page, "Gửi báo cáo")

    # Approved, then reopened with a reason the reporter reads.
    _sign_in(page, url, "daumoi.bombo")
    page.goto(report_url)
    _save(page, "Phê duyệt")
    page.fill("textarea[name=reason]", "Sai số liệu cán bộ được phổ biến, cần điều chỉnh lại.")
    _save(page, "Mở lại để chỉnh sửa")
    _sign_in(page, url, "gv.bombo")
    page.goto(report_url)
    assert page.locator(
        "p", has_text="Sai số liệu cán bộ được phổ biến, cần điều chỉnh lại."
    ).first.is_visible()


def test_activity_sheet_import_and_withdraw(live_server, tree, make_user, page):
    source = read_document(REPORTING_PLAN.encode())
    extracted = extract_plan(source.text)
    extracted.tasks[2].lead = ["Trường Tiểu học Bom Bo"]
    plan = plan_services.plan_import(
        actor=None, unit=tree.bombo, source=source, extracted=extracted, filename="k.txt"
    )
    task = plan.tasks.get(order=2)
    make_user(tree.school, Role.REPORTER, username="gv.bombo", full_name="Lê Thị Hà")
    url = live_server.url
    _sign_in(page, url, "gv.bombo")

    # The sheet template, one row filled in every column.
    template = load_workbook(
        io.BytesIO(page.request.get(f"{url}/activities/import/template.xlsx").body())
    )  # noqa: E501
    sheet = template.active
    title = "Tập huấn kỹ năng truyền thông số cho giáo viên chủ nhiệm"
    sheet.append(["25405-THBB", "Tập huấn, bồi dưỡng", "03/10/2025", title,
                  35, 30, 4, 120, 2, 45, task.pk])  # fmt: skip
    data = io.BytesIO()
    template.save(data)
    page.goto(f"{url}/activities/import/")
    page.set_input_files(
        "input[name=file]",
        {"name": "hoat-dong.xlsx", "mimeType": "application/octet-stream", "buffer": data.getvalue()},
    )  # fmt: skip
    _save(page, "Nhập")
    activity = Activity.objects.get(title=title)
    page.goto(f"{url}/activities/{activity.pk}/edit/")
    page.reload()
    assert _value(page, "select[name=unit]") == str(tree.school.pk)
    assert _value(page, "select[name=kind]") == "training"
    assert _value(page, "input[name=date]") == "2025-10-03"
    assert _value(page, "input[name=title]") == title
    for name, value in {"participants": "35", "officials": "30", "staff_trained": "4",
                        "audience": "120", "items": "2", "minutes": "45"}.items():  # fmt: skip
        assert _value(page, f"input[name={name}]") == value, name
    assert page.locator(f".task-option input[value='{task.pk}']").is_checked()

    # Withdrawn with a reason: the reason is on the activity's page.
    page.goto(f"{url}/activities/{activity.pk}/")
    assert page.title().startswith(title) and "<" not in page.title()
    page.get_by_role("link", name="Rút hoạt động").click()
    page.fill("textarea[name=reason]", "Nhập trùng với hoạt động đã ghi nhận ngày 03/10/2025.")
    _save(page, "Rút hoạt động")
    page.reload()
    assert page.locator(
        "[role=status]", has_text="Nhập trùng với hoạt động đã ghi nhận ngày 03/10/2025."
    ).is_visible()  # noqa: E501
    assert page.locator("[role=status]", has_text="Lê Thị Hà").is_visible()


GUIDE = """HƯỚNG DẪN CÀI ĐẶT VNEID
1. Nơi được hỗ trợ
Công dân được hỗ trợ cài đặt và kích hoạt tài khoản định danh điện tử VNeID tại Công an xã Bom Bo.
"""


def _ask(page, url, code, question):
    page.goto(f"{url}/assistant/{code}/")
    page.fill("input[name=q]", question)
    _save(page, "Hỏi")
    return page.locator(".bubble.bot").first.inner_text()


def test_assistant_documents_faq_and_answers(live_server, tree, make_user, page):
    make_user(tree.bombo, Role.EDITOR, username="bientap.bombo", full_name="Phạm Thị Mai")
    make_user(tree.bombo, Role.APPROVER, username="duyet.bombo", full_name="Nguyễn Văn Duyệt")
    waiting = Question.objects.create(
        unit=tree.bombo, text="Ấp Bù Tam có điểm phát Wi-Fi miễn phí không?", channel="web",
        status="waiting",
    )  # fmt: skip
    url = live_server.url
    _sign_in(page, url, "bientap.bombo")

    # A document added to the assistant.
    page.goto(f"{url}/assistant/documents/")
    page.select_option("select[name=unit]", str(tree.bombo.pk))
    page.set_input_files(
        "input[name=file]",
        {"name": "huong-dan-vneid.txt", "mimeType": "text/plain", "buffer": GUIDE.encode()},
    )
    _save(page, "Thêm vào trợ lý")
    page.reload()
    row = page.locator("tbody tr").first.inner_text()
    assert "HƯỚNG DẪN CÀI ĐẶT VNEID" in row and "Xã Bom Bo" in row

    # An FAQ entry, and the answer to a waiting question made an FAQ entry too.
    page.goto(f"{url}/assistant/questions/")
    faq = page.locator("form", has=page.locator("select[name=unit]"))
    faq.locator("select[name=unit]").select_option(str(tree.bombo.pk))
    faq.locator("input[name=question]").fill("Lịch tiếp công dân của UBND xã Bom Bo?")
    faq.locator("textarea[name=answer]").fill(
        "UBND xã tiếp công dân vào sáng thứ Ba và thứ Năm hằng tuần tại Bộ phận một cửa."
    )
    with page.expect_navigation():
        faq.get_by_role("button", name="Thêm", exact=True).click()
    item = page.locator("article", has_text=waiting.text)
    item.locator("textarea[name=answer]").fill(
        "Ấp Bù Tam có điểm Wi-Fi miễn phí tại nhà văn hóa ấp, mở từ 7 giờ đến 21 giờ."
    )
    item.locator("input[name=make_faq]").check()
    with page.expect_navigation():
        item.get_by_role("button", name="Gửi câu trả lời").click()
    page.reload()
    # Answered: no longer to answer, its FAQ entry awaiting approval.
    answered = page.locator("article", has_text=waiting.text)
    assert answered.count() == 1 and answered.locator("textarea[name=answer]").count() == 0

    # The approver publishes the document; the citizen's assistant answers from all three.
    _sign_in(page, url, "duyet.bombo")
    page.goto(f"{url}/assistant/documents/")
    _save(page, "Duyệt và công bố")
    page.reload()
    assert "Đã công bố" in page.locator("tbody tr").first.inner_text()
    # And the two FAQ entries, on the questions page.
    page.goto(f"{url}/assistant/questions/")
    for _entry in range(2):
        with page.expect_navigation():
            page.get_by_role("button", name="Duyệt và công bố", exact=True).first.click()
    assert page.get_by_role("button", name="Duyệt và công bố", exact=True).count() == 0
    page.context.clear_cookies()
    code = tree.bombo.code
    assert "sáng thứ Ba và thứ Năm" in _ask(page, url, code, "lich tiep cong dan cua xa")
    assert "nhà văn hóa ấp" in _ask(page, url, code, "Ấp Bù Tam có Wi-Fi miễn phí không")
    assert "Công an xã Bom Bo" in _ask(page, url, code, "cài đặt VNeID ở đâu")
    # Rated unhelpful: the question comes back to the staff's queue.
    _save(page, "Không")
    _sign_in(page, url, "bientap.bombo")
    page.goto(f"{url}/assistant/questions/")
    assert page.locator("article", has_text="cài đặt VNeID ở đâu").count() == 1


def test_password_dashboard_views_and_notices(live_server, tree, make_user, page):
    focal = make_user(
        tree.bombo, Role.FOCAL_POINT, username="daumoi.bombo", full_name="Điểu Thị Hoa"
    )  # noqa: E501
    for text in ("Báo cáo của Trường Tiểu học Bom Bo đã được gửi", "Sắp đến hạn báo cáo 6 tháng"):
        notifications.notify([focal], kind="other", text=text, url="/reports/")
    url = live_server.url
    _sign_in(page, url, "daumoi.bombo")

    # Notices marked read, one from the home page, then all.
    inbox = page.locator(".inbox li.notice")
    assert inbox.count() == 2
    with page.expect_navigation():
        inbox.filter(has_text="Sắp đến hạn báo cáo 6 tháng").get_by_role("button").click()
    page.reload()
    assert page.locator(".inbox li.notice").count() == 1
    assert page.locator(".inbox li.notice", has_text="Sắp đến hạn").count() == 0
    page.goto(f"{url}/notifications/")
    _save(page, "Đánh dấu tất cả là đã đọc")
    page.reload()
    assert page.get_by_role("button", name="Đánh dấu đã đọc").count() == 0
    assert page.locator("li.notice.unread").count() == 0
    page.goto(f"{url}/")
    assert page.locator(".inbox li.notice").count() == 0

    # The dashboard's filters, saved as a named view and opened again.
    page.goto(f"{url}/dashboard/")
    page.select_option("select[name=unit]", str(tree.school.pk))
    page.fill("input[name=start]", "2025-01-01")
    page.fill("input[name=end]", "2025-06-30")
    _unfold(page)
    boxes = page.locator("input[name=indicator]")
    chosen = [boxes.nth(0).get_attribute("value"), boxes.nth(2).get_attribute("value")]
    for code in chosen:
        page.check(f"input[name=indicator][value='{code}']")
    _save(page, "Xem")
    name = "Theo dõi 6 tháng đầu năm – Trường Tiểu học Bom Bo"
    page.fill("input[name=name]", name)
    _save(page)
    page.goto(f"{url}/dashboard/")
    page.reload()
    with page.expect_navigation():
        page.get_by_role("link", name=name).click()
    assert _value(page, "select[name=unit]") == str(tree.school.pk)
    assert _value(page, "input[name=start]") == "2025-01-01"
    assert _value(page, "input[name=end]") == "2025-06-30"
    checked = page.locator("input[name=indicator]:checked")
    assert [checked.nth(i).get_attribute("value") for i in range(checked.count())] == chosen

    # The password changed: the new one signs in, the old one no longer does.
    page.goto(f"{url}/accounts/password_change/")
    page.fill("input[name=old_password]", PASSWORD)
    page.fill("input[name=new_password1]", "Bom-Bo-chuyen-doi-so-2026")
    page.fill("input[name=new_password2]", "Bom-Bo-chuyen-doi-so-2026")
    _save(page)
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", "daumoi.bombo")
    page.fill("input[name=password]", PASSWORD)
    _save(page, "Đăng nhập")
    assert "/accounts/login/" in page.url
    _sign_in(page, url, "daumoi.bombo", "Bom-Bo-chuyen-doi-so-2026")

    # Forgotten: reset by e-mail, the link's page sets another one.
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/password_reset/")
    page.fill("input[name=email]", "daumoi.bombo@example.vn")
    _save(page)
    link = re.search(r"https?://\S+/reset/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.fill("input[name=new_password1]", "Xa-Bom-Bo-Dong-Nai-2027")
    page.fill("input[name=new_password2]", "Xa-Bom-Bo-Dong-Nai-2027")
    _save(page)
    _sign_in(page, url, "daumoi.bombo", "Xa-Bom-Bo-Dong-Nai-2027")


def test_activity_edited_role_removed_and_language_chosen(live_server, tree, make_user, page):
    plan = _imported_plan(tree)
    first, second = plan.tasks.order_by("order")[:2]
    make_user(tree.bombo, Role.FOCAL_POINT, username="daumoi.bombo", full_name="Điểu Thị Hoa")
    make_user(tree.bombo, Role.VIEWER, username="k.ngoc", full_name="K' Ngọc")
    old_link = "https://bombo.dongnai.gov.vn/tin-tuc/hoi-nghi-quan-triet"
    activity = activity_record(
        actor=None, unit=tree.bombo, kind="meeting", date=datetime.date(2025, 9, 10),
        title="Hội nghị quán triệt Nghị quyết 57", counts={"participants": 40},
        tasks=[first], links=[old_link],
    )  # fmt: skip
    url = live_server.url
    _sign_in(page, url, "daumoi.bombo")

    page.goto(f"{url}/activities/{activity.pk}/edit/")
    with page.expect_response(lambda r: "/activities/tasks/" in r.url):
        page.select_option("select[name=unit]", str(tree.vhxh.pk))
    page.select_option("select[name=kind]", "broadcast")
    page.fill("input[name=date]", "2025-09-12")
    title = "Phát sóng chuyên đề “Chuyển đổi số ở xã Bom Bo” trên loa truyền thanh"
    page.fill("input[name=title]", title)
    page.wait_for_timeout(200)  # the task picker redrawn for the unit
    _unfold(page)
    page.locator(f".task-option input[value='{second.pk}']").check()
    page.locator(f".task-option input[value='{first.pk}']").uncheck()
    counts = {"participants": "", "officials": "", "staff_trained": "2",
              "audience": "3500", "items": "4", "minutes": "60"}  # fmt: skip
    for name, value in counts.items():
        page.fill(f"input[name={name}]", value)
    description = "Phát 4 buổi vào 6 giờ sáng.\nNội dung do Phòng Văn hóa - Xã hội biên soạn."
    page.fill("textarea[name=description]", description)
    new_link = "https://www.facebook.com/ubndxabombo/videos/chuyen-doi-so"
    page.fill("textarea[name=links]", new_link)
    page.locator("label", has_text=old_link).locator("input[name=remove_evidence]").check()
    _save(page)
    page.goto(f"{url}/activities/{activity.pk}/edit/")
    page.reload()
    assert _value(page, "select[name=unit]") == str(tree.vhxh.pk)
    assert _value(page, "select[name=kind]") == "broadcast"
    assert _value(page, "input[name=date]") == "2025-09-12"
    assert _value(page, "input[name=title]") == title
    assert page.locator(f".task-option input[value='{second.pk}']").is_checked()
    assert not page.locator(f".task-option input[value='{first.pk}']").is_checked()
    for name, value in counts.items():
        assert _value(page, f"input[name={name}]") == value, name
    assert _value(page, "textarea[name=description]") == description
    assert page.get_by_text(new_link).is_visible()
    assert page.get_by_text(old_link).count() == 0

    # A role removed from the unit's people.
    page.goto(f"{url}/units/{tree.bombo.pk}/members/")
    with page.expect_navigation():
        page.locator("tr", has_text="k.ngoc").get_by_role("button", name="Thu hồi").click()
    page.reload()
    assert page.locator("tr", has_text="k.ngoc").count() == 0
    assert page.locator("tr", has_text="daumoi.bombo").count() == 1

    # English chosen, kept from page to page; Vietnamese again.
    page.locator("label.navtoggle-label").click()
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    page.goto(f"{url}/profile/")
    assert page.locator("h1").inner_text() == "My profile"
    page.locator("label.navtoggle-label").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Tiếng Việt").click()
    page.reload()
    assert page.locator("h1").inner_text() == "Hồ sơ của tôi"


def test_people_added_and_attendance_from_a_sheet_or_the_whole_unit(
    live_server, tree, make_user, page
):
    make_user(tree.bombo, Role.REPORTER, username="baocao.bombo", full_name="Thị Bích")
    meeting = activity_record(
        actor=None, unit=tree.bombo, kind="meeting", date=datetime.date(2025, 9, 20),
        title="Hội nghị triển khai Kế hoạch chuyển đổi số", counts={"participants": 2},
    )  # fmt: skip
    url = live_server.url
    _sign_in(page, url, "baocao.bombo")

    # People added one by one, every field.
    page.goto(f"{url}/units/{tree.bombo.pk}/people/")
    people = [("Điểu Thị Mơ", "Công chức Văn hóa - Xã hội", "communication", True),
              ("K' Brơi", "Trưởng ấp Bù Tam", "staff", False),
              ("Lê Văn Tâm", "Phó Chủ tịch UBND xã", "official", True)]  # fmt: skip
    for full_name, position, kind, active in people:
        _unfold(page)
        form = page.locator("details form")
        form.locator("input[name=full_name]").fill(full_name)
        form.locator("input[name=position]").fill(position)
        form.locator("select[name=kind]").select_option(kind)
        form.locator("input[name=is_active]").set_checked(active)
        with page.expect_navigation():
            form.get_by_role("button", name="Thêm", exact=True).click()
    page.reload()
    for full_name, position, kind, active in people:
        row = page.locator("tbody form", has=page.locator(f'input[value="{full_name}"]'))
        assert row.locator("input[name=position]").input_value() == position
        assert row.locator("select[name=kind]").input_value() == kind
        assert row.locator("input[name=is_active]").is_checked() == active

    # Who attended: from a sign-in sheet (serial numbers, a header, names without accents).
    sheet = Workbook()
    for row in (("STT", "Họ và tên", "Ký tên"), (1, "dieu thi mo", "")):
        sheet.active.append(row)
    data = io.BytesIO()
    sheet.save(data)
    page.goto(f"{url}/activities/{meeting.pk}/attendance/")
    page.set_input_files(
        "input[name=file]",
        {"name": "ky-ten.xlsx", "mimeType": "application/octet-stream", "buffer": data.getvalue()},
    )  # fmt: skip
    _save(page, "Lưu danh sách tham dự")
    page.reload()
    assert page.get_by_label("Điểu Thị Mơ, Công chức Văn hóa - Xã hội").is_checked()
    assert not page.get_by_label("Lê Văn Tâm, Phó Chủ tịch UBND xã").is_checked()
    # ...then the whole unit.
    page.get_by_label("Toàn thể đơn vị tham dự (mọi người trong danh sách)").check()
    _save(page, "Lưu danh sách tham dự")
    page.reload()
    assert page.get_by_label("Điểu Thị Mơ, Công chức Văn hóa - Xã hội").is_checked()
    assert page.get_by_label("Lê Văn Tâm, Phó Chủ tịch UBND xã").is_checked()
    assert page.get_by_text("2 người tham dự").is_visible()
