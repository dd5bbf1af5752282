"""Budget (kinh phí): estimates (dự toán) per plan task and year, the allocations made against
each and the spending recorded with its document. Amounts are whole đồng, bounded."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoping import ScopedQuerySet

from ..sttasks_choices import EARLIEST_YEAR, LATEST_YEAR, MAX_AMOUNT

__all__ = ["BudgetAllocation", "BudgetEstimate", "BudgetSpending"]

_AMOUNT = [MinValueValidator(0), MaxValueValidator(MAX_AMOUNT)]
_BOUNDED = Q(amount__gte=0, amount__lte=MAX_AMOUNT)


class BudgetEstimate(models.Model):
    """Dự toán: what a unit estimates for one plan task in one year."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="budget_estimates", verbose_name=_("unit")
    )
    task = models.ForeignKey(
        "plans.Task",
        on_delete=models.PROTECT,
        related_name="budget_estimates",
        verbose_name=_("plan task"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(EARLIEST_YEAR), MaxValueValidator(LATEST_YEAR)]
    )
    amount = models.BigIntegerField(_("estimate (VND)"), validators=_AMOUNT)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget estimate")
        verbose_name_plural = _("budget estimates")
        ordering = ["-year", "unit__path", "task_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "task", "year"], name="budget_estimate_unique_task_year"
            ),
            models.CheckConstraint(condition=_BOUNDED, name="budget_estimate_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.task}"


class EstimatePartQuerySet(ScopedQuerySet):
    scope_field = "estimate__unit__path"


class BudgetAllocation(models.Model):
    """Kinh phí được giao: money allocated against an estimate, by a decision."""

    estimate = models.ForeignKey(
        BudgetEstimate, on_delete=models.CASCADE, related_name="allocations"
    )
    date = models.DateField(_("date"))
    amount = models.BigIntegerField(_("amount (VND)"), validators=_AMOUNT)
    document_number = models.CharField(_("decision number"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EstimatePartQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget allocation")
        verbose_name_plural = _("budget allocations")
        ordering = ["date", "pk"]
        constraints = [models.CheckConstraint(condition=_BOUNDED, name="budget_allocation_bounded")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} · {self.amount}"

    @property
    def unit(self):
        return self.estimate.unit


class BudgetSpending(models.Model):
    """Chi: money spent against an estimate, with its supporting document (number, date and the
    file itself, uploaded and checked by content, or an asset of the library)."""

    estimate = models.ForeignKey(BudgetEstimate, on_delete=models.CASCADE, related_name="spendings")
    date = models.DateField(_("date"))
    amount = models.BigIntegerField(_("amount (VND)"), validators=_AMOUNT)
    description = models.CharField(_("what was paid for"), max_length=500)
    document_number = models.CharField(_("document number"), max_length=64)
    document_date = models.DateField(_("document date"))
    document_file = models.FileField(
        _("document file"), upload_to="budget/%Y/", max_length=200, blank=True
    )
    document_name = models.CharField(max_length=255, blank=True)
    document_asset = models.ForeignKey(
        "media.Asset",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document from the library"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EstimatePartQuerySet.as_manager()

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        ordering = ["date", "pk"]
        constraints = [models.CheckConstraint(condition=_BOUNDED, name="budget_spending_bounded")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} · {self.amount}"

    @property
    def unit(self):
        return self.estimate.unit
