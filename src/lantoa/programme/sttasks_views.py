"""Pages of the S&T task register: the list (accent-blind search), a task, recording and
correcting one, the sheet export and import; and the one public page, which reads
``public_tasks()`` only (a state secret is never listed, and its page is a 404)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from lantoa.activities.models import Activity
from lantoa.content.models import ContentItem
from lantoa.core.uploads import read_upload
from lantoa.core.views import apply_validation_error
from lantoa.orgs import selectors as org_selectors
from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_object, scoped_params
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoped_views import scoped
from lantoa.orgs.scoping import can

from . import sttasks_selectors as selectors
from . import sttasks_services as services
from . import sttasks_sheets as sheets
from .models import STTask
from .sheets import xlsx_response
from .sttasks_choices import STTaskStatus
from .sttasks_forms import SheetForm, STTaskForm

LINK_CHOICES = 200  # the latest content items and events offered to link, per form


def _units(user):
    return org_selectors.unit_list(viewer=user, action=Action.RECORD).order_by("depth", "path")


def _can_record(user) -> bool:
    return user.is_superuser or _units(user).exists()


@login_required
def sttask_list(request):
    params = scoped_params(request.GET, request.user, ["unit"])
    q = request.GET.get("q", "")[:200]
    tasks = selectors.sttask_list(viewer=request.user, q=q, unit=params.get("unit"))
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "programme/sttask_list.html",
        {"page": page, "q": q, "can_record": _can_record(request.user)},
    )


@login_required
def sttask_export(request):
    params = scoped_params(request.GET, request.user, ["unit"])
    tasks = selectors.sttask_list(
        viewer=request.user, q=request.GET.get("q", "")[:200], unit=params.get("unit")
    )
    return xlsx_response(sheets.sttasks_export(tasks.iterator()), "nhiem-vu-khcn.xlsx")


def _form(request, *, task=None):
    units = _units(request.user)
    items = ContentItem.objects.restrict(request.user).order_by("-updated_at")
    events = Activity.objects.restrict(request.user).counted().order_by("-date", "-pk")
    if task is not None:
        # The links already made stay offered even when older than the latest ones.
        items = items.filter(
            pk__in=[
                *items.values_list("pk", flat=True)[:LINK_CHOICES],
                *task.content_items.values_list("pk", flat=True),
            ]
        )
        events = events.filter(
            pk__in=[
                *events.values_list("pk", flat=True)[:LINK_CHOICES],
                *task.activities.values_list("pk", flat=True),
            ]
        )
    else:
        items = items.filter(pk__in=list(items.values_list("pk", flat=True)[:LINK_CHOICES]))
        events = events.filter(pk__in=list(events.values_list("pk", flat=True)[:LINK_CHOICES]))
    initial = {"unit": units.first(), "status": STTaskStatus.PROPOSED}
    if task is not None:
        initial = {name: getattr(task, name) for name in services.FIELDS}
        initial.update(
            unit=task.unit,
            content_items=list(task.content_items.values_list("pk", flat=True)),
            activities=list(task.activities.values_list("pk", flat=True)),
        )
    return STTaskForm(
        request.POST or None,
        units=units,
        content_items=items,
        activities=events,
        initial=initial,
    )


@login_required
def sttask_create(request):
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.sttask_create(
                actor=request.user,
                unit=form.cleaned_data["unit"],
                values=form.values(),
                content_items=form.cleaned_data["content_items"],
                activities=form.cleaned_data["activities"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error("unit", str(error))
        else:
            messages.success(request, _("Task recorded."))
            return redirect("programme:sttask-detail", pk=task.pk)
    return render(request, "programme/sttask_form.html", {"form": form})


@scoped(STTask)
@login_required
def sttask_edit(request, pk):
    task = scoped_object(request.user, STTask.objects.select_related("unit"), pk, Action.RECORD)
    form = _form(request, task=task)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.sttask_edit(
                actor=request.user,
                task=task,
                unit=form.cleaned_data["unit"],
                values=form.values(),
                content_items=form.cleaned_data["content_items"],
                activities=form.cleaned_data["activities"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error("unit", str(error))
        else:
            messages.success(request, _("Task saved."))
            return redirect("programme:sttask-detail", pk=task.pk)
    return render(request, "programme/sttask_form.html", {"form": form, "task": task})


@scoped(STTask)
@login_required
def sttask_detail(request, pk):
    task = scoped_object(request.user, STTask.objects.select_related("unit"), pk)
    return render(
        request,
        "programme/sttask_detail.html",
        {
            "task": task,
            "can_change": can(request.user, Action.RECORD, task.unit),
            "communicated": selectors.task_is_communicated(task),
        },
    )


@login_required
def sttask_import(request):
    form = SheetForm(request.POST or None, request.FILES or None, units=_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            created = sheets.sttasks_import(
                actor=request.user,
                unit=form.cleaned_data["unit"],
                data=read_upload(form.cleaned_data["file"], settings.SHEET_MAX_BYTES),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        except PermissionDenied as error:
            form.add_error("unit", str(error))
        else:
            messages.success(request, _("%(n)d tasks imported.") % {"n": len(created)})
            return redirect("programme:sttask-list")
    return render(request, "programme/sttask_import.html", {"form": form})


@login_required
def sttask_template(request):
    return xlsx_response(sheets.sttasks_template(), "mau-nhiem-vu-khcn.xlsx")


def public_sttask_list(request, code):
    """A unit's state-funded S&T tasks for the public, with what communicated each: never a
    state secret (``public_tasks``), and only published content."""
    unit = get_object_or_404(OrgUnit, code__iexact=code[:32])
    rows = []
    for task in selectors.public_tasks(unit).prefetch_related("content_items", "activities")[:500]:
        items, events = selectors.published_links(task)
        rows.append({"task": task, "items": items, "events": events})
    return render(request, "programme/sttask_public.html", {"unit": unit, "rows": rows})
