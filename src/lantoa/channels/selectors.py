"""Reads of channel accounts, through the viewer's scope (never a token)."""

from __future__ import annotations

from django.db.models import QuerySet

from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit, User

from .choices import AccountStatus, Platform
from .models import ChannelAccount


def account_list(*, viewer: User, unit: OrgUnit | None = None) -> QuerySet[ChannelAccount]:
    """The accounts of the units the viewer sees (of ``unit``'s subtree when given)."""
    accounts = ChannelAccount.objects.restrict(viewer, Action.VIEW).select_related("unit")
    if unit is not None:
        accounts = accounts.filter(unit__path__startswith=unit.path)
    return accounts.order_by("unit__path", "platform", "name")


def manageable_units(*, viewer: User) -> QuerySet[OrgUnit]:
    """The units whose accounts the viewer may connect."""
    return OrgUnit.objects.restrict(viewer, Action.MANAGE_CHANNELS).order_by("depth", "path")


def assistant_account(unit: OrgUnit | None = None, oa_id: str = "") -> ChannelAccount | None:
    """The connected Zalo OA the assistant answers through: by the OA's id (a webhook's
    recipient) when given, else the unit's or its nearest ancestor's."""
    accounts = ChannelAccount.objects.filter(
        platform=Platform.ZALO, answers_questions=True, status=AccountStatus.CONNECTED
    ).select_related("unit")
    if oa_id:
        found = accounts.filter(remote_id=oa_id).first()
        if found is not None or unit is None:
            return found
    if unit is None:
        return None
    chain = [unit.path[:end] for end in range(len(unit.path), 0, -OrgUnit.steplen)]
    for path in chain:
        found = accounts.filter(unit__path=path).first()
        if found is not None:
            return found
    return None
