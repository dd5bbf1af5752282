from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentKind(models.TextChoices):
    NEWS = "news", _("News")
    ARTICLE = "article", _("Article")
    PHOTO_STORY = "photo_story", _("Photo story")
    INFOGRAPHIC = "infographic", _("Infographic")
    VIDEO = "video", _("Video or clip")
    PODCAST = "podcast", _("Podcast")
    NEWSLETTER = "newsletter", _("E-newsletter")
    DIRECTIVE = "directive", _("Directive document")
    LOUDSPEAKER = "loudspeaker", _("Loudspeaker bulletin")


class ContentStatus(models.TextChoices):
    """Where an item stands. The public reads only ``live_revision`` of a PUBLISHED item."""

    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")
