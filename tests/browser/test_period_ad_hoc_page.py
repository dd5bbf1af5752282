"""A focal point opens an ad hoc ("đột xuất") reporting period in the browser: the plan chosen,
every field filled, the period saved; the period page, reloaded, shows what was typed and asks
only the chosen unit for its report."""

import datetime

import pytest

from lantoa.orgs.choices import Role
from lantoa.plans import services as plan_services
from lantoa.plans.importer import read_document, understand
from tests.documents import REPORTING_PLAN

from .test_plan_edit_page import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_ad_hoc_period_is_opened_and_shown_again(live_server, tree, make_user, page):
    make_user(tree.bombo, Role.FOCAL_POINT, username="daumoi.bombo", full_name="Điểu Thị Hoa")
    understood = understand(read_document(REPORTING_PLAN.encode()))
    plan = plan_services.plan_import(
        actor=None, unit=tree.bombo, source=understood.source, extracted=understood.extracted,
        filename="12-KH-UBND.txt",
    )  # fmt: skip
    url = live_server.url
    _sign_in(page, url, "daumoi.bombo")
    page.goto(f"{url}/reports/periods/new/")
    page.select_option("select[name=plan]", str(plan.pk))
    with page.expect_navigation():
        page.locator("form[method=get] button[type=submit]").click()
    today = datetime.date.today()
    start, end = today - datetime.timedelta(days=30), today
    deadline = today + datetime.timedelta(days=7)
    title = "Báo cáo đột xuất kết quả tuyên truyền Nghị quyết 57 quý IV"
    page.fill("input[name=title]", title)
    page.fill("input[name=start]", start.isoformat())
    page.fill("input[name=end]", end.isoformat())
    page.fill("input[name=deadline]", deadline.isoformat())
    for box in page.locator("input[name=units]").all():
        box.uncheck()
    page.get_by_label(tree.school.name, exact=True).check()
    with page.expect_navigation():
        page.locator("form[method=post] button[type=submit]").click()
    assert "/reports/periods/" in page.url and not page.url.endswith("/new/")
    page.reload()
    assert page.locator("h1").inner_text() == title
    dates = f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
    assert page.get_by_text(dates).count() >= 1
    assert page.get_by_text(f"{deadline:%d/%m/%Y}").count() >= 1
    content = page.locator("main").inner_text()
    assert tree.school.name in content
    assert tree.vhxh.name not in content  # not chosen: owes no report
