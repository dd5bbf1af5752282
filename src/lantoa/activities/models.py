"""Activities and their evidence."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoping import ScopedQuerySet

from .choices import ActivityKind, ActivityOrigin


class ActivityQuerySet(ScopedQuerySet):
    scope_field = "unit__path"


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
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    officials = models.PositiveIntegerField(_("of whom officials"), null=True, blank=True)
    staff_trained = models.PositiveIntegerField(
        _("communication staff trained"), null=True, blank=True
    )
    audience = models.PositiveIntegerField(_("audience reached"), null=True, blank=True)
    items = models.PositiveIntegerField(_("items produced"), null=True, blank=True)
    minutes = models.PositiveIntegerField(_("minutes aired"), null=True, blank=True)
    origin = models.CharField(
        max_length=16, choices=ActivityOrigin.choices, default=ActivityOrigin.RECORDED
    )
    origin_ref = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
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
