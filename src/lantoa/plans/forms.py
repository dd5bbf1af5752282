"""Forms of the plans pages: upload, review of what the importer understood, hand entry."""

import datetime
import uuid

from django import forms
from django.conf import settings
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from lantoa.core.uploads import LimitedFileField
from lantoa.indicators.models import Indicator
from lantoa.orgs.choices import USER_KINDS, UnitKind
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.validators import unit_code_validator

from .choices import Comparator, TargetUnit, TaskStatus, Timing


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class PlanUploadForm(forms.Form):
    unit = UnitChoiceField(label=_("Issuing unit"), queryset=None)
    file = forms.FileField(
        label=_("Plan document"),
        help_text=_("A .docx, .pdf (scanned is fine) or .txt file of the plan."),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.txt"}),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.PLAN_MAX_BYTES
        if upload.size > limit:
            # Refused before reading it into memory.
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the largest accepted is %(limit)d MB.")
                % {"size": upload.size / (1024 * 1024), "limit": limit // (1024 * 1024)}
            )
        return upload


class PlanHeaderForm(forms.Form):
    number = forms.CharField(label=_("Number and symbol"), max_length=64, required=False)
    date = forms.DateField(
        label=_("Issue date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    title = forms.CharField(label=_("Title"), widget=forms.Textarea(attrs={"rows": 3}))
    issuer = forms.CharField(
        label=_("Issued by"),
        max_length=255,
        required=False,
        help_text=_(
            "As written on the document, for example Thủ tướng Chính phủ or UBND tỉnh Đồng Nai; "
            "empty: the unit that follows it."
        ),
    )


class PlanReportingForm(forms.Form):
    """On the review of an imported plan: whether the reporting periods already past are opened."""

    open_past_periods = forms.BooleanField(
        label=_("Also open the reporting periods whose deadline has already passed"),
        required=False,
        initial=False,
        help_text=_(
            "Reports are owed from the plan's issue date. Left unticked, only the periods whose "
            "deadline is still ahead are opened, so the units below are not shown late for "
            "reports they could not have sent."
        ),
    )


class PlanCreateForm(PlanHeaderForm):
    unit = UnitChoiceField(label=_("Issuing unit"), queryset=None)
    references = forms.CharField(
        label=_("Implements (document numbers)"),
        required=False,
        help_text=_("Separated by commas, for example 1169/QĐ-TTg, 45/KH-UBND."),
    )

    # One key per form shown: the same form posted twice creates one plan.
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("submission_key", uuid.uuid4())
        self.fields["unit"].queryset = units
        self.order_fields(
            ["unit", "number", "date", "issuer", "title", "references", "submission_key"]
        )


class HiddenNumberField(forms.Field):
    """A number the server put in a hidden field (a span in the source text, a confidence):
    sent back altered, not a number or out of ``[0, maximum]``, it is dropped (None), never
    an error the reviewer could not see or fix."""

    widget = forms.HiddenInput

    def __init__(self, *, maximum: float = 2_147_483_647, integer: bool = True, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.maximum, self.integer = maximum, integer

    def to_python(self, value):
        try:
            number = int(str(value).strip()) if self.integer else float(str(value).strip())
        except (TypeError, ValueError, OverflowError):
            return None
        return number if 0 <= number <= self.maximum else None


class TargetReviewForm(forms.Form):
    keep = forms.BooleanField(label=_("Keep"), required=False, initial=True)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    comparator = forms.ChoiceField(
        label=_("Comparator"), choices=[("", "—"), *Comparator.choices], required=False
    )
    value = forms.DecimalField(
        label=_("Value"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    unit = forms.ChoiceField(
        label=_("Unit"), choices=[("", "—"), *TargetUnit.choices], required=False
    )
    text = forms.CharField(label=_("Target"), widget=forms.Textarea(attrs={"rows": 2}))
    span_start = HiddenNumberField()
    span_end = HiddenNumberField()
    confidence = HiddenNumberField(maximum=1, integer=False)

    def clean(self):
        data = super().clean()
        value, unit = data.get("value"), data.get("unit")
        if value is not None and unit == TargetUnit.PERCENT and value > 100:
            self.add_error("value", _("A percentage cannot be over 100."))
        if value is not None and not unit:
            self.add_error("unit", _("Say whether the value is a percentage or a count."))
        return data


class OnceNeedsYearMixin:
    def clean(self):
        data = super().clean()
        if data.get("timing") == Timing.ONCE and not data.get("due_year"):
            self.add_error("due_year", _("A one-off task needs the year it is due."))
        return data


class TaskReviewForm(OnceNeedsYearMixin, forms.Form):
    keep = forms.BooleanField(label=_("Keep"), required=False, initial=True)
    group = forms.CharField(label=_("Group"), max_length=16, required=False)
    group_title = forms.CharField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 3}))
    timing = forms.ChoiceField(
        label=_("Timing"), choices=[("", "—"), *Timing.choices], required=False
    )
    due_year = forms.IntegerField(
        label=_("Due year"), required=False, min_value=2000, max_value=2100
    )
    due_text = forms.CharField(label=_("Due date as written"), max_length=64, required=False)
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    lead = forms.CharField(label=_("Lead unit"), required=False)
    support = forms.CharField(
        label=_("Coordinating units"), required=False, help_text=_("Separated by semicolons.")
    )
    output = forms.CharField(label=_("Expected output"), required=False)
    span_start = HiddenNumberField()
    span_end = HiddenNumberField()
    confidence = HiddenNumberField(maximum=1, integer=False)


class UnitProposalForm(forms.Form):
    """A unit named in the plan that is not in the org tree: create it, or leave it unlinked."""

    name = forms.CharField(label=_("Name in the plan"), max_length=255)
    create = forms.BooleanField(label=_("Create this unit"), required=False)
    code = forms.CharField(
        label=_("New unit's code"),
        max_length=32,
        required=False,
        validators=[unit_code_validator],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=USER_KINDS, initial=UnitKind.OFFICE, required=False
    )
    duties = forms.CharField(widget=forms.HiddenInput, required=False)
    span_start = HiddenNumberField()
    span_end = HiddenNumberField()

    def clean(self):
        data = super().clean()
        if data.get("create") and not data.get("code"):
            self.add_error("code", _("Give the new unit a code."))
        return data


TargetFormSet = formset_factory(TargetReviewForm, extra=0)
TaskFormSet = formset_factory(TaskReviewForm, extra=0)
UnitProposalFormSet = formset_factory(UnitProposalForm, extra=0)


class TaskTableUploadForm(forms.Form):
    file = LimitedFileField(
        setting="SHEET_MAX_BYTES",
        label=_("Task table (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


# Bounds of what one edit page posts (the services refuse more, see plans.services.MAX_*).
TEXT_MAX = 4000
NAMES_MAX = 2000


def _id_field():
    return forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=2**63 - 1
    )


class TaskEditForm(OnceNeedsYearMixin, forms.Form):
    """One task of a plan edited by hand."""

    id = _id_field()
    group = forms.CharField(label=_("Group"), max_length=16, required=False)
    text = forms.CharField(
        label=_("Task"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    timing = forms.ChoiceField(
        label=_("Timing"), choices=[("", "—"), *Timing.choices], required=False
    )
    due_year = forms.IntegerField(
        label=_("Due year"), required=False, min_value=2000, max_value=2100
    )
    due_text = forms.CharField(
        label=_("Due date as written"),
        max_length=64,
        required=False,
        help_text=_("For example Quý IV/2025 or tháng 6/2026."),
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    lead = forms.CharField(
        label=_("Lead unit"),
        max_length=NAMES_MAX,
        required=False,
        widget=forms.TextInput(attrs={"list": "unit-names"}),
    )
    support = forms.CharField(
        label=_("Coordinating units"),
        max_length=NAMES_MAX,
        required=False,
        help_text=_("Separated by semicolons."),
        widget=forms.TextInput(attrs={"list": "unit-names"}),
    )
    output = forms.CharField(label=_("Expected output"), max_length=TEXT_MAX, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)

    def has_changed(self):
        # An empty row for a new task always posts the status its select shows: nobody typed
        # in it, so it is left out, instead of failing the whole page for its missing text.
        return bool(set(self.changed_data) - {"status"})


def _bounded(form, extra, limit):
    return formset_factory(
        form, extra=extra, can_delete=True, max_num=limit, validate_max=True, absolute_max=limit
    )


class TargetEditForm(forms.Form):
    """One target of a plan edited by hand."""

    id = _id_field()
    indicator = forms.ModelChoiceField(
        label=_("Indicator"), queryset=Indicator.objects.all(), required=False, empty_label="—"
    )
    comparator = forms.ChoiceField(
        label=_("Comparator"), choices=[("", "—"), *Comparator.choices], required=False
    )
    value = forms.DecimalField(
        label=_("Value"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    unit = forms.ChoiceField(
        label=_("Unit"), choices=[("", "—"), *TargetUnit.choices], required=False
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    text = forms.CharField(
        label=_("Target"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        value, unit = data.get("value"), data.get("unit")
        if value is not None and unit == TargetUnit.PERCENT and value > 100:
            self.add_error("value", _("A percentage cannot be over 100."))
        if value is not None and not unit:
            self.add_error("unit", _("Say whether the value is a percentage or a count."))
        return data


class DeadlineEditForm(forms.Form):
    """One yearly report deadline ("trước ngày 10/6")."""

    id = _id_field()
    day = forms.IntegerField(label=_("Day"), min_value=1, max_value=31)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12)

    def clean(self):
        data = super().clean()
        day, month = data.get("day"), data.get("month")
        if day and month:
            try:
                datetime.date(2024, month, day)
            except ValueError:
                self.add_error("day", _("%(day)d/%(month)d is not a date.") % data)
        return data


class ResponsibleUnitEditForm(forms.Form):
    """A unit of "Tổ chức thực hiện": its name as written, its unit in the tree, its duties."""

    id = _id_field()
    name = forms.CharField(label=_("Name as written"), max_length=255)
    unit = UnitChoiceField(label=_("Unit in Lantoa"), queryset=None, required=False)
    duties = forms.CharField(
        label=_("Duties"),
        max_length=TEXT_MAX * 4,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.none()
        self.fields["unit"].empty_label = _("— not linked —")


TaskEditFormSet = _bounded(TaskEditForm, 2, 500)
TargetEditFormSet = _bounded(TargetEditForm, 1, 200)
DeadlineEditFormSet = _bounded(DeadlineEditForm, 1, 12)
ResponsibleUnitEditFormSet = _bounded(ResponsibleUnitEditForm, 1, 200)


class PlanWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the plan withdrawn?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept on the plan's record with your name, for example: wrong file uploaded."),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand: the plan leaves force, its reporting periods close and the "
            "assistant no longer answers from it."
        ),
        required=True,
    )
