"""Audit registration of the registers' models (one block per register)."""

# Awards.
from auditlog.registry import auditlog  # noqa: E402

from .models import awards as _awards  # noqa: E402

auditlog.register(_awards.AwardNomination, exclude_fields=["updated_at"])
auditlog.register(_awards.AwardDecision)
