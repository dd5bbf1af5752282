import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantoa.core.uploads import LimitedFileField
from lantoa.plans.widgets import TaskPicker

from .choices import ActivityKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(LimitedFileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.pdf,.docx,.xlsx"}))
        kwargs.setdefault("setting", "EVIDENCE_MAX_BYTES")
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class SheetForm(forms.Form):
    file = LimitedFileField(
        setting="SHEET_MAX_BYTES",
        label=_("Activities sheet (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class ActivityForm(forms.Form):
    """Quick to fill on a phone: what, when, for which unit and task, the counts, the proof."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    kind = forms.ChoiceField(label=_("Activity type"), choices=ActivityKind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("What was done"), max_length=255)
    tasks = forms.ModelMultipleChoiceField(
        label=_("For the tasks"), queryset=None, required=False, widget=TaskPicker
    )
    participants = forms.IntegerField(label=_("Participants"), required=False)
    officials = forms.IntegerField(label=_("Of whom officials"), required=False)
    staff_trained = forms.IntegerField(label=_("Communication staff trained"), required=False)
    audience = forms.IntegerField(label=_("Audience reached"), required=False)
    items = forms.IntegerField(label=_("Items produced"), required=False)
    minutes = forms.IntegerField(label=_("Minutes aired"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        help_text=_("One address per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    files = MultipleFileField(label=_("Photos or documents"), required=False)
    # One key per form shown: the same form posted twice (a double tap, a resent request)
    # saves one activity.
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        units=None,
        tasks=None,
        task_groups=None,
        search_url="",
        evidence=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("submission_key", uuid.uuid4())
        self.fields["unit"].queryset = units
        self.fields["tasks"].queryset = tasks
        self.fields["tasks"].label_from_instance = lambda task: f"{task.plan} · {task.text}"
        self.fields["tasks"].widget.groups = task_groups or []
        self.fields["tasks"].widget.search_url = search_url
        self.initial.setdefault("date", timezone.localdate())
        if evidence is not None:
            # Editing: the evidence already attached can be removed; new links and files add.
            self.fields["links"].label = _("More links")
            self.fields["files"].label = _("More photos or documents")
            self.fields["remove_evidence"] = forms.ModelMultipleChoiceField(
                label=_("Remove this evidence"),
                queryset=evidence,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields["remove_evidence"].label_from_instance = str

    def clean_links(self):
        links = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        validator = forms.URLField(assume_scheme="https")
        return [validator.clean(link) for link in links]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this activity withdrawn?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
