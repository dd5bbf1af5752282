from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lantoa.indicators.catalogue import STANDARD_INDICATORS
from lantoa.programme.models.awards import AwardLevel

from .choices import Scale, ScoringMethod, TieRule

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class SetForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    total_points = forms.DecimalField(
        label=_("Total points"), min_value=1, max_digits=7, decimal_places=2, initial=100
    )
    tie_rule = forms.ChoiceField(label=_("Ties"), choices=TieRule.choices)
    tie_breakers = forms.CharField(
        label=_("Tie-breaking criteria (codes, in order)"),
        required=False,
        max_length=200,
        help_text=_("Separated by commas, e.g. 1.1, 2.3"),
    )
    contest_from = forms.DateField(label=_("Contest window opens"), required=False, **DATE)
    contest_until = forms.DateField(label=_("Contest window closes"), required=False, **DATE)

    def clean_tie_breakers(self):
        text = self.cleaned_data["tie_breakers"]
        return [c.strip() for c in text.split(",") if c.strip()]


class NewSetForm(SetForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    adopts = forms.ModelChoiceField(label=_("Adopts the set"), queryset=None, required=False)

    field_order = ["unit", "year", "title", "adopts"]

    def __init__(self, *args, units, adoptable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["adopts"].queryset = adoptable


class GroupForm(forms.Form):
    title = forms.CharField(label=_("Group title"), max_length=255)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)


def parse_bands(text: str) -> list:
    """ "1:20; 3:40" → [["1", "20"], ["3", "40"]]."""
    bands = []
    for part in (text or "").replace("\n", ";").split(";")[:21]:
        part = part.strip()
        if not part:
            continue
        if ":" not in part:
            raise ValidationError(_("Write each band as threshold:points, separated by ;"))
        threshold, points = part.split(":", 1)
        bands.append([threshold.strip(), points.strip()])
    return bands


class CriterionForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Group"), queryset=None)
    code = forms.CharField(label=_("Code"), max_length=32)
    title = forms.CharField(label=_("Criterion"), max_length=500)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)
    max_points = forms.DecimalField(
        label=_("Maximum points"), min_value=0, max_digits=7, decimal_places=2
    )
    method = forms.ChoiceField(label=_("Scored"), choices=ScoringMethod.choices)
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    indicator_year = forms.IntegerField(
        label=_("Indicator year"), required=False, min_value=2000, max_value=2100
    )
    scale = forms.ChoiceField(label=_("Scale"), required=False, choices=[("", "—"), *Scale.choices])
    bands = forms.CharField(
        label=_("Bands"),
        required=False,
        max_length=500,
        help_text=_("threshold:points; e.g. 1:20; 3:40; 5:60"),
    )
    target = forms.DecimalField(
        label=_("Target"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    guidance = forms.CharField(
        label=_("What the reviewer looks for"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["indicator"].choices = [("", "—")] + [
            (s.code, s.name) for s in STANDARD_INDICATORS
        ]

    def clean_bands(self):
        return parse_bands(self.cleaned_data["bands"])


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the scores are reopened"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NominateForm(forms.Form):
    """The top-N units of a published run, nominated for an award."""

    top_n = forms.IntegerField(
        label=_("Units to nominate (the first N ranked, ties included)"),
        min_value=1,
        max_value=50,
        initial=3,
    )
    level = forms.ChoiceField(
        label=_("Proposed award"), choices=AwardLevel.choices, initial=AwardLevel.COMMUNE_CHAIR
    )


class ReviewForm(forms.Form):
    points = forms.DecimalField(label=_("Points"), min_value=0, max_digits=7, decimal_places=2)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ContestForm(forms.Form):
    text = forms.CharField(
        label=_("Why the score is contested"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EvidenceForm(forms.Form):
    url = forms.URLField(label=_("Evidence link"), required=False, max_length=500)
    activities = forms.ModelMultipleChoiceField(
        label=_("Activities as evidence"), queryset=None, required=False
    )

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].queryset = activities


class AnswerForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Accept the contest")), ("0", _("Refuse the contest"))],
        coerce=lambda v: v == "1",
    )
    answer = forms.CharField(
        label=_("Answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
