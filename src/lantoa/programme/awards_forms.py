from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantoa.core.uploads import LimitedFileField
from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit, Person

from .models.awards import AwardLevel, NominationKind


class NominationForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Nominating unit"), queryset=None)
    kind = forms.ChoiceField(
        label=_("Collective or individual"),
        choices=NominationKind.choices,
        widget=forms.RadioSelect,
    )
    person = forms.ModelChoiceField(
        label=_("Person (for an individual)"), queryset=None, required=False
    )
    year = forms.IntegerField(label=_("Year"))
    achievement = forms.CharField(
        label=_("Achievements"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    proposed_level = forms.ChoiceField(label=_("Proposed level"), choices=AwardLevel.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.restrict(user, Action.RECORD)
        self.fields["person"].queryset = (
            Person.objects.restrict(user, Action.RECORD).current().select_related("unit")
        )
        self.fields["person"].label_from_instance = lambda p: f"{p.full_name} · {p.unit.name}"
        self.fields["year"].initial = timezone.localdate().year


class ReviewForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Review"),
        choices=[("1", _("Accept for a decision")), ("0", _("Do not accept"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    review_note = forms.CharField(label=_("Note"), max_length=1000, required=False)


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=64)
    date = forms.DateField(label=_("Decision date"), widget=forms.DateInput(attrs={"type": "date"}))
    level = forms.ChoiceField(label=_("Level"), choices=AwardLevel.choices)
    record_activity = forms.BooleanField(
        label=_("Record it as an activity of the unit (its evidence)"), required=False, initial=True
    )


class AwardSheetForm(forms.Form):
    file = LimitedFileField(
        setting="SHEET_MAX_BYTES",
        label=_("Nominations sheet (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
