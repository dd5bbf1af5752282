"""State-funded S&T tasks (nhiệm vụ KH&CN sử dụng ngân sách nhà nước): the register behind the
"100 % registered and communicated (except state secrets)" target.

A task marked ``secret`` (state secret) never leaves the host unit's people with the right to
record: ``STTask.objects.public()`` is the only queryset any public surface reads, and
``restrict(user)`` shows a secret task only to users who may RECORD for its host unit."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoping import ScopedQuerySet, is_unrestricted, scope_paths, subtree_q

from ..sttasks_choices import EARLIEST_YEAR, LATEST_YEAR, MAX_AMOUNT, STTaskLevel, STTaskStatus

__all__ = ["STTask", "STTaskQuerySet"]

_YEAR = [MinValueValidator(EARLIEST_YEAR), MaxValueValidator(LATEST_YEAR)]


class STTaskQuerySet(ScopedQuerySet):
    scope_field = "unit__path"

    def public(self):
        """The tasks any public page, feed, sheet or anonymous caller may show: never a secret."""
        return self.filter(secret=False)

    def restrict(self, user, action: str = Action.VIEW):
        tasks = super().restrict(user, action)
        if is_unrestricted(user):
            return tasks
        # A state secret is seen only by those who may record for its host unit.
        recorders = scope_paths(user, Action.RECORD) if user and user.is_authenticated else ()
        return tasks.filter(Q(secret=False) | subtree_q("unit__path", recorders))


class STTask(models.Model):
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="st_tasks", verbose_name=_("host unit")
    )
    code = models.CharField(_("task code"), max_length=64)
    title = models.CharField(_("title"), max_length=500)
    # The code, title and host folded (no accents, lower case): what the search matches.
    folded = models.CharField(max_length=900, editable=False)
    level = models.CharField(_("level"), max_length=16, choices=STTaskLevel.choices)
    host_organisation = models.CharField(_("host organisation"), max_length=255)
    lead_researcher = models.CharField(_("lead researcher"), max_length=255, blank=True)
    budget = models.BigIntegerField(
        _("budget (VND)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_AMOUNT)],
    )
    start_year = models.PositiveSmallIntegerField(_("start year"), validators=_YEAR)
    end_year = models.PositiveSmallIntegerField(_("end year"), validators=_YEAR)
    status = models.CharField(
        _("status"), max_length=16, choices=STTaskStatus.choices, default=STTaskStatus.PROPOSED
    )
    registered = models.BooleanField(_("registered in the national S&T information system"))
    registration_number = models.CharField(_("registration number"), max_length=64, blank=True)
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    secret = models.BooleanField(_("state secret"), default=False)
    content_items = models.ManyToManyField(
        "content.ContentItem",
        blank=True,
        related_name="st_tasks",
        verbose_name=_("content that communicated it"),
    )
    activities = models.ManyToManyField(
        "activities.Activity",
        blank=True,
        related_name="st_tasks",
        verbose_name=_("events that communicated it"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = STTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("state-funded S&T task")
        verbose_name_plural = _("state-funded S&T tasks")
        ordering = ["-start_year", "code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="sttask_code_unique_in_unit"),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="sttask_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0, budget__lte=MAX_AMOUNT),
                name="sttask_budget_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title[:80]}"
