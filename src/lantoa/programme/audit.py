"""Audit registration of the registers' models (one block per register)."""

from auditlog.registry import auditlog  # noqa: E402

from .models import network, trainings  # noqa: E402

# Trainings register
auditlog.register(trainings.TrainingProgramme, exclude_fields=["updated_at", "search"])
auditlog.register(trainings.TrainingSession)
auditlog.register(trainings.Trainee)

# Communication network register (contact fields masked in the trail: personal data)
auditlog.register(
    network.NetworkMember, exclude_fields=["updated_at", "search"], mask_fields=["phone", "email"]
)
auditlog.register(network.NetworkInvitation)

# Awards register
from .models import awards as _awards  # noqa: E402

auditlog.register(_awards.AwardNomination, exclude_fields=["updated_at"])
auditlog.register(_awards.AwardDecision)
# State-funded S&T tasks and the budget (helper sttasks).
from .models import BudgetAllocation, BudgetEstimate, BudgetSpending, STTask  # noqa: E402

auditlog.register(
    STTask,
    exclude_fields=["updated_at", "folded"],
    m2m_fields={"content_items", "activities"},
)
auditlog.register(BudgetEstimate, exclude_fields=["updated_at"])
auditlog.register(BudgetAllocation)
auditlog.register(BudgetSpending)
