"""Plans and their parts: legal bases (the cascade), targets, tasks, assignments, schedules."""

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.core.text import fold
from lantoa.core.truncation import shorten
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoping import ChainScopedQuerySet, ScopedQuerySet

from .choices import (
    AssignmentRole,
    Comparator,
    DocumentKind,
    ImportStatus,
    PlanStatus,
    TargetUnit,
    TaskStatus,
    Timing,
    kind_of_number,
)


def in_force_q(path: str = "") -> models.Q:
    """A plan in force: not replaced by a revision. The one definition every query uses;
    ``path`` leads from another model to the plan ("plan__", "periods__plan__")."""
    return models.Q(**{f"{path}status": PlanStatus.ACTIVE})


class PlanQuerySet(ChainScopedQuerySet):
    scope_field = "unit__path"

    def in_force(self):
        return self.filter(in_force_q())


# Every dash a number may be typed or pasted with (hyphen, non-breaking hyphen, figure dash,
# en and em dashes, minus, small and full-width hyphen-minus), and any run of them.
_DASHES = re.compile(r"[-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]+")


def plan_number_key(number: str | None) -> str:
    """What plan numbers are compared by: folded (no diacritics, Đ/đ as D), upper-case, without
    spaces, one plain dash for any run of dashes. "15 / qđ – ubnd" and "15/QĐ-UBND" are one."""
    return _DASHES.sub("-", "".join(fold(number or "").split())).upper()


class Plan(models.Model):
    """Kế hoạch: a plan document issued by a unit, turned into tracked targets and tasks.

    Most are Kế hoạch; a programme adopted by a Quyết định (1169/QĐ-TTg) or a Chỉ thị is tracked
    the same way, so ``kind`` says which it is, and ``issuer_name`` who issued it when that is not
    the unit that follows it in Lantoa (the Prime Minister's decision, kept by Bộ KH&CN)."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="plans", verbose_name=_("issuing unit")
    )
    number = models.CharField(_("number and symbol"), max_length=64, blank=True)
    # plan_number_key(number), kept by save(): unique among a unit's plans in force.
    number_key = models.CharField(max_length=64, blank=True, editable=False)
    kind = models.CharField(
        _("document kind"), max_length=16, choices=DocumentKind.choices, default=DocumentKind.PLAN
    )
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    issuer_name = models.CharField(_("issuer as written"), max_length=255, blank=True)
    reports_from = models.DateField(
        _("reports owed from"),
        null=True,
        blank=True,
        help_text=_(
            "Reporting periods whose deadline falls before this date are not opened; "
            "empty: from the issue date."
        ),
    )
    title = models.TextField(_("title"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )
    source_file = models.FileField(_("source file"), upload_to="plans/%Y/%m/", blank=True)
    source_name = models.CharField(_("source file name"), max_length=255, blank=True)
    source_kind = models.CharField(max_length=16, blank=True)
    source_text = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            # The backstop of the services' check (made under the issuing unit's row lock).
            models.UniqueConstraint(
                fields=["unit", "number_key"],
                condition=models.Q(status=PlanStatus.ACTIVE) & ~models.Q(number_key=""),
                name="plans_plan_number_unique_in_force",
            )
        ]

    def __str__(self) -> str:
        return self.number or shorten(self.title, 80) or str(_("Plan without number"))

    def save(self, *args, **kwargs):
        self.number_key = plan_number_key(self.number)[:64]
        self.kind = kind_of_number(self.number)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "number" in update_fields:
            kwargs["update_fields"] = {*update_fields, "number_key", "kind"}
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """ "Quyết định số 1169/QĐ-TTg", "Kế hoạch số 63/KH-UBND" (in the active language)."""
        if not self.number:
            return str(self)
        return _("%(kind)s No. %(number)s") % {
            "kind": self.get_kind_display(),
            "number": self.number,
        }

    @property
    def owed_from(self):
        """The first day a report deadline of the plan can fall on: the date the importer chose
        (the day of the import, unless they opened the past periods too), else the issue date."""
        return self.reports_from or self.issued_on

    @property
    def issuer(self) -> str:
        """Who issued the document: as written on it, or the unit that holds it in Lantoa
        ("UBND xã Bom Bo" for Xã Bom Bo)."""
        return self.issuer_name or self.unit_as_issuer()

    @property
    def issued_elsewhere(self) -> bool:
        """Whether someone other than the unit that follows the plan issued it."""
        return bool(self.issuer_name) and fold(self.issuer_name) != fold(self.unit_as_issuer())

    def unit_as_issuer(self) -> str:
        """The unit that follows the plan, named as an issuing body ("UBND xã Bom Bo")."""
        unit = self.unit
        if unit.is_administrative and unit.depth > 1:
            first, _space, rest = unit.name.partition(" ")
            return f"UBND {first.lower()} {rest}".strip()
        return unit.name

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path, "unit": self.unit.name}

    def audit_key(self) -> str:
        return f"plans.plan:{self.pk}"


class PlanPartQuerySet(ChainScopedQuerySet):
    scope_field = "plan__unit__path"

    def in_force(self):
        """Parts of the plans in force (see :meth:`PlanQuerySet.in_force`)."""
        return self.filter(in_force_q("plan__"))


def _plan_part_data(plan: Plan) -> dict:
    """Audit data of a plan's part: scoped to the issuer, shown in the plan's history."""
    return {"unit_path": plan.unit.path, "unit": plan.unit.name, "parent": plan.audit_key()}


class LegalBasis(models.Model):
    """Căn cứ: a document the plan implements; linked to the plan in Lantoa when there is one."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="legal_bases")
    reference = models.CharField(_("document number"), max_length=64)
    parent = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="child_bases"
    )

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        constraints = [
            models.UniqueConstraint(fields=["plan", "reference"], name="legal_basis_unique")
        ]

    def __str__(self) -> str:
        return self.reference

    def get_additional_data(self) -> dict:
        return _plan_part_data(self.plan)


class ReportDeadline(models.Model):
    """One yearly deadline of the plan's report schedule ("trước ngày 10/6")."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="report_deadlines")
    day = models.PositiveSmallIntegerField(_("day"))
    month = models.PositiveSmallIntegerField(_("month"))

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("report deadline")
        verbose_name_plural = _("report deadlines")
        ordering = ["month", "day"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "day", "month"], name="report_deadline_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day}/{self.month}"

    def get_additional_data(self) -> dict:
        return _plan_part_data(self.plan)


class SourceSpan(models.Model):
    source_start = models.PositiveIntegerField(null=True, blank=True)
    source_end = models.PositiveIntegerField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    @property
    def source_excerpt(self) -> str:
        if self.source_start is None or self.source_end is None:
            return ""
        return self.plan.source_text[self.source_start : self.source_end]


class Target(SourceSpan):
    """Chỉ tiêu: a year, a comparator and value (or none: qualitative), and its text."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=8, choices=TargetUnit.choices, blank=True)
    comparator = models.CharField(
        _("comparator"), max_length=2, choices=Comparator.choices, blank=True
    )
    text = models.TextField(_("text"))
    indicator = models.ForeignKey(
        "indicators.Indicator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="targets",
    )

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["year", "order"]

    def __str__(self) -> str:
        return shorten(self.text, 80)

    @property
    def is_qualitative(self) -> bool:
        return self.value is None

    def get_additional_data(self) -> dict:
        return _plan_part_data(self.plan)


class Task(SourceSpan):
    """Nhiệm vụ: a task of the plan, in its group, with timing, output and assigned units."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    group = models.CharField(_("group"), max_length=16, blank=True)
    group_title = models.TextField(_("group title"), blank=True)
    text = models.TextField(_("task"))
    timing = models.CharField(_("timing"), max_length=16, choices=Timing.choices, blank=True)
    due_year = models.PositiveSmallIntegerField(_("due year"), null=True, blank=True)
    # The due date as the plan writes it ("Quý IV/2025", "tháng 6/2026") and the last day of
    # that period, when the text names one.
    due_text = models.CharField(_("due date as written"), max_length=64, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    output = models.TextField(_("expected output"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["order"]

    def __str__(self) -> str:
        return shorten(self.text, 80)

    def get_additional_data(self) -> dict:
        return _plan_part_data(self.plan)

    def audit_key(self) -> str:
        return f"plans.task:{self.pk}"


class TaskAssignment(models.Model):
    """A unit named for a task: the lead (chủ trì) or a coordinating unit (phối hợp)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="task_assignments"
    )
    name = models.CharField(_("name as written"), max_length=255)
    role = models.CharField(_("role"), max_length=8, choices=AssignmentRole.choices)

    class Meta:
        verbose_name = _("task assignment")
        verbose_name_plural = _("task assignments")
        ordering = ["role", "pk"]

    def __str__(self) -> str:
        return self.unit.name if self.unit else self.name

    def get_additional_data(self) -> dict:
        return {**_plan_part_data(self.task.plan), "task": self.task.audit_key()}


class ResponsibleUnit(SourceSpan):
    """A unit named in "Tổ chức thực hiện", with its duties under the plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="responsible_units")
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="plan_duties"
    )
    name = models.CharField(_("name as written"), max_length=255)
    duties = models.TextField(_("duties"), blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.unit.name if self.unit else self.name

    def get_additional_data(self) -> dict:
        return _plan_part_data(self.plan)


class PlanImportQuerySet(ScopedQuerySet):
    """Uploads under review are the uploading unit's business only: no reach upward."""

    scope_field = "unit__path"


class PlanImport(models.Model):
    """An uploaded document waiting for review: what was read and understood, nothing saved
    into plans until the reviewer confirms."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="plan_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file = models.FileField(upload_to="plan-imports/%Y/%m/")
    filename = models.CharField(max_length=255)
    source_kind = models.CharField(max_length=16, blank=True)
    source_text = models.TextField(blank=True)
    # The text as read, when its diacritics were restored (core.restore) before it was
    # understood; empty when the text was read as it is.
    original_text = models.TextField(blank=True)
    extracted = models.JSONField(default=dict)
    warnings = models.JSONField(default=list)
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    pages_done = models.PositiveIntegerField(default=0)
    pages_total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="imports"
    )
    replaces = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path, "unit": self.unit.name}
