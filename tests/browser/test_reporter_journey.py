"""A commune reporter on a phone: signs in, browses the tree, is refused another commune."""

import pytest

from lantoa.orgs.choices import Role
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commune_reporter_browses_and_is_refused_another_commune(
    live_server, tree, make_user, page, screenshot
):
    make_user(tree.bombo, Role.REPORTER, username="reporter.bombo", full_name="Nguyễn Thị Báo Cáo")

    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "vi"
    page.fill("input[name=username]", "reporter.bombo")
    page.fill("input[name=password]", "sai mật khẩu")
    page.click("button[type=submit]")
    assert page.locator(".errors").is_visible()
    page.fill("input[name=username]", "reporter.bombo")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    # On a phone the navigation and the account sit behind the menu button.
    assert not page.get_by_text("Nguyễn Thị Báo Cáo").first.is_visible()
    page.locator("label.navtoggle-label").click()
    assert page.get_by_text("Nguyễn Thị Báo Cáo").first.is_visible()
    screenshot("reporter-home")

    # The tree: open Bom Bo's node; its sub-units arrive through HTMX without a page load.
    page.goto(f"{live_server.url}/units/")
    page.locator("summary", has_text="Xã Bom Bo").click()
    page.get_by_role("link", name="Trường Tiểu học Bom Bo").wait_for()
    assert page.get_by_role("link", name="Phòng Văn hóa - Xã hội").is_visible()
    screenshot("reporter-tree")

    # Search without diacritics finds the school, and nothing of Xuân Lập.
    page.fill("input[name=q]", "truong tieu hoc")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "q=truong+tieu+hoc" in page.url
    assert page.get_by_role("link", name="Trường Tiểu học Bom Bo").is_visible()
    assert page.get_by_text("Xuân Lập").count() == 0

    # Another commune's page, by guessing its address: refused as if it did not exist.
    response = page.goto(f"{live_server.url}/units/{tree.xuanlap.pk}/")
    assert response.status == 404
    assert "Phường Xuân Lập" not in page.content()
    screenshot("reporter-refused")
    missing = page.goto(f"{live_server.url}/units/987654321/")
    assert missing.status == 404
