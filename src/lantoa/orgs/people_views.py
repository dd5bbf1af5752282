"""The people list page of a unit: import it from Excel, add or correct one person."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.core.uploads import LimitedFileField
from lantoa.core.views import apply_validation_error
from lantoa.orgs.scoped_views import scoped

from . import people
from .choices import Action, PersonKind
from .filters import scoped_object
from .models import OrgUnit, Person
from .scoping import can


class PeopleSheetForm(forms.Form):
    file = LimitedFileField(label=gettext_lazy("People list (.xlsx)"), setting="SHEET_MAX_BYTES")


class PersonForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=people.NAME_MAX)
    position = forms.CharField(
        label=gettext_lazy("Position"), max_length=people.NAME_MAX, required=False
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=PersonKind.choices)
    is_active = forms.BooleanField(
        label=gettext_lazy("On the current list"), required=False, initial=True
    )


@scoped(OrgUnit)
@login_required
def unit_people(request, pk):
    unit = scoped_object(request.user, OrgUnit, pk)
    can_edit = can(request.user, Action.RECORD, unit)
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not can_edit:
        raise PermissionDenied(_("You cannot change the people list of %(unit)s.") % {"unit": unit})
    sheet_form = PeopleSheetForm(
        request.POST if action == "import" else None, request.FILES if action == "import" else None
    )
    person_form = PersonForm(request.POST if action in ("add", "edit") else None)
    errors: list[str] = []
    if action == "import" and sheet_form.is_valid():
        try:
            result = people.people_import(
                actor=request.user, unit=unit, data=sheet_form.cleaned_data["file"].read()
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("People list saved: %(added)d added, %(updated)d kept, %(left)d left.") % result,
            )
            return redirect("orgs:people", pk=unit.pk)
    elif action in ("add", "edit") and person_form.is_valid():
        person = None
        if action == "edit":
            person = scoped_object(
                request.user,
                Person.objects.filter(unit=unit),
                request.POST.get("person"),
                name="person",
            )
        try:
            people.person_save(
                actor=request.user, unit=unit, person=person, **person_form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(person_form, error)
        else:
            messages.success(request, _("Person saved."))
            return redirect("orgs:people", pk=unit.pk)
    listed = Person.objects.filter(unit=unit).order_by("-is_active", "full_name", "pk")
    return render(
        request,
        "orgs/unit_people.html",
        {
            "unit": unit,
            "people": listed,
            "can_edit": can_edit,
            "sheet_form": sheet_form,
            "person_form": person_form,
            "errors": errors[:200],
            "kinds": PersonKind.choices,
        },
    )


@login_required
def people_template(request):
    response = HttpResponse(
        people.people_template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="danh-sach-can-bo.xlsx"'
    return response
