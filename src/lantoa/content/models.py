"""The communication desk: content items, their revisions, reviews and comments.

An item is owned by a unit and moves draft → in review → approved → (scheduled →) published →
expired or withdrawn. Every save makes a :class:`Revision`; reviewers decide on one revision;
publishing points ``live_revision`` at the approved one, and the public section reads only that.
Writes go through ``content.services``; the use case "publish" (evidence, assistant, channels)
is ``portal.publishing``, above every app it touches."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.media.models import Asset, Tag
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoping import ScopedQuerySet
from lantoa.plans.models import Task

from .choices import ContentKind, ContentStatus, ReviewDecision


class ContentQuerySet(ScopedQuerySet):
    scope_field = "unit__path"

    def public(self):
        """What a citizen may see: published items (their live revision only)."""
        return self.filter(status=ContentStatus.PUBLISHED, live_revision__isnull=False)


class Campaign(models.Model):
    """A communication campaign (a campaign day, a month of NQ57): items and activities join it."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("unit")
    )
    title = models.CharField(_("title"), max_length=255)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self):
        return self.title


class DeskSettings(models.Model):
    """A unit's review rule: one or two review steps before publishing."""

    unit = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, related_name="desk_settings")
    review_steps = models.PositiveSmallIntegerField(
        _("review steps"),
        default=1,
        choices=[(1, _("One review step")), (2, _("Two review steps"))],
    )

    def __str__(self):
        return f"{self.unit}: {self.review_steps}"


class ContentItem(models.Model):
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="content_items", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ContentKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=ContentStatus.choices, default=ContentStatus.DRAFT
    )
    # The working copy's title (the latest revision's), for lists and search on the desk.
    title = models.CharField(_("title"), max_length=255)
    title_folded = models.CharField(max_length=255, db_index=True, editable=False)
    # The readable address under the unit's section: /u/<code>/<slug>/
    slug = models.SlugField(_("address"), max_length=120)
    tasks = models.ManyToManyField(
        Task, blank=True, related_name="content_items", verbose_name=_("plan tasks")
    )
    campaigns = models.ManyToManyField(
        Campaign, blank=True, related_name="items", verbose_name=_("campaigns")
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="content_items", verbose_name=_("tags")
    )
    cover = models.ForeignKey(
        Asset,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cover image"),
    )
    # A directive document's number and date (kind DIRECTIVE).
    document_number = models.CharField(_("document number"), max_length=64, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    latest_revision = models.ForeignKey(
        "Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    live_revision = models.ForeignKey(
        "Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    go_live_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    expire_at = models.DateTimeField(_("expire at"), null=True, blank=True)
    first_published_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Optimistic locking: a save names the version it was edited from; a stale one is refused.
    version = models.PositiveIntegerField(default=1)
    # While a published item has changes being prepared (``latest_revision`` is not
    # ``live_revision``), ``status`` stays PUBLISHED and the working copy's own state (draft,
    # in review, approved, scheduled) is here; blank otherwise. See ``content.services``.
    draft_status = models.CharField(
        _("state of the changes"), max_length=16, choices=ContentStatus.choices, blank=True
    )
    # The review step awaiting a decision while in review (1 or 2), else 0.
    review_step = models.PositiveSmallIntegerField(default=0)
    # Why the item was withdrawn (or that it expired).
    unpublished_reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-updated_at", "-pk"]
        verbose_name = _("content item")
        verbose_name_plural = _("content items")
        constraints = [
            models.UniqueConstraint(fields=["unit", "slug"], name="content_item_unique_slug")
        ]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self):
        return self.title


class Revision(models.Model):
    """One saved state of an item. The body is HTML already sanitised on save."""

    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True)
    # The assets the body and the item use (images, files), recorded as usages in the library.
    assets = models.ManyToManyField(Asset, blank=True, related_name="+")
    # The item's other fields as this revision had them (kind, cover, tags, tasks, campaigns,
    # document number and date): applied to the item when this revision goes live.
    meta = models.JSONField(default=dict, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="content_revision_unique")
        ]

    def __str__(self):
        return f"{self.item} #{self.number}"


class Review(models.Model):
    """A reviewer's decision on one revision, at one step (1 or 2)."""

    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="reviews")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="reviews")
    step = models.PositiveSmallIntegerField(default=1)
    decision = models.CharField(max_length=16, choices=ReviewDecision.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "created_at", "pk"]

    def __str__(self):
        return f"{self.revision} {self.decision}"


class Comment(models.Model):
    """A remark in the review of an item, on the revision it was made on."""

    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="comments")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.revision}: {self.text[:40]}"
