"""A school's reporter types the name the official report is signed in: saved, kept on reload,
printed under "HIỆU TRƯỞNG" in the .docx."""

import io

import docx
import pytest

from lantoa.orgs.choices import Role
from lantoa.plans import services as plan_services
from lantoa.plans.importer import extract_plan, read_document
from lantoa.reports import services
from lantoa.reports.periods import periods_ensure
from tests.conftest import PASSWORD
from tests.documents import REPORTING_PLAN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_signers_name_is_typed_saved_and_printed(live_server, tree, make_user, page):
    source = read_document(REPORTING_PLAN.encode())
    plan = plan_services.plan_import(
        actor=None,
        unit=tree.bombo,
        source=source,
        extracted=extract_plan(source.text),
        filename="k.txt",
    )
    reporter = make_user(tree.school, Role.REPORTER, username="gv.bombo", full_name="Lê Thị Hà")
    report = services.submission_draft(
        actor=reporter, period=periods_ensure(plan, 2025)[1], unit=tree.school
    )
    url = f"{live_server.url}/reports/{report.pk}/"

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "gv.bombo")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(url)
    field = page.locator("input[name=signer_name]")
    assert field.input_value() == ""
    field.fill("Trần Văn Hiệu")
    page.get_by_role("button", name="Lưu bản nháp").click()
    page.get_by_text("Đã lưu bản nháp").first.wait_for()
    page.reload()
    assert page.locator("input[name=signer_name]").input_value() == "Trần Văn Hiệu"

    document = page.request.get(f"{url}report.docx")
    assert document.ok
    cells = [
        p.text
        for table in docx.Document(io.BytesIO(document.body())).tables
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
    ]
    assert cells.index("Trần Văn Hiệu") > cells.index("HIỆU TRƯỞNG")
