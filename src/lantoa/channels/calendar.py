"""A unit's calendar: what falls on which day, gathered from the apps below.

:func:`events` is the one reading every page and feed uses. A *public* calendar holds only what
a citizen may see (the national campaign days, the campaigns, the unit's published items); the
staff calendar adds the internal dates: plan task deadlines, report deadlines, items scheduled
but not yet published, the outbox's posts and the loudspeaker broadcasts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.content.choices import ContentStatus
from lantoa.content.models import Campaign, ContentItem
from lantoa.content.public_selectors import visible_items
from lantoa.orgs.models import OrgUnit
from lantoa.plans.models import ReportDeadline, Task

from .models import Broadcast, OutboxEntry

MAX_DAYS = 400  # the longest range one request may ask for
MAX_EVENTS = 2000  # of one kind in one range: a calendar is read, not exported


class EventKind:
    """The kinds of event, each with its label and the colour class the pages give it (the
    label is always shown too: the colour is never the only sign)."""

    CAMPAIGN_DAY = "campaign_day"
    CAMPAIGN = "campaign"
    TASK_DEADLINE = "task_deadline"
    REPORT_DEADLINE = "report_deadline"
    SCHEDULED_ITEM = "scheduled_item"
    PUBLISHED_ITEM = "published_item"
    POST = "post"
    BROADCAST = "broadcast"

    LABELS = {
        CAMPAIGN_DAY: gettext_lazy("National day"),
        CAMPAIGN: gettext_lazy("Campaign"),
        TASK_DEADLINE: gettext_lazy("Task deadline"),
        REPORT_DEADLINE: gettext_lazy("Report deadline"),
        SCHEDULED_ITEM: gettext_lazy("Scheduled item"),
        PUBLISHED_ITEM: gettext_lazy("Published item"),
        POST: gettext_lazy("Channel post"),
        BROADCAST: gettext_lazy("Loudspeaker broadcast"),
    }
    PUBLIC = frozenset({CAMPAIGN_DAY, CAMPAIGN, PUBLISHED_ITEM})


# The national campaign days, every year (month, day, title, the legal source).
CAMPAIGN_DAYS = (
    # Luật Khoa học và Công nghệ số 29/2013/QH13, Điều 6: "Ngày 18 tháng 5 hằng năm là Ngày
    # khoa học và công nghệ Việt Nam" (kept in the 2025 Law on S&T and Innovation).
    (5, 18, "Ngày Khoa học và Công nghệ Việt Nam"),
    # The Prime Minister's decision of 2024 taking 1 October of every year as the national
    # innovation day (announced at Innovate Viet Nam, 1/10/2024; the decision's number is to be
    # confirmed against the official gazette).
    (10, 1, "Ngày hội Đổi mới sáng tạo quốc gia"),
    # Quyết định số 505/QĐ-TTg ngày 22/4/2022 của Thủ tướng Chính phủ về Ngày Chuyển đổi số
    # quốc gia: ngày 10 tháng 10 hằng năm.
    (10, 10, "Ngày Chuyển đổi số quốc gia"),
)


@dataclass(frozen=True)
class Event:
    kind: str
    uid: str  # stable: the same event has the same UID in every feed, every time
    title: str
    start: datetime.date | datetime.datetime
    end: datetime.date | datetime.datetime | None = None  # all-day: the last day (inclusive)
    url: str = ""
    public: bool = False
    detail: str = ""

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime.datetime)

    @property
    def label(self) -> str:
        return str(EventKind.LABELS[self.kind])

    @property
    def day(self) -> datetime.date:
        if isinstance(self.start, datetime.datetime):
            return timezone.localtime(self.start).date()
        return self.start

    def days(self) -> list[datetime.date]:
        """The days the event covers (a campaign spans several)."""
        if not self.all_day or self.end is None:
            return [self.day]
        return self.days_within(self.start, self.end)

    def days_within(self, start: datetime.date, end: datetime.date) -> list[datetime.date]:
        """The days of the event from ``start`` to ``end`` (a campaign of years costs only the
        days shown)."""
        if not self.all_day or self.end is None:
            return [self.day] if start <= self.day <= end else []
        first, last = max(self.start, start), min(self.end, end)
        return [first + datetime.timedelta(n) for n in range((last - first).days + 1)]


def parse_range(start_text, end_text) -> tuple[datetime.date, datetime.date]:
    """Two dates typed as YYYY-MM-DD, checked: a ValidationError naming what is wrong."""
    dates = []
    for name, text in (("start", start_text), ("end", end_text)):
        text = str(text or "").strip()[:20]
        try:
            dates.append(datetime.date.fromisoformat(text))
        except ValueError:
            raise ValidationError(
                _("“%(name)s” must be a date written as YYYY-MM-DD.") % {"name": name}
            ) from None
    check_range(*dates)
    return dates[0], dates[1]


def check_range(start: datetime.date, end: datetime.date) -> None:
    if end < start:
        raise ValidationError(_("The end of the range comes before its start."))
    if (end - start).days + 1 > MAX_DAYS:
        raise ValidationError(
            _("A calendar shows at most %(days)d days at once.") % {"days": MAX_DAYS}
        )


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # a page another part of Lantoa has not added yet
        return ""


def _bounds(start: datetime.date, end: datetime.date):
    tz = timezone.get_current_timezone()
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    high = datetime.datetime.combine(end + datetime.timedelta(1), datetime.time.min, tzinfo=tz)
    return low, high


def _years(start: datetime.date, end: datetime.date):
    return range(start.year, end.year + 1)


def _yearly(start, end, month, day):
    for year in _years(start, end):
        try:
            date = datetime.date(year, month, day)
        except ValueError:  # 29/2 outside a leap year: the last day of February
            date = datetime.date(year, month, 28)
        if start <= date <= end:
            yield date


def campaign_days(start: datetime.date, end: datetime.date) -> list[Event]:
    found = []
    for month, day, title in CAMPAIGN_DAYS:
        for date in _yearly(start, end, month, day):
            found.append(
                Event(
                    kind=EventKind.CAMPAIGN_DAY,
                    uid=f"campaign-day-{month:02d}{day:02d}-{date.year}",
                    title=title,
                    start=date,
                    end=date,
                    public=True,
                )
            )
    return found


def _campaigns(unit, start, end, *, public):
    campaigns = Campaign.objects.filter(
        unit__path__in=unit.chain_paths, starts_on__lte=end, ends_on__gte=start
    ).select_related("unit")[:MAX_EVENTS]
    for campaign in campaigns:
        yield Event(
            kind=EventKind.CAMPAIGN,
            uid=f"campaign-{campaign.pk}",
            title=campaign.title,
            start=campaign.starts_on,
            end=campaign.ends_on,
            url=_url("section:section", campaign.unit.code)
            if public
            else _url("channels:campaign", campaign.pk),
            public=True,
            detail=campaign.unit.name,
        )


def _published(unit, low, high):
    items = (
        visible_items()
        .filter(unit=unit, published_at__gte=low, published_at__lt=high)
        .select_related("unit", "live_revision")
        .order_by("published_at")[:MAX_EVENTS]
    )
    for item in items:
        title = item.live_revision.title if item.live_revision else item.title
        yield Event(
            kind=EventKind.PUBLISHED_ITEM,
            uid=f"item-{item.pk}-published",
            title=title,
            start=item.published_at,
            url=_url("section:item", item.unit.code, item.slug),
            public=True,
        )


def _scheduled(unit, low, high):
    items = (
        ContentItem.objects.filter(unit=unit, go_live_at__gte=low, go_live_at__lt=high)
        .filter(Q(status=ContentStatus.SCHEDULED) | Q(draft_status=ContentStatus.SCHEDULED))
        .order_by("go_live_at")[:MAX_EVENTS]
    )
    for item in items:
        yield Event(
            kind=EventKind.SCHEDULED_ITEM,
            uid=f"item-{item.pk}-scheduled",
            title=item.title,
            start=item.go_live_at,
            url=_url("content:item", item.pk),
        )


def _task_deadlines(unit, start, end):
    tasks = (
        Task.objects.in_force()
        .filter(assignments__unit=unit, due_date__range=(start, end))
        .select_related("plan")
        .distinct()
        .order_by("due_date", "pk")[:MAX_EVENTS]
    )
    for task in tasks:
        yield Event(
            kind=EventKind.TASK_DEADLINE,
            uid=f"task-{task.pk}-due",
            title=str(task),
            start=task.due_date,
            end=task.due_date,
            url=_url("plans:detail", task.plan_id),
            detail=task.plan.number or "",
        )


def _report_deadlines(unit, start, end):
    """The yearly report deadlines of the unit's own plans and of the plans that assign it
    a task (it reports on them)."""
    deadlines = (
        ReportDeadline.objects.in_force()
        .filter(Q(plan__unit=unit) | Q(plan__tasks__assignments__unit=unit))
        .select_related("plan")
        .distinct()[:200]
    )
    for deadline in deadlines:
        for date in _yearly(start, end, deadline.month, deadline.day):
            plan = deadline.plan
            yield Event(
                kind=EventKind.REPORT_DEADLINE,
                uid=f"report-deadline-{deadline.pk}-{date.year}",
                title=_("Report due: %(plan)s") % {"plan": plan.number or plan.title[:80]},
                start=date,
                end=date,
                url=_url("plans:detail", plan.pk),
            )


def _posts(unit, low, high):
    entries = (
        OutboxEntry.objects.filter(account__unit=unit)
        .filter(Q(sent_at__gte=low, sent_at__lt=high) | Q(send_at__gte=low, send_at__lt=high))
        .select_related("item", "account")
        .order_by("pk")[:MAX_EVENTS]
    )
    for entry in entries:
        when = entry.sent_at or entry.send_at
        if when is None or not low <= when < high:
            continue
        yield Event(
            kind=EventKind.POST,
            uid=f"post-{entry.pk}",
            title=f"{entry.account.get_platform_display()}: {entry.item.title}",
            start=when,
            url=entry.remote_url or _url("content:item", entry.item_id),
            detail=entry.get_status_display(),
        )


def _broadcasts(unit, low, high):
    broadcasts = (
        Broadcast.objects.filter(unit=unit, starts_at__gte=low, starts_at__lt=high)
        .select_related("item")
        .order_by("starts_at")[:MAX_EVENTS]
    )
    for broadcast in broadcasts:
        yield Event(
            kind=EventKind.BROADCAST,
            uid=f"broadcast-{broadcast.pk}",
            title=broadcast.item.title,
            start=broadcast.starts_at,
            end=broadcast.starts_at
            + datetime.timedelta(
                minutes=broadcast.aired_minutes or broadcast.planned_minutes or 30
            ),
            url=_url("content:item", broadcast.item_id),
            detail=_("aired")
            if broadcast.aired
            else (_("not aired") if broadcast.aired is False else ""),
        )


def _sort_key(event: Event):
    start = event.start
    if isinstance(start, datetime.datetime):
        local = timezone.localtime(start)
        return (local.date(), 1, local.time(), event.uid)
    return (start, 0, datetime.time.min, event.uid)


def events(unit: OrgUnit, start: datetime.date, end: datetime.date, *, public: bool) -> list[Event]:
    """Every event of ``unit``'s calendar from ``start`` to ``end`` (both included), in order.
    ``public``: only what a citizen may see. A range longer than MAX_DAYS is refused."""
    check_range(start, end)
    low, high = _bounds(start, end)
    found = [*campaign_days(start, end), *_campaigns(unit, start, end, public=public)]
    found += _published(unit, low, high)
    if not public:
        found += _task_deadlines(unit, start, end)
        found += _report_deadlines(unit, start, end)
        found += _scheduled(unit, low, high)
        found += _posts(unit, low, high)
        found += _broadcasts(unit, low, high)
    return sorted(found, key=_sort_key)


def by_day(found: list[Event], start: datetime.date, end: datetime.date):
    """``{date: [events]}`` for every day from ``start`` to ``end`` (a campaign on each of its
    days within the range)."""
    days: dict[datetime.date, list[Event]] = {
        start + datetime.timedelta(n): [] for n in range((end - start).days + 1)
    }
    for event in found:
        for day in event.days_within(start, end):
            days[day].append(event)
    return days
