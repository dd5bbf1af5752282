from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    PLAN = "plan", _("Plan")
    TEXT = "text", _("Legal text or guide")
    FAQ = "faq", _("FAQ entry")
    # A published content item of the unit's section (news, article, directive document…),
    # indexed by ``services.content_index`` when ``portal.publishing`` publishes it.
    CONTENT = "content", _("Published content")


class DocumentStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting to be indexed")
    INDEXING = "indexing", _("Indexing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be indexed")


class DocumentReview(models.TextChoices):
    """Whether a document is public: an upload waits for an approver other than its uploader."""

    PENDING = "pending", _("Awaiting approval")
    PUBLISHED = "published", _("Published")


class Channel(models.TextChoices):
    WEB = "web", _("Web page")
    API = "api", _("API")
    ZALO = "zalo", _("Zalo")
    CLI = "cli", _("Command line")


class QuestionStatus(models.TextChoices):
    ANSWERED = "answered", _("Answered by the assistant")
    WAITING = "waiting", _("Waiting for staff")
    ANSWERED_BY_STAFF = "staff", _("Answered by staff")
