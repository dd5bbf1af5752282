"""The channel accounts page as a commune's administrator uses it: the connect form filled
(every field) against the fake Zalo server, saved, reloaded: every field is shown again except
the tokens ("đã lưu"), with the status; a wrong token is refused on the form, nothing saved."""

import pytest
from playwright.sync_api import expect

from lantoa.channels.models import ChannelAccount
from lantoa.orgs.choices import Role
from tests.browser.conftest import ARTIFACTS
from tests.conftest import PASSWORD
from tests.fakes import platforms as fakes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
fake_zalo = fakes.fake_zalo


def test_connect_a_zalo_oa_and_see_it_again(
    live_server, tree, make_user, page, screenshot, fake_zalo
):
    make_user(tree.bombo, Role.ADMINISTRATOR, username="qt.bombo")
    access, refresh = fake_zalo.add_oa("4305810123", "Xã Bom Bo")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "qt.bombo")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/channels/accounts/")
    expect(page.get_by_text("Chưa kết nối tài khoản kênh nào.")).to_be_visible()

    def fill(token):
        page.select_option("select[name=unit]", str(tree.bombo.pk))
        page.select_option("select[name=platform]", "zalo")
        page.fill("input[name=remote_id]", "4305810123")
        page.fill("input[name=name]", "UBND xã Bom Bo")
        page.fill("input[name=access_token]", token)
        page.fill("input[name=refresh_token]", refresh)
        page.fill("input[name=expires_in]", "90000")
        page.check("input[name=answers_questions]")
        page.get_by_role("button", name="Kết nối", exact=True).click()

    fill("zat-sai")  # refused by Zalo: the form says why, keeps what was typed, saves nothing
    # The answer comes after the platform was asked: wait for it (a slow machine takes time).
    expect(page.get_by_text("Nền tảng từ chối mã")).to_be_visible()
    assert page.input_value("input[name=remote_id]") == "4305810123"
    assert page.input_value("input[name=access_token]") == ""  # never rendered back
    assert not ChannelAccount.objects.exists()
    fill(access)
    page.wait_for_url(f"{live_server.url}/channels/accounts/*/")
    page.reload()
    assert page.locator("h1").inner_text() == "UBND xã Bom Bo"
    assert page.locator("#remote-id").inner_text() == "4305810123"
    assert page.locator("#status").inner_text() == "Đã kết nối"
    assert page.locator("#access-token").inner_text() == "đã lưu"
    assert page.locator("#refresh-token").inner_text() == "đã lưu"
    assert page.locator("#answers").inner_text() == "Có"
    assert page.locator("#expires").inner_text() != "—"
    html = page.content()
    assert access not in html and refresh not in html
    screenshot("channel-account")
    page.goto(f"{live_server.url}/channels/accounts/")
    row = page.locator("tbody tr").first
    assert "UBND xã Bom Bo" in row.inner_text() and "Đã kết nối" in row.inner_text()
    assert ARTIFACTS.exists()
