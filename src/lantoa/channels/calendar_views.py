"""The calendar's pages and its iCalendar feeds (``/channels/calendar/``, a campaign's page,
``/u/<code>/calendar.ics`` for the public, a secret address for staff)."""

from __future__ import annotations

import datetime
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_POST, require_safe

from lantoa.activities.models import Activity
from lantoa.content.forms import CampaignForm
from lantoa.content.models import Campaign, ContentItem
from lantoa.content.public_selectors import public_unit
from lantoa.core.errors import ShownBadRequest
from lantoa.core.views import apply_validation_error
from lantoa.orgs import public_cache
from lantoa.orgs import selectors as org_selectors
from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_object, scoped_param
from lantoa.orgs.scoped_views import public, scoped
from lantoa.orgs.scoping import can

from . import calendar, calendar_services
from .models import CalendarFeed

FEED_BEFORE = 60  # days of the past a feed carries
FEED_AFTER = 330  # days of the future
FEED_TIMEOUT = 300
MAX_AGE = 300


def _month(text) -> datetime.date:
    today = timezone.localdate()
    text = str(text or "").strip()[:10]
    if not text:
        return today.replace(day=1)
    try:
        year, month = (int(part) for part in text.split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        raise ShownBadRequest(_("“month” must be a month written as YYYY-MM.")) from None


def _next_month(first: datetime.date) -> datetime.date:
    return (first + datetime.timedelta(32)).replace(day=1)


def _unit(request):
    units = org_selectors.unit_list(viewer=request.user).order_by("depth", "path")
    unit = scoped_param(request.GET, "unit", request.user, units) or units.first()
    if unit is None:
        raise PermissionDenied(_("You are not a member of any unit."))
    return unit


@login_required
@require_safe
def calendar_month(request):
    """A month of the unit's calendar, a list by day on a phone and a grid on a wide screen;
    ``?start=&end=`` shows any range (at most calendar.MAX_DAYS days) as a list."""
    unit = _unit(request)
    ranged = "start" in request.GET or "end" in request.GET
    try:
        if ranged:
            start, end = calendar.parse_range(request.GET.get("start"), request.GET.get("end"))
            first = start.replace(day=1)
        else:
            first = _month(request.GET.get("month"))
            start, end = first, _next_month(first) - datetime.timedelta(1)
        found = calendar.events(unit, start, end, public=False)
    except ValidationError as error:
        raise ShownBadRequest(" ".join(error.messages)) from None
    days = calendar.by_day(found, start, end)
    # The grid: weeks from Monday; days outside the month are blank cells.
    weeks, week = [], [None] * start.weekday()
    for day, day_events in days.items():
        week.append((day, day_events))
        if len(week) == 7:
            weeks.append(week)
            week = []
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    previous = (first - datetime.timedelta(1)).replace(day=1)
    feeds = CalendarFeed.objects.filter(
        user=request.user, unit=unit, revoked_at__isnull=True
    ).order_by("-created_at")
    return render(
        request,
        "channels/calendar/month.html",
        {
            "unit": unit,
            "units": org_selectors.unit_list(viewer=request.user).order_by("depth", "path")[:200],
            "first": first,
            "start": start,
            "end": end,
            "ranged": ranged,
            "previous": previous,
            "next": _next_month(first),
            "days": [(day, evs) for day, evs in days.items() if evs],
            "weeks": weeks,
            "today": timezone.localdate(),
            "kinds": [(kind, label) for kind, label in calendar.EventKind.LABELS.items()],
            "feeds": feeds,
            "can_create": can(request.user, Action.EDIT_CONTENT, unit),
            "public_feed": request.build_absolute_uri(
                reverse("channels-public-calendar", args=[unit.code])
            ),
        },
    )


@login_required
def campaign_new(request):
    """A campaign created from the calendar (content's campaign, all its fields)."""
    units = org_selectors.unit_list(viewer=request.user, action=Action.EDIT_CONTENT).order_by(
        "depth", "path"
    )
    # A unit the person sees but does not write for is a 403; one out of scope a 404.
    unit = (
        scoped_param(
            request.GET,
            "unit",
            request.user,
            org_selectors.unit_list(viewer=request.user),
            Action.EDIT_CONTENT,
        )
        or units.first()
    )
    if unit is None:
        raise PermissionDenied(_("You do not write content for any unit."))
    day = None
    if request.GET.get("date"):
        try:
            day = datetime.date.fromisoformat(request.GET["date"][:10])
        except ValueError:
            raise ShownBadRequest(_("“date” must be a date written as YYYY-MM-DD.")) from None
    form = CampaignForm(
        request.POST or None,
        units=units,
        initial={"unit": unit, "starts_on": day, "ends_on": day},
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = calendar_services.campaign_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error("unit", str(error))
        else:
            messages.success(request, _("Campaign created."))
            return redirect("channels:campaign", campaign.pk)
    return render(request, "channels/calendar/campaign_form.html", {"form": form, "unit": unit})


@login_required
@scoped(Campaign)
def campaign_detail(request, pk):
    campaign = scoped_object(request.user, Campaign.objects.select_related("unit"), pk)
    can_edit = can(request.user, Action.EDIT_CONTENT, campaign.unit)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("You do not have permission to do this."))
        if "unlink" in request.POST:
            activity = scoped_object(
                request.user, Activity.objects.all(), request.POST["unlink"], name="unlink"
            )
            calendar_services.campaign_unlink_activity(
                actor=request.user, campaign=campaign, activity=activity
            )
            messages.success(request, _("The activity no longer belongs to the campaign."))
            return redirect("channels:campaign", campaign.pk)
        ids = request.POST.getlist("activities")[: calendar_services.MAX_LINKED + 1]
        if not all(i.isascii() and i.isdigit() and len(i) < 19 for i in ids):
            raise ShownBadRequest(
                _("The parameter “%(name)s” must be the number of an item.")
                % {"name": "activities"}
            )
        try:
            calendar_services.campaign_link_activities(
                actor=request.user,
                campaign=campaign,
                activities=Activity.objects.filter(pk__in=ids),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Activities linked to the campaign."))
        return redirect("channels:campaign", campaign.pk)
    items = ContentItem.objects.restrict(request.user, Action.VIEW).filter(campaigns=campaign)
    linked = (
        Activity.objects.restrict(request.user, Action.VIEW)
        .filter(campaign_links__campaign=campaign)
        .select_related("unit")
        .order_by("date", "pk")
    )
    candidates = []
    if can_edit:
        candidates = (
            Activity.objects.restrict(request.user, Action.VIEW)
            .counted()
            .filter(
                unit__path__startswith=campaign.unit.path,
                date__range=(campaign.starts_on, campaign.ends_on),
            )
            .exclude(campaign_links__campaign=campaign)
            .select_related("unit")
            .order_by("date", "pk")[:100]
        )
    return render(
        request,
        "channels/calendar/campaign.html",
        {
            "campaign": campaign,
            "items": items.order_by("-updated_at")[:200],
            "activities": linked[:500],
            "candidates": candidates,
            "can_edit": can_edit,
        },
    )


@login_required
@require_POST
def feed_create(request):
    units = org_selectors.unit_list(viewer=request.user)
    unit = scoped_param(request.POST, "unit", request.user, units, required=True)
    try:
        _feed, secret = calendar_services.calendar_feed_create(actor=request.user, unit=unit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('channels:calendar')}?unit={unit.pk}")
    address = request.build_absolute_uri(reverse("channels:calendar-feed", args=[secret]))
    return render(
        request, "channels/calendar/feed_created.html", {"unit": unit, "address": address}
    )


@login_required
@require_POST
@scoped(CalendarFeed)
def feed_revoke(request, pk):
    """Only the owner's own addresses are found here: anyone else's is a 404."""
    feed = CalendarFeed.objects.filter(pk=pk, user=request.user).select_related("unit").first()
    if feed is None:
        raise Http404(_("Not found."))
    calendar_services.calendar_feed_revoke(actor=request.user, feed=feed)
    messages.success(request, _("The calendar address no longer works."))
    return redirect(f"{reverse('channels:calendar')}?unit={feed.unit_id}")


# --- iCalendar ---------------------------------------------------------------------------


def _ical(request, unit, found, *, name: str) -> bytes:
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", "-//Lantoa//Calendar//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    host = request.get_host().split(":")[0] or "lantoa"
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    for event in found:
        entry = icalendar.Event()
        entry.add("uid", f"{event.uid}.{unit.code}@{host}")
        entry.add("dtstamp", stamp)
        entry.add("summary", f"[{event.label}] {event.title}")
        if event.all_day:
            entry.add("dtstart", event.start)
            entry.add("dtend", (event.end or event.start) + datetime.timedelta(1))
            entry.add("transp", "TRANSPARENT")
        else:
            start = event.start.astimezone(datetime.UTC)
            entry.add("dtstart", start)
            if isinstance(event.end, datetime.datetime) and event.end > event.start:
                entry.add("dtend", event.end.astimezone(datetime.UTC))
            else:
                entry.add("dtend", start + datetime.timedelta(minutes=30))
        entry.add("categories", [event.label])
        if event.detail:
            entry.add("description", event.detail)
        if event.url:
            entry.add("url", request.build_absolute_uri(event.url))
        entry.add("class", "PUBLIC" if event.public else "PRIVATE")
        cal.add_component(entry)
    return cal.to_ical()


def _feed_range():
    today = timezone.localdate()
    return today - datetime.timedelta(FEED_BEFORE), today + datetime.timedelta(FEED_AFTER)


def _public_etag(request, code):
    memo = getattr(request, "_calendar_etag", None)
    if memo is not None:
        return memo
    unit = public_unit(code)
    request._calendar_unit = unit
    variant = f"{public_cache.versions(unit)}|{timezone.localdate()}|{translation.get_language()}|{request.get_host()}"
    request._calendar_etag = hashlib.sha1(variant.encode(), usedforsecurity=False).hexdigest()[:24]
    return request._calendar_etag


@require_safe
@public("the public calendar: national days, campaigns and published items only")
def public_feed(request, code):
    """``/u/<code>/calendar.ics``: the unit's public calendar, cached under the unit's public
    version (and the day: the window moves), answered 304 to a returning calendar app."""

    @condition(etag_func=_public_etag)
    def build(request, code):
        etag = _public_etag(request, code)
        unit = request._calendar_unit
        key = f"channels:calendar:public:{etag}"
        body = cache.get(key)
        if body is None:
            start, end = _feed_range()
            found = calendar.events(unit, start, end, public=True)
            body = _ical(request, unit, found, name=unit.name)
            cache.set(key, body, FEED_TIMEOUT)
        return HttpResponse(body, content_type="text/calendar; charset=utf-8")

    response = build(request, code)
    if response.status_code in (200, 304):
        patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@require_safe
@public("a private calendar opened by its secret address, not by a session")
def private_feed(request, secret):
    """``/channels/calendar/<secret>.ics``: the staff calendar of the feed's unit. An unknown
    or revoked secret is a 404, like any address that does not exist."""
    feed = calendar_services.calendar_feed_for(secret)
    if feed is None:
        raise Http404(_("Not found."))
    start, end = _feed_range()
    found = calendar.events(feed.unit, start, end, public=False)
    body = _ical(request, feed.unit, found, name=_("%(unit)s (staff)") % {"unit": feed.unit.name})
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    patch_cache_control(response, private=True, no_store=True)
    return response
