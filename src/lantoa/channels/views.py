"""Pages of the unit's channel accounts: the list (status, expiry, never a token), connect,
reconnect and disconnect (the unit's administrator)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lantoa.core.views import apply_validation_error
from lantoa.orgs import selectors as org_selectors
from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_object, scoped_param
from lantoa.orgs.scoping import can

from . import selectors, services
from .forms import ConnectForm, TokensForm
from .models import ChannelAccount


@login_required
def account_list(request):
    unit = scoped_param(
        request.GET, "unit", request.user, org_selectors.unit_list(viewer=request.user)
    )
    units = selectors.manageable_units(viewer=request.user)
    form = None
    if units.exists():
        form = ConnectForm(
            request.POST or None,
            units=units,
            initial={"unit": unit if unit in units else units.first()},
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only a unit's administrator connects its channel accounts."))
        if form.is_valid():
            try:
                account = services.account_connect(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            except PermissionDenied as error:
                form.add_error("unit", str(error))
            else:
                messages.success(request, _("%(account)s connected.") % {"account": account})
                return redirect("channels:account", account.pk)
    accounts = selectors.account_list(viewer=request.user, unit=unit)[:500]
    return render(
        request,
        "channels/account_list.html",
        {"accounts": accounts, "form": form, "unit": unit},
    )


@login_required
def account_detail(request, pk):
    account = scoped_object(request.user, ChannelAccount.objects.select_related("unit"), pk)
    may_manage = can(request.user, Action.MANAGE_CHANNELS, account.unit)
    form = TokensForm(request.POST or None) if may_manage else None
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied(_("Only a unit's administrator connects its channel accounts."))
        if form.is_valid():
            try:
                services.account_reconnect(actor=request.user, account=account, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("%(account)s reconnected.") % {"account": account})
                return redirect("channels:account", account.pk)
    return render(
        request,
        "channels/account_detail.html",
        {"account": account, "form": form, "may_manage": may_manage},
    )


@login_required
@require_POST
def account_disconnect(request, pk):
    account = scoped_object(request.user, ChannelAccount.objects.select_related("unit"), pk)
    services.account_disconnect(actor=request.user, account=account)
    messages.success(
        request, _("%(account)s disconnected; its tokens are deleted.") % {"account": account}
    )
    return redirect("channels:account", account.pk)
