"""The attendance page of an activity: the sign-in sheet, a list of names or the whole unit."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.core.uploads import LimitedFileField, UploadRefused, read_upload
from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_object
from lantoa.orgs.scoped_views import scoped
from lantoa.orgs.scoping import can

from .attendance import attendance_people, attendance_set
from .models import Activity


class AttendanceForm(forms.Form):
    whole_unit = forms.BooleanField(
        label=gettext_lazy("The whole unit attended (everyone on the people lists)"),
        required=False,
    )
    file = LimitedFileField(
        label=gettext_lazy("Sign-in sheet (.xlsx)"), required=False, setting="SHEET_MAX_BYTES"
    )
    people = forms.MultipleChoiceField(
        label=gettext_lazy("Tick who attended"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    names = forms.CharField(
        label=gettext_lazy("Or the names, one a line"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=200_000,
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [
            (str(p.pk), f"{p.full_name}, {p.position}" if p.position else p.full_name)
            for p in people
        ]


@scoped(Activity)
@login_required
def activity_attendance(request, pk):
    activity = scoped_object(request.user, Activity.objects.select_related("unit"), pk)
    can_edit = can(request.user, Action.RECORD, activity.unit)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(
            _("You cannot record activities for %(unit)s.") % {"unit": activity.unit}
        )
    listed = list(attendance_people(activity).order_by("full_name", "pk"))
    form = AttendanceForm(
        request.POST or None,
        request.FILES or None,
        people=listed,
        initial={
            "people": [str(pk) for pk in activity.attendance.values_list("person_id", flat=True)]
        },
    )
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            count = attendance_set(
                actor=request.user,
                activity=activity,
                whole_unit=data["whole_unit"],
                data=read_upload(data["file"], settings.SHEET_MAX_BYTES) if data["file"] else None,
                names=data["names"].splitlines(),
                person_ids=[int(pk) for pk in data["people"]],
            )
        except ValidationError as error:
            errors = error.messages
        except UploadRefused as refused:  # larger than its recorded size said
            errors = [refused.message]
        else:
            messages.success(request, _("Attendance saved: %(n)d people.") % {"n": count})
            return redirect("activities:attendance", pk=activity.pk)
    attendees = activity.attendance.select_related("person__unit").order_by("person__full_name")
    return render(
        request,
        "activities/activity_attendance.html",
        {
            "activity": activity,
            "form": form,
            "errors": errors[:200],
            "attendees": attendees,
            "listed": len(listed),
            "can_edit": can_edit,
        },
    )
