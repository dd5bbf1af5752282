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
    services.fact_set(actor=None, unit=tree.xl_school, key="officials_total", value=100)
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


# Reviewer's defects: typed figures, missing denominators, citizens reached, spans ------------


def _event(unit, audience, date=datetime.date(2025, 3, 1)):
    return activity_record(
        actor=None, unit=unit, kind="event", date=date, title="Ngày hội khoa học",
        counts={"participants": 10, "officials": 0, "audience": audience},
    )  # fmt: skip


def _typed(unit, code, num, den, span=H1):
    return services.entry_set(
        actor=None, unit=unit, code=code, start=span[0], end=span[1],
        numerator=num, denominator=den, source="Sổ ký nhận",
    )  # fmt: skip


def _pair(code, unit, span=H1):
    value = compute(code, unit=unit, start=span[0], end=span[1])
    return (value.numerator, value.denominator)


def test_a_typed_figure_stands_for_the_units_whole_subtree(tree):
    services.fact_set(actor=None, unit=tree.school, key="officials_total", value=40)
    _meeting(tree.school, 30)
    _typed(tree.bombo, "officials_informed", 50, 60)
    assert _pair("officials_informed", tree.bombo) == (50, 60)  # not the school's 30/40 added
    assert _pair("officials_informed", tree.school) == (30, 40)  # the school's own still stands
    services.fact_set(actor=None, unit=tree.xuanlap, key="officials_total", value=100)
    _meeting(tree.xuanlap, 10)
    assert _pair("officials_informed", tree.dongnai) == (60, 160)
    # A typed province figure stands for the whole province, the communes' below it.
    _typed(tree.dongnai, "officials_informed", 70, 200)
    assert _pair("officials_informed", tree.dongnai) == (70, 200)
    assert _pair("officials_informed", tree.root) == (70, 200)
    assert _pair("officials_informed", tree.bombo) == (50, 60)


def test_a_unit_without_a_denominator_adds_nothing_to_a_share(tree):
    services.fact_set(actor=None, unit=tree.bombo, key="population", value=1000)
    _event(tree.bombo, 500)
    _event(tree.xuanlap, 400)  # Xuân Lập states no population
    value = compute("citizens_reached", unit=tree.dongnai, start=H1[0], end=H1[1])
    assert (value.numerator, value.denominator, value.value) == (500, 1000, Decimal("50.0"))
    alone = compute("citizens_reached", unit=tree.xuanlap, start=H1[0], end=H1[1])
    assert (alone.numerator, alone.denominator, alone.display) == (400, None, "—")
    services.fact_set(actor=None, unit=tree.bombo, key="officials_total", value=20)
    _meeting(tree.bombo, 10)
    _meeting(tree.xl_school, 90)  # no list, no stated total: out of nothing
    assert _pair("officials_informed", tree.dongnai) == (10, 20)
    assert _pair("officials_informed", tree.xuanlap)[1] is None  # out of nothing: no share
    # A ward that states no total, over a school that does: the school's share only.
    _meeting(tree.xuanlap, 7)
    services.fact_set(actor=None, unit=tree.xl_school, key="officials_total", value=100)
    assert _pair("officials_informed", tree.xuanlap) == (90, 100)
    assert _pair("officials_informed", tree.dongnai) == (100, 120)
    # Counts still add up whatever the facts.
    assert compute("training_programs", unit=tree.dongnai, start=H1[0], end=H1[1]).value == 0
    _meeting(tree.xl_school, 5, kind="training")
    assert compute("training_programs", unit=tree.dongnai, start=H1[0], end=H1[1]).value == 1


def test_citizens_reached_is_the_largest_audience_not_audiences_added(tree):
    services.fact_set(actor=None, unit=tree.bombo, key="population", value=1000)
    for month in (2, 3, 4):
        _event(tree.bombo, 300, date=datetime.date(2025, month, 1))
    value = compute("citizens_reached", unit=tree.bombo, start=H1[0], end=H1[1])
    assert (value.numerator, value.denominator, value.value) == (300, 1000, Decimal("30.0"))
    _typed(tree.bombo, "citizens_reached", 450, 1000)
    assert _pair("citizens_reached", tree.bombo) == (450, 1000)


def test_typed_figures_of_the_periods_inside_a_span_count_for_it(tree):
    year = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    h2 = (datetime.date(2025, 7, 1), datetime.date(2025, 12, 31))
    services.fact_set(actor=None, unit=tree.bombo, key="officials_total", value=34)
    _meeting(tree.bombo, 10)
    _typed(tree.bombo, "officials_informed", 30, 34)
    assert _pair("officials_informed", tree.bombo, year) == (30, 34)
    _typed(tree.bombo, "officials_informed", 32, 34, span=h2)
    # The latest figure, not the two added: 62 of 68 would count people twice.
    assert _pair("officials_informed", tree.bombo, year) == (32, 34)
    assert _pair("officials_informed", tree.bombo) == (30, 34)
    # A typed figure for a longer period than the span asked says nothing about the span.
    q1 = (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
    assert _pair("officials_informed", tree.bombo, q1) == (10, 34)
    # Typed counts of the periods inside add up.
    services.entry_set(
        actor=None, unit=tree.bombo, code="central_trainings", start=H1[0], end=H1[1],
        numerator=3, source="Giấy triệu tập",
    )  # fmt: skip
    services.entry_set(
        actor=None, unit=tree.bombo, code="central_trainings", start=h2[0], end=h2[1],
        numerator=2, source="Giấy triệu tập",
    )  # fmt: skip
    assert compute("central_trainings", unit=tree.bombo, start=year[0], end=year[1]).value == 5
