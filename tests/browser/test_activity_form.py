"""The activity form on a phone, as a school reporter fills it: every field typed is there again
when the activity is opened for editing; the photo shows as a picture; the menu folds; the
e-mail preference stays as chosen."""

import pytest

from lantoa.activities.models import Activity
from lantoa.orgs.choices import Role
from lantoa.plans import services as plan_services
from lantoa.plans.importer import extract_plan, read_document
from tests.browser.conftest import ARTIFACTS
from tests.conftest import PASSWORD
from tests.documents import REPORTING_PLAN, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_every_field_of_an_activity_is_kept_and_the_photo_shows(
    live_server, tree, make_user, page, screenshot, tmp_path
):
    source = read_document(REPORTING_PLAN.encode())
    extracted = extract_plan(source.text)
    extracted.tasks[2].lead = ["Trường Tiểu học Bom Bo"]
    plan = plan_services.plan_import(
        actor=None, unit=tree.bombo, source=source, extracted=extracted, filename="k.txt"
    )
    own_task = plan.tasks.get(order=2)
    other_task = plan.tasks.get(order=0)
    make_user(tree.school, Role.REPORTER, username="gv.bombo", full_name="Lê Văn Giáo")
    photo = tmp_path / "anh-tap-huan.png"
    photo.write_bytes(png_bytes())

    _sign_in(page, live_server, "gv.bombo")
    # On a phone the navigation is one "menu" button; it opens without any script.
    nav_link = page.locator(".mainnav a", has_text="Hoạt động")
    assert not nav_link.is_visible()
    page.locator("label.navtoggle-label").click()
    assert nav_link.is_visible()
    screenshot("activity-menu-open")
    nav_link.click()
    page.get_by_role("link", name="Ghi nhận hoạt động").first.click()

    assert page.get_by_label("Loại hoạt động").is_visible()
    page.select_option("select[name=unit]", str(tree.school.pk))
    page.select_option("select[name=kind]", "training")
    page.fill("input[name=date]", "2025-10-03")
    page.fill("input[name=title]", "Tập huấn kỹ năng số cho giáo viên")
    # The school's own task is first; the search narrows the others on the server.
    first_option = page.locator(".task-option").first
    assert own_task.text[:40] in first_option.inner_text()
    first_option.locator("input").check()
    search_word = other_task.text.split()[1]
    with page.expect_response(lambda r: "/activities/tasks/" in r.url):
        page.fill("input[name=task_q]", search_word)
    page.locator(f".task-option input[value='{other_task.pk}']").wait_for()
    page.press("input[name=task_q]", "Enter")  # Enter in the search box does not save
    # Enter also fires the box's "search" event: let that request land before ticking, or its
    # answer replaces the list under the tick (seen on a busy machine).
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/activities/new/") and not Activity.objects.exists()
    page.locator(f".task-option input[value='{other_task.pk}']").check()
    assert page.locator(f".task-option input[value='{own_task.pk}']").is_checked()  # kept
    page.fill("input[name=participants]", "35")
    page.fill("input[name=officials]", "30")
    page.fill("input[name=staff_trained]", "4")
    page.fill("input[name=audience]", "120")
    page.fill("input[name=items]", "2")
    page.fill("input[name=minutes]", "45")
    page.fill(
        "textarea[name=description]", "Tập huấn tại phòng máy của trường.\nCó mời báo cáo viên."
    )
    page.fill("textarea[name=links]", "https://truong.edu.vn/tin/tap-huan")
    page.set_input_files("input[name=files]", str(photo))
    screenshot("activity-form-filled")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url("**/activities/*/")

    # The photo is a picture on the page (loaded through the scoped view), not a file name.
    thumbnail = page.locator(".evidence img")
    thumbnail.wait_for()
    page.wait_for_function("() => document.querySelector('.evidence img').naturalWidth > 0")
    screenshot("activity-detail")

    page.get_by_role("link", name="Chỉnh sửa").click()
    page.wait_for_url("**/edit/")
    page.reload()
    assert page.locator("select[name=unit]").input_value() == str(tree.school.pk)
    assert page.locator("select[name=kind]").input_value() == "training"
    assert page.locator("input[name=date]").input_value() == "2025-10-03"
    assert page.locator("input[name=title]").input_value() == "Tập huấn kỹ năng số cho giáo viên"
    for task in (own_task, other_task):
        assert page.locator(f".task-option input[value='{task.pk}']").is_checked()
    for name, value in {"participants": "35", "officials": "30", "staff_trained": "4",
                        "audience": "120", "items": "2", "minutes": "45"}.items():  # fmt: skip
        assert page.locator(f"input[name={name}]").input_value() == value
    assert page.locator("textarea[name=description]").input_value() == (
        "Tập huấn tại phòng máy của trường.\nCó mời báo cáo viên."
    )
    evidence = page.locator("input[name=remove_evidence]")
    assert evidence.count() == 2
    assert page.get_by_text("https://truong.edu.vn/tin/tap-huan").is_visible()
    assert page.get_by_text("anh-tap-huan.png").is_visible()
    screenshot("activity-edit")


def test_the_email_preference_is_kept(live_server, tree, make_user, page):
    make_user(tree.school, Role.REPORTER, username="gv.thu", full_name="Trần Thị Thư")
    _sign_in(page, live_server, "gv.thu")
    page.locator("label.navtoggle-label").click()
    page.get_by_role("link", name="Trần Thị Thư").click()
    box = page.get_by_label("Gửi thêm thông báo cho tôi qua thư điện tử")
    assert box.is_checked()
    box.uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    page.reload()
    assert not page.get_by_label("Gửi thêm thông báo cho tôi qua thư điện tử").is_checked()
    page.get_by_label("Gửi thêm thông báo cho tôi qua thư điện tử").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    page.reload()
    assert page.get_by_label("Gửi thêm thông báo cho tôi qua thư điện tử").is_checked()


def test_on_a_wide_screen_the_navigation_is_one_row_without_a_menu_button(
    live_server, tree, make_user, browser
):
    make_user(tree.school, Role.REPORTER, username="gv.rong", full_name="Phạm Văn Rộng")
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _sign_in(page, live_server, "gv.rong")
        assert not page.locator("label.navtoggle-label").is_visible()
        links = page.locator(".mainnav a")
        assert links.first.is_visible() and links.last.is_visible()
        tops = {
            round(box["y"]) for box in (links.nth(i).bounding_box() for i in range(links.count()))
        }
        assert len(tops) == 1  # one row
        page.screenshot(path=str(ARTIFACTS / "navigation-wide.png"))
    finally:
        context.close()
