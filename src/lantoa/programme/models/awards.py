"""Khen thưởng: nominations by a unit (a collective, or one person of its people list), their
review by the level above, and the decisions that commend them (the register)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoping import ScopedQuerySet

__all__ = [
    "AwardDecision",
    "AwardLevel",
    "AwardNomination",
    "NominationKind",
    "NominationStatus",
]


class AwardLevel(models.TextChoices):
    PRIME_MINISTER = "prime_minister", _("Certificate of merit of the Prime Minister")
    MINISTER = "minister", _("Certificate of merit of the Minister")
    PROVINCE_CHAIR = (
        "province_chair",
        _("Certificate of merit of the Chairman of the provincial People's Committee"),
    )
    DEPARTMENT_DIRECTOR = (
        "department_director",
        _("Certificate of commendation of the Director of the Department"),
    )
    COMMUNE_CHAIR = "commune_chair", _("Certificate of commendation of the Chairman of the commune People's Committee")  # fmt: skip


class NominationKind(models.TextChoices):
    COLLECTIVE = "collective", _("Collective")
    INDIVIDUAL = "individual", _("Individual")


class NominationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted for a decision")
    REJECTED = "rejected", _("Not accepted")
    AWARDED = "awarded", _("Commended")


class AwardNominationQuerySet(ScopedQuerySet):
    scope_field = "unit__path"


class AwardNomination(models.Model):
    """Đề nghị khen thưởng: a unit proposes itself (collective) or one of its people."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="award_nominations", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NominationKind.choices)
    person = models.ForeignKey(
        "orgs.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_nominations",
        verbose_name=_("person"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    achievement = models.TextField(_("achievements"), max_length=4000)
    proposed_level = models.CharField(
        _("proposed level"), max_length=24, choices=AwardLevel.choices
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=NominationStatus.choices,
        default=NominationStatus.PROPOSED,
    )
    review_note = models.CharField(_("review note"), max_length=1000, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Where it was drawn from, e.g. "scoring-run:12" (one nomination per unit and run).
    origin_ref = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AwardNominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("award nomination")
        verbose_name_plural = _("award nominations")
        ordering = ["-year", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="collective", person__isnull=True)
                | models.Q(kind="individual", person__isnull=False),
                name="award_nomination_person_iff_individual",
            ),
            models.UniqueConstraint(
                fields=["unit", "origin_ref"],
                condition=~models.Q(origin_ref=""),
                name="award_nomination_origin_unique",
            ),
        ]

    def __str__(self) -> str:
        who = self.person.full_name if self.person_id else self.unit.name
        return f"{who} · {self.year}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path, "unit": self.unit.name}


class AwardDecisionQuerySet(ScopedQuerySet):
    scope_field = "nomination__unit__path"


class AwardDecision(models.Model):
    """Quyết định khen thưởng: the decision commending one nomination (one decision number may
    cover several nominations). The register of those commended is the list of decisions."""

    nomination = models.OneToOneField(
        AwardNomination, on_delete=models.PROTECT, related_name="decision"
    )
    number = models.CharField(_("decision number"), max_length=64)
    date = models.DateField(_("decision date"))
    level = models.CharField(_("level"), max_length=24, choices=AwardLevel.choices)
    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AwardDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} · {self.nomination}"

    def get_additional_data(self) -> dict:
        unit = self.nomination.unit
        return {"unit_path": unit.path, "unit": unit.name}
