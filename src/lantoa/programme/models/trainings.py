"""Trainings register: programmes (courses) held by a unit, their sessions, and the trainees of
each session taken from the people lists (orgs.Person), with attendance and completion.

"≥ 3 training programmes" and "communication staff trained" are computed from here (see
lantoa.analytics.computation): a person is counted once however many sessions or programmes
they sat."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.core.text import fold
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoping import ScopedQuerySet

__all__ = ["Trainee", "TrainingFormat", "TrainingProgramme", "TrainingSession"]


class TrainingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    BLENDED = "blended", _("In person and online")


class TrainingProgramme(models.Model):
    """A training programme (course) organised by a unit."""

    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="training_programmes",
        verbose_name=_("organiser unit"),
    )
    title = models.CharField(_("title"), max_length=255)
    topic = models.CharField(_("topic"), max_length=255, blank=True)
    for_communication_staff = models.BooleanField(_("for communication staff"), default=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    format = models.CharField(
        _("format"), max_length=16, choices=TrainingFormat.choices, default=TrainingFormat.IN_PERSON
    )
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, default=0)
    search = models.TextField(editable=False, blank=True)  # folded title and topic
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search = fold(f"{self.title} {self.topic}")
        super().save(*args, **kwargs)

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path, "unit": self.unit.name}


class SessionQuerySet(ScopedQuerySet):
    scope_field = "programme__unit__path"


class TrainingSession(models.Model):
    """One session of a programme. Once held, it may record one TRAINING activity (evidence)."""

    programme = models.ForeignKey(
        TrainingProgramme,
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=_("training programme"),
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    trainer = models.CharField(_("trainer"), max_length=255, blank=True)
    activity = models.OneToOneField(
        "activities.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_session",
        verbose_name=_("activity recorded"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return f"{self.programme} · {self.date:%d/%m/%Y}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.programme.unit.path}


class TraineeQuerySet(ScopedQuerySet):
    scope_field = "session__programme__unit__path"


class Trainee(models.Model):
    """A person of a people list in one session: attended, completed. Once per session."""

    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="trainees",
        verbose_name=_("session"),
    )
    person = models.ForeignKey(
        "orgs.Person", on_delete=models.PROTECT, related_name="trainings", verbose_name=_("person")
    )
    attended = models.BooleanField(_("attended"), default=True)
    completed = models.BooleanField(_("completed"), default=False)

    objects = TraineeQuerySet.as_manager()

    class Meta:
        ordering = ["session", "person__full_name", "pk"]
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="trainee_once_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.session}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.session.programme.unit.path}
