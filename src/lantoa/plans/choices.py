from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("In force")
    REPLACED = "replaced", _("Replaced by a revision")


class Timing(models.TextChoices):
    ONGOING = "ongoing", _("Ongoing task")
    ANNUAL = "annual", _("Annual")
    ONCE = "once", _("Once, by a deadline")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class TargetUnit(models.TextChoices):
    PERCENT = "%", _("percent")
    COUNT = "count", _("count")


class Comparator(models.TextChoices):
    AT_LEAST = ">=", _("at least")
    EQUAL = "=", _("exactly")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead unit")
    SUPPORT = "support", _("Coordinating unit")


class ImportStatus(models.TextChoices):
    READING = "reading", _("Being read")
    FAILED = "failed", _("Could not be read")
    PENDING = "pending", _("Waiting for review")
    CONFIRMED = "confirmed", _("Confirmed")
    DISCARDED = "discarded", _("Discarded")
