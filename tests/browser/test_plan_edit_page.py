"""The plan edit page on a phone: every field of every part (tasks with their units and due
dates, targets, report deadlines, units of "Tổ chức thực hiện") filled, saved, the page
reloaded, and every value is there again; then the plan withdrawn with its confirmation."""

import pytest

from lantoa.indicators.models import Indicator
from lantoa.orgs.choices import Role
from lantoa.plans import services as plan_services
from lantoa.plans.importer import extract_plan, read_document
from lantoa.reports.models import ReportingPeriod
from lantoa.reports.periods import periods_ensure
from tests.conftest import PASSWORD
from tests.documents import REPORTING_PLAN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, url, username):
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def _save(page, name="Lưu"):
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def _value(page, selector):
    return page.locator(selector).input_value()


TASK = {
    "group": "III",
    "timing": "once",
    "due_year": "2026",
    "status": "in_progress",
    "text": "Xây dựng chuyên mục “Chuyển đổi số” trên Trang thông tin điện tử xã",
    "due_text": "Quý II/2026",
    "due_date": "2026-06-30",
    "lead": "Phòng Văn hóa - Xã hội",
    "support": "Trường Tiểu học Bom Bo; Hội Liên hiệp Phụ nữ xã",
    "output": "Chuyên mục được đăng tải hằng tháng",
}
NEW_TASK = {
    "group": "IV",
    "timing": "annual",
    "due_year": "",
    "status": "not_started",
    "text": "Tổ chức cuộc thi tìm hiểu Nghị quyết số 57-NQ/TW",
    "due_text": "tháng 11 hằng năm",
    "due_date": "",
    "lead": "Đoàn Thanh niên xã",
    "support": "",
    "output": "Cuộc thi với ít nhất 500 lượt dự thi",
}
SELECTS = {"timing", "status", "comparator", "unit", "indicator"}


def _fill(page, prefix, index, values):
    for name, value in values.items():
        selector = _selector(prefix, index, name)
        if name in SELECTS:
            page.select_option(selector, value)
        else:
            page.fill(selector, value)


def _selector(prefix, index, name):
    tag = "select" if name in SELECTS else "input"
    if name in ("text", "duties"):
        tag = "textarea"
    return f"{tag}[name={prefix}-{index}-{name}]"


def _check(page, prefix, index, values):
    for name, value in values.items():
        assert _value(page, _selector(prefix, index, name)) == value, (prefix, index, name)


def test_every_part_of_the_plan_is_edited_saved_and_shown_again(live_server, tree, make_user, page):
    make_user(tree.bombo, Role.FOCAL_POINT, username="daumoi.bombo", full_name="Điểu Thị Hoa")
    source = read_document(REPORTING_PLAN.encode())
    plan = plan_services.plan_import(
        actor=None, unit=tree.bombo, source=source, extracted=extract_plan(source.text),
        filename="12-KH-UBND.txt",
    )  # fmt: skip
    indicator = str(Indicator.objects.order_by("pk").first().pk)
    url = live_server.url
    _sign_in(page, url, "daumoi.bombo")
    page.goto(f"{url}/plans/{plan.pk}/edit/")
    _fill(page, "tasks", 0, TASK)
    _fill(page, "tasks", 3, NEW_TASK)
    target = {"comparator": ">=", "value": "90", "unit": "%", "year": "2026",
              "text": "Ít nhất 90% cán bộ, công chức được phổ biến Nghị quyết",
              "indicator": indicator}  # fmt: skip
    new_target = {"comparator": "=", "value": "5", "unit": "count", "year": "2031",
                  "text": "Có 5 mô hình truyền thông số tiêu biểu", "indicator": ""}  # fmt: skip
    _fill(page, "targets", 0, target)
    _fill(page, "targets", 2, new_target)
    _fill(page, "deadlines", 0, {"day": "20", "month": "6"})
    _fill(page, "deadlines", 2, {"day": "31", "month": "12"})
    duty = {"name": "Phòng Văn hóa - Xã hội xã Bom Bo", "unit": str(tree.vhxh.pk),
            "duties": "Chủ trì, theo dõi, tổng hợp kết quả; báo cáo UBND xã"}  # fmt: skip
    new_duty = {"name": "Hội Cựu chiến binh xã", "unit": "",
                "duties": "Tuyên truyền trong hội viên"}  # fmt: skip
    _fill(page, "units", 0, duty)
    _fill(page, "units", 3, new_duty)
    _save(page)
    assert page.url.endswith(f"/plans/{plan.pk}/")
    shown = page.locator("main").inner_text() if page.locator("main").count() else ""
    assert "Quý II/2026 (30/06/2026)" in (shown or page.content())
    page.goto(f"{url}/plans/{plan.pk}/edit/")
    page.reload()
    _check(page, "tasks", 0, TASK)
    _check(page, "tasks", 3, {k: v for k, v in NEW_TASK.items() if k != "due_date"})
    _check(page, "targets", 0, {**target, "value": "90.00"})
    _check(page, "targets", 2, {**new_target, "value": "5.00"})
    _check(page, "deadlines", 0, {"day": "20", "month": "6"})
    _check(page, "deadlines", 2, {"day": "31", "month": "12"})
    _check(page, "units", 0, duty)
    _check(page, "units", 3, new_duty)

    # A mistaken import withdrawn: a reason and a confirmation, then the page says so.
    periods_ensure(plan, 2025)
    page.goto(f"{url}/plans/{plan.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Thu hồi kế hoạch").click()
    page.fill("textarea[name=reason]", "Tải nhầm tệp kế hoạch của xã khác")
    _save(page, "Thu hồi kế hoạch")
    assert page.locator(".has-error").count() == 1  # the confirmation is not ticked
    page.check("input[name=confirm]")
    _save(page, "Thu hồi kế hoạch")
    page.reload()
    assert page.locator(".withdrawn").inner_text() == "đã thu hồi: nhập nhầm"
    assert page.get_by_role("link", name="Sửa kế hoạch").count() == 0
    assert all(p.closed_at for p in ReportingPeriod.objects.filter(plan=plan))
