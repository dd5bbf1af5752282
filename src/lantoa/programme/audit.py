"""Audit registration of the registers' models (one block per register)."""

# State-funded S&T tasks and the budget (helper sttasks).
from auditlog.registry import auditlog  # noqa: E402

from .models import BudgetAllocation, BudgetEstimate, BudgetSpending, STTask  # noqa: E402

auditlog.register(
    STTask,
    exclude_fields=["updated_at", "folded"],
    m2m_fields={"content_items", "activities"},
)
auditlog.register(BudgetEstimate, exclude_fields=["updated_at"])
auditlog.register(BudgetAllocation)
auditlog.register(BudgetSpending)
