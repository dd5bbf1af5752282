from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("Meeting or conference")
    TRAINING = "training", _("Training")
    ARTICLE = "article", _("Article or news item")
    BULLETIN = "bulletin", _("Bulletin")
    BROADCAST = "broadcast", _("Broadcast (radio, loudspeakers, TV)")
    SOCIAL_POST = "social_post", _("Social network post")
    EVENT = "event", _("Event")
    COMPETITION = "competition", _("Competition")
    AWARD = "award", _("Award or commendation")
    OTHER = "other", _("Other")


class ActivityOrigin(models.TextChoices):
    RECORDED = "recorded", _("Recorded by hand")
    CONTENT = "content", _("Published content")
    IMPORTED = "imported", _("Imported from a sheet")
    BROADCAST = "broadcast", _("Loudspeaker broadcast log")


# The counts that matter for each kind: the form shows these, the others stay empty.
KIND_COUNTS = {
    ActivityKind.MEETING: ("participants", "officials"),
    ActivityKind.TRAINING: ("participants", "officials", "staff_trained"),
    ActivityKind.ARTICLE: ("items", "audience"),
    ActivityKind.BULLETIN: ("items", "audience"),
    ActivityKind.BROADCAST: ("items", "minutes", "audience"),
    ActivityKind.SOCIAL_POST: ("items", "audience"),
    ActivityKind.EVENT: ("participants", "officials", "audience"),
    ActivityKind.COMPETITION: ("participants", "audience"),
    ActivityKind.AWARD: ("items",),
    ActivityKind.OTHER: ("participants", "officials", "audience", "items"),
}
COUNT_FIELDS = ("participants", "officials", "staff_trained", "audience", "items", "minutes")
