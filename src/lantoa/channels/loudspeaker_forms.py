"""The loudspeaker pages' forms; every rule is checked again by ``loudspeakers``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.content.models import ContentItem

from .loudspeakers import MAX_MINUTES, MAX_NOTE
from .models import LoudspeakerCluster
from .speech.voices import VOICES


class ClusterForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=_("Unit"))
    name = forms.CharField(label=_("Name"), max_length=255)
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    speakers = forms.IntegerField(
        label=_("Loudspeakers"), min_value=0, max_value=100_000, required=False
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, units=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units


class BulletinFromItemsForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=_("Unit"))
    title = forms.CharField(label=_("Title"), max_length=255)
    items = forms.ModelMultipleChoiceField(
        queryset=ContentItem.objects.none(),
        label=_("Published items it reads"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "touch-choice"}),
    )

    def __init__(self, *args, units=None, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["items"].queryset = items


class AudioMakeForm(forms.Form):
    voice = forms.ChoiceField(
        label=_("Voice"),
        choices=[
            ("espeak", _("Offline voice (espeak-ng)")),
            ("http", _("Natural voice (provider)")),
        ],
        initial="espeak",
    )

    def clean_voice(self):
        voice = self.cleaned_data["voice"]
        if voice not in VOICES:
            raise forms.ValidationError(_("Choose a voice."))
        return voice


class AudioUploadForm(forms.Form):
    file = forms.FileField(label=_("Recorded reading (MP3, OGG, M4A, WAV)"))


class ScheduleForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Airs at"),
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    planned_minutes = forms.IntegerField(
        label=_("Planned minutes"), min_value=1, max_value=MAX_MINUTES, required=False
    )
    clusters = forms.ModelMultipleChoiceField(
        queryset=LoudspeakerCluster.objects.none(),
        label=_("Clusters"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "touch-choice"}),
    )

    def __init__(self, *args, clusters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clusters"].queryset = clusters


class LogForm(forms.Form):
    aired = forms.TypedChoiceField(
        label=_("Did it air?"),
        choices=[("yes", _("Aired")), ("no", _("Did not air"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect(attrs={"class": "touch-choice"}),
    )
    minutes = forms.CharField(
        label=_("Minutes aired"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": MAX_MINUTES}),
    )
    clusters = forms.ModelMultipleChoiceField(
        queryset=LoudspeakerCluster.objects.none(),
        label=_("Clusters that aired it"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "touch-choice"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, clusters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clusters"].queryset = clusters
