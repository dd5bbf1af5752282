"""Channels: the unit's accounts on social platforms, the outbox of (item × account) posts with
their engagement, the loudspeaker clusters with their broadcast schedule and log.

A loudspeaker bulletin is a content item of kind ``LOUDSPEAKER`` (written, reviewed and
published like any item); its spoken audio is a library asset recorded here as
:class:`BulletinAudio`. Tokens are stored encrypted (``channels.secrets``) and never shown back."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.content.choices import ContentKind
from lantoa.content.models import ContentItem, ContentQuerySet, Revision
from lantoa.media.models import Asset
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoping import ScopedQuerySet

from .choices import AccountStatus, OutboxStatus, Platform


class ChannelAccount(models.Model):
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="channel_accounts", verbose_name=_("unit")
    )
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    name = models.CharField(_("name"), max_length=255)
    # The page, Official Account or channel id on the platform.
    remote_id = models.CharField(_("account id on the platform"), max_length=128)
    access_token = models.TextField(blank=True)  # encrypted (channels.secrets)
    refresh_token = models.TextField(blank=True)  # encrypted
    token_expires_at = models.DateTimeField(null=True, blank=True)
    refresh_expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AccountStatus.choices, default=AccountStatus.CONNECTED
    )
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    # The Zalo OA the assistant answers citizens through (one per unit at most).
    answers_questions = models.BooleanField(_("answers citizens' questions"), default=False)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    connected_at = models.DateTimeField(auto_now_add=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "platform", "name"]
        verbose_name = _("channel account")
        verbose_name_plural = _("channel accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "remote_id"], name="channels_account_unique_remote"
            )
        ]

    def __str__(self):
        return f"{self.get_platform_display()}: {self.name}"


class OutboxQuerySet(ScopedQuerySet):
    scope_field = "account__unit__path"


class OutboxEntry(models.Model):
    """One post of one item on one account: composed once, adapted to the channel, sent by a
    background task. ``key`` is sent to the channel where it accepts one and makes every retry
    the same post."""

    item = models.ForeignKey(ContentItem, on_delete=models.PROTECT, related_name="outbox")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(ChannelAccount, on_delete=models.PROTECT, related_name="outbox")
    status = models.CharField(
        _("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED
    )
    title = models.CharField(_("title"), max_length=255, blank=True)
    text = models.TextField(_("text"))
    # An article's HTML where the channel takes one (Zalo OA).
    body = models.TextField(blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    asset = models.ForeignKey(
        Asset, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hashtags = models.CharField(_("hashtags"), max_length=500, blank=True)
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    key = models.CharField(max_length=64, unique=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When a worker claimed the entry (status SENDING): a claim older than the lease is a worker
    # that died, resolved by asking the channel before any resend (channels.services).
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    remote_id = models.CharField(max_length=255, blank=True)
    remote_url = models.URLField(max_length=500, blank=True)
    error = models.CharField(_("reason"), max_length=1000, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_error = models.CharField(max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("post")
        verbose_name_plural = _("outbox")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.item} → {self.account}"

    @property
    def cover_url(self) -> str:
        """The public address of the entry's picture (a video's poster frame), for the channels
        that fetch it by address (Zalo's article cover)."""
        from .compose import picture_url

        return picture_url(self.asset)


class Engagement(models.Model):
    """What a platform reports of one post on one day: reach on that platform, not people."""

    entry = models.ForeignKey(OutboxEntry, on_delete=models.CASCADE, related_name="engagement")
    date = models.DateField()
    reach = models.PositiveIntegerField(null=True, blank=True)
    reactions = models.PositiveIntegerField(null=True, blank=True)
    shares = models.PositiveIntegerField(null=True, blank=True)
    views = models.PositiveIntegerField(null=True, blank=True)
    comments = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["entry", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "date"], name="channels_engagement_unique_day")
        ]

    def __str__(self):
        return f"{self.entry} {self.date}"


class LoudspeakerCluster(models.Model):
    """A station or a cluster of loudspeakers (cụm loa) of a commune, a village's for example."""

    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="loudspeaker_clusters",
        verbose_name=_("unit"),
    )
    name = models.CharField(_("name"), max_length=255)
    place = models.CharField(_("place"), max_length=255, blank=True)
    speakers = models.PositiveIntegerField(_("loudspeakers"), null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "name"]
        verbose_name = _("loudspeaker cluster")
        verbose_name_plural = _("loudspeaker clusters")

    def __str__(self):
        return self.name


class BulletinManager(models.Manager.from_queryset(ContentQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(kind=ContentKind.LOUDSPEAKER)


class Bulletin(ContentItem):
    """The loudspeaker bulletins among the content items (the same rows, kind LOUDSPEAKER): what
    the bulletin pages address by ``pk``."""

    objects = BulletinManager()

    class Meta:
        proxy = True
        verbose_name = _("bulletin")
        verbose_name_plural = _("Loudspeaker bulletins")


class BulletinAudio(models.Model):
    """The spoken audio of a bulletin's revision: synthesised (voice named) or a recorded reading."""

    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="audio")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="+")
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="+")
    voice = models.CharField(_("voice"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.item} ({self.voice or 'recorded'})"


class BroadcastQuerySet(ScopedQuerySet):
    scope_field = "unit__path"


class Broadcast(models.Model):
    """A bulletin scheduled on clusters at a time; the operator logs whether it aired."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="broadcasts", verbose_name=_("unit")
    )
    item = models.ForeignKey(
        ContentItem, on_delete=models.PROTECT, related_name="broadcasts", verbose_name=_("bulletin")
    )
    clusters = models.ManyToManyField(LoudspeakerCluster, related_name="broadcasts")
    starts_at = models.DateTimeField(_("airs at"))
    planned_minutes = models.PositiveIntegerField(_("planned minutes"), null=True, blank=True)
    # The log, filled by the operator.
    aired = models.BooleanField(_("aired"), null=True)
    aired_minutes = models.PositiveIntegerField(_("minutes aired"), null=True, blank=True)
    aired_clusters = models.ManyToManyField(LoudspeakerCluster, blank=True, related_name="+")
    log_note = models.CharField(_("note"), max_length=500, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    logged_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BroadcastQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")

    def __str__(self):
        return f"{self.item} {self.starts_at:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """A staff member's private calendar address (the secret is stored as its SHA-256)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    secret_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.user} {self.unit}"


class CampaignActivityQuerySet(ScopedQuerySet):
    scope_field = "campaign__unit__path"


class CampaignActivity(models.Model):
    """An activity done for a campaign (activities and content share a layer: the link lives
    here, above both). Written by ``channels.calendar_services.campaign_link_activities``."""

    campaign = models.ForeignKey(
        "content.Campaign", on_delete=models.CASCADE, related_name="activity_links"
    )
    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.CASCADE, related_name="campaign_links"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignActivityQuerySet.as_manager()

    class Meta:
        ordering = ["activity__date", "pk"]
        verbose_name = _("campaign activity")
        verbose_name_plural = _("campaign activities")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "activity"], name="campaign_activity_unique"
            )
        ]

    def __str__(self):
        return f"{self.campaign} · {self.activity}"
