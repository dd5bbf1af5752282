from django.db import models
from django.utils.translation import gettext_lazy as _


class SetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")


class TieRule(models.TextChoices):
    """How units with the same total are ranked."""

    SHARED = "shared", _("Same rank for the same total")
    BY_CRITERIA = "by_criteria", _("Broken by the tie-breaking criteria in order")


class ScoringMethod(models.TextChoices):
    INDICATOR = "indicator", _("From an indicator")
    REVIEW = "review", _("Scored by a reviewer")


class Scale(models.TextChoices):
    """How an indicator's value becomes points."""

    BANDS = "bands", _("Bands (threshold → points)")
    LINEAR = "linear", _("Linear up to the target")


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    LOCKED = "locked", _("Locked")
    PUBLISHED = "published", _("Published")


class ContestStatus(models.TextChoices):
    NONE = "", _("Not contested")
    OPEN = "open", _("Contested")
    ACCEPTED = "accepted", _("Contest accepted")
    REFUSED = "refused", _("Contest refused")
