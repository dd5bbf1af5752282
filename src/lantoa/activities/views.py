"""Pages of activities: the list of a unit's evidence, recording one, one activity."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lantoa.core.views import apply_validation_error, scoped
from lantoa.orgs import selectors as org_selectors
from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_object, scoped_params
from lantoa.plans.models import Task
from lantoa.reports import selectors as report_selectors
from lantoa.reports import services as report_services

from . import selectors, services, spreadsheets
from .forms import ActivityForm, SheetForm
from .models import Activity


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


@login_required
def activity_record(request):
    units = org_selectors.unit_list(viewer=request.user, action=Action.RECORD).order_by(
        "depth", "path"
    )
    tasks = Task.objects.restrict(request.user).filter(plan__status="active").select_related("plan")
    # Recorded from a report: the unit is the report's and the date must fall in its period.
    report = report_selectors.open_report(viewer=request.user, pk=request.GET.get("report"))
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        tasks=tasks,
        initial={"unit": report.unit if report else units.first()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = services.activity_record(
                actor=request.user,
                unit=data["unit"],
                kind=data["kind"],
                date=data["date"],
                title=data["title"],
                description=data["description"],
                counts={
                    f: data[f]
                    for f in (
                        "participants",
                        "officials",
                        "staff_trained",
                        "audience",
                        "items",
                        "minutes",
                    )
                },
                tasks=list(data["tasks"]),
                links=data["links"],
                files=[
                    services.UploadedEvidence(name=f.name, data=f.read()) for f in data["files"]
                ],
                within=(report.period.start, report.period.end) if report else None,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error("unit", str(error))
        else:
            messages.success(request, _("Activity recorded."))
            if report is not None:
                report_services.submission_refresh(report)
                return redirect("reports:submission", pk=report.pk)
            return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/activity_form.html", {"form": form, "report": report})


@login_required
def activity_import(request):
    form = SheetForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = spreadsheets.import_activities(
                actor=request.user, data=form.cleaned_data["file"].read()
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("%(n)d activities recorded from the sheet.") % {"n": count})
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
        Activity.objects.select_related("unit", "recorded_by").prefetch_related(
            "tasks__plan", "evidence"
        ),
        pk,
    )
    return render(request, "activities/activity_detail.html", {"activity": activity})
