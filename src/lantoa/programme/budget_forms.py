from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.core.uploads import LimitedFileField

from .sttasks_choices import EARLIEST_YEAR, LATEST_YEAR, MAX_AMOUNT

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _amount(label):
    return forms.IntegerField(label=label, min_value=0, max_value=MAX_AMOUNT)


class EstimateForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    task = forms.ModelChoiceField(label=_("Plan task"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=EARLIEST_YEAR, max_value=LATEST_YEAR)
    amount = _amount(_("Estimate (VND)"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, units, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["task"].queryset = tasks
        self.fields["task"].label_from_instance = lambda t: f"{t.plan} · {t}"


class AllocationForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=_DATE)
    amount = _amount(_("Amount allocated (VND)"))
    document_number = forms.CharField(label=_("Decision number"), max_length=64, required=False)


class SpendingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=_DATE)
    amount = _amount(_("Amount spent (VND)"))
    description = forms.CharField(label=_("What was paid for"), max_length=500)
    document_number = forms.CharField(label=_("Document number"), max_length=64)
    document_date = forms.DateField(label=_("Document date"), widget=_DATE)
    document_file = LimitedFileField(
        setting="EVIDENCE_MAX_BYTES",
        label=_("Document file (PDF, Word, Excel or picture)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf,.docx,.xlsx"}),
    )
    document_asset = forms.ModelChoiceField(
        label=_("Or a file from the library"), queryset=None, required=False
    )

    def __init__(self, *args, assets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_asset"].queryset = assets
