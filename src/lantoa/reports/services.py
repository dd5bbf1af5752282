"""The reporting workflow: draft from evidence, edit without overwriting a colleague, submit,
return with comments, approve (locking), reopen (logged)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lantoa.analytics.computation import METHODS, compute_all
from lantoa.core.text import printable
from lantoa.indicators.catalogue import STANDARD_INDICATORS
from lantoa.indicators.services import entry_set
from lantoa.orgs.audit import audited, record
from lantoa.orgs.choices import Action, NotificationKind
from lantoa.orgs.models import OrgUnit, User
from lantoa.orgs.notifications import notify, people_of
from lantoa.orgs.scoping import path_chain, require
from lantoa.plans.choices import TaskStatus, Timing
from lantoa.plans.models import Task

from .choices import PeriodKind, SubmissionStatus, TaskProgress
from .models import (
    ReportingPeriod,
    SavedDashboard,
    Submission,
    SubmissionComment,
    SubmissionIndicator,
    SubmissionTask,
)
from .periods import period_units


def _derive_task_status(task: Task, count: int, period: ReportingPeriod) -> str:
    """Done as recorded; overdue when a one-off task's year has ended within the period and it
    is not done; in progress when activities serve it in the period; otherwise not started."""
    if task.status == TaskStatus.DONE:
        return TaskProgress.DONE
    if (
        task.timing == Timing.ONCE
        and task.due_year
        and datetime.date(task.due_year, 12, 31) <= period.end
    ):
        return TaskProgress.OVERDUE
    if count or task.status == TaskStatus.IN_PROGRESS:
        return TaskProgress.IN_PROGRESS
    return TaskProgress.NOT_STARTED


def _refresh_computed(submission: Submission) -> None:
    """Indicator values and task activity counts, recomputed from the evidence."""
    period, unit = submission.period, submission.unit
    values = compute_all(unit=unit, start=period.start, end=period.end)
    SubmissionIndicator.objects.filter(submission=submission).delete()
    SubmissionIndicator.objects.bulk_create(
        SubmissionIndicator(
            submission=submission,
            code=v.code,
            numerator=v.numerator,
            denominator=v.denominator,
            value=v.value,
            unit=v.unit,
        )
        for v in values
    )
    tasks = Task.objects.filter(plan=period.plan).annotate(
        n=Count(
            "activities",
            filter=Q(
                activities__withdrawn_at__isnull=True,
                activities__unit__path__startswith=unit.path,
                activities__date__gte=period.start,
                activities__date__lte=period.end,
            ),
        )
    )
    rows = {row.task_id: row for row in submission.task_rows.all()}
    # Derived from the evidence, not typed: written in bulk, outside the audit log (the
    # report's creation and every change a person makes to a row are on the record). A status
    # the reporter chose stays; the others follow the evidence.
    added, changed = [], []
    for task in tasks:
        row = rows.get(task.pk)
        derived = _derive_task_status(task, task.n, period)
        if row is None:
            added.append(
                SubmissionTask(
                    submission=submission, task=task, status=derived, activity_count=task.n
                )
            )
            continue
        status = row.status if row.status_typed else derived
        if (row.activity_count, row.status) != (task.n, status):
            row.activity_count, row.status = task.n, status
            changed.append(row)
    SubmissionTask.objects.bulk_update(changed, ["activity_count", "status"])
    SubmissionTask.objects.bulk_create(added)


def _lock(submission: Submission) -> Submission:
    """Hold the report's row until the transaction ends (a refresh, a save and a submit of one
    report run one after the other) and read it afresh: what it holds now, not what the caller
    read earlier. Call inside a transaction."""
    list(Submission.objects.select_for_update().filter(pk=submission.pk).values_list("pk"))
    submission.refresh_from_db()
    return submission


@transaction.atomic
def submission_refresh(submission: Submission) -> bool:
    """Recompute an open report's figures and task rows from the evidence, under the report's
    lock: a report submitted or approved meanwhile is left as it is (False)."""
    _lock(submission)
    if submission.is_locked:
        return False
    _refresh_computed(submission)
    return True


@transaction.atomic
@audited
def submission_draft(*, actor: User | None, period: ReportingPeriod, unit: OrgUnit) -> Submission:
    """The unit's report for the period, drafted from the data on first opening."""
    require(actor, Action.RECORD, unit, _("You cannot report for %(unit)s.") % {"unit": unit})
    if ReportingPeriod.objects.filter(pk=period.pk, closed_at__isnull=False).exists():
        raise ValidationError(
            _("This reporting period is closed: no report is owed for it any more.")
        )
    if unit not in period_units(period):
        raise ValidationError(_("%(unit)s does not report under this plan.") % {"unit": unit})
    submission, _created = Submission.objects.get_or_create(period=period, unit=unit)
    submission_refresh(submission)
    return submission


def _locked_update(submission: Submission, version: int, actor, **fields) -> Submission:
    """Write only if nobody saved since ``version`` was read: two people editing one draft never
    silently overwrite each other. The version is claimed by a conditional update (atomic on
    every database), then the fields are saved on the object, so the audit log records each
    change (status, texts, decision) with its old and new value and the actor."""
    claimed = Submission.objects.filter(pk=submission.pk, version=version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise ValidationError(
            _(
                "Someone else saved this report while you were editing it. Your changes were not saved: reload the page to see theirs, then apply yours again."
            ),
            code="conflict",
        )
    submission.refresh_from_db()
    for name, value in fields.items():
        setattr(submission, name, value)
    submission.updated_by = actor if getattr(actor, "pk", None) else None
    submission.save()
    return submission


@transaction.atomic
@audited
def submission_save(
    *,
    actor: User | None,
    submission: Submission,
    version: int,
    narrative: str,
    difficulties: str,
    proposals: str,
    tasks: dict[int, tuple[str, str]] | None = None,
    signer_name: str | None = None,
) -> Submission:
    require(
        actor,
        Action.RECORD,
        submission.unit,
        _("You cannot report for %(unit)s.") % {"unit": submission.unit},
    )
    _lock(submission)
    if submission.is_locked:
        raise ValidationError(
            _("This report has been submitted and can no longer be changed."), code="locked"
        )
    if any(status not in TaskProgress.values for status, _text in (tasks or {}).values()):
        raise ValidationError(_("Choose a valid status for every task."))
    signer = {} if signer_name is None else {"signer_name": " ".join(signer_name.split())[:150]}
    # Text is kept as a document can hold it: a pasted NUL or vertical tab neither fails the
    # database (PostgreSQL refuses NUL) nor the .docx drafted from it.
    submission = _locked_update(
        submission,
        version,
        actor,
        narrative=printable(narrative),
        difficulties=printable(difficulties),
        proposals=printable(proposals),
        **signer,
    )
    rows = {row.task_id: row for row in submission.task_rows.select_related("task")}
    for task_id, (status, text) in (tasks or {}).items():
        text = printable(text)
        row = rows.get(task_id)
        if row is not None and (row.status, row.narrative) != (status, text):
            if row.status != status:
                # Chosen by the reporter when it is not what the evidence says: kept from then
                # on; the same as the evidence: it follows the evidence again.
                derived = _derive_task_status(row.task, row.activity_count, submission.period)
                row.status_typed = status != derived
            row.status, row.narrative = status, text
            row.save(update_fields=["status", "narrative", "status_typed"])
    return submission


@transaction.atomic
@audited
def submission_submit(*, actor: User | None, submission: Submission, version: int) -> Submission:
    require(
        actor,
        Action.RECORD,
        submission.unit,
        _("You cannot report for %(unit)s.") % {"unit": submission.unit},
    )
    _lock(submission)
    if submission.status not in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
        raise ValidationError(_("This report has already been submitted."), code="locked")
    _refresh_computed(submission)
    # The official report is signed in the name typed on the report, or the submitter's.
    signer = (
        {"signer_name": actor.full_name[:150]}
        if not submission.signer_name and actor is not None and actor.full_name
        else {}
    )
    return _locked_update(
        submission,
        version,
        actor,
        status=SubmissionStatus.SUBMITTED,
        submitted_at=timezone.now(),
        **signer,
        submitted_by=actor if getattr(actor, "pk", None) else None,
    )


def _require_focal(actor, submission: Submission) -> None:
    require(
        actor,
        Action.APPROVE_REPORT,
        submission.period.plan.unit,
        _("Only the focal point of %(unit)s approves these reports.")
        % {"unit": submission.period.plan.unit},
    )


@transaction.atomic
@audited
def submission_return(
    *,
    actor: User | None,
    submission: Submission,
    comment: str,
    task_comments: dict[int, str] | None = None,
) -> Submission:
    _require_focal(actor, submission)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."))
    notes = [(None, comment.strip())] if comment and comment.strip() else []
    notes += [
        (task_id, text.strip())
        for task_id, text in (task_comments or {}).items()
        if text and text.strip()
    ]
    if not notes:
        raise ValidationError({"comment": _("Say what needs changing.")})
    submitter = _submitter(submission)
    for task_id, text in notes:
        SubmissionComment.objects.create(
            submission=submission, author=actor, task_id=task_id, text=text
        )
    submission = _locked_update(
        submission,
        submission.version,
        actor,
        status=SubmissionStatus.RETURNED,
        decided_at=timezone.now(),
        decided_by=actor,
    )
    _tell_reporters(submission, NotificationKind.REPORT_RETURNED, submitter, notes[0][1])
    return submission


def _submitter_id(submission: Submission) -> int | None:
    """Who submitted the report: as kept on it, or, for a report submitted before that was
    kept, the actor of the audit log's last change of its status to submitted."""
    if submission.submitted_by_id:
        return submission.submitted_by_id
    from auditlog.models import LogEntry

    entries = (
        LogEntry.objects.get_for_object(submission)
        .filter(actor__isnull=False)
        .order_by("-timestamp", "-pk")
        .values_list("actor_id", "changes")
    )
    for actor_id, changes in entries:
        status = (changes or {}).get("status") if isinstance(changes, dict) else None
        if status and status[-1] == SubmissionStatus.SUBMITTED:
            return actor_id
    return None


def _submitter(submission: Submission) -> User | None:
    """The person who submitted the report (see :func:`_submitter_id`), to tell of a decision."""
    if submission.submitted_by_id:
        return submission.submitted_by
    pk = _submitter_id(submission)
    return User.objects.filter(pk=pk).first() if pk else None


@transaction.atomic
@audited
def submission_approve(*, actor: User | None, submission: Submission) -> Submission:
    """Approve (and lock) a submitted report. Four eyes: the person who submitted it may not
    approve it, whatever roles they hold."""
    _require_focal(actor, submission)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be approved."))
    if actor is not None and actor.pk and _submitter_id(submission) == actor.pk:
        raise ValidationError(
            _(
                "You submitted this report, so you cannot approve it: another focal point of "
                "%(unit)s must approve it."
            )
            % {"unit": submission.period.plan.unit},
            code="four_eyes",
        )
    submitter = _submitter(submission)
    submission = _locked_update(
        submission,
        submission.version,
        actor,
        status=SubmissionStatus.APPROVED,
        decided_at=timezone.now(),
        decided_by=actor,
    )
    _tell_reporters(submission, NotificationKind.REPORT_APPROVED, submitter)
    return submission


def _tell_reporters(
    submission: Submission, kind: str, submitter: User | None, comment: str = ""
) -> None:
    """The unit's reporters, and whoever submitted the report, hear that it was decided."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {"unit": submission.unit.name, "period": submission.period}
        if kind == NotificationKind.REPORT_RETURNED:
            text = _("The report of %(unit)s for %(period)s was returned: %(comment)s") % {
                **values,
                "comment": " ".join(comment.split())[:300],
            }
            subject = _("Lantoa: a report was returned for changes")
        else:
            text = _("The report of %(unit)s for %(period)s was approved.") % values
            subject = _("Lantoa: a report was approved")
    people = people_of(submission.unit, Action.RECORD)
    if submitter is not None and submitter.pk != submission.decided_by_id:
        people.append(submitter)
    notify(
        people,
        kind=kind,
        text=text,
        url=reverse("reports:submission", args=[submission.pk]),
        subject=subject,
    )


@transaction.atomic
@audited
def submission_reopen(*, actor: User | None, submission: Submission, reason: str) -> Submission:
    """Unlock an approved report for a correction; the reason stays on the report and in the log."""
    _require_focal(actor, submission)
    if submission.status != SubmissionStatus.APPROVED:
        raise ValidationError(_("Only an approved report is reopened."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the report is reopened.")})
    SubmissionComment.objects.create(
        submission=submission,
        author=actor,
        text=_("Reopened: %(reason)s") % {"reason": reason.strip()},
    )
    return _locked_update(submission, submission.version, actor, status=SubmissionStatus.RETURNED)


def report_holding(unit: OrgUnit, date: datetime.date) -> str | None:
    """Why an activity of ``unit`` on ``date`` may not change: a submitted or approved report
    of the unit or a unit above it covers that date (None when none does)."""
    report = (
        Submission.objects.filter(
            unit__path__in=path_chain(unit.path),
            status__in=(SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED),
            period__start__lte=date,
            period__end__gte=date,
        )
        .select_related("unit", "period")
        .order_by("pk")
        .first()
    )
    if report is None:
        return None
    return _(
        "The report of %(unit)s for %(period)s, which counts this activity, has been submitted: "
        "ask the focal point to return or reopen the report before changing the activity."
    ) % {"unit": report.unit, "period": report.period}


def drafts_refresh_after_activity(
    activity, *, before: tuple[str, datetime.date] | None = None
) -> int:
    """After an activity was recorded, edited or withdrawn: recompute every open report whose
    figures include it (the reports of its unit and of the units above it, whose period covers
    its date), and those that included it before an edit moved it (``before`` is the unit path
    and date it had). The activity page and the API call this one service. Returns how many
    drafts were refreshed."""
    places = [(activity.unit.path, activity.date)]
    if before is not None:
        places.append(before)
    return drafts_refresh(places)


def drafts_refresh(places) -> int:
    """Recompute the open reports that include activities at these (unit path, date) places:
    one query for the drafts, however many places (a sheet of 10,000 rows)."""
    spans: dict[str, tuple[datetime.date, datetime.date]] = {}
    for path, date in places:
        low, high = spans.get(path, (date, date))
        spans[path] = (min(low, date), max(high, date))
    where = Q(pk__in=[])
    for path, (low, high) in spans.items():
        where |= Q(unit__path__in=path_chain(path), period__start__lte=high, period__end__gte=low)
    drafts = (
        Submission.objects.filter(where)
        .exclude(status__in=(SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED))
        .select_related("period__plan", "unit")
    )
    # Each report under its own lock, re-checked there: one submitted meanwhile is left alone.
    return sum(submission_refresh(submission) for submission in drafts)


@transaction.atomic
@audited
def submission_entry(
    *,
    actor: User | None,
    submission: Submission,
    code: str,
    numerator,
    denominator=None,
    source: str,
) -> Submission:
    """Type the value of an indicator for the report's period, with its source: what nothing in
    Lantoa computes, or a reach figure stated with its evidence, which replaces the computed
    one for the unit."""
    if submission.is_locked:
        raise ValidationError(
            _("This report has been submitted and can no longer be changed."), code="locked"
        )
    if METHODS.get(code) is None or not METHODS[code].typed_wins:
        raise ValidationError({"indicator": _("This indicator is computed from the evidence.")})
    entry_set(
        actor=actor,
        unit=submission.unit,
        code=code,
        start=submission.period.start,
        end=submission.period.end,
        numerator=numerator,
        denominator=denominator,
        source=source,
    )
    _refresh_computed(submission)
    return submission


def units_below(submission: Submission) -> list[dict]:
    """A focal point's own report carries its units' reports: the consolidation of every period
    that the submitting unit runs itself over the same span, with links down to each report."""
    periods = (
        ReportingPeriod.objects.filter(
            plan__unit=submission.unit,
            start=submission.period.start,
            end=submission.period.end,
        )
        .exclude(pk=submission.period_id)
        .select_related("plan__unit")
    )
    return [
        {"period": period, **consolidation(period=period, with_indicators=False)}
        for period in periods
    ]


def consolidation(*, period: ReportingPeriod, with_indicators: bool = True) -> dict:
    """The issuer's view of a period: every unit that owes a report, its report if any,
    completeness (received / expected) and timeliness (received by the deadline / expected),
    as DHIS2 counts them, and the indicators of the issuer's whole subtree."""
    expected = period_units(period)
    submissions = {
        s.unit_id: s
        for s in Submission.objects.filter(period=period, unit__in=expected).select_related("unit")
    }
    received = [
        s
        for s in submissions.values()
        if s.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)
    ]
    on_time = [s for s in received if s.on_time]
    total = len(expected)
    return {
        "rows": [{"unit": unit, "submission": submissions.get(unit.pk)} for unit in expected],
        "expected": total,
        "received": len(received),
        "on_time": len(on_time),
        "completeness": round(100 * len(received) / total, 1) if total else None,
        "timeliness": round(100 * len(on_time) / total, 1) if total else None,
        "indicators": compute_all(unit=period.plan.unit, start=period.start, end=period.end)
        if with_indicators
        else [],
    }


@transaction.atomic
@audited
def dashboard_save(
    *,
    actor: User,
    name: str,
    unit: OrgUnit,
    indicators: list[str],
    start: datetime.date,
    end: datetime.date,
) -> SavedDashboard:
    """Keep a dashboard view for its owner: a unit they may see, indicators of the catalogue,
    a span; written to the audit log with the actor."""
    if getattr(actor, "pk", None) is None:
        raise PermissionDenied(_("Sign in to save a dashboard."))
    require(
        actor,
        Action.VIEW,
        unit,
        _("You cannot see the figures of %(unit)s.") % {"unit": unit},
    )
    name = " ".join((name or "").split())[:120]
    if not name:
        raise ValidationError({"name": _("Name the dashboard.")})
    known = {indicator.code for indicator in STANDARD_INDICATORS}
    unknown = [code for code in indicators or [] if code not in known]
    if unknown:
        raise ValidationError(
            {
                "indicator": _("Not an indicator of the catalogue: %(codes)s.")
                % {"codes": ", ".join(unknown)[:200]}
            }
        )
    if start > end:
        start, end = end, start
    return SavedDashboard.objects.create(
        owner=actor,
        name=name,
        unit=unit,
        indicators=list(dict.fromkeys(indicators or [])),
        start=start,
        end=end,
    )


# An ad hoc period asks a report of at most this many units (a province's departments and
# districts fit; the form lists no more).
AD_HOC_MAX_UNITS = 500


@transaction.atomic
@audited
def period_open_ad_hoc(
    *,
    actor: User | None,
    plan,
    title: str,
    start: datetime.date,
    end: datetime.date,
    deadline: datetime.date,
    units: list[OrgUnit],
) -> ReportingPeriod:
    """An ad hoc (đột xuất) reporting period a focal point opens under one of their unit's
    plans in force, asking a report of ``units`` (in the unit's subtree) by ``deadline``."""
    require(
        actor,
        Action.APPROVE_REPORT,
        plan.unit,
        _("Only the focal point of %(unit)s opens reporting periods for its plans.")
        % {"unit": plan.unit},
    )
    from lantoa.plans.models import Plan

    if not Plan.objects.in_force().filter(pk=plan.pk).exists():
        raise ValidationError(_("This plan is no longer in force: no period can be opened."))
    title = " ".join((title or "").split())[:255]
    errors = {}
    if not title:
        errors["title"] = _("Give the period a title.")
    if start > end:
        errors["end"] = _("The period ends before it starts.")
    if deadline < start:
        errors["deadline"] = _("The deadline is before the period starts.")
    units = list(dict.fromkeys(units))
    if not units:
        errors["units"] = _("Choose the units that report.")
    elif len(units) > AD_HOC_MAX_UNITS:
        errors["units"] = _("Choose at most %(n)d units.") % {"n": AD_HOC_MAX_UNITS}
    elif any(not u.path.startswith(plan.unit.path) or u.pk == plan.unit_id for u in units):
        errors["units"] = _("Choose units under %(unit)s.") % {"unit": plan.unit}
    if errors:
        raise ValidationError(errors)
    if ReportingPeriod.objects.filter(plan=plan, start=start, end=end, deadline=deadline).exists():
        raise ValidationError(
            {"title": _("The plan already has a period with these dates and this deadline.")}
        )
    period = ReportingPeriod.objects.create(
        plan=plan, kind=PeriodKind.AD_HOC, title=title, start=start, end=end, deadline=deadline
    )
    period.units.set(units)
    record(
        plan,
        actor=actor,
        summary=_("Ad hoc reporting period opened: %(title)s, due %(deadline)s, %(n)d units.")
        % {"title": title, "deadline": deadline.strftime("%d/%m/%Y"), "n": len(units)},
    )
    url = reverse("reports:home")
    for unit in units:
        with translation.override(settings.LANGUAGE_CODE):
            text = _(
                "%(issuer)s asks %(unit)s for an ad hoc report: %(title)s, due %(deadline)s."
            ) % {
                "issuer": plan.unit.name,
                "unit": unit.name,
                "title": title,
                "deadline": deadline.strftime("%d/%m/%Y"),
            }
            subject = _("Lantoa: an ad hoc report is asked of your unit")
        notify(
            people_of(unit, Action.RECORD),
            kind=NotificationKind.DEADLINE_NEAR,
            text=text,
            url=url,
            subject=subject,
        )
    return period


def periods_close(*, actor: User | None, plan, reason: str) -> int:
    """Close every open period of ``plan`` (its plan withdrawn): no report is owed for them any
    more and no reminder is sent; the reports already written are kept as they are. Returns how
    many were closed. Called inside the withdrawal's transaction, under its permission check."""
    now = timezone.now()
    periods = list(ReportingPeriod.objects.filter(plan=plan, closed_at__isnull=True))
    for period in periods:
        period.closed_at = now
        period.save(update_fields=["closed_at"])
    if periods:
        record(
            plan,
            actor=actor,
            summary=_("%(n)d reporting periods closed: %(reason)s")
            % {"n": len(periods), "reason": reason},
        )
    return len(periods)
