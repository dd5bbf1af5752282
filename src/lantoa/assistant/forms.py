from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.core.uploads import LimitedFileField

from .services import MAX_QUESTION


class AskForm(forms.Form):
    q = forms.CharField(
        label=_("Your question"),
        max_length=MAX_QUESTION,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": _("e.g. when do communes report?")}
        ),
    )


class DocumentForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Published by"), queryset=None)
    file = LimitedFileField(
        setting="ASSISTANT_DOCUMENT_MAX_BYTES", label=_("Document (.pdf, .docx, .txt)")
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class FaqForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    question = forms.CharField(label=_("Question"), max_length=500)
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class StaffAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))
    make_faq = forms.BooleanField(
        label=_("Also add it to the FAQ, for the assistant to use from now on"), required=False
    )
