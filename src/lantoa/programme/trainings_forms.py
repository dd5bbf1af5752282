"""Forms of the trainings register pages (the services check everything again)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.core.uploads import LimitedFileField

from .models.trainings import TrainingFormat


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProgrammeForm(forms.Form):
    unit = forms.ChoiceField(label=_("Organiser unit"))
    title = forms.CharField(label=_("Programme title"), max_length=255)
    topic = forms.CharField(label=_("Topic"), max_length=255, required=False)
    for_communication_staff = forms.BooleanField(
        label=_("For communication staff"), required=False, initial=True
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    format = forms.ChoiceField(label=_("Format"), choices=TrainingFormat.choices)
    hours = forms.DecimalField(
        label=_("Hours"), min_value=0, max_value=10000, decimal_places=1, required=False
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    trainer = forms.CharField(label=_("Trainer"), max_length=255, required=False)


class RegisterSheetForm(forms.Form):
    file = LimitedFileField(label=_("Sheet (.xlsx)"), setting="SHEET_MAX_BYTES")
