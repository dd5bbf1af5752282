from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.core.uploads import LimitedFileField

from .sttasks_choices import EARLIEST_YEAR, LATEST_YEAR, MAX_AMOUNT, STTaskLevel, STTaskStatus

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class STTaskForm(forms.Form):
    """One task, quick to fill on a phone; the service checks it again (the API and the sheet
    share its checks)."""

    unit = forms.ModelChoiceField(label=_("Host unit"), queryset=None)
    code = forms.CharField(label=_("Task code"), max_length=64)
    title = forms.CharField(label=_("Title"), max_length=500)
    level = forms.ChoiceField(label=_("Level"), choices=STTaskLevel.choices)
    host_organisation = forms.CharField(label=_("Host organisation"), max_length=255)
    lead_researcher = forms.CharField(label=_("Lead researcher"), max_length=255, required=False)
    budget = forms.IntegerField(
        label=_("Budget (VND)"), required=False, min_value=0, max_value=MAX_AMOUNT
    )
    start_year = forms.IntegerField(
        label=_("Start year"), min_value=EARLIEST_YEAR, max_value=LATEST_YEAR
    )
    end_year = forms.IntegerField(
        label=_("End year"), min_value=EARLIEST_YEAR, max_value=LATEST_YEAR
    )
    status = forms.ChoiceField(label=_("Status"), choices=STTaskStatus.choices)
    registered = forms.BooleanField(
        label=_("Registered in the national S&T information system"), required=False
    )
    registration_number = forms.CharField(
        label=_("Registration number"), max_length=64, required=False
    )
    registration_date = forms.DateField(label=_("Registration date"), required=False, widget=_DATE)
    secret = forms.BooleanField(
        label=_("State secret (never shown on any public page)"), required=False
    )
    content_items = forms.ModelMultipleChoiceField(
        label=_("Content that communicated it"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    activities = forms.ModelMultipleChoiceField(
        label=_("Events that communicated it"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, units, content_items, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["content_items"].queryset = content_items
        self.fields["activities"].queryset = activities

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "code",
                "title",
                "level",
                "host_organisation",
                "lead_researcher",
                "budget",
                "start_year",
                "end_year",
                "status",
                "registered",
                "registration_number",
                "registration_date",
                "secret",
            )
        }


class SheetForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Host unit"), queryset=None)
    file = LimitedFileField(
        setting="SHEET_MAX_BYTES",
        label=_("Sheet (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
