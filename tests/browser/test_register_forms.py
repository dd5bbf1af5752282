"""A commune's reporter on a phone fills every field of each register's create form, saves, and
finds every value again after a reload of the edit form."""

import pytest

from lantoa.orgs.choices import Role
from lantoa.programme.models import NetworkMember, TrainingProgramme
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_training_programme_form(live_server, tree, make_user, page, screenshot):
    make_user(tree.bombo, Role.REPORTER, username="reporter.bombo")
    _login(page, live_server, "reporter.bombo")
    page.locator("label.navtoggle-label").click()  # the phone's menu
    with page.expect_navigation():
        page.get_by_role("link", name="Sổ theo dõi").first.click()
    with page.expect_navigation():
        page.get_by_role("link", name="Đào tạo, bồi dưỡng").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Thêm chương trình đào tạo").click()
    page.select_option("#id_unit", str(tree.bombo.pk))
    page.fill("#id_title", "Bồi dưỡng kỹ năng truyền thông số")
    page.fill("#id_topic", "Truyền thông Nghị quyết 57")
    page.uncheck("#id_for_communication_staff")
    page.fill("#id_starts_on", "2025-03-01")
    page.fill("#id_ends_on", "2025-03-05")
    page.select_option("#id_format", "blended")
    page.fill("#id_hours", "16.5")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    programme = TrainingProgramme.objects.get()
    assert page.get_by_role("heading", name="Bồi dưỡng kỹ năng truyền thông số").is_visible()
    page.goto(f"{live_server.url}/programme/trainings/{programme.pk}/edit/")
    page.reload()
    assert page.input_value("#id_unit") == str(tree.bombo.pk)
    assert page.input_value("#id_title") == "Bồi dưỡng kỹ năng truyền thông số"
    assert page.input_value("#id_topic") == "Truyền thông Nghị quyết 57"
    assert not page.is_checked("#id_for_communication_staff")
    assert page.input_value("#id_starts_on") == "2025-03-01"
    assert page.input_value("#id_ends_on") == "2025-03-05"
    assert page.input_value("#id_format") == "blended"
    assert page.input_value("#id_hours") == "16.5"
    screenshot("training-programme-form")


def test_network_member_form(live_server, tree, make_user, page, screenshot):
    make_user(tree.bombo, Role.REPORTER, username="reporter.bombo")
    _login(page, live_server, "reporter.bombo")
    page.goto(f"{live_server.url}/programme/network/new/")
    page.select_option("#id_unit", str(tree.bombo.pk))
    page.select_option("#id_kind", "community_team")
    page.fill("#id_name", "Tổ công nghệ số cộng đồng ấp 3")
    page.fill("#id_organisation", "Ấp 3, xã Bom Bo")
    page.fill("#id_field", "Chuyển đổi số")
    page.fill("#id_phone", "0912345678")
    page.fill("#id_email", "to3@example.vn")
    page.fill("#id_consent_on", "2025-01-05")
    page.fill("#id_consent_withdrawn_on", "")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    member = NetworkMember.objects.get()
    assert page.get_by_text("0912345678").is_visible()
    page.goto(f"{live_server.url}/programme/network/{member.pk}/edit/")
    page.reload()
    assert page.input_value("#id_kind") == "community_team"
    assert page.input_value("#id_name") == "Tổ công nghệ số cộng đồng ấp 3"
    assert page.input_value("#id_organisation") == "Ấp 3, xã Bom Bo"
    assert page.input_value("#id_field") == "Chuyển đổi số"
    assert page.input_value("#id_phone") == "0912345678"
    assert page.input_value("#id_email") == "to3@example.vn"
    assert page.input_value("#id_consent_on") == "2025-01-05"
    # Withdrawing consent on the edit form erases the contact.
    page.fill("#id_consent_withdrawn_on", "2025-06-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    page.reload()
    assert page.get_by_text("Chưa đồng ý: ẩn thông tin liên hệ").is_visible()
    assert not page.get_by_text("0912345678").count()
    screenshot("network-member-form")
