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
