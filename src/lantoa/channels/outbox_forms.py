from django import forms
from django.utils.translation import gettext_lazy as _


class ChannelChoiceForm(forms.Form):
    """The channels an item goes to, and when (empty: as soon as the item is live)."""

    accounts = forms.MultipleChoiceField(
        label=_("Channels"), widget=forms.CheckboxSelectMultiple, required=True
    )
    send_at = forms.DateTimeField(
        label=_("Send at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
    )

    def __init__(self, *args, accounts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accounts"].choices = [(str(a.pk), str(a)) for a in accounts]
