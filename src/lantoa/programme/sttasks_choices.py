"""Levels and statuses of state-funded S&T tasks (nhiệm vụ KH&CN sử dụng ngân sách nhà nước)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class STTaskLevel(models.TextChoices):
    NATIONAL = "national", _("National level")
    MINISTERIAL = "ministerial", _("Ministerial level")
    PROVINCIAL = "provincial", _("Provincial level")
    GRASSROOTS = "grassroots", _("Grassroots level")


class STTaskStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    IN_PROGRESS = "in_progress", _("In progress")
    ACCEPTED = "accepted", _("Accepted (evaluated)")
    FINISHED = "finished", _("Finished")


# Money is kept in whole đồng: at most 100,000 billion VND, far above any one task or estimate.
MAX_AMOUNT = 100_000_000_000_000
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100
