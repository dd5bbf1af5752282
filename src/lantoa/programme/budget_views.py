"""Budget pages: the estimates (search, year), one estimate with its allocations and spending,
execution per plan task and per unit (spending over the allocation flagged), sheets."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.uploads import read_upload
from lantoa.core.views import apply_validation_error
from lantoa.media.models import Asset
from lantoa.orgs import selectors as org_selectors
from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_object, scoped_params
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoped_views import scoped
from lantoa.orgs.scoping import can
from lantoa.plans.models import Task

from . import budget_selectors as selectors
from . import budget_services as services
from . import budget_sheets as sheets
from .budget_forms import AllocationForm, EstimateForm, SpendingForm
from .models import BudgetEstimate, BudgetSpending
from .sheets import xlsx_response
from .sttasks_forms import SheetForm


def _year(request) -> int | None:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else None


def _units(user):
    return org_selectors.unit_list(viewer=user, action=Action.RECORD).order_by("depth", "path")


@login_required
def budget_list(request):
    params = scoped_params(request.GET, request.user, ["unit"])
    q = request.GET.get("q", "")[:200]
    year = _year(request)
    estimates = selectors.estimate_list(viewer=request.user, year=year, unit=params.get("unit"))
    found = selectors.estimate_search(estimates, q)
    execution = selectors.lines_of(BudgetEstimate.objects.filter(pk__in=[e.pk for e in found]))
    return render(
        request,
        "programme/budget_list.html",
        {
            "execution": execution,
            "q": q,
            "year": year,
            "can_record": request.user.is_superuser or _units(request.user).exists(),
        },
    )


@login_required
def budget_export(request):
    params = scoped_params(request.GET, request.user, ["unit"])
    estimates = selectors.estimate_list(
        viewer=request.user, year=_year(request), unit=params.get("unit")
    )
    found = selectors.estimate_search(estimates, request.GET.get("q", "")[:200])
    lines = selectors.lines_of(BudgetEstimate.objects.filter(pk__in=[e.pk for e in found])).lines
    return xlsx_response(sheets.budget_export(lines), "du-toan-kinh-phi.xlsx")


@login_required
def budget_template(request):
    return xlsx_response(sheets.budget_template(), "mau-du-toan.xlsx")


@login_required
def budget_import(request):
    form = SheetForm(request.POST or None, request.FILES or None, units=_units(request.user))
    form.fields.pop("unit")
    if request.method == "POST" and form.is_valid():
        try:
            created = sheets.budget_import(
                actor=request.user,
                data=read_upload(form.cleaned_data["file"], settings.SHEET_MAX_BYTES),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(n)d estimates imported.") % {"n": len(created)})
            return redirect("programme:budget-list")
    return render(request, "programme/budget_import.html", {"form": form})


def _estimate_form(request, estimate=None):
    units = _units(request.user)
    tasks = Task.objects.restrict(request.user).select_related("plan").order_by("plan_id", "order")
    initial = {"unit": units.first(), "year": timezone.localdate().year}
    if request.GET.get("task", "").isdigit():
        initial["task"] = int(request.GET["task"])
    if estimate is not None:
        initial = {
            "unit": estimate.unit,
            "task": estimate.task_id,
            "year": estimate.year,
            "amount": estimate.amount,
            "note": estimate.note,
        }
    return EstimateForm(request.POST or None, units=units, tasks=tasks, initial=initial)


def _save_estimate(request, form, estimate=None):
    try:
        return services.estimate_save(actor=request.user, estimate=estimate, **form.cleaned_data)
    except ValidationError as error:
        apply_validation_error(form, error)
    except PermissionDenied as error:
        form.add_error("unit", str(error))
    return None


@login_required
def estimate_create(request):
    form = _estimate_form(request)
    if request.method == "POST" and form.is_valid():
        estimate = _save_estimate(request, form)
        if estimate is not None:
            messages.success(request, _("Estimate recorded."))
            return redirect("programme:estimate-detail", pk=estimate.pk)
    return render(request, "programme/estimate_form.html", {"form": form})


@scoped(BudgetEstimate)
@login_required
def estimate_edit(request, pk):
    estimate = scoped_object(request.user, BudgetEstimate, pk, Action.RECORD)
    form = _estimate_form(request, estimate)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_estimate(request, form, estimate) is not None
    ):
        messages.success(request, _("Estimate saved."))
        return redirect("programme:estimate-detail", pk=estimate.pk)
    return render(request, "programme/estimate_form.html", {"form": form, "estimate": estimate})


def _spending_form(request, data=None, files=None):
    assets = Asset.objects.restrict(request.user).order_by("-pk")
    assets = assets.filter(pk__in=list(assets.values_list("pk", flat=True)[:200]))
    return SpendingForm(data, files, assets=assets)


@scoped(BudgetEstimate)
@login_required
def estimate_detail(request, pk):
    estimate = scoped_object(
        request.user, BudgetEstimate.objects.select_related("unit", "task__plan"), pk
    )
    can_change = can(request.user, Action.RECORD, estimate.unit)
    allocation_form = AllocationForm(prefix="a")
    spending_form = _spending_form(request)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(_("You do not have permission to do this."))
        which = request.POST.get("which")
        try:
            if which == "allocation":
                allocation_form = AllocationForm(request.POST, prefix="a")
                if allocation_form.is_valid():
                    services.allocation_add(
                        actor=request.user, estimate=estimate, **allocation_form.cleaned_data
                    )
                    messages.success(request, _("Allocation recorded."))
                    return redirect("programme:estimate-detail", pk=estimate.pk)
            elif which == "spending":
                spending_form = _spending_form(request, request.POST, request.FILES)
                if spending_form.is_valid():
                    data = dict(spending_form.cleaned_data)
                    upload = data.pop("document_file")
                    asset = data.pop("document_asset")
                    services.spending_add(
                        actor=request.user,
                        estimate=estimate,
                        file=services.UploadedDocument(
                            upload.name, read_upload(upload, settings.EVIDENCE_MAX_BYTES)
                        )
                        if upload
                        else None,
                        asset=asset,
                        **data,
                    )
                    messages.success(request, _("Spending recorded."))
                    return redirect("programme:estimate-detail", pk=estimate.pk)
        except ValidationError as error:
            apply_validation_error(
                allocation_form if which == "allocation" else spending_form, error
            )
    line = selectors.lines_of(BudgetEstimate.objects.filter(pk=estimate.pk)).lines[0]
    return render(
        request,
        "programme/estimate_detail.html",
        {
            "estimate": estimate,
            "line": line,
            "allocations": estimate.allocations.all(),
            "spendings": estimate.spendings.select_related("document_asset"),
            "can_change": can_change,
            "allocation_form": allocation_form,
            "spending_form": spending_form,
        },
    )


@scoped(BudgetSpending)
@login_required
def spending_document(request, pk):
    spending = scoped_object(
        request.user, BudgetSpending.objects.select_related("estimate__unit"), pk
    )
    if not spending.document_file:
        raise Http404
    return FileResponse(
        spending.document_file.open("rb"),
        as_attachment=True,
        filename=spending.document_name or spending.document_file.name.rsplit("/", 1)[-1],
    )


@scoped(Task)
@login_required
def task_budget(request, pk):
    """A plan task's budget: every estimate for it the viewer may see, with its execution."""
    task = scoped_object(request.user, Task.objects.select_related("plan__unit"), pk)
    return render(
        request,
        "programme/task_budget.html",
        {"task": task, "execution": selectors.task_execution(viewer=request.user, task=task)},
    )


@scoped(OrgUnit)
@login_required
def unit_budget(request, pk):
    """A unit's execution for a year (the units below it included), task by task."""
    unit = scoped_object(request.user, OrgUnit, pk)
    year = _year(request) or datetime.date.today().year
    return render(
        request,
        "programme/unit_budget.html",
        {"unit": unit, "year": year, "execution": selectors.execution(unit, year)},
    )
