"""Budget: estimates per plan task and year, allocations, spending with its document, execution
per task and per unit with spending over the allocation flagged; bad amounts refused, sheets all
or nothing, scoping and the API."""

from __future__ import annotations

import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import Workbook

from lantoa.orgs.choices import Role
from lantoa.plans.models import Task
from lantoa.programme import budget_selectors as selectors
from lantoa.programme import budget_services as services
from lantoa.programme import budget_sheets as sheets
from lantoa.programme.models import BudgetEstimate, BudgetSpending
from lantoa.programme.sttasks_choices import MAX_AMOUNT
from tests.conftest import _plan_factory  # noqa: F401

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAY = datetime.date(2026, 3, 2)


def _task(unit, text="Tổ chức hội nghị phổ biến Nghị quyết 57"):
    return Task.objects.create(plan=_plan_factory(unit), text=text, order=0)


@pytest.fixture
def task(tree):
    return _task(tree.langson)


def test_execution_per_task_and_per_unit_flags_spending_over_the_allocation(tree, task):
    province = services.estimate_save(
        actor=None, unit=tree.langson, task=task, year=2026, amount=500_000_000
    )
    department = services.estimate_save(
        actor=None, unit=tree.skhcn, task=task, year=2026, amount=200_000_000
    )
    services.allocation_add(actor=None, estimate=province, date=DAY, amount=300_000_000)
    services.allocation_add(actor=None, estimate=province, date=DAY, amount=100_000_000)
    services.allocation_add(actor=None, estimate=department, date=DAY, amount=50_000_000)
    services.spending_add(
        actor=None,
        estimate=province,
        date=DAY,
        amount=250_000_000,
        description="Hội nghị",
        document_number="UNC 12",
        document_date=DAY,
        file=services.UploadedDocument("chung-tu.pdf", PDF),
    )
    services.spending_add(
        actor=None,
        estimate=department,
        date=DAY,
        amount=60_000_000,
        description="Tập huấn",
        document_number="UNC 13",
        document_date=DAY,
    )
    whole = selectors.execution(tree.langson, 2026)
    assert (whole.estimated, whole.allocated, whole.spent) == (
        700_000_000,
        450_000_000,
        310_000_000,
    )
    assert [line.estimate for line in whole.over] == [department]
    own = selectors.execution(tree.langson, 2026, subtree=False)
    assert own.spent == 250_000_000 and own.rate == 62 and not own.over
    assert selectors.execution(tree.langson, 2025).lines == []
    assert BudgetSpending.objects.get(document_number="UNC 12").document_file.read() == PDF


@pytest.mark.parametrize("amount", [-1, MAX_AMOUNT + 1, "1,5 tỷ", 2.5])
def test_negative_oversized_or_not_whole_amounts_are_refused(tree, task, amount):
    with pytest.raises(ValidationError) as refused:
        services.estimate_save(actor=None, unit=tree.langson, task=task, year=2026, amount=amount)
    assert "amount" in refused.value.message_dict
    assert not BudgetEstimate.objects.exists()


def test_a_spending_document_is_checked_by_its_content_and_nothing_half_saved(tree, task):
    estimate = services.estimate_save(
        actor=None, unit=tree.langson, task=task, year=2026, amount=1000
    )
    with pytest.raises(ValidationError) as refused:
        services.spending_add(
            actor=None,
            estimate=estimate,
            date=DAY,
            amount=-5,
            description="",
            document_number="",
            document_date=DAY,
            file=services.UploadedDocument("hoa-don.pdf", b"MZ\x90\x00 not a pdf"),
        )
    assert set(refused.value.message_dict) == {
        "amount",
        "description",
        "document_number",
        "document_file",
    }
    assert not BudgetSpending.objects.exists()


def test_an_estimate_needs_a_task_of_a_plan_that_binds_the_unit(tree):
    other = _task(tree.dongnai)
    with pytest.raises(ValidationError) as refused:
        services.estimate_save(actor=None, unit=tree.langson, task=other, year=2026, amount=1)
    assert "task" in refused.value.message_dict


def test_one_estimate_per_unit_task_and_year(tree, task):
    services.estimate_save(actor=None, unit=tree.langson, task=task, year=2026, amount=1)
    with pytest.raises(ValidationError):
        services.estimate_save(actor=None, unit=tree.langson, task=task, year=2026, amount=2)
    assert BudgetEstimate.objects.count() == 1


def test_scoping_and_the_right_to_record(tree, task, make_user, client):
    estimate = services.estimate_save(
        actor=None, unit=tree.langson, task=task, year=2026, amount=1000
    )
    viewer = make_user(tree.langson, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.allocation_add(actor=viewer, estimate=estimate, date=DAY, amount=1)
    outsider = make_user(tree.dongnai, Role.REPORTER)
    client.force_login(outsider)
    assert client.get(reverse("programme:estimate-detail", args=[estimate.pk])).status_code == 404
    assert "Tổ chức hội nghị" not in client.get(reverse("programme:budget-list")).content.decode()


def test_the_pages_record_an_estimate_an_allocation_and_spending(tree, task, make_user, client):
    reporter = make_user(tree.langson, Role.REPORTER)
    client.force_login(reporter)
    response = client.post(
        reverse("programme:estimate-create"),
        {
            "unit": tree.langson.pk,
            "task": task.pk,
            "year": 2026,
            "amount": 1_000_000,
            "note": "Quý I",
        },
    )
    estimate = BudgetEstimate.objects.get()
    assert response.status_code == 302
    detail = reverse("programme:estimate-detail", args=[estimate.pk])
    client.post(
        detail,
        {
            "which": "allocation",
            "a-date": "2026-02-01",
            "a-amount": 500_000,
            "a-document_number": "QĐ 5",
        },
    )
    upload = io.BytesIO(PDF)
    upload.name = "uy-nhiem-chi.pdf"
    client.post(
        detail,
        {
            "which": "spending",
            "date": "2026-02-10",
            "amount": 700_000,
            "description": "Thuê hội trường",
            "document_number": "UNC 99",
            "document_date": "2026-02-10",
            "document_file": upload,
        },
    )
    page = client.get(detail).content.decode()
    assert "Thuê hội trường" in page and "QĐ 5" in page
    assert "Chi vượt kinh phí được giao" in page  # 700,000 spent over 500,000 allocated
    spending = BudgetSpending.objects.get()
    download = client.get(reverse("programme:spending-document", args=[spending.pk]))
    assert b"".join(download.streaming_content) == PDF
    task_page = client.get(reverse("programme:task-budget", args=[task.pk])).content.decode()
    assert "1.000.000" in task_page and "700.000" in task_page
    unit_page = client.get(
        reverse("programme:unit-budget", args=[tree.langson.pk]), {"year": 2026}
    ).content.decode()
    assert "500.000" in unit_page
    found = client.get(reverse("programme:budget-list"), {"q": "to chuc hoi nghi"}).content.decode()
    assert "Tổ chức hội nghị" in found
    assert LogEntry.objects.get_for_object(spending).get().actor == reporter


def _sheet(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append([str(c.header) for c in sheets.COLUMNS[: sheets.IMPORTED]])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_sheet_of_estimates_is_saved_whole_or_not_at_all(tree, task, make_user):
    reporter = make_user(tree.langson, Role.REPORTER)
    bad = [
        [tree.langson.code, task.pk, "", 2026, 100, ""],
        [tree.langson.code, task.pk, "", 2027, -100, ""],
        ["KHONG-CO", task.pk, "", 2026, 1, ""],
    ]
    with pytest.raises(ValidationError) as refused:
        sheets.budget_import(actor=reporter, data=_sheet(bad))
    messages = refused.value.messages
    assert any(m.startswith("Dòng 3") for m in messages)
    assert any(m.startswith("Dòng 4") for m in messages)
    assert not any(m.startswith("Dòng 2") for m in messages)
    assert not BudgetEstimate.objects.exists()
    created = sheets.budget_import(actor=reporter, data=_sheet(bad[:1]))
    assert created[0].amount == 100


def test_the_export_holds_the_execution(tree, task, make_user, client):
    estimate = services.estimate_save(actor=None, unit=tree.langson, task=task, year=2026, amount=9)
    services.allocation_add(actor=None, estimate=estimate, date=DAY, amount=5)
    client.force_login(make_user(tree.langson, Role.VIEWER))
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get(reverse("programme:budget-export")).content))
    row = [c.value for c in book.active[2]]
    assert row[0] == tree.langson.code and row[3] == 2026 and row[4] == 9 and row[6] == 5


def test_the_api_lists_estimates_in_scope_and_records_one(tree, task, make_user, api_client):
    services.estimate_save(actor=None, unit=tree.langson, task=task, year=2026, amount=9)
    api_client.force_authenticate(make_user(tree.dongnai, Role.REPORTER))
    assert api_client.get("/api/v1/budget-estimates/").json()["results"] == []
    api_client.force_authenticate(make_user(tree.langson, Role.REPORTER))
    rows = api_client.get("/api/v1/budget-estimates/").json()["results"]
    assert [(r["year"], r["amount"], r["over"]) for r in rows] == [(2026, 9, False)]
    created = api_client.post(
        "/api/v1/budget-estimates/",
        {"unit": tree.langson.pk, "task": task.pk, "year": 2027, "amount": 12},
        format="json",
    )
    assert created.status_code == 201, created.content
    refused = api_client.post(
        "/api/v1/budget-estimates/",
        {"unit": tree.langson.pk, "task": task.pk, "year": 2028, "amount": -12},
        format="json",
    )
    assert refused.status_code == 400
    assert BudgetEstimate.objects.count() == 2
