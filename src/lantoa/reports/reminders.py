"""Reminders before a report's deadline and when it is overdue: in the app and by e-mail,
sent once each, by a background task (or `lantoa send_reminders` from cron)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lantoa.orgs.choices import Action, NotificationKind
from lantoa.orgs.notifications import notify, people_of
from lantoa.plans.models import in_force_q

from .choices import SubmissionStatus
from .models import Reminder, ReportingPeriod, Submission
from .periods import period_is_open, period_units

DAYS_BEFORE = 7


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Send the reminders due today; returns how many units were reminded."""
    today = today or timezone.localdate()
    sent = 0
    periods = ReportingPeriod.objects.filter(
        in_force_q("plan__"), start__lte=today, deadline__gte=today - datetime.timedelta(days=60)
    ).select_related("plan__unit")
    for period in periods:
        if not period_is_open(period):
            continue  # before the plan's reports were owed: nobody is late for it
        if period.deadline < today:
            kind = "overdue"
        elif (period.deadline - today).days <= DAYS_BEFORE:
            kind = "before"
        else:
            continue
        done = set(
            Submission.objects.filter(
                period=period, status__in=(SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)
            ).values_list("unit_id", flat=True)
        )
        for unit in period_units(period):
            if unit.pk in done:
                continue
            try:
                with transaction.atomic():
                    Reminder.objects.create(period=period, unit=unit, kind=kind)
            except IntegrityError:
                continue  # already reminded
            _notify(period, unit, kind)
            sent += 1
    return sent


def _notify(period: ReportingPeriod, unit, kind: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        if kind == "before":
            text = _("The report of %(unit)s for %(period)s is due on %(date)s.")
        else:
            text = _(
                "The report of %(unit)s for %(period)s was due on %(date)s and has not been submitted."
            )
        text = text % {
            "unit": unit.name,
            "period": period,
            "date": period.deadline.strftime("%d/%m/%Y"),
        }
        subject = _("Lantoa: report reminder")
    notify(
        people_of(unit, Action.RECORD),
        kind=NotificationKind.DEADLINE_NEAR
        if kind == "before"
        else NotificationKind.REPORT_OVERDUE,
        text=text,
        url=reverse("reports:home"),
        subject=subject,
    )
