"""A commune's reporter on a phone imports the people list, corrects one person and records who
attended a meeting; every field typed is there after a reload."""

import datetime

import pytest

from lantoa.activities.services import activity_record
from lantoa.orgs.choices import Role
from tests.conftest import PASSWORD
from tests.test_figures import _staff_list

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_people_list_and_attendance(live_server, tree, make_user, page, screenshot, tmp_path):
    make_user(tree.bombo, Role.REPORTER, username="reporter.bombo")
    meeting = activity_record(
        actor=None, unit=tree.bombo, kind="meeting", date=datetime.date(2025, 3, 1),
        title="Hội nghị quán triệt Nghị quyết 57", counts={"participants": 3, "officials": 3},
    )  # fmt: skip
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "reporter.bombo")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    # From the unit's page to its people list; a bad sheet is refused row by row.
    page.goto(f"{live_server.url}/units/{tree.bombo.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Danh sách cán bộ, công chức").click()
    bad = tmp_path / "sai.xlsx"
    from tests.test_figures import _xlsx

    bad.write_bytes(_xlsx([("Họ và tên", "Chức vụ", "Loại"), ("Ai đó", "", "???")]))
    page.set_input_files("input[name=file]", str(bad))
    with page.expect_navigation():
        page.get_by_role("button", name="Nhập", exact=True).click()
    assert page.get_by_text("Dòng 2").is_visible()
    good = tmp_path / "danh-sach.xlsx"
    good.write_bytes(_staff_list(3, communication=1))
    page.set_input_files("input[name=file]", str(good))
    with page.expect_navigation():
        page.get_by_role("button", name="Nhập", exact=True).click()
    assert page.get_by_text("thêm 3 người").is_visible()

    # Correct one person: every field typed is there after a reload.
    row = page.locator("form", has=page.locator("input[value='Nguyễn Văn Người 3']"))
    row.locator("input[name=full_name]").fill("Nguyễn Văn Người Ba")
    row.locator("input[name=position]").fill("Phó Chủ tịch")
    row.locator("select[name=kind]").select_option("staff")
    row.locator("input[name=is_active]").uncheck()
    with page.expect_navigation():
        row.get_by_role("button", name="Lưu").click()
    page.reload()
    row = page.locator("form", has=page.locator("input[value='Nguyễn Văn Người Ba']"))
    assert row.locator("input[name=position]").input_value() == "Phó Chủ tịch"
    assert row.locator("select[name=kind]").input_value() == "staff"
    assert not row.locator("input[name=is_active]").is_checked()
    screenshot("people-list")

    # Who attended the meeting: names typed without accents match the list.
    page.goto(f"{live_server.url}/activities/{meeting.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Người tham dự").click()
    page.fill("textarea[name=names]", "nguyen van nguoi 1\nNgười Lạ")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu danh sách tham dự").click()
    assert page.get_by_text("“Người Lạ” không có trong danh sách").is_visible()
    page.fill("textarea[name=names]", "nguyen van nguoi 1\nNguyễn Văn Người 2")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu danh sách tham dự").click()
    page.reload()
    assert page.get_by_text("2 người tham dự").is_visible()
    assert page.get_by_label("Nguyễn Văn Người 1, Chuyên viên").is_checked()
    assert page.get_by_label("Nguyễn Văn Người 2, Chuyên viên").is_checked()
    assert not page.get_by_label("Nguyễn Văn Người Ba, Phó Chủ tịch").count()  # left the list
    # Untick one and save: the ticks are what is kept.
    page.get_by_label("Nguyễn Văn Người 2, Chuyên viên").uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu danh sách tham dự").click()
    page.reload()
    assert page.get_by_text("1 người tham dự").is_visible()
    assert not page.get_by_label("Nguyễn Văn Người 2, Chuyên viên").is_checked()
    screenshot("attendance")
