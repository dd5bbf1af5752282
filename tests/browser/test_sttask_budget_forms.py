"""The S&T task and budget forms on a phone: every field of each create form filled, saved,
the page reloaded (the edit page opened) and every value there again."""

import datetime

import pytest

from lantoa.activities import services as activity_services
from lantoa.orgs.choices import Role
from lantoa.plans.models import Task
from lantoa.programme.models import BudgetEstimate, BudgetSpending, STTask
from tests.conftest import PASSWORD, _asset_factory, _plan_factory
from tests.test_public_section import publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_every_field_of_an_st_task_is_kept(live_server, tree, make_user, page, screenshot):
    reporter = make_user(tree.skhcn, Role.REPORTER)
    item = publish(tree.skhcn, make_user(tree.skhcn, Role.EDITOR), "Giới thiệu đề tài hồi")
    event = activity_services.activity_record(
        actor=None,
        unit=tree.skhcn,
        kind="event",
        date=datetime.date(2025, 6, 1),
        title="Hội thảo khoa học về cây hồi",
    )
    _sign_in(page, live_server, reporter.username)
    page.goto(f"{live_server.url}/programme/st-tasks/new/")
    page.select_option("select[name=unit]", str(tree.skhcn.pk))
    page.fill("input[name=code]", "ĐTKHCN.LS.2025.07")
    page.fill("input[name=title]", "Nghiên cứu chọn giống hồi cao sản")
    page.select_option("select[name=level]", "ministerial")
    page.fill("input[name=host_organisation]", "Viện Nghiên cứu Lâm sinh")
    page.fill("input[name=lead_researcher]", "Hoàng Thị Mai")
    page.fill("input[name=budget]", "1750000000")
    page.fill("input[name=start_year]", "2025")
    page.fill("input[name=end_year]", "2027")
    page.select_option("select[name=status]", "in_progress")
    page.check("input[name=registered]")
    page.fill("input[name=registration_number]", "2025-20-099")
    page.fill("input[name=registration_date]", "2025-05-20")
    page.check("input[name=secret]")
    page.check(f"input[name=content_items][value='{item.pk}']")
    page.check(f"input[name=activities][value='{event.pk}']")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url("**/programme/st-tasks/*/")
    screenshot("sttask-detail")

    task = STTask.objects.get()
    assert task.secret and task.registered and task.budget == 1_750_000_000
    assert task.registration_date == datetime.date(2025, 5, 20)
    page.reload()
    body = page.locator("main").inner_text()
    for text in ("Hoàng Thị Mai", "Viện Nghiên cứu Lâm sinh", "2025-20-099", "2025–2027"):
        assert text in body
    assert "Giới thiệu đề tài hồi" in body and "Hội thảo khoa học về cây hồi" in body

    page.goto(f"{live_server.url}/programme/st-tasks/{task.pk}/edit/")
    assert page.input_value("input[name=code]") == "ĐTKHCN.LS.2025.07"
    assert page.input_value("input[name=title]") == "Nghiên cứu chọn giống hồi cao sản"
    assert page.input_value("select[name=level]") == "ministerial"
    assert page.input_value("input[name=host_organisation]") == "Viện Nghiên cứu Lâm sinh"
    assert page.input_value("input[name=lead_researcher]") == "Hoàng Thị Mai"
    assert page.input_value("input[name=budget]") == "1750000000"
    assert page.input_value("input[name=start_year]") == "2025"
    assert page.input_value("input[name=end_year]") == "2027"
    assert page.input_value("select[name=status]") == "in_progress"
    assert page.is_checked("input[name=registered]") and page.is_checked("input[name=secret]")
    assert page.input_value("input[name=registration_number]") == "2025-20-099"
    assert page.input_value("input[name=registration_date]") == "2025-05-20"
    assert page.is_checked(f"input[name=content_items][value='{item.pk}']")
    assert page.is_checked(f"input[name=activities][value='{event.pk}']")

    # A wrong period is refused in Vietnamese, nothing changed.
    page.fill("input[name=end_year]", "2024")
    page.get_by_role("button", name="Lưu").click()
    assert "Năm kết thúc trước năm bắt đầu" in page.locator("main").inner_text()
    task.refresh_from_db()
    assert task.end_year == 2027


def test_every_field_of_an_estimate_an_allocation_and_spending_is_kept(
    live_server, tree, make_user, page, screenshot, tmp_path
):
    reporter = make_user(tree.langson, Role.REPORTER)
    task = Task.objects.create(
        plan=_plan_factory(tree.langson), text="Hội nghị quán triệt", order=0
    )
    asset = _asset_factory(tree.langson)
    _sign_in(page, live_server, reporter.username)

    page.goto(f"{live_server.url}/programme/budget/new/")
    page.select_option("select[name=unit]", str(tree.langson.pk))
    page.select_option("select[name=task]", str(task.pk))
    page.fill("input[name=year]", "2026")
    page.fill("input[name=amount]", "120000000")
    page.fill("input[name=note]", "Nguồn sự nghiệp khoa học")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url("**/programme/budget/*/")
    estimate = BudgetEstimate.objects.get()

    page.fill("input[name=a-date]", "2026-01-15")
    page.fill("input[name=a-amount]", "50000000")
    page.fill("input[name=a-document_number]", "15/QĐ-UBND")
    page.get_by_role("button", name="Lưu kinh phí được giao").click()
    page.wait_for_load_state()

    document = tmp_path / "uy-nhiem-chi.pdf"
    document.write_bytes(PDF)
    page.fill("#spending-form input[name=date]", "2026-02-03")
    page.fill("#spending-form input[name=amount]", "60000000")
    page.fill("#spending-form input[name=description]", "Thuê hội trường và in tài liệu")
    page.fill("#spending-form input[name=document_number]", "UNC 27")
    page.fill("#spending-form input[name=document_date]", "2026-02-02")
    page.set_input_files("#spending-form input[name=document_file]", str(document))
    page.select_option("#spending-form select[name=document_asset]", str(asset.pk))
    page.get_by_role("button", name="Lưu khoản chi").click()
    page.wait_for_load_state()
    screenshot("budget-estimate")

    page.reload()
    body = page.locator("main").inner_text()
    for text in ("15/QĐ-UBND", "Thuê hội trường và in tài liệu", "UNC 27", "02/02/2026",
                 "uy-nhiem-chi.pdf", "Chi vượt kinh phí được giao"):  # fmt: skip
        assert text in body
    spending = BudgetSpending.objects.get()
    assert spending.document_asset == asset and spending.amount == 60_000_000
    assert spending.document_file.read() == PDF

    page.goto(f"{live_server.url}/programme/budget/{estimate.pk}/edit/")
    assert page.input_value("select[name=unit]") == str(tree.langson.pk)
    assert page.input_value("select[name=task]") == str(task.pk)
    assert page.input_value("input[name=year]") == "2026"
    assert page.input_value("input[name=amount]") == "120000000"
    assert page.input_value("input[name=note]") == "Nguồn sự nghiệp khoa học"
