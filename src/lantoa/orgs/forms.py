"""Forms for units and people. They only parse input; the services decide and write."""

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .choices import USER_KINDS, Role, UnitKind
from .validators import unit_code_validator


class UnitForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("Must be unique, for example 25405-VHXH."),
        validators=[unit_code_validator],
    )
    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=USER_KINDS)

    def __init__(self, *args, administrative: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if administrative:
            # Named by the national list: shown, not editable.
            self.fields["kind"].choices = UnitKind.choices
            self.fields["kind"].disabled = True
            self.fields["code"].disabled = True
            self.fields["name"].disabled = True


class UnitMoveForm(forms.Form):
    new_parent = forms.CharField(
        label=_("New parent unit code"),
        max_length=32,
        help_text=_("The code of the unit to move this one under."),
    )


class MemberAddForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, required=False, help_text=_("Only for a new account.")
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Only for a new account: the person receives a link to set a password."),
    )


class UnitSearchForm(forms.Form):
    q = forms.CharField(label=_("Search units"), max_length=100, required=False)


class InvitationForm(PasswordResetForm):
    """Sends a new account its first set-password link (the reset form skips accounts that
    have no usable password yet, which is exactly what a new account is)."""

    def __init__(self, user):
        super().__init__({"email": user.email})
        self.invited = user

    def get_users(self, email):
        return [self.invited] if self.invited.is_active and self.invited.email else []

    def send(self, request) -> None:
        if self.is_valid():
            self.save(
                request=request,
                use_https=request.is_secure(),
                subject_template_name="registration/invitation_subject.txt",
                email_template_name="registration/invitation_email.txt",
            )
