"""Pages of plans: list, detail, upload and review, hand entry, task sheets, my tasks, cascade."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lantoa.core.documents.reading import OCR_SECONDS_PER_PAGE, ocr_minutes
from lantoa.core.uploads import read_upload
from lantoa.core.views import apply_validation_error
from lantoa.orgs import selectors as org_selectors
from lantoa.orgs.audit import AlreadySaved
from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_object
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoped_views import scoped
from lantoa.orgs.scoping import can

from . import review, selectors, services, spreadsheets
from .choices import AssignmentRole, ImportStatus, PlanStatus
from .forms import (
    DeadlineEditFormSet,
    PlanCreateForm,
    PlanHeaderForm,
    PlanReportingForm,
    PlanUploadForm,
    PlanWithdrawForm,
    ResponsibleUnitEditFormSet,
    TargetEditFormSet,
    TargetFormSet,
    TaskEditFormSet,
    TaskFormSet,
    TaskTableUploadForm,
    UnitProposalFormSet,
)
from .matching import match_units
from .models import Plan, PlanImport
from .revisions import compare


def _managed_units(user):
    return org_selectors.unit_list(viewer=user, action=Action.MANAGE_UNITS).order_by(
        "depth", "path"
    )


@login_required
def plan_list(request):
    plans = selectors.plan_list(viewer=request.user).in_force()
    can_add = request.user.is_superuser or _managed_units(request.user).exists()
    return render(request, "plans/plan_list.html", {"plans": plans, "can_add": can_add})


@scoped(Plan)
@login_required
def plan_detail(request, pk):
    try:
        plan = selectors.plan_detail(viewer=request.user, pk=pk)
    except Plan.DoesNotExist:
        raise Http404(_("Not found.")) from None
    targets_by_year: dict = {}
    for target in plan.targets.all():
        targets_by_year.setdefault(target.year, []).append(target)
    groups: dict = {}
    for task in plan.tasks.all():
        groups.setdefault((task.group, task.group_title), []).append(task)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "targets_by_year": sorted(targets_by_year.items(), key=lambda item: item[0] or 0),
            "groups": list(groups.items()),
            "children": selectors.plan_children(viewer=request.user, plan=plan),
            "can_manage": can(request.user, Action.MANAGE_UNITS, plan.unit),
            "in_force": plan.status == PlanStatus.ACTIVE,
            "sheet_form": TaskTableUploadForm(),
        },
    )


@login_required
def plan_upload(request):
    units = _managed_units(request.user)
    form = PlanUploadForm(
        request.POST or None, request.FILES or None, units=units, initial={"unit": units.first()}
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            staged = services.plan_upload(
                actor=request.user,
                unit=form.cleaned_data["unit"],
                data=read_upload(upload, settings.PLAN_MAX_BYTES),
                filename=upload.name,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("plans:review", pk=staged.pk)
    return render(
        request,
        "plans/plan_upload.html",
        {"form": form, "ocr_seconds": OCR_SECONDS_PER_PAGE, "ten_pages": ocr_minutes(10)},
    )


def _review_forms(request, staged: PlanImport, extracted):
    unit = staged.unit
    matched = match_units(unit, [u.name for u in extracted.units]) if extracted.units else {}
    unmatched = [u for u in extracted.units if matched.get(u.name) is None]
    data = request.POST if request.method == "POST" else None
    return (
        PlanHeaderForm(data, initial=review.header_initial(extracted), prefix="plan"),
        PlanReportingForm(data, prefix="reporting"),
        TargetFormSet(data, initial=review.targets_initial(extracted), prefix="targets"),
        TaskFormSet(data, initial=review.tasks_initial(extracted), prefix="tasks"),
        UnitProposalFormSet(
            data, initial=review.proposals_initial(unmatched, unit.code), prefix="units"
        ),
        matched,
    )


@scoped(PlanImport)
@login_required
def plan_review(request, pk, confirm=None):
    """Review an upload and confirm it. ``confirm`` is the service that saves the plan: the
    project's URLs pass the assistant's, which also updates the assistant's corpus."""
    staged = scoped_object(
        request.user,
        PlanImport.objects.select_related("unit", "replaces"),
        pk,
        Action.MANAGE_UNITS,
    )
    if staged.status in (ImportStatus.READING, ImportStatus.FAILED):
        left = max(0, staged.pages_total - staged.pages_done)
        return render(
            request,
            "plans/plan_reading.html",
            {"staged": staged, "minutes_left": ocr_minutes(left)},
        )
    if staged.status != ImportStatus.PENDING:
        if staged.plan_id:
            return redirect("plans:detail", pk=staged.plan_id)
        messages.info(request, _("The upload was discarded; nothing was saved."))
        return redirect("plans:list")
    extracted = review.extraction_from_dict(staged.extracted)
    header, reporting, targets, tasks, proposals, matched = _review_forms(
        request, staged, extracted
    )
    if request.method == "POST":
        if "discard" in request.POST:
            services.plan_import_discard(actor=request.user, staged=staged)
            messages.info(request, _("The upload was discarded; nothing was saved."))
            return redirect("plans:list")
        if all(f.is_valid() for f in (header, reporting, targets, tasks, proposals)):
            reviewed = review.reviewed_extraction(
                extracted, header.cleaned_data, targets.cleaned_data, tasks.cleaned_data
            )
            new_units = [p for p in proposals.cleaned_data if p.get("create")]
            try:
                plan = (confirm or services.plan_import_confirm)(
                    actor=request.user,
                    staged=staged,
                    reviewed=reviewed,
                    new_units=new_units,
                    open_past_periods=reporting.cleaned_data["open_past_periods"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The plan is saved and in force."))
                return redirect("plans:detail", pk=plan.pk)
        else:
            messages.error(request, _("Some items need correcting: see the messages beside them."))
    changes = (
        compare(staged.replaces, [t.text for t in extracted.tasks]) if staged.replaces else None
    )
    text = staged.source_text

    def rows(formset):
        out = []
        for form in formset:
            # The spans and the confidence are the importer's, kept on the server: hidden
            # fields sent back (and perhaps tampered with) are never read here.
            start, end = form.initial.get("span_start"), form.initial.get("span_end")
            confidence = form.initial.get("confidence")
            excerpt = text[start:end] if start is not None and end is not None else ""
            low = confidence is not None and confidence < review.LOW_CONFIDENCE
            out.append({"form": form, "excerpt": excerpt, "low": low, "start": start})
        return out

    return render(
        request,
        "plans/plan_review.html",
        {
            "staged": staged,
            "extracted": extracted,
            "header": header,
            "reporting": reporting,
            "targets": targets,
            "tasks": tasks,
            "target_rows": rows(targets),
            "task_rows": rows(tasks),
            "proposals": proposals,
            "matched": [(name, unit) for name, unit in matched.items() if unit],
            "changes": changes,
        },
    )


def _names(task, role) -> str:
    return "; ".join(str(a) for a in task.assignments.all() if a.role == role)


def _rows_of(formset, data) -> list[dict] | None:
    """The formset's rows, without the fields the post did not carry (a post of an older
    page leaves them as they are); None when the post did not carry the formset at all."""
    if formset is None:
        return None
    rows = []
    for form in formset.forms:
        if not form.cleaned_data:
            continue
        rows.append(
            {
                name: value
                for name, value in form.cleaned_data.items()
                if name in ("id", "DELETE") or form.add_prefix(name) in data
            }
        )
    return rows


@scoped(Plan)
@login_required
def plan_edit(request, pk):
    """Every part of a plan on one page: header, tasks (units, due dates), targets, report
    deadlines, units of "Tổ chức thực hiện". Plain forms: it works without JavaScript."""
    plan = _plan_for(request, pk, Action.MANAGE_UNITS)
    if plan.status != PlanStatus.ACTIVE:
        messages.error(request, _("This plan is no longer in force: it cannot be edited."))
        return redirect("plans:detail", pk=plan.pk)
    initial_header = {
        "number": plan.number,
        "date": plan.issued_on,
        "title": plan.title,
        "issuer": plan.issuer_name,
    }
    initial_tasks = [
        {"id": t.pk, "group": t.group, "text": t.text, "timing": t.timing, "due_year": t.due_year,
         "due_text": t.due_text, "due_date": t.due_date, "output": t.output, "status": t.status,
         "lead": _names(t, AssignmentRole.LEAD), "support": _names(t, AssignmentRole.SUPPORT)}
        for t in plan.tasks.prefetch_related("assignments__unit")
    ]  # fmt: skip
    initial_targets = [
        {"id": t.pk, "indicator": t.indicator_id, "comparator": t.comparator, "value": t.value,
         "unit": t.unit, "year": t.year, "text": t.text}
        for t in plan.targets.all()
    ]  # fmt: skip
    initial_deadlines = [
        {"id": d.pk, "day": d.day, "month": d.month} for d in plan.report_deadlines.all()
    ]
    initial_units = [
        {"id": r.pk, "name": r.name, "unit": r.unit_id, "duties": r.duties}
        for r in plan.responsible_units.all()
    ]
    tree = OrgUnit.objects.filter(
        path__startswith=plan.unit.path, depth__lte=plan.unit.depth + 2
    ).order_by("path")
    data = request.POST if request.method == "POST" else None

    def part(formset_class, prefix, initial, **kwargs):
        # A part the post does not carry (its management form missing) is left as it is.
        if data is not None and f"{prefix}-TOTAL_FORMS" not in data:
            return None
        return formset_class(data, initial=initial, prefix=prefix, **kwargs)

    header = PlanHeaderForm(data, initial=initial_header, prefix="plan")
    tasks = TaskEditFormSet(data, initial=initial_tasks, prefix="tasks")
    targets = part(TargetEditFormSet, "targets", initial_targets)
    deadlines = part(DeadlineEditFormSet, "deadlines", initial_deadlines)
    units = part(ResponsibleUnitEditFormSet, "units", initial_units, form_kwargs={"units": tree})
    parts = [p for p in (header, tasks, targets, deadlines, units) if p is not None]
    if request.method == "POST":
        if all(p.is_valid() for p in parts):
            try:
                services.plan_edit(
                    actor=request.user,
                    plan=plan,
                    header=header.cleaned_data,
                    tasks=_rows_of(tasks, data),
                    targets=_rows_of(targets, data),
                    deadlines=_rows_of(deadlines, data),
                    units=_rows_of(units, data),
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    apply_validation_error(header, error)
                else:
                    messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Changes saved."))
                return redirect("plans:detail", pk=plan.pk)
        else:
            messages.error(request, _("Some items need correcting: see the messages beside them."))
        # Shown again with what was posted; a part the post left out, as saved.
        targets = targets or TargetEditFormSet(initial=initial_targets, prefix="targets")
        deadlines = deadlines or DeadlineEditFormSet(initial=initial_deadlines, prefix="deadlines")
        units = units or ResponsibleUnitEditFormSet(
            initial=initial_units, prefix="units", form_kwargs={"units": tree}
        )
    return render(
        request,
        "plans/plan_edit.html",
        {
            "plan": plan,
            "header": header,
            "tasks": tasks,
            "targets": targets,
            "deadlines": deadlines,
            "units": units,
            "unit_names": [u.name for u in tree],
        },
    )


@scoped(Plan)
@login_required
def plan_withdraw(request, pk, withdraw=None):
    """Withdraw a plan imported by mistake, after a confirmation with the reason. ``withdraw``
    is the service: the project's URLs give the portal's, which also closes the plan's
    reporting periods and takes it out of the assistant."""
    plan = _plan_for(request, pk, Action.MANAGE_UNITS)
    form = PlanWithdrawForm(request.POST or None)
    if plan.status != PlanStatus.ACTIVE:
        messages.info(request, _("This plan is not in force: it was not withdrawn again."))
        return redirect("plans:detail", pk=plan.pk)
    if request.method == "POST" and form.is_valid():
        try:
            (withdraw or services.plan_withdraw)(
                actor=request.user, plan=plan, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "The plan was withdrawn: it is no longer in force and its reports are no longer owed."
                ),
            )
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/plan_withdraw.html", {"plan": plan, "form": form})


@login_required
def plan_create(request):
    units = _managed_units(request.user)
    form = PlanCreateForm(request.POST or None, units=units, initial={"unit": units.first()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                actor=request.user,
                unit=data["unit"],
                number=data["number"],
                title=data["title"],
                issued_on=data["date"],
                issuer=data["issuer"],
                references=[r.strip() for r in data["references"].split(",") if r.strip()],
                key=str(data["submission_key"]) if data.get("submission_key") else None,
            )
        except AlreadySaved as repeat:
            messages.info(request, " ".join(repeat.messages))
            if repeat.existing:
                return redirect("plans:detail", pk=repeat.existing)
            return redirect("plans:list")
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Plan created."))
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form})


def _plan_for(request, pk, action=Action.VIEW) -> Plan:
    return scoped_object(request.user, Plan.objects.select_related("unit"), pk, action)


@scoped(Plan)
@login_required
def task_sheet(request, pk):
    plan = _plan_for(request, pk)
    response = HttpResponse(
        spreadsheets.export_tasks(plan),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{spreadsheets.sheet_filename(plan)}"'
    return response


@scoped(Plan)
@login_required
@require_POST
def task_sheet_upload(request, pk):
    plan = _plan_for(request, pk, Action.MANAGE_UNITS)
    form = TaskTableUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = services.task_sheet_import(
                actor=request.user,
                plan=plan,
                data=read_upload(form.cleaned_data["file"], settings.SHEET_MAX_BYTES),
            )
        except AlreadySaved as repeat:
            messages.info(request, " ".join(repeat.messages))
        except ValidationError as error:
            for message in error.messages[:50]:
                messages.error(request, message)
            if len(error.messages) > 50:
                messages.error(
                    request, _("… and %(n)d more rows.") % {"n": len(error.messages) - 50}
                )
            messages.error(
                request, _("Nothing was changed: correct these rows and upload the sheet again.")
            )
        else:
            messages.success(
                request,
                _("Task table applied: %(updated)d tasks updated, %(created)d added.")
                % {"updated": result.updated, "created": result.created},
            )
    else:
        too_large = [e for e in form.errors.as_data().get("file", []) if e.code == "too_large"]
        messages.error(
            request, too_large[0].messages[0] if too_large else _("Choose an .xlsx file.")
        )
    return redirect("plans:detail", pk=plan.pk)


@login_required
def my_tasks(request):
    tasks = selectors.tasks_for_user(user=request.user)
    return render(request, "plans/my_tasks.html", {"tasks": tasks})


@scoped(OrgUnit)
@login_required
def cascade(request, pk):
    unit = scoped_object(request.user, OrgUnit.objects.all(), pk)
    rows = selectors.cascade_status(viewer=request.user, unit=unit)
    issued = sum(1 for row in rows if row["plans"])
    return render(
        request,
        "plans/cascade.html",
        {
            "unit": unit,
            "rows": rows,
            "issued": issued,
            "share": round(100 * issued / len(rows)) if rows else None,
        },
    )
