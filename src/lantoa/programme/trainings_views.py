"""Pages of the trainings register: list (search without diacritics), create/edit, detail with
sessions and trainees, the .xlsx export and import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lantoa.core.views import apply_validation_error
from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_object
from lantoa.orgs.scoped_views import scoped
from lantoa.orgs.scoping import can

from . import trainings_services as services
from .models.trainings import TrainingProgramme, TrainingSession
from .sheets import xlsx_response
from .trainings_forms import ProgrammeForm, RegisterSheetForm, SessionForm
from .trainings_selectors import distinct_trained, programmes_for, trainees_of, units_to_record
from .trainings_sheets import export_programmes, import_programmes, programmes_template


@login_required
def registers(request):
    return render(request, "programme/registers.html", {})


@login_required
def training_list(request):
    query = request.GET.get("q", "")[:100]
    page = Paginator(programmes_for(request.user, query), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "programme/training_list.html",
        {"page": page, "q": query, "can_record": units_to_record(request.user).exists()},
    )


def _programme_fields(form, units) -> dict:
    data = dict(form.cleaned_data)
    data["unit"] = next(u for u in units if str(u.pk) == str(data["unit"]))
    data["hours"] = data.get("hours") or 0
    return data


@login_required
def training_create(request):
    units = list(units_to_record(request.user))
    if not units:
        raise PermissionDenied(_("You cannot record trainings for any unit."))
    form = ProgrammeForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_save(
                actor=request.user, **_programme_fields(form, units)
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Training programme saved."))
            return redirect("programme:training", pk=programme.pk)
    return render(request, "programme/training_form.html", {"form": form, "programme": None})


@scoped(TrainingProgramme)
@login_required
def training_edit(request, pk):
    programme = scoped_object(request.user, TrainingProgramme, pk, Action.RECORD)
    units = list(units_to_record(request.user))
    initial = {
        "unit": programme.unit_id,
        "title": programme.title,
        "topic": programme.topic,
        "for_communication_staff": programme.for_communication_staff,
        "starts_on": programme.starts_on,
        "ends_on": programme.ends_on,
        "format": programme.format,
        "hours": programme.hours,
    }
    form = ProgrammeForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_save(
                actor=request.user, programme=programme, **_programme_fields(form, units)
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Training programme saved."))
            return redirect("programme:training", pk=programme.pk)
    return render(request, "programme/training_form.html", {"form": form, "programme": programme})


@scoped(TrainingProgramme)
@login_required
def training_detail(request, pk):
    programme = scoped_object(request.user, TrainingProgramme, pk)
    can_edit = can(request.user, Action.RECORD, programme.unit)
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not can_edit:
        raise PermissionDenied(
            _("You cannot change the trainings register of %(unit)s.") % {"unit": programme.unit}
        )
    session_form = SessionForm(request.POST if action == "session" else None)
    errors: list[str] = []
    if action == "session" and session_form.is_valid():
        try:
            services.session_save(
                actor=request.user, programme=programme, **session_form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(session_form, error)
        else:
            messages.success(request, _("Session saved."))
            return redirect("programme:training", pk=programme.pk)
    elif action in ("trainees", "record"):
        session = scoped_object(
            request.user,
            TrainingSession.objects.filter(programme=programme),
            request.POST.get("session"),
            name="session",
        )
        try:
            if action == "trainees":
                services.trainees_set(
                    actor=request.user,
                    session=session,
                    person_ids=request.POST.getlist("person")[:2001],
                    completed_ids=request.POST.getlist("completed")[:2001],
                    absent_ids=request.POST.getlist("absent")[:2001],
                )
                messages.success(request, _("Trainees saved."))
            else:
                services.session_record_activity(actor=request.user, session=session)
                messages.success(request, _("The session is recorded as an activity."))
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect("programme:training", pk=programme.pk)
    sessions = []
    people = list(services.eligible_people(programme).select_related("unit")[:2000])
    for session in programme.sessions.select_related("activity"):
        trainees = {t.person_id: t for t in trainees_of(session)}
        sessions.append(
            {
                "session": session,
                "trainees": list(trainees.values()),
                "choices": [(p, trainees.get(p.pk)) for p in people],
            }
        )
    return render(
        request,
        "programme/training_detail.html",
        {
            "programme": programme,
            "sessions": sessions,
            "can_edit": can_edit,
            "session_form": session_form,
            "errors": errors[:100],
            "trained": distinct_trained(programme.unit),
        },
    )


@login_required
def training_export(request):
    programmes = programmes_for(request.user, request.GET.get("q", "")[:100])
    return xlsx_response(export_programmes(programmes), "chuong-trinh-dao-tao.xlsx")


@login_required
def training_import(request):
    if not units_to_record(request.user).exists():
        raise PermissionDenied(_("You cannot record trainings for any unit."))
    if request.GET.get("template"):
        return xlsx_response(programmes_template(), "mau-chuong-trinh-dao-tao.xlsx")
    form = RegisterSheetForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            created = import_programmes(actor=request.user, data=form.cleaned_data["file"].read())
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request, _("%(n)d training programmes imported.") % {"n": len(created)}
            )
            return redirect("programme:trainings")
    return render(
        request,
        "programme/register_import.html",
        {
            "form": form,
            "errors": errors[:200],
            "title": _("Import training programmes"),
            "back": "programme:trainings",
            "template_url": "?template=1",
        },
    )
