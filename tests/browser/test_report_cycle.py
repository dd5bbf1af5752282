"""The reporting cycle in a browser: a school records and submits, the commune returns it with a
comment, the school fixes and resubmits, the commune approves and downloads the .docx."""

import io
from pathlib import Path

import docx
import pytest
from django.utils import timezone

from lantoa.orgs.choices import Role
from lantoa.plans import services as plan_services
from lantoa.plans.importer import extract_plan, read_document
from lantoa.plans.models import ReportDeadline
from tests.conftest import PASSWORD
from tests.documents import REPORTING_PLAN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, url, username):
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def test_school_reports_commune_returns_then_approves(
    live_server, tree, make_user, page, screenshot
):
    source = read_document(REPORTING_PLAN.encode())
    plan = plan_services.plan_import(
        actor=None,
        unit=tree.bombo,
        source=source,
        extracted=extract_plan(source.text),
        filename="k.txt",
    )
    ReportDeadline.objects.filter(plan=plan).delete()
    today = timezone.localdate()
    ReportDeadline.objects.create(plan=plan, day=28, month=12 if today.month > 6 else 6)
    make_user(tree.school, Role.REPORTER, username="gv.bombo", full_name="Giáo viên Báo Cáo")
    make_user(tree.bombo, Role.FOCAL_POINT, username="daumoi.bombo", full_name="Đầu Mối Xã")
    url = live_server.url

    # The school's reporter records an activity on a phone.
    _login(page, url, "gv.bombo")
    page.goto(f"{url}/activities/new/")
    page.select_option("select[name=kind]", "training")
    page.fill("input[name=title]", "Tập huấn kỹ năng số cho giáo viên")
    page.fill("input[name=participants]", "30")
    page.fill("input[name=officials]", "28")
    page.click("button[type=submit]")
    page.get_by_text("Đã ghi nhận hoạt động.").wait_for()

    # ...starts the report it owes, writes the results and submits.
    page.goto(f"{url}/reports/")
    page.get_by_role("button", name="Lập báo cáo").first.click()
    page.fill("textarea[name=narrative]", "Trường đã tổ chức tập huấn cho 30 giáo viên.")
    # ...opens a folded group of tasks, sets a task's status and what was done, saves: after a
    # reload the page shows what was typed (the report page once dropped it silently).
    group = page.locator("details.task-group").first
    if group.get_attribute("open") is None:
        group.locator("summary").first.click()
    status = group.locator("select[name^=status_]").first
    task_id = status.get_attribute("name").removeprefix("status_")
    status.select_option("in_progress")
    page.fill(f"textarea[name=narrative_{task_id}]", "Đã lồng ghép vào giờ ngoại khóa.")
    page.get_by_role("button", name="Lưu bản nháp").click()
    page.get_by_text("Đã lưu bản nháp.").wait_for()
    page.reload()
    assert page.locator(f"select[name=status_{task_id}]").input_value() == "in_progress"
    assert (
        page.locator(f"textarea[name=narrative_{task_id}]").input_value()
        == "Đã lồng ghép vào giờ ngoại khóa."
    )
    assert "30 giáo viên" in page.locator("textarea[name=narrative]").input_value()
    # Folded by group, the page stays a few screens tall on a phone.
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 5000, height
    screenshot("report-draft")
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.get_by_text("Đã gửi báo cáo").first.wait_for()
    report_url = page.url

    # The commune's focal point returns it with a comment on the whole report.
    _login(page, url, "daumoi.bombo")
    page.goto(report_url)
    page.fill("textarea[name=comment]", "Vui lòng bổ sung ảnh minh chứng.")
    page.get_by_role("button", name="Trả lại kèm ý kiến").click()
    page.get_by_text("Đã trả lại báo cáo").wait_for()

    # The reporter sees the comment, fixes and resubmits.
    _login(page, url, "gv.bombo")
    page.goto(report_url)
    assert page.locator(".errors", has_text="Vui lòng bổ sung ảnh minh chứng.").is_visible()
    page.fill(
        "textarea[name=narrative]", "Trường đã tổ chức tập huấn cho 30 giáo viên; ảnh đính kèm."
    )
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.get_by_text("Đã gửi báo cáo").first.wait_for()

    # The focal point approves, consolidates, and downloads the official document.
    _login(page, url, "daumoi.bombo")
    page.goto(report_url)
    page.get_by_role("button", name="Phê duyệt").click()
    page.get_by_text("Đã phê duyệt báo cáo.").wait_for()
    page.goto(f"{url}/reports/")
    page.locator("a", has_text="năm").first.click()
    assert page.get_by_text("Tỷ lệ báo cáo đã nhận").is_visible()
    screenshot("report-consolidation")
    page.goto(report_url)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=".docx").click()
    document = docx.Document(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text and "ảnh đính kèm" in text
