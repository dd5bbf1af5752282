"""Reads of the communication network register, with contact details masked for those who do
not manage the register and hidden once consent is withdrawn."""

from __future__ import annotations

from lantoa.core.text import fold
from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoping import can

from .models.network import NetworkMember


def members_for(user, query: str = "", kind: str = ""):
    members = NetworkMember.objects.restrict(user, Action.VIEW).select_related("unit")
    for word in fold(query or "").split()[:8]:
        members = members.filter(search__contains=word)
    if kind:
        members = members.filter(kind=kind)
    return members.order_by("name", "pk")


def units_to_record(user):
    return OrgUnit.objects.restrict(user, Action.RECORD).order_by("path")


def mask(value: str) -> str:
    """ "0912345678" → "09••••••78", "an@x.vn" → "a•@x.vn"."""
    if not value:
        return ""
    if "@" in value:
        local, _at, domain = value.partition("@")
        return f"{local[:1]}{'•' * max(1, len(local) - 1)}@{domain}"
    return f"{value[:2]}{'•' * max(1, len(value) - 4)}{value[-2:]}"


def contact_of(user, member: NetworkMember, *, full: bool | None = None) -> dict:
    """The contact as ``user`` may see it: nothing without consent, in full for those who
    manage the member's unit, masked for everyone else."""
    if not member.has_consent:
        return {"phone": "", "email": "", "hidden": True}
    if full is None:
        full = can(user, Action.RECORD, member.unit)
    if full:
        return {"phone": member.phone, "email": member.email, "hidden": False}
    return {"phone": mask(member.phone), "email": mask(member.email), "hidden": False}
