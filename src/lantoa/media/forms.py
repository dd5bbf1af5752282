from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Consent, Licence


class AssetMetadataForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        required=False,
        help_text=_("Left empty, the title written in the photo, or the file's name."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    author = forms.CharField(label=_("Author"), max_length=255, required=False)
    taken_on = forms.DateField(
        label=_("Date taken or made"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    licence = forms.ChoiceField(label=_("Licence"), choices=Licence.choices)
    rights = forms.CharField(
        label=_("Rights holder and terms"),
        max_length=500,
        required=False,
        help_text=_("Who holds the rights, and any condition of use (credit line…)."),
    )
    consent = forms.ChoiceField(
        label=_("Consent of people shown"), choices=Consent.choices, initial=Consent.NOT_NEEDED
    )
    tags = forms.CharField(
        label=_("Tags"),
        max_length=1000,
        required=False,
        help_text=_("Separated by commas: chuyển đổi số, AI, Bom Bo."),
    )


class AssetUploadForm(AssetMetadataForm):
    """The file is read by the service (size and content checked before it is read whole)."""

    field_order = ["unit", "file"]

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, empty_label=None)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A photo, video, audio recording, document (PDF, Word, Excel, PowerPoint) or design "
            "source file. Author, date, place and caption are read from a photo when left empty."
        ),
    )
    confirm_different = forms.BooleanField(
        label=_("This file is different from the similar ones shown: add it anyway"),
        required=False,
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        # A file is added under a licence in force; withdrawing one is an edit of its page.
        self.fields["licence"].choices = [
            (value, label) for value, label in Licence.choices if value != Licence.WITHDRAWN
        ]


class CollectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    shared_down = forms.BooleanField(
        label=_("Share with every unit below"),
        required=False,
        help_text=_("The communes and units under this unit see the collection and can use it."),
    )


class CollectionCreateForm(CollectionForm):
    field_order = ["unit"]

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, empty_label=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
