"""Criteria sets (bộ tiêu chí) a focal point defines for the units below it, and the yearly
scoring runs that score those units from their evidence.

The weight rule: a set's criteria (its own and those of the set it adopts) carry maximum
points that add up to the set's ``total_points`` (100 by default); a group's weight is the sum
of its criteria's maximum points."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.activities.models import Activity
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoping import ChainScopedQuerySet, ScopedQuerySet

from .choices import ContestStatus, RunStatus, Scale, ScoringMethod, SetStatus, TieRule


class CriteriaSetQuerySet(ChainScopedQuerySet):
    scope_field = "unit__path"


class CriteriaSet(models.Model):
    """A focal point's criteria for the units below it, versioned per year."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="criteria_sets", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=255)
    status = models.CharField(
        _("status"), max_length=16, choices=SetStatus.choices, default=SetStatus.DRAFT
    )
    adopts = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopted_by",
        verbose_name=_("adopts the set"),
    )
    total_points = models.DecimalField(
        _("total points"), max_digits=7, decimal_places=2, default=Decimal(100)
    )
    tie_rule = models.CharField(
        _("ties"), max_length=16, choices=TieRule.choices, default=TieRule.SHARED
    )
    # Criterion codes, in order, that break a tie (TieRule.BY_CRITERIA).
    tie_breakers = models.JSONField(_("tie-breaking criteria"), default=list, blank=True)
    contest_from = models.DateField(_("contest window opens"), null=True, blank=True)
    contest_until = models.DateField(_("contest window closes"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["-year", "-version", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "version"], name="criteria_set_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year}, v{self.version})"

    def chain(self) -> list[CriteriaSet]:
        """The sets this one is built on, the root (adopted) first, this one last."""
        sets, current = [], self
        while current is not None and current not in sets:
            sets.insert(0, current)
            current = current.adopts
        return sets

    def all_groups(self) -> list[CriterionGroup]:
        return [g for s in self.chain() for g in s.groups.order_by("order", "pk")]

    def all_criteria(self) -> list[Criterion]:
        return [
            c
            for s in self.chain()
            for c in Criterion.objects.filter(group__criteria_set=s)
            .select_related("group")
            .order_by("group__order", "group__pk", "order", "pk")
        ]

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class CriterionGroup(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="groups", verbose_name=_("criteria set")
    )
    title = models.CharField(_("title"), max_length=255)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criteria group")
        verbose_name_plural = _("criteria groups")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def weight(self) -> Decimal:
        return sum((c.max_points for c in self.criteria.all()), Decimal(0))

    def get_additional_data(self) -> dict:
        return {"unit_path": self.criteria_set.unit.path}


class Criterion(models.Model):
    group = models.ForeignKey(
        CriterionGroup, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("group")
    )
    code = models.CharField(_("code"), max_length=32)
    title = models.CharField(_("title"), max_length=500)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    max_points = models.DecimalField(_("maximum points"), max_digits=7, decimal_places=2)
    method = models.CharField(_("scored"), max_length=16, choices=ScoringMethod.choices)
    # INDICATOR: a code of indicators/catalogue.py, read for one year.
    indicator = models.CharField(_("indicator"), max_length=64, blank=True)
    indicator_year = models.PositiveSmallIntegerField(_("indicator year"), null=True, blank=True)
    scale = models.CharField(_("scale"), max_length=16, choices=Scale.choices, blank=True)
    # BANDS: [[threshold, points], ...] ascending; LINEAR: points up to ``target``.
    bands = models.JSONField(_("bands"), default=list, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    guidance = models.TextField(_("what the reviewer looks for"), blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.group.criteria_set.unit.path}


class ScoringRunQuerySet(ChainScopedQuerySet):
    scope_field = "criteria_set__unit__path"


class ScoringRun(models.Model):
    criteria_set = models.OneToOneField(
        CriteriaSet, on_delete=models.PROTECT, related_name="run", verbose_name=_("criteria set")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.DRAFT
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_reason = models.CharField(_("reason for reopening"), max_length=500, blank=True)

    objects = ScoringRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("scoring run")
        verbose_name_plural = _("scoring runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return str(self.criteria_set)

    @property
    def unit(self) -> OrgUnit:
        return self.criteria_set.unit

    def get_additional_data(self) -> dict:
        return {"unit_path": self.criteria_set.unit.path}


class UnitScoreQuerySet(ScopedQuerySet):
    scope_field = "unit__path"


class UnitScore(models.Model):
    run = models.ForeignKey(
        ScoringRun, on_delete=models.CASCADE, related_name="scores", verbose_name=_("scoring run")
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="evaluation_scores", verbose_name=_("unit")
    )
    total = models.DecimalField(_("total"), max_digits=8, decimal_places=2, default=Decimal(0))
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)

    objects = UnitScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit score")
        verbose_name_plural = _("unit scores")
        ordering = ["rank", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["run", "unit"], name="unit_score_unique_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.total}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class CriterionScoreQuerySet(ScopedQuerySet):
    scope_field = "unit_score__unit__path"


class CriterionScore(models.Model):
    unit_score = models.ForeignKey(
        UnitScore, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("unit score")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterion")
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    value_display = models.CharField(_("value"), max_length=64, blank=True)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2, null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    evidence_activities = models.ManyToManyField(
        Activity, blank=True, related_name="+", verbose_name=_("evidence activities")
    )
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    contest = models.TextField(_("contest"), blank=True)
    contest_status = models.CharField(
        _("contest status"), max_length=16, choices=ContestStatus.choices, blank=True
    )
    contest_answer = models.TextField(_("answer to the contest"), blank=True)

    objects = CriterionScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        ordering = ["criterion__group__order", "criterion__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_score", "criterion"], name="criterion_score_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.points}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit_score.unit.path}
