"""Forms of the channel account pages. Token fields are password inputs that never render
their value back: a saved token shows as "saved" only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Platform
from .platforms import CLIENTS

TOKEN_WIDGET = forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"})


class TokensForm(forms.Form):
    access_token = forms.CharField(
        label=_("Access token"), max_length=4096, strip=True, widget=TOKEN_WIDGET
    )
    refresh_token = forms.CharField(
        label=_("Refresh token"),
        max_length=4096,
        strip=True,
        required=False,
        widget=TOKEN_WIDGET,
        help_text=_("Zalo and YouTube give one; Lantoa uses it to renew the access token."),
    )
    expires_in = forms.IntegerField(
        label=_("Access token lifetime (seconds)"),
        required=False,
        min_value=1,
        max_value=10 * 365 * 24 * 3600,
        help_text=_("As the platform states it (Zalo: 90000). Empty: it does not expire."),
    )


class ConnectForm(TokensForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    platform = forms.ChoiceField(label=_("Platform"), choices=())
    remote_id = forms.CharField(
        label=_("Account id on the platform"),
        max_length=128,
        help_text=_("The Page id, the Official Account id (OA ID) or the channel id (UC…)."),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=255,
        required=False,
        help_text=_("Empty: the name the platform gives."),
    )
    answers_questions = forms.BooleanField(
        label=_("Answers citizens' questions (Zalo OA of the assistant)"), required=False
    )

    field_order = [
        "unit", "platform", "remote_id", "name", "access_token", "refresh_token",
        "expires_in", "answers_questions",
    ]  # fmt: skip

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["platform"].choices = [
            (value, label) for value, label in Platform.choices if value in CLIENTS
        ]
        self.order_fields(self.field_order)
