"""Activities and their evidence."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoping import ScopedQuerySet

from .choices import ActivityKind, ActivityOrigin

# What a count column holds: PositiveIntegerField is a 32-bit integer in PostgreSQL.
MAX_COUNT = 2_147_483_647
_COUNT = {"null": True, "blank": True, "validators": [MaxValueValidator(MAX_COUNT)]}


class ActivityQuerySet(ScopedQuerySet):
    scope_field = "unit__path"

    def counted(self):
        """The activities that count: every figure, draft and list reads these; a withdrawn
        activity stays on the record (and its page) but counts nowhere."""
        return self.filter(withdrawn_at__isnull=True)

    def listed(self, withdrawn: bool = False):
        """What a list shows: the activities that count, or (``?withdrawn=1``) those withdrawn."""
        return self.filter(withdrawn_at__isnull=False) if withdrawn else self.counted()


class Activity(models.Model):
    """Hoạt động: something a unit did for its tasks; the evidence reports are drafted from.

    ``origin`` and ``origin_ref`` let other apps (the content desk) create activities when
    content is published, and find them again to keep them in step."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="activities", verbose_name=_("unit")
    )
    tasks = models.ManyToManyField(
        "plans.Task", blank=True, related_name="activities", verbose_name=_("tasks")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    participants = models.PositiveIntegerField(_("participants"), **_COUNT)
    officials = models.PositiveIntegerField(_("of whom officials"), **_COUNT)
    staff_trained = models.PositiveIntegerField(_("communication staff trained"), **_COUNT)
    audience = models.PositiveIntegerField(_("audience reached"), **_COUNT)
    items = models.PositiveIntegerField(_("items produced"), **_COUNT)
    minutes = models.PositiveIntegerField(_("minutes aired"), **_COUNT)
    origin = models.CharField(
        max_length=16, choices=ActivityOrigin.choices, default=ActivityOrigin.RECORDED
    )
    origin_ref = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["unit", "date"]), models.Index(fields=["date", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(officials__isnull=True)
                | models.Q(participants__isnull=True)
                | models.Q(officials__lte=models.F("participants")),
                name="activity_officials_within_participants",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path, "unit": self.unit.name}

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class EvidenceQuerySet(ScopedQuerySet):
    scope_field = "activity__unit__path"


class Evidence(models.Model):
    """Minh chứng: a link or an uploaded file (photo, PDF, document) proving an activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="evidence")
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", blank=True)
    content_type = models.CharField(max_length=64, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.url or self.original_name

    def get_additional_data(self) -> dict:
        return {"unit_path": self.activity.unit.path, "unit": self.activity.unit.name}

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    @property
    def has_thumbnail(self) -> bool:
        return bool(self.file) and (self.is_image or self.is_pdf)


class Attendance(models.Model):
    """Who attended an activity: one person of a people list, from the sign-in sheet or "the
    whole unit". Reach counts each person once per period, however many sessions they sat."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="attendances")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.activity}"
