"""Reading the desk: an editor's lists, the tasks still lacking content, the items due."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit, User
from lantoa.plans.choices import TaskStatus
from lantoa.plans.models import Task

from .choices import ContentStatus, ReviewDecision
from .models import Campaign, ContentItem, Review


def in_state(state: str) -> Q:
    """Items whose working copy is in ``state`` (see ``services.workflow_status``)."""
    return Q(status=state, draft_status="") | Q(status=ContentStatus.PUBLISHED, draft_status=state)


@dataclass
class Desk:
    drafts: QuerySet
    to_review: QuerySet
    scheduled: QuerySet
    published: QuerySet


def desk(user: User, *, limit: int = 50) -> Desk:
    """An editor's desk: my drafts (items I created or last edited, in draft), waiting for my
    review (in review at a step I may take: not mine, not a step I took already), scheduled,
    and published this month; all in the units where the user writes content."""
    editable = ContentItem.objects.restrict(user, Action.EDIT_CONTENT).select_related(
        "unit", "latest_revision__author"
    )
    mine = Q(created_by=user) | Q(latest_revision__author=user)
    drafts = editable.filter(in_state(ContentStatus.DRAFT)).filter(mine).order_by("-updated_at")
    took_step_one = Review.objects.filter(
        item=OuterRef("pk"),
        revision=OuterRef("latest_revision"),
        reviewer=user,
        step=1,
        decision=ReviewDecision.APPROVED,
    )
    to_review = (
        ContentItem.objects.restrict(user, Action.APPROVE_CONTENT)
        .select_related("unit", "latest_revision__author")
        .filter(in_state(ContentStatus.IN_REVIEW))
        .exclude(created_by=user)
        .exclude(latest_revision__author=user)
        .annotate(took_step_one=Exists(took_step_one))
        .exclude(review_step=2, took_step_one=True)
        .order_by("updated_at")
    )
    scheduled = editable.filter(in_state(ContentStatus.SCHEDULED)).order_by("go_live_at")
    today = timezone.localdate()
    month_start = timezone.make_aware(datetime.datetime(today.year, today.month, 1))
    published = editable.filter(
        status=ContentStatus.PUBLISHED, published_at__gte=month_start
    ).order_by("-published_at")
    return Desk(
        drafts=drafts[:limit],
        to_review=to_review[:limit],
        scheduled=scheduled[:limit],
        published=published[:limit],
    )


def tasks_lacking(user: User, unit: OrgUnit) -> QuerySet:
    """The open tasks of the plans in force assigned to ``unit`` (or a unit under it) that no
    published item of the unit's subtree serves yet."""
    served = ContentItem.objects.filter(
        tasks=OuterRef("pk"),
        status=ContentStatus.PUBLISHED,
        unit__path__startswith=unit.path,
    )
    return (
        Task.objects.restrict(user)
        .in_force()
        .filter(assignments__unit__path__startswith=unit.path)
        .exclude(status=TaskStatus.DONE)
        .exclude(Exists(served))
        .select_related("plan")
        .distinct()
        .order_by("plan_id", "order")
    )


@dataclass
class Due:
    publish: QuerySet
    expire: QuerySet


def items_due(now: datetime.datetime | None = None) -> Due:
    """For the background task (``portal``): scheduled items whose time came (``publish``) and
    published items whose expiry passed (``expire``)."""
    now = now or timezone.now()
    return Due(
        publish=ContentItem.objects.filter(
            in_state(ContentStatus.SCHEDULED), go_live_at__lte=now
        ).select_related("unit"),
        expire=ContentItem.objects.filter(
            status=ContentStatus.PUBLISHED, expire_at__lte=now
        ).select_related("unit"),
    )


def item_list(user: User, *, unit: OrgUnit | None = None, state: str = "", query: str = ""):
    """Every item the user may see, newest first, narrowed by unit (its subtree), state of the
    working copy and words of the title (accents optional)."""
    from lantoa.core.text import fold

    items = ContentItem.objects.restrict(user).select_related("unit")
    if unit is not None:
        items = items.filter(unit__path__startswith=unit.path)
    if state in ContentStatus.values:
        items = items.filter(in_state(state))
    for word in fold(query).split()[:10]:
        items = items.filter(title_folded__contains=word)
    return items.order_by("-updated_at", "-pk")


def campaigns(user: User) -> QuerySet:
    return Campaign.objects.restrict(user).select_related("unit")
