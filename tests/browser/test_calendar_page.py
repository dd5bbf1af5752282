"""The calendar on a phone: an editor creates a campaign from the calendar filling every field,
finds it again on its page and on the calendar's days; the month reads as a list by day with
each kind written out, and moves to the next month."""

import datetime

import pytest

from lantoa.content.models import Campaign
from lantoa.orgs.choices import Role
from lantoa.plans import services as plan_services
from lantoa.plans.models import Task, TaskAssignment
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_a_campaign_made_from_the_calendar_keeps_every_field_and_shows_on_a_phone(
    live_server, tree, make_user, page, screenshot
):
    editor = make_user(tree.bombo, role=Role.EDITOR)
    plan = plan_services.plan_create(
        actor=None, unit=tree.dongnai, number="12/KH-UBND", title="Kế hoạch"
    )
    task = Task.objects.create(
        plan=plan,
        text="Mở chuyên mục NQ57 trên cổng",
        order=0,
        due_date=datetime.date(2026, 10, 20),
    )
    TaskAssignment.objects.create(task=task, unit=tree.bombo, name="Xã Bom Bo", role="lead")
    _sign_in(page, live_server, editor.username)

    page.goto(f"{live_server.url}/channels/calendar/?month=2026-10")
    page.get_by_role("link", name="Chiến dịch mới").click()
    page.select_option("select[name=unit]", str(tree.bombo.pk))
    page.fill("input[name=title]", "Tuần lễ Đổi mới sáng tạo xã Bom Bo")
    page.fill("input[name=starts_on]", "2026-09-28")
    page.fill("input[name=ends_on]", "2026-10-02")
    page.fill("textarea[name=description]", "Chuỗi hoạt động hưởng ứng ngày 1/10")
    page.get_by_role("button", name="Tạo chiến dịch").click()
    page.wait_for_url("**/channels/campaigns/*/")

    campaign = Campaign.objects.get(title="Tuần lễ Đổi mới sáng tạo xã Bom Bo")
    assert (campaign.unit, campaign.starts_on, campaign.ends_on) == (
        tree.bombo,
        datetime.date(2026, 9, 28),
        datetime.date(2026, 10, 2),
    )
    page.reload()
    body = page.locator("main").inner_text()
    assert "Tuần lễ Đổi mới sáng tạo xã Bom Bo" in body
    assert "28/09/2026 – 02/10/2026" in body
    assert "Chuỗi hoạt động hưởng ứng ngày 1/10" in body

    page.locator(".breadcrumb a").click()
    assert "month=2026-09" in page.url
    page.get_by_role("link", name="Tháng sau").click()
    days = page.locator("ul.cal-days.by-day")
    assert days.is_visible()  # the phone's list by day, not the grid
    assert not page.locator("table.cal-grid").is_visible()
    text = days.inner_text()
    assert "Tuần lễ Đổi mới sáng tạo xã Bom Bo" in text
    assert "Ngày Chuyển đổi số quốc gia" in text
    assert "Hạn nhiệm vụ" in text and "Mở chuyên mục NQ57 trên cổng" in text
    # Nothing runs off the side of a phone's screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot("calendar-month-phone")
    # On a wide screen the same month is a grid of weeks from Monday.
    page.set_viewport_size({"width": 1280, "height": 900})
    grid = page.locator("table.cal-grid")
    assert grid.is_visible() and not days.is_visible()
    assert grid.locator("th").first.inner_text() == "T2"
    assert "Ngày Chuyển đổi số quốc gia" in grid.inner_text()
    screenshot("calendar-month-wide")
