"""A focal point fills the criteria set editor in the browser: every field of the set, a group,
an indicator criterion with its bands and a review criterion; saved, reloaded, every value kept;
a sum that does not add up is refused naming the numbers."""

import pytest

from lantoa.evaluation import services
from lantoa.orgs.choices import Role

from .test_plan_edit_page import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_set_editor_keeps_every_field(live_server, tree, make_user, page):
    make_user(tree.dongnai, Role.FOCAL_POINT, username="daumoi.dongnai", full_name="Lê Văn An")
    s = services.set_create(actor=None, unit=tree.dongnai, year=2025, title="Bộ tiêu chí nháp")
    url = live_server.url
    _sign_in(page, url, "daumoi.dongnai")
    page.goto(f"{url}/evaluation/")
    menu = page.locator("nav.mainnav a[href='/evaluation/']")
    assert menu.inner_text() == "Đánh giá"  # in the menu (folded behind ☰ on a phone)
    page.goto(f"{url}/evaluation/sets/{s.pk}/")

    form = page.locator("#set-form")
    form.locator("input[name=title]").fill("Bộ tiêu chí đánh giá cấp xã năm 2025")
    form.locator("input[name=total_points]").fill("100")
    form.locator("select[name=tie_rule]").select_option("by_criteria")
    form.locator("input[name=tie_breakers]").fill("1.2, 1.1")
    form.locator("input[name=contest_from]").fill("2026-01-10")
    form.locator("input[name=contest_until]").fill("2026-01-31")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    group = page.locator("#group-form")
    group.locator("input[name=group-title]").fill("Đào tạo, bồi dưỡng")
    group.locator("input[name=group-order]").fill("1")
    with page.expect_navigation():
        group.locator("button[type=submit]").click()

    def criterion(**fields):
        c = page.locator("#criterion-form")
        c.locator("select[name=criterion-group]").select_option(label="Đào tạo, bồi dưỡng")
        for name in ("code", "title", "order", "max_points", "indicator_year", "bands", "target"):
            if name in fields:
                c.locator(f"input[name=criterion-{name}]").fill(fields[name])
        for name in ("method", "indicator", "scale"):
            if name in fields:
                c.locator(f"select[name=criterion-{name}]").select_option(fields[name])
        if "guidance" in fields:
            c.locator("textarea[name=criterion-guidance]").fill(fields["guidance"])
        with page.expect_navigation():
            c.locator("button[type=submit]").click()

    criterion(
        code="1.1", title="Số chương trình đào tạo", order="1", max_points="60",
        method="indicator", indicator="training_programs", indicator_year="2025",
        scale="bands", bands="1:20; 3:40; 5:60", guidance="Đếm các lớp trong năm",
    )  # fmt: skip
    criterion(
        code="1.2", title="Chất lượng tuyên truyền", order="2", max_points="30",
        method="review", guidance="Minh chứng: bài viết, hình ảnh",
    )  # fmt: skip
    with page.expect_navigation():
        page.get_by_role("button", name="Kích hoạt").click()
    errors = page.locator(".messages").inner_text()
    assert "90" in errors and "100" in errors  # 60 + 30 of 100: refused, naming the numbers

    page.reload()
    form = page.locator("#set-form")
    assert form.locator("input[name=title]").input_value() == "Bộ tiêu chí đánh giá cấp xã năm 2025"
    assert form.locator("select[name=tie_rule]").input_value() == "by_criteria"
    assert form.locator("input[name=tie_breakers]").input_value() == "1.2, 1.1"
    assert form.locator("input[name=contest_from]").input_value() == "2026-01-10"
    assert form.locator("input[name=contest_until]").input_value() == "2026-01-31"
    main = page.locator("main").inner_text()
    for text in ("Đào tạo, bồi dưỡng", "Số chương trình đào tạo", "Chất lượng tuyên truyền",
                 "training_programs (2025)", "[1: 20]", "[3: 40]", "[5: 60]"):  # fmt: skip
        assert text in main
    s.refresh_from_db()
    assert s.tie_breakers == ["1.2", "1.1"] and s.contest_from.isoformat() == "2026-01-10"
    c = s.all_criteria()
    assert [x.code for x in c] == ["1.1", "1.2"]
    assert c[0].guidance == "Đếm các lớp trong năm" and c[0].order == 1
    assert c[1].guidance == "Minh chứng: bài viết, hình ảnh"


def test_an_existing_criterion_is_edited_field_by_field(live_server, tree, make_user, page):
    from lantoa.evaluation.choices import Scale, ScoringMethod

    make_user(tree.dongnai, Role.FOCAL_POINT, username="daumoi.dongnai", full_name="Lê Văn An")
    s = services.set_create(actor=None, unit=tree.dongnai, year=2025, title="Bộ tiêu chí nháp")
    services.group_add(actor=None, criteria_set=s, title="Đào tạo, bồi dưỡng", order=1)
    outreach = services.group_add(actor=None, criteria_set=s, title="Truyền thông", order=2)
    c = services.criterion_add(
        actor=None, group=outreach, code="2.1", title="Chất lượng chuyên mục", max_points="20",
        method=ScoringMethod.REVIEW, guidance="Đường dẫn chuyên mục",
    )  # fmt: skip
    url = live_server.url
    _sign_in(page, url, "daumoi.dongnai")
    page.goto(f"{url}/evaluation/sets/{s.pk}/")
    page.locator(f"#criterion-edit-{c.pk}").locator("xpath=..").locator("summary").click()
    p = f"edit{c.pk}"

    def fill():
        form = page.locator(f"#criterion-edit-{c.pk}")
        form.locator(f"select[name={p}-group]").select_option(label="Đào tạo, bồi dưỡng")
        form.locator(f"input[name={p}-code]").fill("1.3")
        form.locator(f"input[name={p}-title]").fill("Số lớp bồi dưỡng về chuyển đổi số")
        form.locator(f"input[name={p}-order]").fill("3")
        form.locator(f"input[name={p}-max_points]").fill("40")
        form.locator(f"select[name={p}-method]").select_option("indicator")
        form.locator(f"select[name={p}-indicator]").select_option("training_programs")
        form.locator(f"input[name={p}-indicator_year]").fill("2025")
        form.locator(f"select[name={p}-scale]").select_option(Scale.BANDS)
        form.locator(f"input[name={p}-bands]").fill("1:10; 2:25; 4:40")
        form.locator(f"input[name={p}-target]").fill("4")
        form.locator(f"textarea[name={p}-guidance]").fill("Đếm các lớp trong năm")
        with page.expect_navigation():
            form.locator("button[type=submit]").click()

    fill()
    assert "Đã lưu" in page.locator(".messages").inner_text()
    page.reload()
    form = page.locator(f"#criterion-edit-{c.pk}")
    values = {
        name: form.locator(f"[name={p}-{name}]").input_value()
        for name in ("code", "title", "order", "max_points", "method", "indicator",
                     "indicator_year", "scale", "bands", "target", "guidance")
    }  # fmt: skip
    assert values == {
        "code": "1.3", "title": "Số lớp bồi dưỡng về chuyển đổi số", "order": "3",
        "max_points": "40.00", "method": "indicator", "indicator": "training_programs",
        "indicator_year": "2025", "scale": "bands", "bands": "1:10; 2:25; 4:40",
        "target": "", "guidance": "Đếm các lớp trong năm",
    }  # fmt: skip  # a target means nothing on a bands scale: not kept
    chosen = form.locator(f"select[name={p}-group]").evaluate("e => e.selectedOptions[0].text")
    assert chosen == "Đào tạo, bồi dưỡng"
    c.refresh_from_db()
    assert (c.code, c.group.title, c.order, c.indicator, c.bands) == (
        "1.3", "Đào tạo, bồi dưỡng", 3, "training_programs", [["1", "10"], ["2", "25"], ["4", "40"]]
    )  # fmt: skip
    assert c.guidance == "Đếm các lớp trong năm" and int(c.max_points) == 40

    # On a linear scale the target is kept.
    page.locator(f"#criterion-edit-{c.pk}").locator("xpath=..").locator("summary").click()
    form = page.locator(f"#criterion-edit-{c.pk}")
    form.locator(f"select[name={p}-scale]").select_option(Scale.LINEAR)
    form.locator(f"input[name={p}-bands]").fill("")
    form.locator(f"input[name={p}-target]").fill("4")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.reload()
    form = page.locator(f"#criterion-edit-{c.pk}")
    assert form.locator(f"[name={p}-target]").input_value() == "4.00"
    assert form.locator(f"[name={p}-scale]").input_value() == "linear"
    c.refresh_from_db()
    assert int(c.target) == 4 and c.scale == Scale.LINEAR
