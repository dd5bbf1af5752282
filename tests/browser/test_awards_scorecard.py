"""A school's reporter nominates a teacher for an award on a phone (every field typed is there
after a reload); a citizen reads a commune's and the nation's public scorecards, checked with
axe-core for WCAG 2.1 AA and for horizontal scrolling."""

from __future__ import annotations

import pytest

from lantoa.evaluation import services as evaluation_services
from lantoa.orgs.choices import Role
from lantoa.orgs.models import Person
from tests.browser.test_public_section import (  # noqa: F401 (fixtures)
    LAPTOP,
    PHONE,
    axe_script,
    check_accessible,
    check_no_horizontal_scroll,
    context_for,
)
from tests.conftest import PASSWORD
from tests.test_scorecard import scored_run

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_nomination_form_round_trip(live_server, tree, make_user, context_for):  # noqa: F811
    make_user(tree.school, Role.REPORTER, username="reporter.truong")
    teacher = Person.objects.create(unit=tree.school, full_name="Điểu Thị Lan", position="GV")
    page = context_for(PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "reporter.truong")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/awards/new/")
    page.select_option("select[name=unit]", str(tree.school.pk))
    page.check("input[name=kind][value=individual]")
    page.select_option("select[name=person]", str(teacher.pk))
    page.fill("input[name=year]", "2025")
    page.fill("textarea[name=achievement]", "Biên tập 24 tin bài về chuyển đổi số")
    page.select_option("select[name=proposed_level]", "commune_chair")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    page.reload()
    text = page.locator("main").inner_text()
    assert "Điểu Thị Lan" in text and "2025" in text
    assert "Biên tập 24 tin bài về chuyển đổi số" in text
    assert "Giấy khen của Chủ tịch UBND xã" in text and "Cá nhân" in text
    check_no_horizontal_scroll(page, "nomination")


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_public_scorecards_are_accessible(
    live_server,
    tree,
    make_user,
    context_for,  # noqa: F811
    axe_script,  # noqa: F811
    viewport,
):
    focal = make_user(tree.dongnai, role=Role.FOCAL_POINT)
    run = scored_run(tree.dongnai, focal, 2025, {"25405": "82", "26104": "70"})
    evaluation_services.run_lock(actor=focal, run=run)
    evaluation_services.run_publish(actor=focal, run=run)
    national = make_user(tree.root, role=Role.FOCAL_POINT)
    nrun = scored_run(tree.root, national, 2025, {"75": "55", "20": "90"}, title="Cấp tỉnh")
    evaluation_services.run_lock(actor=national, run=nrun)
    evaluation_services.run_publish(actor=national, run=nrun)
    page = context_for(viewport)
    for path in ("/u/25405/scorecard/", "/u/75/scorecard/", "/scorecard/"):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").is_visible()
        check_accessible(page, axe_script, path)
        check_no_horizontal_scroll(page, path)
    page.goto(f"{live_server.url}/u/25405/scorecard/")
    assert "82" in page.locator("main").inner_text()
