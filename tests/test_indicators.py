"""Indicators computed from evidence and facts, and rolled up the tree the right way."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lantoa.activities.services import activity_record
from lantoa.analytics.computation import METHODS, compute, compute_all
from lantoa.indicators import services
from lantoa.indicators.catalogue import STANDARD_INDICATORS

H1 = (datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))


def _meeting(unit, officials, participants=None, date=datetime.date(2025, 3, 1), kind="meeting"):
    return activity_record(
        actor=None, unit=unit, kind=kind, date=date, title="Hội nghị quán triệt",
        counts={"participants": participants or officials, "officials": officials},
    )  # fmt: skip


def test_every_standard_indicator_has_a_method():
    assert {s.code for s in STANDARD_INDICATORS} == set(METHODS)


def test_ratio_rolls_up_from_summed_parts_not_averaged(tree):
    services.fact_set(actor=None, unit=tree.bombo, key="officials_total", value=20)
    services.fact_set(actor=None, unit=tree.xuanlap, key="officials_total", value=100)
    _meeting(tree.bombo, 10)
    _meeting(tree.xl_school, 90)  # a unit below the ward counts for the ward
    _meeting(tree.xuanlap, 50, date=datetime.date(2025, 8, 1))  # outside the period
    bombo = compute("officials_informed", unit=tree.bombo, start=H1[0], end=H1[1])
    xuanlap = compute("officials_informed", unit=tree.xuanlap, start=H1[0], end=H1[1])
    province = compute("officials_informed", unit=tree.dongnai, start=H1[0], end=H1[1])
    assert (bombo.value, xuanlap.value) == (Decimal("50.0"), Decimal("90.0"))
    assert province.value == Decimal("83.3")  # 100 / 120, not the 70 an average would give
    assert (province.numerator, province.denominator) == (100, 120)


def test_counts_add_up_and_yes_no_is_n_of_m(tree):
    for unit in (tree.bombo, tree.school, tree.xuanlap):
        _meeting(unit, 5, kind="training")
    services.fact_set(actor=None, unit=tree.bombo, key="website_section", value=1)
    services.fact_set(actor=None, unit=tree.xuanlap, key="website_section", value=0)
    values = {v.code: v for v in compute_all(unit=tree.dongnai, start=H1[0], end=H1[1])}
    assert values["training_programs"].value == 3
    site = values["website_section"]
    assert (site.numerator, site.denominator, site.value) == (1, 2, Decimal("50.0"))
    assert compute("training_programs", unit=tree.bombo, start=H1[0], end=H1[1]).value == 2


def test_units_with_a_plan(tree):
    from lantoa.plans.services import plan_create

    plan_create(actor=None, unit=tree.bombo, number="1/KH-UBND", title="Kế hoạch")
    value = compute("units_with_plan", unit=tree.dongnai, start=H1[0], end=H1[1])
    assert (value.numerator, value.denominator) == (1, 2)


@pytest.mark.parametrize(
    ("numerator", "denominator", "source", "field"),
    [(-1, None, "Báo cáo", "numerator"), (12, 10, "Báo cáo", "numerator"), (5, 10, " ", "source")],
)
def test_typed_values_are_checked(tree, numerator, denominator, source, field):
    with pytest.raises(ValidationError) as error:
        services.entry_set(
            actor=None, unit=tree.bombo, code="press_sections", start=H1[0], end=H1[1],
            numerator=numerator, denominator=denominator, source=source,
        )  # fmt: skip
    assert field in error.value.message_dict


def test_typed_shares_roll_up(tree):
    for unit, num, den in ((tree.bombo, 1, 1), (tree.xuanlap, 1, 3)):
        services.entry_set(
            actor=None,
            unit=unit,
            code="press_sections",
            start=H1[0],
            end=H1[1],
            numerator=num,
            denominator=den,
            source="Sở VH-TT-DL",
        )
    value = compute("press_sections", unit=tree.dongnai, start=H1[0], end=H1[1])
    assert value.value == Decimal("50.0")


def test_bad_facts(tree):
    with pytest.raises(ValidationError):
        services.fact_set(actor=None, unit=tree.bombo, key="officials_total", value=-5)
    with pytest.raises(ValidationError):
        services.fact_set(actor=None, unit=tree.bombo, key="website_section", value=2)


def test_national_rollup_equals_the_per_unit_computation_and_resumes(tree):
    from lantoa.analytics.rollup import rollup_period
    from lantoa.indicators.models import IndicatorValue
    from lantoa.plans.services import plan_create

    services.fact_set(actor=None, unit=tree.bombo, key="officials_total", value=20)
    services.fact_set(actor=None, unit=tree.xuanlap, key="officials_total", value=100)
    services.fact_set(actor=None, unit=tree.bombo, key="website_section", value=1)
    services.fact_set(actor=None, unit=tree.xuanlap, key="website_section", value=0)
    _meeting(tree.bombo, 10)
    _meeting(tree.xl_school, 90, kind="training")
    plan_create(actor=None, unit=tree.bombo, number="1/KH-UBND", title="Kế hoạch")
    run = rollup_period(*H1)
    assert set(run.done) == set(METHODS) and run.finished_at
    for unit in (tree.root, tree.dongnai, tree.bombo, tree.xuanlap):  # the administrative levels
        for expected in compute_all(unit=unit, start=H1[0], end=H1[1]):
            if METHODS[expected.code].kind == "typed":
                continue
            stored = IndicatorValue.objects.filter(run=run, code=expected.code, unit=unit).first()
            got = (stored.numerator, stored.denominator) if stored else (None, None)
            want = (expected.numerator, expected.denominator)
            if want[0] in (None, 0) and want[1] in (None, 0):
                assert got[0] in (None, 0), (unit, expected.code)
                continue
            assert got == want, (unit, expected.code, got, want)
    # A second run (as after a crash) writes nothing twice.
    count = IndicatorValue.objects.count()
    rollup_period(*H1)
    assert IndicatorValue.objects.count() == count


def test_figures_page(tree, client, make_user):
    from django.urls import reverse

    from lantoa.indicators.models import UnitFact
    from lantoa.orgs.choices import Role

    client.force_login(make_user(tree.school, Role.REPORTER))
    url = reverse("unit-facts", args=[tree.school.pk])
    bad = client.post(url, {"officials_total": "-4", "source": "Phòng Nội vụ"})
    assert bad.status_code == 200 and bad.context["form"].errors and not UnitFact.objects.exists()
    assert (
        client.post(
            url, {"officials_total": "34", "website_section": "1", "source": "Phòng Nội vụ"}
        ).status_code
        == 302
    )
    assert dict(UnitFact.objects.values_list("key", "value")) == {
        "officials_total": 34,
        "website_section": 1,
    }
    client.force_login(make_user(tree.school, Role.VIEWER))
    assert client.get(url).status_code == 403


def test_figures_page_shows_what_was_typed_and_an_emptied_figure_is_withdrawn(
    tree, client, make_user
):
    from django.urls import reverse

    from lantoa.indicators.models import UnitFact
    from lantoa.orgs.choices import Role

    client.force_login(make_user(tree.school, Role.REPORTER))
    url = reverse("unit-facts", args=[tree.school.pk])
    source = "Quyết định số 15/QĐ-UBND giao biên chế"
    client.post(url, {"officials_total": "34", "population": "12850", "source": source})
    form = client.get(url).context["form"]
    assert str(form["officials_total"].value()) == "34"  # not 34.00
    assert str(form["population"].value()) == "12850"
    assert form["source"].value() == source
    assert client.post(url, {"officials_total": "34", "source": source}).status_code == 302
    assert dict(UnitFact.objects.values_list("key", "value")) == {"officials_total": 34}
