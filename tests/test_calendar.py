"""The unit's calendar: national days every year, internal dates only for staff, the public and
private iCalendar feeds, range bounds and scoping."""

import datetime
import hashlib
import re

import icalendar
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from lantoa.activities.models import Activity
from lantoa.channels import calendar
from lantoa.channels import calendar_services as services
from lantoa.channels.choices import OutboxStatus, Platform
from lantoa.channels.models import Broadcast, CalendarFeed, ChannelAccount, OutboxEntry
from lantoa.content import services as content_services
from lantoa.content.choices import ContentStatus
from lantoa.content.models import Campaign, ContentItem
from lantoa.orgs.choices import Role
from lantoa.plans import services as plan_services
from lantoa.plans.models import ReportDeadline, Task, TaskAssignment

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SOON = TODAY + datetime.timedelta(10)


def _summaries(body: bytes) -> list[str]:
    parsed = icalendar.Calendar.from_ical(body)
    return [str(e.get("summary")) for e in parsed.walk("VEVENT")]


@pytest.fixture
def staff(tree, make_user, client):
    user = make_user(tree.bombo, role=Role.EDITOR)
    client.force_login(user)
    return user


@pytest.fixture
def dated(tree, staff):
    """A task of a plan due soon, assigned to Bom Bo; a yearly report deadline; a scheduled
    item; a post and a broadcast."""
    plan = plan_services.plan_create(actor=None, unit=tree.dongnai, number="12/KH-UBND", title="KH")
    task = Task.objects.create(plan=plan, text="Mở chuyên mục NQ57", order=0, due_date=SOON)
    TaskAssignment.objects.create(task=task, unit=tree.bombo, name="Xã Bom Bo", role="lead")
    ReportDeadline.objects.create(plan=plan, day=SOON.day, month=SOON.month)
    item = content_services.item_create(
        actor=staff, unit=tree.bombo, kind="news", title="Tin hẹn giờ"
    )
    ContentItem.objects.filter(pk=item.pk).update(
        status=ContentStatus.SCHEDULED, go_live_at=timezone.now() + datetime.timedelta(days=3)
    )
    account = ChannelAccount.objects.create(
        unit=tree.bombo, platform=Platform.FACEBOOK, name="Trang xã", remote_id="1"
    )
    item.refresh_from_db()
    OutboxEntry.objects.create(
        item=item,
        revision=item.latest_revision,
        account=account,
        status=OutboxStatus.QUEUED,
        text="x",
        key="k-1",
        send_at=timezone.now() + datetime.timedelta(days=4),
    )
    Broadcast.objects.create(
        unit=tree.bombo,
        item=item,
        starts_at=timezone.now() + datetime.timedelta(days=5),
        planned_minutes=15,
    )
    return {"task": task, "item": item}


def test_national_days_every_year():
    found = calendar.campaign_days(datetime.date(2026, 1, 1), datetime.date(2027, 1, 1))
    days = {(e.start, e.title) for e in found}
    assert (datetime.date(2026, 5, 18), "Ngày Khoa học và Công nghệ Việt Nam") in days
    assert (datetime.date(2026, 10, 1), "Ngày hội Đổi mới sáng tạo quốc gia") in days
    assert (datetime.date(2026, 10, 10), "Ngày Chuyển đổi số quốc gia") in days
    later = calendar.campaign_days(datetime.date(2031, 5, 1), datetime.date(2031, 5, 31))
    assert [e.start for e in later] == [datetime.date(2031, 5, 18)]


def test_internal_dates_in_the_staff_calendar_not_the_public(tree, dated):
    end = TODAY + datetime.timedelta(30)
    private = calendar.events(tree.bombo, TODAY, end, public=False)
    kinds = {e.kind for e in private}
    assert {
        calendar.EventKind.TASK_DEADLINE,
        calendar.EventKind.REPORT_DEADLINE,
        calendar.EventKind.SCHEDULED_ITEM,
        calendar.EventKind.POST,
        calendar.EventKind.BROADCAST,
    } <= kinds
    public = calendar.events(tree.bombo, TODAY, end, public=True)
    assert all(e.public for e in public)
    assert not {e.kind for e in public} & {
        calendar.EventKind.TASK_DEADLINE,
        calendar.EventKind.SCHEDULED_ITEM,
        calendar.EventKind.BROADCAST,
    }


def test_public_feed_has_no_internal_events_and_is_cached_with_an_etag(tree, dated, client):
    client.logout()
    url = f"/u/{tree.bombo.code}/calendar.ics"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    summaries = _summaries(response.content)
    assert not any("Mở chuyên mục NQ57" in s or "Tin hẹn giờ" in s for s in summaries)
    assert "public" in response["Cache-Control"]
    etag = response["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    # A new campaign of the unit changes the public calendar: a new ETag, the campaign in it.
    services.campaign_create(
        actor=dated["item"].created_by,
        unit=tree.bombo,
        title="Tháng chuyển đổi số",
        starts_on=TODAY,
        ends_on=SOON,
    )
    fresh = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200
    assert any("Tháng chuyển đổi số" in s for s in _summaries(fresh.content))
    assert client.get("/u/KHONG-CO/calendar.ics").status_code == 404


def test_private_feed_holds_the_task_deadline_and_revoking_closes_it(tree, staff, dated, client):
    feed, secret = services.calendar_feed_create(actor=staff, unit=tree.bombo)
    assert secret not in feed.secret_sha256 and len(feed.secret_sha256) == 64
    response = client.get(reverse("channels:calendar-feed", args=[secret]))
    assert response.status_code == 200
    parsed = icalendar.Calendar.from_ical(response.content)
    events = list(parsed.walk("VEVENT"))
    summaries = [str(e.get("summary")) for e in events]
    assert any("Mở chuyên mục NQ57" in s for s in summaries)
    assert any("Tin hẹn giờ" in s for s in summaries)
    task_event = next(e for e in events if "Mở chuyên mục" in str(e.get("summary")))
    assert task_event.decoded("dtstart") == SOON  # all-day: a DATE
    assert all(e.get("uid") and e.get("dtstamp") for e in events)
    broadcast = next(e for e in events if "Phát trên loa" in str(e.get("summary")))
    duration = broadcast.decoded("dtend") - broadcast.decoded("dtstart")
    assert duration == datetime.timedelta(minutes=15)
    post = next(e for e in events if "Facebook" in str(e.get("summary")))
    assert post.get("dtstart").to_ical().endswith(b"Z")  # a time: in UTC
    assert b"BEGIN:VCALENDAR" in response.content and b"VERSION:2.0" in response.content
    uids = [str(e.get("uid")) for e in events]
    assert len(uids) == len(set(uids))
    # The same UIDs the next time (a calendar app updates, not duplicates).
    again = _uids(client.get(reverse("channels:calendar-feed", args=[secret])).content)
    assert again == set(uids)
    services.calendar_feed_revoke(actor=staff, feed=feed)
    assert client.get(reverse("channels:calendar-feed", args=[secret])).status_code == 404
    assert client.get(reverse("channels:calendar-feed", args=["not-a-secret"])).status_code == 404


def _uids(body):
    return {str(e.get("uid")) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def test_another_communes_secret_shows_its_calendar_not_mine(tree, make_user, dated, client):
    other = make_user(tree.xuanlap, role=Role.VIEWER)
    _feed, secret = services.calendar_feed_create(actor=other, unit=tree.xuanlap)
    body = client.get(reverse("channels:calendar-feed", args=[secret])).content
    assert not any("Mở chuyên mục NQ57" in s for s in _summaries(body))
    # Nobody makes a feed for a unit they cannot see.
    with pytest.raises(PermissionDenied):
        services.calendar_feed_create(actor=other, unit=tree.bombo)


def test_a_feed_stops_when_its_owner_leaves_the_unit(tree, staff, client):
    _feed, secret = services.calendar_feed_create(actor=staff, unit=tree.bombo)
    staff.is_active = False
    staff.save()
    assert client.get(reverse("channels:calendar-feed", args=[secret])).status_code == 404


def test_calendar_page_shows_the_month_and_refuses_bad_ranges(tree, staff, dated, client):
    page = client.get(reverse("channels:calendar"), {"month": SOON.strftime("%Y-%m")})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Mở chuyên mục NQ57" in text
    bad = client.get(reverse("channels:calendar"), {"start": "2026-13-01", "end": "2026-12-01"})
    assert bad.status_code == 400
    assert "YYYY-MM-DD" in bad.content.decode()
    long = client.get(reverse("channels:calendar"), {"start": "2026-01-01", "end": "2027-06-01"})
    assert long.status_code == 400
    assert "400" in long.content.decode()
    assert client.get(reverse("channels:calendar"), {"month": "abc"}).status_code == 400
    ok = client.get(reverse("channels:calendar"), {"start": "2026-05-01", "end": "2026-05-31"})
    assert "Ngày Khoa học và Công nghệ Việt Nam" in ok.content.decode()


def test_a_foreign_unit_is_not_found(tree, staff, client):
    response = client.get(reverse("channels:calendar"), {"unit": tree.xuanlap.pk})
    assert response.status_code == 404
    assert client.get(reverse("channels:calendar"), {"unit": "x"}).status_code == 400


def test_a_campaign_page_shows_its_items_and_linked_activities(tree, staff, client):
    campaign = services.campaign_create(
        actor=staff, unit=tree.bombo, title="Tuần lễ số", starts_on=TODAY, ends_on=SOON
    )
    item = content_services.item_create(
        actor=staff, unit=tree.bombo, kind="news", title="Tin chiến dịch"
    )
    item.campaigns.add(campaign)
    activity = Activity.objects.create(
        unit=tree.bombo, kind="event", date=TODAY, title="Hội nghị phát động", recorded_by=staff
    )
    response = client.post(
        reverse("channels:campaign", args=[campaign.pk]), {"activities": [activity.pk]}
    )
    assert response.status_code == 302
    page = client.get(reverse("channels:campaign", args=[campaign.pk])).content.decode()
    assert "Tin chiến dịch" in page and "Hội nghị phát động" in page
    client.post(reverse("channels:campaign", args=[campaign.pk]), {"unlink": activity.pk})
    page = client.get(reverse("channels:campaign", args=[campaign.pk])).content.decode()
    assert "Hội nghị phát động" in page  # offered again below, no longer linked
    assert not campaign.activity_links.exists()
    bad = client.post(reverse("channels:campaign", args=[campaign.pk]), {"unlink": "abc"})
    assert bad.status_code == 400
    foreign = Campaign.objects.create(
        unit=tree.xuanlap, title="Khác", starts_on=TODAY, ends_on=TODAY
    )
    assert client.get(reverse("channels:campaign", args=[foreign.pk])).status_code == 404


def test_an_activity_of_another_commune_cannot_join_my_campaign(tree, staff, make_user):
    campaign = Campaign.objects.create(
        unit=tree.bombo, title="Tuần lễ số", starts_on=TODAY, ends_on=SOON
    )
    activity = Activity.objects.create(
        unit=tree.xuanlap, kind="event", date=TODAY, title="Ở phường khác", recorded_by=staff
    )
    with pytest.raises(PermissionDenied):
        services.campaign_link_activities(actor=staff, campaign=campaign, activities=[activity])
    assert not campaign.activity_links.exists()


def test_campaign_form_for_a_unit_i_only_see_is_refused(tree, make_user, client):
    client.force_login(make_user(tree.bombo, role=Role.VIEWER))
    url = reverse("channels:campaign-new")
    assert client.get(url, {"unit": tree.bombo.pk}).status_code == 403
    assert client.get(url, {"unit": tree.xuanlap.pk}).status_code == 404


def test_campaign_created_from_the_calendar_shows_on_its_days(tree, staff, client):
    response = client.post(
        reverse("channels:campaign-new") + f"?unit={tree.bombo.pk}",
        {
            "unit": tree.bombo.pk,
            "title": "Tuần lễ Đổi mới sáng tạo",
            "starts_on": "2026-09-28",
            "ends_on": "2026-10-02",
            "description": "Chuỗi hoạt động hưởng ứng",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("channels:calendar"), {"month": "2026-10"}).content.decode()
    assert "Tuần lễ Đổi mới sáng tạo" in page
    assert "Ngày hội Đổi mới sáng tạo quốc gia" in page
    refused = client.post(
        reverse("channels:campaign-new"),
        {"unit": tree.bombo.pk, "title": "Sai", "starts_on": "2026-10-02", "ends_on": "2026-09-01"},
    )
    assert refused.status_code == 200
    assert not Campaign.objects.filter(title="Sai").exists()


def test_a_private_address_made_on_the_page_is_shown_once_and_revoked_there(
    tree, staff, dated, client
):
    page = client.post(reverse("channels:calendar-feed-new"), {"unit": tree.bombo.pk})
    assert page.status_code == 200
    address = re.search(r'value="(http[^"]+\.ics)"', page.content.decode()).group(1)
    path = address.split("testserver", 1)[1]
    assert any("Mở chuyên mục NQ57" in s for s in _summaries(client.get(path).content))
    # The calendar page lists the address without showing it again.
    secret = path.rsplit("/", 1)[1][: -len(".ics")]
    listing = client.get(reverse("channels:calendar")).content.decode()
    assert "Địa chỉ tạo lúc" in listing and secret not in listing
    feed = CalendarFeed.objects.get(user=staff)
    assert feed.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert client.post(reverse("channels:calendar-feed-revoke", args=[feed.pk])).status_code == 302
    assert client.get(path).status_code == 404
    # Someone else's unit: not found.
    foreign = client.post(reverse("channels:calendar-feed-new"), {"unit": tree.xuanlap.pk})
    assert foreign.status_code == 404


def test_the_menu_shows_the_calendar_to_staff(tree, staff, client):
    home = client.get("/").content.decode()
    assert f'href="{reverse("channels:calendar")}"' in home
    client.logout()
    assert reverse("channels:calendar") not in client.get("/").content.decode()


def test_a_campaign_made_on_the_desk_reaches_the_public_calendar_at_once(tree, staff, client):
    url = f"/u/{tree.bombo.code}/calendar.ics"
    etag = client.get(url)["ETag"]
    content_services.campaign_create(
        actor=staff,
        unit=tree.bombo,
        title="Tháng NQ57",
        starts_on=TODAY,
        ends_on=TODAY + datetime.timedelta(days=3650),
    )
    fresh = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200
    assert any("Tháng NQ57" in s for s in _summaries(fresh.content))
