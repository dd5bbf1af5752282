"""The calendar's writes: private feed addresses, a campaign's activities."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.activities.models import Activity
from lantoa.content import services as content_services
from lantoa.content.models import Campaign
from lantoa.orgs.audit import acting
from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoping import require

from .models import CalendarFeed, CampaignActivity

MAX_SECRET = 100  # longer than any secret made here: refused before it is hashed
MAX_FEEDS = 20  # a person's live addresses for one unit
MAX_LINKED = 200  # activities linked in one go


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def calendar_feed_create(*, actor, unit: OrgUnit) -> tuple[CalendarFeed, str]:
    """A private calendar address for ``actor`` on ``unit``: the secret is returned once and
    kept only as its SHA-256."""
    require(
        actor, Action.VIEW, unit, _("You cannot see the calendar of %(unit)s.") % {"unit": unit}
    )
    live = CalendarFeed.objects.filter(user=actor, unit=unit, revoked_at__isnull=True)
    if live.count() >= MAX_FEEDS:
        raise ValidationError(
            _("You already have %(count)d calendar addresses for this unit: revoke one first.")
            % {"count": MAX_FEEDS}
        )
    secret = secrets.token_urlsafe(32)
    with acting(actor), transaction.atomic():
        feed = CalendarFeed.objects.create(user=actor, unit=unit, secret_sha256=secret_hash(secret))
    return feed, secret


def calendar_feed_revoke(*, actor, feed: CalendarFeed) -> None:
    """The address stops working at once (its owner, or the unit's administrator)."""
    if feed.user_id != getattr(actor, "pk", None):
        require(actor, Action.MANAGE_MEMBERS, feed.unit)
    if feed.revoked_at is not None:
        return
    with acting(actor):
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])


def calendar_feed_for(secret: str) -> CalendarFeed | None:
    """The live feed a secret opens, or None. The lookup is by the secret's hash (what the
    database compares tells nothing about the secret), confirmed in constant time; the owner
    must still be active and still see the unit."""
    secret = str(secret or "")
    if not secret or len(secret) > MAX_SECRET:
        return None
    digest = secret_hash(secret)
    feed = (
        CalendarFeed.objects.select_related("user", "unit")
        .filter(secret_sha256=digest, revoked_at__isnull=True)
        .first()
    )
    if feed is None or not hmac.compare_digest(feed.secret_sha256, digest):
        return None
    user = feed.user
    if not user.is_active or not feed.unit.is_active:
        return None
    if not OrgUnit.objects.restrict(user, Action.VIEW).filter(pk=feed.unit_id).exists():
        return None
    return feed


def campaign_create(*, actor, unit, title, starts_on, ends_on, description=""):
    """Content's campaign, created from the calendar (content bumps the unit's public version,
    so the public calendar shows it at once)."""
    return content_services.campaign_create(
        actor=actor,
        unit=unit,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description,
    )


def campaign_link_activities(*, actor, campaign: Campaign, activities) -> list[CampaignActivity]:
    """Link activities done for ``campaign``: the actor writes content for the campaign's unit
    and sees each activity, which belongs to the campaign's unit or a unit below it."""
    require(
        actor,
        Action.EDIT_CONTENT,
        campaign.unit,
        _("You cannot change the campaigns of %(unit)s.") % {"unit": campaign.unit},
    )
    activities = list(activities)
    if len(activities) > MAX_LINKED:
        raise ValidationError(
            _("Link at most %(count)d activities at once.") % {"count": MAX_LINKED}
        )
    ids = {activity.pk for activity in activities}
    visible = {
        activity.pk: activity
        for activity in Activity.objects.restrict(actor, Action.VIEW)
        .filter(pk__in=ids)
        .select_related("unit")
    }
    if len(visible) != len(ids):
        raise PermissionDenied(_("You cannot see one of these activities."))
    errors = []
    for activity in visible.values():
        if not activity.unit.path.startswith(campaign.unit.path):
            errors.append(
                _("“%(activity)s” is not an activity of %(unit)s or of a unit below it.")
                % {"activity": activity.title, "unit": campaign.unit.name}
            )
        elif activity.withdrawn_at is not None:
            errors.append(_("“%(activity)s” was withdrawn.") % {"activity": activity.title})
    if errors:
        raise ValidationError({"activities": errors})
    linked = []
    with acting(actor), transaction.atomic():
        for activity in visible.values():
            link, _created = CampaignActivity.objects.get_or_create(
                campaign=campaign, activity=activity, defaults={"linked_by": actor}
            )
            linked.append(link)
    return linked


def campaign_unlink_activity(*, actor, campaign: Campaign, activity: Activity) -> None:
    require(
        actor,
        Action.EDIT_CONTENT,
        campaign.unit,
        _("You cannot change the campaigns of %(unit)s.") % {"unit": campaign.unit},
    )
    with acting(actor):
        CampaignActivity.objects.filter(campaign=campaign, activity=activity).delete()
