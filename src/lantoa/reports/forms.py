from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import TaskProgress


class SubmissionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    narrative = forms.CharField(
        label=_("Results"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    difficulties = forms.CharField(
        label=_("Difficulties and obstacles"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    proposals = forms.CharField(
        label=_("Proposals"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    signer_name = forms.CharField(
        label=_("Signed by"),
        required=False,
        max_length=150,
        help_text=_(
            "Full name printed under the signature of the official report; "
            "empty: the name of whoever submits it."
        ),
    )

    def __init__(self, *args, task_rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.task_rows = list(task_rows)
        for row in self.task_rows:
            self.fields[f"status_{row.task_id}"] = forms.ChoiceField(
                label=_("Status"), choices=TaskProgress.choices, initial=row.status
            )
            self.fields[f"narrative_{row.task_id}"] = forms.CharField(
                label=_("What was done"),
                required=False,
                initial=row.narrative,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def task_values(self) -> dict[int, tuple[str, str]]:
        return {
            row.task_id: (
                self.cleaned_data[f"status_{row.task_id}"],
                self.cleaned_data[f"narrative_{row.task_id}"],
            )
            for row in self.task_rows
        }


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What needs changing"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the report is reopened"), widget=forms.Textarea(attrs={"rows": 2})
    )


class EntryForm(forms.Form):
    """A figure nothing in Lantoa computes, typed for the report's period with its source."""

    indicator = forms.ChoiceField(label=_("Indicator"))
    numerator = forms.DecimalField(label=_("Value"), min_value=0, decimal_places=2)
    denominator = forms.DecimalField(
        label=_("Out of (for a share)"), required=False, min_value=0, decimal_places=2
    )
    source = forms.CharField(label=_("Source"), max_length=255)

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = list(indicators)


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.label} · {obj.unit.name}"


class AdHocPlanForm(forms.Form):
    """First step of an ad hoc period: which plan it is asked under (sent by GET)."""

    plan = PlanChoiceField(label=_("Plan"), queryset=None)

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans


class UnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AdHocPeriodForm(forms.Form):
    """An ad hoc (đột xuất) reporting period: its title, span, deadline and who reports."""

    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        help_text=_("For example: Báo cáo đột xuất kết quả triển khai Nghị quyết 57 quý III."),
    )
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    units = UnitsField(
        label=_("Units that report"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Units under the plan's issuing unit."),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units

    def clean(self):
        data = super().clean()
        start, end, deadline = data.get("start"), data.get("end"), data.get("deadline")
        if start and end and start > end:
            self.add_error("end", _("The period ends before it starts."))
        if start and deadline and deadline < start:
            self.add_error("deadline", _("The deadline is before the period starts."))
        return data
