"""A commune focal point imports a plan late in the year on a phone: corrects who issued it,
chooses to open the reporting periods already past, confirms, reloads and finds both kept."""

import datetime

import pytest

from lantoa.orgs.choices import Role
from lantoa.plans.models import Plan
from tests.conftest import PASSWORD
from tests.documents import REPORTING_PLAN  # 12/KH-UBND of 05/9/2025

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_importer_sets_the_issuer_and_opens_past_periods(
    live_server, tree, make_user, page, screenshot
):
    make_user(tree.bombo, Role.FOCAL_POINT, username="focal.bombo", full_name="Điểu Thị Hoa")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "focal.bombo")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/plans/upload/")
    page.set_input_files(
        "input[name=file]",
        {"name": "12-KH-UBND.txt", "mimeType": "text/plain", "buffer": REPORTING_PLAN.encode()},
    )
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "/plans/imports/" in page.url

    issuer = page.locator("input[name=plan-issuer]")
    assert issuer.input_value() == "UBND xã Tân Hòa"  # as the document reads
    past = page.locator("input[name=reporting-open_past_periods]")
    assert not past.is_checked()  # the default: past periods stay closed
    issuer.fill("UBND xã Bom Bo")
    past.check()
    screenshot("plan-review-choices")
    with page.expect_navigation():
        page.click("button[name=confirm]")

    plan = Plan.objects.get(number="12/KH-UBND")
    assert page.url.endswith(f"/plans/{plan.pk}/")
    page.reload()
    assert page.locator("h1").inner_text() == "Kế hoạch số 12/KH-UBND"
    assert page.locator(".eyebrow").text_content().strip() == "Kế hoạch · UBND xã Bom Bo"
    # Opened from the plan's adoption (05/9/2025), not from the day of the import.
    assert page.locator(".owed-from").inner_text() == "phải báo cáo từ ngày 05/09/2025"
    screenshot("plan-imported")
    assert plan.issuer_name == "UBND xã Bom Bo" and plan.reports_from is None

    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/")
    assert page.locator("input[name=plan-issuer]").input_value() == "UBND xã Bom Bo"


def test_left_unticked_only_the_periods_ahead_are_opened(live_server, tree, make_user, page):
    make_user(tree.bombo, Role.FOCAL_POINT, username="focal.bombo")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "focal.bombo")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/plans/upload/")
    page.set_input_files(
        "input[name=file]",
        {"name": "12-KH-UBND.txt", "mimeType": "text/plain", "buffer": REPORTING_PLAN.encode()},
    )
    with page.expect_navigation():
        page.click("button[type=submit]")
    with page.expect_navigation():
        page.click("button[name=confirm]")
    page.reload()
    today = datetime.date.today().strftime("%d/%m/%Y")
    assert page.locator(".owed-from").inner_text() == f"phải báo cáo từ ngày {today}"
    assert Plan.objects.get().reports_from == datetime.date.today()
