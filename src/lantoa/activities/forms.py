import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ActivityKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.pdf,.docx,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class SheetForm(forms.Form):
    file = forms.FileField(
        label=_("Activities sheet (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class ActivityForm(forms.Form):
    """Quick to fill on a phone: what, when, for which unit and task, the counts, the proof."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("What was done"), max_length=255)
    tasks = forms.ModelMultipleChoiceField(label=_("For the tasks"), queryset=None, required=False)
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

    def __init__(self, *args, units=None, tasks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("submission_key", uuid.uuid4())
        self.fields["unit"].queryset = units
        self.fields["tasks"].queryset = tasks
        self.fields["tasks"].label_from_instance = lambda task: f"{task.plan} · {task.text[:90]}"
        self.initial.setdefault("date", timezone.localdate())

    def clean_links(self):
        links = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        validator = forms.URLField(assume_scheme="https")
        return [validator.clean(link) for link in links]
