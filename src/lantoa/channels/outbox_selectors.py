"""Reading the outbox: scoped to the viewer (a unit sees its outbox, a province its subtree's)."""

from __future__ import annotations

from lantoa.orgs.choices import Action
from lantoa.orgs.scoping import can

from .choices import AccountStatus, OutboxStatus
from .models import ChannelAccount, OutboxEntry


def outbox_list(*, viewer, status: str = ""):
    entries = OutboxEntry.objects.restrict(viewer, Action.VIEW).select_related(
        "item", "account", "account__unit"
    )
    if status in OutboxStatus.values:
        entries = entries.filter(status=status)
    return entries


def item_entries(item):
    return (
        OutboxEntry.objects.filter(item=item)
        .select_related("account", "account__unit")
        .order_by("account__platform", "account__name", "-created_at")
    )


def accounts_for_item(*, viewer, item) -> list[ChannelAccount]:
    """The connected accounts the viewer may send ``item`` to: its unit's and those of the units
    above it, where the viewer approves content."""
    accounts = ChannelAccount.objects.filter(status=AccountStatus.CONNECTED).select_related("unit")
    return [
        account
        for account in accounts
        if item.unit.path.startswith(account.unit.path)
        and (viewer is None or can(viewer, Action.APPROVE_CONTENT, account.unit))
    ]
