"""The outbox pages: the unit's outbox (its subtree's for a province) with each post's status,
reason, link and a retry button; an item's channels: the choice of accounts with a preview per
channel and the sending time, and each channel's status."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lantoa.content.choices import ContentStatus
from lantoa.content.models import ContentItem
from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_object
from lantoa.orgs.scoped_views import scoped
from lantoa.orgs.scoping import can

from . import outbox as services
from . import outbox_selectors as selectors
from .choices import OutboxStatus
from .compose import compose
from .models import OutboxEntry
from .outbox_forms import ChannelChoiceForm


def _fail(request, error) -> None:
    for message in getattr(error, "messages", None) or [str(error)]:
        messages.error(request, message)


@login_required
def outbox(request):
    status = request.GET.get("status", "")
    entries = selectors.outbox_list(viewer=request.user, status=status)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "channels/outbox.html",
        {"page": page, "status": status, "statuses": OutboxStatus.choices},
    )


@scoped(OutboxEntry)
@require_POST
@login_required
def outbox_retry(request, pk):
    entry = scoped_object(
        request.user,
        OutboxEntry.objects.select_related("account__unit", "item"),
        pk,
        Action.APPROVE_CONTENT,
        unit_of=lambda e: e.account.unit,
    )
    try:
        services.outbox_retry(actor=request.user, entry=entry)
    except (ValidationError, PermissionDenied) as error:
        _fail(request, error)
    else:
        if entry.item.status == ContentStatus.PUBLISHED:
            services.outbox_item_published(entry.item)
        messages.success(request, _("The post will be sent again."))
    back = request.POST.get("next", "")
    if back == "item":
        return redirect("channels:item-channels", pk=entry.item_id)
    return redirect("channels:outbox")


@scoped(ContentItem)
@login_required
def item_channels(request, pk):
    item = scoped_object(
        request.user,
        ContentItem.objects.select_related("unit", "live_revision", "latest_revision", "cover"),
        pk,
    )
    may_send = can(request.user, Action.APPROVE_CONTENT, item.unit)
    accounts = selectors.accounts_for_item(viewer=request.user, item=item) if may_send else []
    form = ChannelChoiceForm(request.POST or None, accounts=accounts)
    if request.method == "POST":
        if not may_send:
            raise PermissionDenied
        if form.is_valid():
            chosen = [a for a in accounts if str(a.pk) in form.cleaned_data["accounts"]]
            try:
                services.outbox_queue(
                    actor=request.user,
                    item=item,
                    accounts=chosen,
                    send_at=form.cleaned_data["send_at"],
                )
            except (ValidationError, PermissionDenied) as error:
                _fail(request, error)
            else:
                if item.status == ContentStatus.PUBLISHED:
                    services.outbox_item_published(item)
                messages.success(request, _("The item is in the outbox of the channels chosen."))
                return redirect("channels:item-channels", pk=item.pk)
    revision = item.live_revision or item.latest_revision
    previews = (
        [(account, compose(item, account.platform)) for account in accounts] if revision else []
    )
    return render(
        request,
        "channels/item_channels.html",
        {
            "item": item,
            "form": form,
            "may_send": may_send,
            "previews": previews,
            "entries": selectors.item_entries(item),
            "queueable": item.status in services.QUEUEABLE,
        },
    )
