"""Writes to the indicator catalogue, the units' figures and typed indicator values."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from lantoa.orgs.audit import audited
from lantoa.orgs.choices import Action
from lantoa.orgs.scoping import require

from .catalogue import DEFINITIONS, STANDARD_INDICATORS
from .models import Indicator, IndicatorEntry, RollupRun, UnitFact

YES_NO_FACTS = ("website_section", "network_formed")


def indicators_ensure_standard() -> dict[str, Indicator]:
    """The standard catalogue, created on first use (idempotent); names stored in Vietnamese."""
    codes = [s.code for s in STANDARD_INDICATORS]
    existing = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    missing = [s for s in STANDARD_INDICATORS if s.code not in existing]
    if missing:
        # Two first imports at once (two communes) both create the catalogue: the second's
        # rows are skipped, not a crash.
        with translation.override("vi"):
            Indicator.objects.bulk_create(
                [Indicator(code=s.code, name=str(s.name), unit=s.unit) for s in missing],
                ignore_conflicts=True,
            )
        existing = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    return existing


def rollup_mark_stale(start=None, end=None) -> int:
    """Late or changed data within a finished roll-up's span: mark the run stale so the
    scheduled roll-up refreshes it. Without dates (a fact or a people list: no period) every run
    is marked. Called by the services that write evidence, facts, typed figures and lists."""
    runs = RollupRun.objects.filter(stale=False)
    if start is not None:
        runs = runs.filter(start__lte=end or start, end__gte=start)
    return runs.update(stale=True)


def _require_figures(actor, unit) -> None:
    require(
        actor, Action.RECORD, unit, _("You cannot change the figures of %(unit)s.") % {"unit": unit}
    )


# What the figure columns hold (14 digits, 2 of them decimals): below 10^12. A larger typed
# figure used to be saved and then break the report page and its .docx for everyone.
MAX_FIGURE = Decimal("999999999999")


def _count(value, field: str) -> Decimal:
    """A figure that counts something: a number, not negative."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: _("Enter a number.")}) from exc
    if not number.is_finite():
        raise ValidationError({field: _("Enter a number.")})
    if number < 0:
        raise ValidationError({field: _("A count cannot be negative.")})
    if number > MAX_FIGURE:
        raise ValidationError(
            {field: _("This figure is too large: at most %(max)s.") % {"max": "999.999.999.999"}}
        )
    return number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@audited
def fact_set(*, actor, unit, key: str, value, source: str = "") -> UnitFact:
    """State one of the unit's facts (officials, staff, population, yes/no facts)."""
    _require_figures(actor, unit)
    if key not in dict(UnitFact.KEYS):
        raise ValidationError({"key": _("Unknown figure.")})
    number = _count(value, "value")
    if key in YES_NO_FACTS and number not in (0, 1):
        raise ValidationError({"value": _("Answer 1 for yes or 0 for no.")})
    fact, _created = UnitFact.objects.update_or_create(
        unit=unit, key=key, defaults={"value": number, "source": source}
    )
    rollup_mark_stale()
    return fact


@audited
def fact_clear(*, actor, unit, key: str) -> bool:
    """Withdraw one of the unit's facts (its field emptied on the figures page): indicators
    no longer divide by it. True when there was one."""
    _require_figures(actor, unit)
    deleted = 0
    for fact in UnitFact.objects.filter(unit=unit, key=key):
        fact.delete()  # one by one, each on the record
        deleted += 1
    if deleted:
        rollup_mark_stale()
    return bool(deleted)


@audited
def entry_set(
    *, actor, unit, code: str, start, end, numerator, denominator=None, source: str
) -> IndicatorEntry:
    """Type an indicator's value for a period, with its source."""
    _require_figures(actor, unit)
    indicator = indicators_ensure_standard().get(code)
    if indicator is None:
        raise ValidationError({"indicator": _("Unknown indicator.")})
    num = _count(numerator, "numerator")
    den = None if denominator in (None, "") else _count(denominator, "denominator")
    definition = DEFINITIONS.get(code)
    if (
        den is None
        and definition is not None
        and definition.method.kind != "typed"
        and definition.display_unit == "%"
    ):
        raise ValidationError(
            {"denominator": _("Say out of how many: this figure is a share of the whole.")}
        )
    if den is not None and (den == 0 or num > den):
        raise ValidationError(
            {
                "numerator": _(
                    "The value is more than what it is out of: a share cannot be over 100%."
                )
            }
        )
    if not (source or "").strip():
        raise ValidationError({"source": _("Say where the figure comes from.")})
    entry, _created = IndicatorEntry.objects.update_or_create(
        unit=unit,
        indicator=indicator,
        period_start=start,
        period_end=end,
        defaults={"numerator": num, "denominator": den, "source": source.strip()},
    )
    rollup_mark_stale(start, end)
    return entry
