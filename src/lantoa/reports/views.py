"""Pages of reporting: my reports, a report, a period's consolidation, the documents, the
dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lantoa.analytics.computation import METHODS, evidence_query
from lantoa.core.views import apply_validation_error
from lantoa.indicators.catalogue import STANDARD_INDICATORS
from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_object, scoped_param
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoped_views import scoped
from lantoa.orgs.scoping import can
from lantoa.plans.models import Plan, TaskAssignment

from . import documents, selectors, services
from .choices import SubmissionStatus
from .forms import AdHocPeriodForm, AdHocPlanForm, EntryForm, ReopenForm, ReturnForm, SubmissionForm
from .models import ReportingPeriod, Submission
from .periods import reporting_units


@login_required
def report_home(request):
    return render(
        request,
        "reports/home.html",
        {
            "owed": selectors.owed_reports(user=request.user),
            "to_review": selectors.periods_to_review(user=request.user),
            "can_open": _ad_hoc_plans(request.user).exists(),
        },
    )


def _ad_hoc_plans(user):
    """The plans in force a user may open an ad hoc period under: of the units they are the
    focal point of (and below)."""
    return (
        Plan.objects.in_force()
        .restrict(user, Action.APPROVE_REPORT)
        .select_related("unit")
        .order_by("unit__depth", "unit__path", "-issued_on", "-pk")
    )


@login_required
def period_ad_hoc(request):
    """Open an ad hoc (đột xuất) reporting period: first the plan (a plain GET form), then its
    title, dates and the units of the plan's unit that report. No JavaScript needed."""
    plans = _ad_hoc_plans(request.user)
    if not plans.exists():
        raise PermissionDenied(_("Only a focal point opens ad hoc reporting periods."))
    chooser = AdHocPlanForm(
        request.GET if "plan" in request.GET else None, plans=plans, prefix=None
    )
    plan = chooser.cleaned_data["plan"] if chooser.is_bound and chooser.is_valid() else None
    if plan is None:
        return render(request, "reports/period_ad_hoc.html", {"chooser": chooser})
    units = (
        OrgUnit.objects.filter(path__startswith=plan.unit.path, depth__lte=plan.unit.depth + 2)
        .exclude(pk=plan.unit_id)
        .order_by("path")
    )
    form = AdHocPeriodForm(
        request.POST or None,
        units=units,
        initial={"units": [u.pk for u in reporting_units(plan)]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            period = services.period_open_ad_hoc(
                actor=request.user,
                plan=plan,
                title=data["title"],
                start=data["start"],
                end=data["end"],
                deadline=data["deadline"],
                units=list(data["units"]),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The ad hoc reporting period is open."))
            return redirect("reports:period", pk=period.pk)
    return render(
        request, "reports/period_ad_hoc.html", {"chooser": chooser, "plan": plan, "form": form}
    )


@scoped(ReportingPeriod)
@login_required
@require_POST
def report_start(request, pk):
    period = scoped_object(request.user, ReportingPeriod.objects.select_related("plan__unit"), pk)
    unit = scoped_param(
        request.POST, "unit", request.user, OrgUnit.objects.all(), Action.RECORD, required=True
    )
    try:
        submission = services.submission_draft(actor=request.user, period=period, unit=unit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:home")
    return redirect("reports:submission", pk=submission.pk)


def _submission(request, pk) -> Submission:
    return scoped_object(
        request.user, Submission.objects.select_related("unit", "period__plan__unit"), pk
    )


def _group_rows(rows: list[dict], open_all: bool = False) -> list[dict]:
    """Rows by the plan's task groups (I, II, ... as the plan numbers them), in plan order; a
    group is shown open when it holds a comment or an error, or when it is the only one."""
    groups: dict[str, dict] = {}
    for item in rows:
        task = item["row"].task
        key = task.group or ""
        group = groups.setdefault(
            key, {"group": task.group, "title": task.group_title, "rows": [], "open": False}
        )
        group["rows"].append(item)
        if item["comments"] or item["status"].errors or item["narrative"].errors:
            group["open"] = True
    out = list(groups.values())
    if open_all or len(out) == 1:
        for group in out:
            group["open"] = True
    return out


def _task_groups(submission: Submission, rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """The unit's own tasks first, grouped: those assigned to the reporting unit or a unit
    below it, and those its activities of the period serve. The plan's other tasks stay
    reachable in a fold of their own. When none is the unit's, all are shown as its own."""
    own_ids = set(
        TaskAssignment.objects.filter(
            task__plan_id=submission.period.plan_id,
            unit__path__startswith=submission.unit.path,
        ).values_list("task_id", flat=True)
    ) | {item["row"].task_id for item in rows if item["row"].activity_count}
    if not own_ids:
        return _group_rows(rows), []
    own = [item for item in rows if item["row"].task_id in own_ids]
    others = [item for item in rows if item["row"].task_id not in own_ids]
    return _group_rows(own), _group_rows(others)


@scoped(Submission)
@login_required
def submission_page(request, pk):
    submission = _submission(request, pk)
    user = request.user
    if request.method != "POST" and not submission.is_locked:
        # What the reporter reviews is what submitting sends: the figures are recomputed from
        # the evidence as the page opens (people lists, unit facts and attendance change them
        # without touching the report).
        services.submission_refresh(submission)
    task_rows = list(submission.task_rows.select_related("task").order_by("task__order", "pk"))
    may_record = can(user, Action.RECORD, submission.unit)
    can_edit = may_record and not submission.is_locked
    is_focal = can(user, Action.APPROVE_REPORT, submission.period.plan.unit)
    action = request.POST.get("action") if request.method == "POST" else None
    # Only saving and submitting send this form; what else is posted leaves it as it was.
    keep_typed = action in ("save", "submit") and may_record
    form = SubmissionForm(
        request.POST if keep_typed else None,
        task_rows=task_rows,
        initial={
            "version": submission.version,
            "narrative": submission.narrative,
            "difficulties": submission.difficulties,
            "proposals": submission.proposals,
            "signer_name": submission.signer_name,
        },
    )
    entry_form = EntryForm(
        request.POST if action == "entry" else None,
        indicators=[(s.code, s.name) for s in STANDARD_INDICATORS if METHODS[s.code].typed_wins],
    )
    if request.method == "POST":
        try:
            if action in ("save", "submit"):
                if not may_record:
                    raise PermissionDenied(_("This report can no longer be changed."))
                if submission.is_locked:
                    raise ValidationError(
                        _(
                            "A colleague submitted this report while you were editing it: it can "
                            "no longer be changed. What you typed is below, not saved: copy it "
                            "if you need it, or ask for the report to be returned."
                        ),
                        code="locked",
                    )
                if not form.is_valid():
                    raise ValidationError(_("Some fields need correcting."))
                data = form.cleaned_data
                submission = services.submission_save(
                    actor=user,
                    submission=submission,
                    version=data["version"],
                    narrative=data["narrative"],
                    difficulties=data["difficulties"],
                    proposals=data["proposals"],
                    tasks=form.task_values(),
                    signer_name=data["signer_name"],
                )
                if action == "submit":
                    services.submission_submit(
                        actor=user, submission=submission, version=submission.version
                    )
                    messages.success(
                        request,
                        _("Report submitted to %(unit)s.") % {"unit": submission.period.plan.unit},
                    )
                else:
                    messages.success(request, _("Draft saved."))
            elif action == "entry":
                if not may_record:
                    raise PermissionDenied(_("This report can no longer be changed."))
                if submission.is_locked:
                    raise ValidationError(
                        _("This report has been submitted and can no longer be changed.")
                    )
                if entry_form.is_valid():
                    data = entry_form.cleaned_data
                    try:
                        services.submission_entry(
                            actor=user,
                            submission=submission,
                            code=data["indicator"],
                            numerator=data["numerator"],
                            denominator=data["denominator"],
                            source=data["source"],
                        )
                    except ValidationError as error:
                        apply_validation_error(entry_form, error)
                if entry_form.errors:
                    raise ValidationError(_("Some fields need correcting."))
                messages.success(request, _("Figure saved."))
            elif action == "return":
                task_comments = {
                    row.task_id: request.POST.get(f"comment_{row.task_id}", "") for row in task_rows
                }
                services.submission_return(
                    actor=user,
                    submission=submission,
                    comment=request.POST.get("comment", ""),
                    task_comments=task_comments,
                )
                messages.success(request, _("Report returned with your comments."))
            elif action == "approve":
                services.submission_approve(actor=user, submission=submission)
                messages.success(request, _("Report approved."))
            elif action == "reopen":
                services.submission_reopen(
                    actor=user, submission=submission, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("Report reopened for correction."))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return redirect("reports:submission", pk=submission.pk)
    # Once approved, the comments that returned the report are settled: no longer shown.
    comments = (
        []
        if submission.status == SubmissionStatus.APPROVED
        else list(submission.comments.select_related("author", "task"))
    )
    rows = [
        {
            "row": row,
            "status": form[f"status_{row.task_id}"],
            "narrative": form[f"narrative_{row.task_id}"],
            "comments": [c for c in comments if c.task_id == row.task_id],
        }
        for row in task_rows
    ]
    own_groups, other_groups = _task_groups(submission, rows)
    return render(
        request,
        "reports/submission.html",
        {
            "submission": submission,
            "form": form,
            "general_fields": [
                form["narrative"],
                form["difficulties"],
                form["proposals"],
                form["signer_name"],
            ],
            "rows": rows,
            "own_groups": own_groups,
            "other_groups": other_groups,
            "other_count": sum(len(g["rows"]) for g in other_groups),
            "general_comments": [c for c in comments if c.task_id is None],
            "indicators": [
                {
                    **row,
                    "evidence": evidence_query(
                        row["code"],
                        unit=submission.unit,
                        start=submission.period.start,
                        end=submission.period.end,
                    ),
                }
                for row in documents.content_of(submission).indicators
            ],
            "units_below": services.units_below(submission),
            "budget": documents.budget_of(submission),
            "entry_form": entry_form,
            "can_edit": can_edit,
            # Refused because the report was submitted meanwhile: the typed text stays shown.
            "show_fields": can_edit or (keep_typed and form.is_bound),
            "is_focal": is_focal,
            "return_form": ReturnForm(),
            "reopen_form": ReopenForm(),
        },
    )


@scoped(Submission)
@login_required
def submission_document(request, pk, extension):
    submission = _submission(request, pk)
    builders = {
        "docx": (
            documents.report_docx,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        "pdf": (documents.report_pdf, "application/pdf"),
        "xlsx": (
            documents.report_xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    }
    build, content_type = builders[extension]
    response = HttpResponse(build(submission), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{documents.filename(submission, extension)}"'
    )
    return response


@scoped(ReportingPeriod)
@login_required
def period_page(request, pk):
    period = scoped_object(request.user, ReportingPeriod.objects.select_related("plan__unit"), pk)
    if not can(request.user, Action.APPROVE_REPORT, period.plan.unit):
        raise PermissionDenied(
            _("Only the focal point of %(unit)s consolidates these reports.")
            % {"unit": period.plan.unit}
        )
    summary = services.consolidation(period=period)
    return render(request, "reports/period.html", {"period": period, "summary": summary})
