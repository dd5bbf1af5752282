"""Writes of the communication network register. Contact details are personal data: kept only
with consent; once consent is withdrawn they are hidden everywhere and no invitation is sent."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.activities.choices import ActivityKind
from lantoa.activities.models import Activity
from lantoa.content.models import Campaign
from lantoa.orgs.audit import audited
from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit, User
from lantoa.orgs.scoping import require

from .models.network import MemberKind, NetworkInvitation, NetworkMember

TEXT_MAX = 255
PHONE = re.compile(r"^\+?[0-9]{8,15}$")


def _require(actor, unit: OrgUnit) -> None:
    require(
        actor,
        Action.RECORD,
        unit,
        _("You cannot change the communication network of %(unit)s.") % {"unit": unit},
    )


def _text(value) -> str:
    return " ".join(str(value or "").split())


def member_check(
    *,
    kind,
    name,
    organisation="",
    field="",
    phone="",
    email="",
    consent_on=None,
    consent_withdrawn_on=None,
) -> dict:
    errors: dict[str, str] = {}
    name, organisation, field = _text(name), _text(organisation), _text(field)
    phone = re.sub(r"[\s.\-()]", "", str(phone or ""))
    email = str(email or "").strip().lower()
    if kind not in MemberKind.values:
        errors["kind"] = _("Choose the kind of member.")
    if not name:
        errors["name"] = _("Enter the member's name.")
    elif len(name) > 200:
        errors["name"] = _("The name is too long.")
    if len(organisation) > TEXT_MAX:
        errors["organisation"] = _("The organisation is too long.")
    if len(field) > TEXT_MAX:
        errors["field"] = _("The field is too long.")
    if phone and not PHONE.match(phone):
        errors["phone"] = _("Enter a phone number of 8 to 15 digits.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid email address.")
    today = timezone.localdate()
    if consent_on is not None and consent_on > today:
        errors["consent_on"] = _("Consent cannot be given in the future.")
    if consent_withdrawn_on is not None:
        if consent_on is None:
            errors["consent_withdrawn_on"] = _("Consent was never given: it cannot be withdrawn.")
        elif consent_withdrawn_on < consent_on:
            errors["consent_withdrawn_on"] = _("Consent is withdrawn before it was given.")
    if (phone or email) and consent_on is None:
        errors["consent_on"] = _(
            "A contact is personal data: record the date the member consented, or leave the "
            "phone and email empty."
        )
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "name": name,
        "organisation": organisation,
        "field": field,
        "phone": phone,
        "email": email,
        "consent_on": consent_on,
        "consent_withdrawn_on": consent_withdrawn_on,
    }


@audited
@transaction.atomic
def member_save(
    *,
    actor: User | None,
    unit: OrgUnit,
    member: NetworkMember | None = None,
    kind: str,
    name: str,
    organisation: str = "",
    field: str = "",
    phone: str = "",
    email: str = "",
    consent_on: datetime.date | None = None,
    consent_withdrawn_on: datetime.date | None = None,
) -> NetworkMember:
    """Add a member to ``unit``'s network or correct one. A member whose consent is withdrawn
    keeps no contact: the phone and email are erased on save."""
    _require(actor, unit)
    if member is not None:
        _require(actor, member.unit)
    checked = member_check(
        kind=kind,
        name=name,
        organisation=organisation,
        field=field,
        phone=phone,
        email=email,
        consent_on=consent_on,
        consent_withdrawn_on=consent_withdrawn_on,
    )
    if checked["consent_withdrawn_on"] is not None:
        checked["phone"] = checked["email"] = ""  # withdrawn: the contact is not kept
    namesake = NetworkMember.objects.filter(
        unit=unit, name__iexact=checked["name"], organisation__iexact=checked["organisation"]
    )
    if member is not None:
        namesake = namesake.exclude(pk=member.pk)
    if namesake.exists():
        raise ValidationError(
            {
                "name": _("%(name)s is already in the network of %(unit)s.")
                % {"name": checked["name"], "unit": unit}
            }
        )
    member = member or NetworkMember(created_by=actor if getattr(actor, "pk", None) else None)
    member.unit = unit
    for key, value in checked.items():
        setattr(member, key, value)
    member.save()
    return member


@audited
@transaction.atomic
def consent_withdraw(*, actor: User | None, member: NetworkMember, on: datetime.date | None = None):
    """The member withdrew consent: the contact is erased and no more invitations are sent."""
    _require(actor, member.unit)
    if member.consent_on is None:
        raise ValidationError(_("Consent was never given: it cannot be withdrawn."))
    member.consent_withdrawn_on = on or timezone.localdate()
    member.phone = member.email = ""
    member.save()
    return member


@audited
@transaction.atomic
def invite(
    *,
    actor: User | None,
    member: NetworkMember,
    campaign: Campaign | None = None,
    activity: Activity | None = None,
    invited_on: datetime.date | None = None,
) -> NetworkInvitation:
    """Invite a member to a campaign or an event (an activity of kind EVENT), once each."""
    _require(actor, member.unit)
    if (campaign is None) == (activity is None):
        raise ValidationError(_("Choose a campaign or an event."))
    if not member.has_consent:
        raise ValidationError(
            _("%(name)s has not consented (or withdrew consent): they cannot be invited.")
            % {"name": member.name}
        )
    if activity is not None and activity.kind != ActivityKind.EVENT:
        raise ValidationError(_("Only an activity of kind event can be an invitation's event."))
    target = {"campaign": campaign} if campaign is not None else {"activity": activity}
    if NetworkInvitation.objects.filter(member=member, **target).exists():
        raise ValidationError(
            _("%(name)s is already invited to %(what)s.")
            % {"name": member.name, "what": campaign or activity}
        )
    return NetworkInvitation.objects.create(
        member=member, invited_on=invited_on or timezone.localdate(), **target
    )


@audited
@transaction.atomic
def engagement_record(
    *,
    actor: User | None,
    invitation: NetworkInvitation,
    attended: bool,
    contributed: bool,
    shared: bool,
) -> NetworkInvitation:
    """What the member did for the campaign or event: attended, contributed content, shared."""
    _require(actor, invitation.member.unit)
    invitation.attended, invitation.contributed, invitation.shared = (
        bool(attended),
        bool(contributed),
        bool(shared),
    )
    invitation.save()
    return invitation
