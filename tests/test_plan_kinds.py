"""A plan in Lantoa is not always a Kế hoạch: 1169/QĐ-TTg is a Quyết định of the Prime Minister,
followed by Bộ KH&CN. The kind comes from the number's type code; the issuer is kept as written."""

import datetime

import pytest
from django.urls import reverse

from lantoa.orgs.choices import Role
from lantoa.plans import services
from lantoa.plans.choices import DocumentKind, kind_of_number
from lantoa.plans.models import Plan
from lantoa.portal.demo.plans import load_demo_plans


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("1169/QĐ-TTg", DocumentKind.DECISION),
        ("1169/qd-ttg", DocumentKind.DECISION),
        ("63/KH-UBND", DocumentKind.PLAN),
        ("57-NQ/TW", DocumentKind.RESOLUTION),
        ("05/CT-TTg", DocumentKind.DIRECTIVE),
        ("12/CTr-UBND", DocumentKind.PROGRAMME),
        ("123/UBND-VX", DocumentKind.PLAN),
        ("", DocumentKind.PLAN),
    ],
)
def test_the_kind_is_read_from_the_type_code(number, kind):
    assert kind_of_number(number) == kind


def test_the_demo_decision_of_the_prime_minister_is_listed_as_such(tree, client, make_user):
    load_demo_plans()
    decision = Plan.objects.get(number="1169/QĐ-TTg")
    assert decision.kind == DocumentKind.DECISION and decision.issuer == "Thủ tướng Chính phủ"
    assert decision.unit == tree.root  # followed in Lantoa by Bộ KH&CN
    assert Plan.objects.get(number="45/KH-UBND").issuer == "UBND tỉnh Đồng Nai"
    bombo = Plan.objects.get(number="63/KH-UBND")
    assert bombo.kind == DocumentKind.PLAN

    client.force_login(make_user(tree.root, Role.FOCAL_POINT))
    listing = client.get(reverse("plans:list")).content.decode()
    assert "Quyết định số 1169/QĐ-TTg" in listing and "Thủ tướng Chính phủ" in listing
    assert "Kế hoạch số 1169" not in listing and "Kế hoạch số 63/KH-UBND" in listing
    page = client.get(reverse("plans:detail", args=[decision.pk])).content.decode()
    assert "<h1>Quyết định số 1169/QĐ-TTg</h1>" in page
    assert "Quyết định · Thủ tướng Chính phủ" in page and "Kế hoạch số" not in page


def test_a_plan_entered_by_hand_keeps_its_issuer_and_kind(tree, client, make_user):
    client.force_login(make_user(tree.root, Role.FOCAL_POINT))
    response = client.post(
        reverse("plans:create"),
        {
            "unit": tree.root.pk,
            "number": "05/CT-TTg",
            "date": "2025-03-01",
            "issuer": "Thủ tướng Chính phủ",
            "title": "Chỉ thị về đẩy mạnh chuyển đổi số",
            "references": "",
        },
    )
    assert response.status_code == 302
    plan = Plan.objects.get(number="05/CT-TTg")
    assert (plan.kind, plan.issuer_name) == (DocumentKind.DIRECTIVE, "Thủ tướng Chính phủ")
    page = client.get(response["Location"]).content.decode()
    assert "Chỉ thị số 05/CT-TTg" in page

    # Edited: the number decides the kind again, the issuer stays what was typed.
    services.plan_edit(
        actor=None,
        plan=plan,
        header={
            "number": "06/QĐ-TTg",
            "title": plan.title,
            "date": datetime.date(2025, 3, 1),
            "issuer": "Thủ tướng Chính phủ",
        },
        tasks=[],
    )
    plan.refresh_from_db()
    assert (plan.kind, plan.issuer) == (DocumentKind.DECISION, "Thủ tướng Chính phủ")


def test_a_unit_plan_without_issuer_is_issued_by_its_peoples_committee(tree):
    plan = services.plan_create(actor=None, unit=tree.bombo, number="7/KH-UBND", title="Kế hoạch")
    assert plan.issuer == "UBND xã Bom Bo"
    assert str(plan.label) == "Plan No. 7/KH-UBND" or plan.label == "Kế hoạch số 7/KH-UBND"


def test_the_reporting_pages_name_the_decision_and_its_issuer(tree, client, make_user):
    from lantoa.plans.models import ReportDeadline
    from lantoa.reports.periods import periods_ensure

    load_demo_plans()
    decision = Plan.objects.get(number="1169/QĐ-TTg")
    ReportDeadline.objects.get_or_create(plan=decision, day=10, month=12)
    period = periods_ensure(decision, 2025)[-1]
    client.force_login(make_user(tree.root, Role.FOCAL_POINT))
    page = client.get(reverse("reports:period", args=[period.pk])).content.decode()
    assert "Quyết định số 1169/QĐ-TTg · Thủ tướng Chính phủ" in page
    assert "Bộ Khoa học và Công nghệ</p>" not in page


def test_the_api_gives_the_kind_and_the_issuer(tree, api_client, make_user):
    load_demo_plans()
    api_client.force_authenticate(make_user(tree.root, Role.VIEWER))
    rows = api_client.get("/api/v1/plans/", {"number": "1169/QĐ-TTg"}).json()
    rows = rows.get("results", rows) if isinstance(rows, dict) else rows
    assert [(r["kind"], r["issuer"], r["unit_code"]) for r in rows] == [
        ("decision", "Thủ tướng Chính phủ", tree.root.code)
    ]
