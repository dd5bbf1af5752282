"""Pages of activities: the list of a unit's evidence, recording, editing and withdrawing one,
one activity with its evidence (thumbnails, previews and downloads served through the scope)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lantoa.core.uploads import read_upload
from lantoa.core.views import apply_validation_error
from lantoa.orgs import selectors as org_selectors
from lantoa.orgs.audit import AlreadySaved
from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_object, scoped_params
from lantoa.orgs.scoped_views import scoped
from lantoa.orgs.scoping import can
from lantoa.plans import selectors as plan_selectors
from lantoa.plans import widgets as task_widgets
from lantoa.plans.models import Task

from . import selectors, services, spreadsheets
from .choices import COUNT_FIELDS
from .forms import ActivityForm, SheetForm, WithdrawForm
from .models import Activity, Evidence


@dataclass(frozen=True)
class Reporting:
    """What the activity pages need from reporting, which sits above them: the composition root
    (``lantoa.urls``) gives the reports app's selector and services to the pages that record,
    edit, withdraw and import activities, so this app never imports reports.

    - ``open_report(viewer=, pk=)``: the report an activity is being recorded from, or None;
    - ``after_activity(activity, before=None)``: refresh the open reports that count it;
    - ``after_import(places)``: the same for many (unit path, date) places at once.
    """

    open_report: Callable[..., object | None]
    after_activity: Callable[..., object]
    after_import: Callable[[Iterable], object]


@login_required
def activity_list(request):
    scoped_params(request.GET, request.user, ["unit"])  # malformed 400, foreign 404
    activities, applied = selectors.activity_list(viewer=request.user, params=request.GET)
    activities = activities.select_related("unit").prefetch_related("evidence")
    page = Paginator(activities, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    can_record = (
        request.user.is_superuser
        or org_selectors.unit_list(viewer=request.user, action=Action.RECORD).exists()
    )
    return render(
        request,
        "activities/activity_list.html",
        {"page": page, "can_record": can_record, "applied": applied, "query": query.urlencode()},
    )


def _activity_form(request, *, initial_unit, activity=None):
    """The form for recording (``activity`` None) or editing, with the task picker for the
    unit chosen (posted, or the initial one)."""
    units = org_selectors.unit_list(viewer=request.user, action=Action.RECORD).order_by(
        "depth", "path"
    )
    tasks = Task.objects.restrict(request.user).in_force().select_related("plan")
    posted_unit = request.POST.get("unit", "") if request.method == "POST" else ""
    unit = (units.filter(pk=posted_unit).first() if posted_unit.isdigit() else None) or initial_unit
    selected = (
        request.POST.getlist("tasks")
        if request.method == "POST"
        else ([t.pk for t in activity.tasks.all()] if activity else [])
    )
    initial = {"unit": initial_unit}
    if activity is not None:
        initial.update(
            kind=activity.kind,
            date=activity.date,
            title=activity.title,
            description=activity.description,
            tasks=[t.pk for t in activity.tasks.all()],
            **{field: getattr(activity, field) for field in COUNT_FIELDS},
        )
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        tasks=tasks,
        task_groups=plan_selectors.task_groups(viewer=request.user, unit=unit, selected=selected),
        search_url=reverse("activities:task-options"),
        evidence=activity.evidence.all() if activity is not None else None,
        initial=initial,
    )
    form.fields["unit"].widget.attrs.update(
        {
            "hx-get": reverse("activities:task-options"),
            "hx-trigger": "change",
            "hx-target": f"#{form['tasks'].auto_id}-options",
            "hx-include": "[name='unit'], [name='tasks']:checked",
        }
    )
    return form


def _submission_key(form) -> str | None:
    """The form's hidden key: the same form posted twice records one activity."""
    key = form.cleaned_data.get("submission_key")
    return str(key) if key else None


def _fields(form) -> dict:
    data = form.cleaned_data
    return {
        "unit": data["unit"],
        "kind": data["kind"],
        "date": data["date"],
        "title": data["title"],
        "description": data["description"],
        "counts": {field: data[field] for field in COUNT_FIELDS},
        "tasks": list(data["tasks"]),
        "links": data["links"],
        "files": [
            services.UploadedEvidence(name=f.name, data=read_upload(f, settings.EVIDENCE_MAX_BYTES))
            for f in data["files"]
        ],
    }


@login_required
def activity_record(request, *, reporting: Reporting):
    # Recorded from a report: the unit is the report's and the date must fall in its period.
    report = reporting.open_report(viewer=request.user, pk=request.GET.get("report"))
    units = org_selectors.unit_list(viewer=request.user, action=Action.RECORD).order_by(
        "depth", "path"
    )
    form = _activity_form(request, initial_unit=report.unit if report else units.first())
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_record(
                actor=request.user,
                **_fields(form),
                within=(report.period.start, report.period.end) if report else None,
                key=_submission_key(form),
            )
        except AlreadySaved as repeat:
            messages.info(request, " ".join(repeat.messages))
            if report is not None:
                return redirect("reports:submission", pk=report.pk)
            if repeat.existing:
                return redirect("activities:detail", pk=repeat.existing)
            return redirect("activities:list")
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error("unit", str(error))
        else:
            reporting.after_activity(activity)
            messages.success(request, _("Activity recorded."))
            if report is not None:
                return redirect("reports:submission", pk=report.pk)
            return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/activity_form.html", {"form": form, "report": report})


def _changeable(request, pk) -> Activity:
    """An activity the viewer may change: outside their scope a 404, in it without the right
    to record a 403 naming the unit."""
    activity = scoped_object(request.user, Activity.objects.select_related("unit"), pk)
    if not can(request.user, Action.RECORD, activity.unit):
        raise PermissionDenied(
            _("You cannot change the activities of %(unit)s.") % {"unit": activity.unit}
        )
    return activity


@scoped(Activity)
@login_required
def activity_edit(request, pk, *, reporting: Reporting):
    activity = _changeable(request, pk)
    if activity.is_withdrawn:
        messages.error(request, _("This activity was withdrawn and can no longer be changed."))
        return redirect("activities:detail", pk=activity.pk)
    form = _activity_form(request, initial_unit=activity.unit, activity=activity)
    if request.method == "POST" and form.is_valid():
        before = (activity.unit.path, activity.date)
        try:
            activity = services.activity_edit(
                actor=request.user,
                activity=activity,
                remove_evidence=[e.pk for e in form.cleaned_data.get("remove_evidence") or []],
                **_fields(form),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error("unit", str(error))
        else:
            reporting.after_activity(activity, before=before)
            messages.success(request, _("Activity saved."))
            return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


@scoped(Activity)
@login_required
def activity_withdraw(request, pk, *, reporting: Reporting):
    activity = _changeable(request, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_withdraw(
                actor=request.user, activity=activity, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            reporting.after_activity(activity)
            messages.success(
                request, _("Activity withdrawn: it no longer counts in any figure or report.")
            )
            return redirect("activities:detail", pk=activity.pk)
    return render(
        request, "activities/activity_withdraw.html", {"form": form, "activity": activity}
    )


@require_GET
@login_required
def task_options(request):
    """The task picker's options for the chosen unit and search words (HTMX)."""
    unit_id = request.GET.get("unit", "")
    unit = (
        org_selectors.unit_list(viewer=request.user, action=Action.RECORD)
        .filter(pk=unit_id)
        .first()
        if unit_id.isdigit()
        else None
    )
    selected = request.GET.getlist("tasks")[:500]
    groups = plan_selectors.task_groups(
        viewer=request.user, unit=unit, query=request.GET.get("task_q", "")[:200], selected=selected
    )
    return render(
        request, task_widgets.OPTIONS_TEMPLATE, task_widgets.options_context(groups, selected)
    )


@login_required
def activity_import(request, *, reporting: Reporting):
    form = SheetForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            created = services.activity_sheet_import(
                actor=request.user,
                data=read_upload(form.cleaned_data["file"], settings.SHEET_MAX_BYTES),
            )
        except AlreadySaved as repeat:
            messages.info(request, " ".join(repeat.messages))
            return redirect("activities:list")
        except ValidationError as error:
            errors = error.messages
        else:
            reporting.after_import({(a.unit.path, a.date) for a in created})
            messages.success(
                request, _("%(n)d activities recorded from the sheet.") % {"n": len(created)}
            )
            return redirect("activities:list")
    return render(
        request,
        "activities/activity_import.html",
        {"form": form, "errors": errors[:200], "more": max(0, len(errors) - 200)},
    )


@login_required
def activity_template(request):
    response = HttpResponse(
        spreadsheets.template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="hoat-dong.xlsx"'
    return response


@scoped(Activity)
@login_required
def activity_detail(request, pk):
    activity = scoped_object(
        request.user,
        Activity.objects.select_related("unit", "recorded_by", "withdrawn_by").prefetch_related(
            "tasks__plan", "evidence"
        ),
        pk,
    )
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "can_change": not activity.is_withdrawn
            and can(request.user, Action.RECORD, activity.unit),
            "history": selectors.activity_history(activity),
        },
    )


# Evidence files: never under a public /media/ address; each request goes through the scope.
_SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; sandbox",
    "Cache-Control": "private, max-age=3600",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def _evidence(request, pk) -> Evidence:
    evidence = scoped_object(request.user, Evidence.objects.select_related("activity__unit"), pk)
    if not evidence.file:
        raise Http404(_("Not found."))
    return evidence


def _rendition_response(request, pk, size):
    evidence = _evidence(request, pk)
    data = services.evidence_rendition(evidence, size)
    if data is None:
        raise Http404(_("This file has no preview: download it to open it."))
    response = HttpResponse(data, content_type="image/jpeg")
    response["Content-Disposition"] = f'inline; filename="evidence-{evidence.pk}-{size}.jpg"'
    for header, value in _SAFE_HEADERS.items():
        response[header] = value
    return response


@scoped(Evidence)
@require_GET
@login_required
def evidence_thumbnail(request, pk):
    return _rendition_response(request, pk, "thumb")


@scoped(Evidence)
@require_GET
@login_required
def evidence_preview(request, pk):
    return _rendition_response(request, pk, "preview")


@scoped(Evidence)
@require_GET
@login_required
def evidence_download(request, pk):
    """The file as uploaded, always as an attachment (never rendered in the site's origin),
    under its original name (RFC 5987 ``filename*`` for Vietnamese names)."""
    evidence = _evidence(request, pk)
    try:
        handle = evidence.file.open("rb")
    except OSError:
        raise Http404(_("Not found.")) from None
    name = evidence.original_name or evidence.file.name.rsplit("/", 1)[-1]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name.replace("\r", " ").replace("\n", " "),
        content_type=evidence.content_type or "application/octet-stream",
    )
    for header, value in _SAFE_HEADERS.items():
        response[header] = value
    return response
