"""Reporting periods, submissions and what they hold."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.core.truncation import shorten
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoping import ChainScopedQuerySet, ScopedQuerySet

from .choices import PeriodKind, SubmissionStatus, TaskProgress


class PeriodQuerySet(ChainScopedQuerySet):
    scope_field = "plan__unit__path"


class ReportingPeriod(models.Model):
    """Kỳ báo cáo: the span a report covers and its deadline, from a plan's report schedule."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="periods")
    kind = models.CharField(_("kind"), max_length=16, choices=PeriodKind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    deadline = models.DateField(_("deadline"))
    # An ad hoc period (đột xuất) opened by a focal point: its title and the units it asks a
    # report of (none: those the plan names, as for a regular period).
    title = models.CharField(_("title"), max_length=255, blank=True)
    units = models.ManyToManyField(
        OrgUnit, blank=True, related_name="+", verbose_name=_("units that report")
    )
    # Closed (its plan withdrawn): no report is owed for it any more; what was sent is kept.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["deadline"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "start", "end", "deadline"], name="period_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(start__lte=models.F("end")), name="period_start_before_end"
            ),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self):
        if self.title:
            return self.title
        if self.kind == PeriodKind.SEMIANNUAL:
            return _("First six months of %(year)d") % {"year": self.start.year}
        if self.kind == PeriodKind.ANNUAL:
            return _("Year %(year)d") % {"year": self.start.year}
        return _("%(start)s to %(end)s") % {
            "start": self.start.strftime("%d/%m/%Y"),
            "end": self.end.strftime("%d/%m/%Y"),
        }


class SubmissionQuerySet(ScopedQuerySet):
    scope_field = "unit__path"


class Submission(models.Model):
    """Báo cáo: one unit's report for one period, drafted from its evidence, approved by the
    focal point of the plan's issuing unit."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="submissions"
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(
        _("status"), max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    narrative = models.TextField(_("results"), blank=True)
    difficulties = models.TextField(_("difficulties and obstacles"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    signer_name = models.CharField(
        _("signed by"),
        max_length=150,
        blank=True,
        help_text=_("The name printed under the signature of the official report."),
    )
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="submission_unique")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path, "unit": self.unit.name}

    def audit_key(self) -> str:
        return f"reports.submission:{self.pk}"

    @property
    def on_time(self) -> bool | None:
        if self.submitted_at is None:
            return None
        return self.submitted_at.date() <= self.period.deadline

    @property
    def is_locked(self) -> bool:
        return self.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)


class SubmissionTask(models.Model):
    """Each task of the plan, with its status and what was done, in one report."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="task_rows")
    task = models.ForeignKey("plans.Task", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"), max_length=16, choices=TaskProgress.choices, default=TaskProgress.NOT_STARTED
    )
    narrative = models.TextField(_("what was done"), blank=True)
    activity_count = models.PositiveIntegerField(default=0)
    # The reporter chose the status (it differs from what the evidence says): a refresh keeps
    # it. Otherwise the status follows the evidence at every refresh.
    status_typed = models.BooleanField(_("status chosen by the reporter"), default=False)

    class Meta:
        verbose_name = _("report task row")
        verbose_name_plural = _("report task rows")
        ordering = ["task__order"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "task"], name="submission_task_unique")
        ]

    def __str__(self) -> str:
        return f"{self.submission} · {self.task}"

    def get_additional_data(self) -> dict:
        unit = self.submission.unit
        return {"unit_path": unit.path, "unit": unit.name, "parent": self.submission.audit_key()}


class SubmissionIndicator(models.Model):
    """An indicator's value in one report, as computed when the report was drafted or saved."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="indicator_rows"
    )
    code = models.CharField(max_length=64)
    numerator = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    unit = models.CharField(max_length=8)

    class Meta:
        verbose_name = _("report figure")
        verbose_name_plural = _("report figures")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "code"], name="submission_indicator_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.value}"


class SubmissionComment(models.Model):
    """A focal point's comment on a returned report, on the whole or on one task."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    task = models.ForeignKey(
        "plans.Task", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report comment")
        verbose_name_plural = _("report comments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return shorten(self.text, 60)

    def get_additional_data(self) -> dict:
        unit = self.submission.unit
        return {"unit_path": unit.path, "unit": unit.name, "parent": self.submission.audit_key()}


class Reminder(models.Model):
    """A reminder sent about one unit's report for one period: kept so none is sent twice."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16)  # "before" | "overdue"
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        constraints = [
            models.UniqueConstraint(fields=["period", "unit", "kind"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period} · {self.kind}"


class SavedDashboard(models.Model):
    """A dashboard a focal point built and kept: which unit, indicators and period to show."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dashboards"
    )
    name = models.CharField(_("name"), max_length=120)
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    indicators = models.JSONField(default=list)
    start = models.DateField()
    end = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved dashboard view")
        verbose_name_plural = _("saved dashboard views")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path, "unit": self.unit.name}
