"""Forms of the communication network pages (the services check everything again)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models.network import MemberKind
from .trainings_forms import DateInput


class MemberForm(forms.Form):
    unit = forms.ChoiceField(label=_("Unit"))
    kind = forms.ChoiceField(label=_("Kind"), choices=MemberKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.CharField(label=_("Organisation"), max_length=255, required=False)
    field = forms.CharField(label=_("Field"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    consent_on = forms.DateField(label=_("Consent given on"), required=False, widget=DateInput())
    consent_withdrawn_on = forms.DateField(
        label=_("Consent withdrawn on"), required=False, widget=DateInput()
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
