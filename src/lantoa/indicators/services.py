from django.utils import translation

from .catalogue import STANDARD_INDICATORS
from .models import Indicator


def indicators_ensure_standard() -> dict[str, Indicator]:
    """The standard catalogue, created on first use (idempotent); names stored in Vietnamese."""
    existing = {
        i.code: i for i in Indicator.objects.filter(code__in=[s.code for s in STANDARD_INDICATORS])
    }
    with translation.override("vi"):
        for standard in STANDARD_INDICATORS:
            if standard.code not in existing:
                existing[standard.code] = Indicator.objects.create(
                    code=standard.code, name=str(standard.name), unit=standard.unit
                )
    return existing


def fact_set(*, actor, unit, key: str, value, source: str = ""):
    """State one of the unit's facts (officials, staff, population, yes/no facts)."""
    from decimal import Decimal, InvalidOperation

    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils.translation import gettext as _

    from lantoa.orgs.choices import Action
    from lantoa.orgs.scoping import can

    from .models import UnitFact

    if actor is not None and not can(actor, Action.RECORD, unit):
        raise PermissionDenied(_("You cannot change the figures of %(unit)s.") % {"unit": unit})
    if key not in dict(UnitFact.KEYS):
        raise ValidationError({"key": _("Unknown figure.")})
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"value": _("Enter a number.")}) from exc
    if number < 0:
        raise ValidationError({"value": _("A count cannot be negative.")})
    if key in ("website_section", "network_formed") and number not in (0, 1):
        raise ValidationError({"value": _("Answer 1 for yes or 0 for no.")})
    fact, _created = UnitFact.objects.update_or_create(
        unit=unit, key=key, defaults={"value": number, "source": source}
    )
    return fact


def entry_set(*, actor, unit, code: str, start, end, numerator, denominator=None, source: str):
    """Type an indicator's value for a period, with its source."""
    from decimal import Decimal, InvalidOperation

    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils.translation import gettext as _

    from lantoa.orgs.choices import Action
    from lantoa.orgs.scoping import can

    from .models import IndicatorEntry

    if actor is not None and not can(actor, Action.RECORD, unit):
        raise PermissionDenied(_("You cannot change the figures of %(unit)s.") % {"unit": unit})
    indicator = indicators_ensure_standard().get(code)
    if indicator is None:
        raise ValidationError({"indicator": _("Unknown indicator.")})
    try:
        num = Decimal(str(numerator))
        den = None if denominator in (None, "") else Decimal(str(denominator))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"numerator": _("Enter a number.")}) from exc
    if num < 0 or (den is not None and den < 0):
        raise ValidationError({"numerator": _("A count cannot be negative.")})
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
    return entry
