"""A person's own pages: the notification inbox and the profile with the e-mail preference."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import notifications
from .filters import BadParameter, parse_id


class PreferenceForm(forms.Form):
    email_notifications = forms.BooleanField(
        label=gettext_lazy("Also send my notifications by e-mail"),
        required=False,
        help_text=gettext_lazy(
            "Returned, approved and overdue reports, tasks assigned to your unit and deadlines "
            "near. They always appear in your inbox on the home page."
        ),
    )


@login_required
def notification_list(request):
    page = Paginator(notifications.inbox(user=request.user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/notifications.html",
        {"page": page, "unread": request.user.unread_notice_count},
    )


@login_required
@require_POST
def notification_read(request):
    """Mark one notice (``id``) read, or all of them when the form says so (``all``, the "Mark
    all as read" button); only the person's own are touched. A missing or malformed ``id``
    otherwise is a 400: it never falls back to marking everything."""
    mark_all = bool(request.POST.get("all"))
    notice_id = None if mark_all else parse_id(request.POST.get("id"), "id")
    if not mark_all and notice_id is None:
        raise BadParameter("id")
    count = notifications.mark_read(user=request.user, pk=notice_id)
    if mark_all:
        messages.success(request, _("All notifications marked as read."))
    elif not count:
        messages.info(request, _("This notification was already read."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "notifications"
    return redirect(target)


@login_required
def profile(request):
    form = PreferenceForm(
        # Bound on every POST: an unticked box posts nothing, and that means "no".
        request.POST if request.method == "POST" else None,
        initial={"email_notifications": request.user.email_notifications},
    )
    if request.method == "POST" and form.is_valid():
        notifications.preference_set(
            user=request.user, email=form.cleaned_data["email_notifications"]
        )
        messages.success(request, _("Your preferences are saved."))
        return redirect("profile")
    return render(request, "orgs/profile.html", {"form": form})
