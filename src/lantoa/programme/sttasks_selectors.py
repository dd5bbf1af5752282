"""Reading the S&T task register: scoped lists with accent-blind search, the public view (never a
state secret) and the per-unit figures behind the "registered" and "communicated" indicators."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from lantoa.activities.models import Activity
from lantoa.content.choices import ContentStatus
from lantoa.content.models import ContentItem
from lantoa.core.text import fold
from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit

from .models import STTask
from .sttasks_choices import STTaskStatus

MAX_QUERY = 200


def sttask_list(*, viewer, q: str = "", unit: OrgUnit | None = None, action: str = Action.VIEW):
    """The tasks ``viewer`` may see (secrets only for those who record for the host unit),
    matching ``q`` in the code, the title or the host whatever the accents."""
    tasks = STTask.objects.restrict(viewer, action).select_related("unit")
    if unit is not None:
        tasks = tasks.filter(unit__path__startswith=unit.path)
    words = fold(q[:MAX_QUERY]).split()
    for word in words[:10]:
        tasks = tasks.filter(folded__contains=word)
    return tasks


def public_tasks(unit: OrgUnit | None = None):
    """The tasks a public page, feed, sheet or anonymous API caller may show: never a state
    secret. Every public surface reads this and nothing else."""
    tasks = STTask.objects.public().select_related("unit")
    if unit is not None:
        tasks = tasks.filter(unit__path__startswith=unit.path)
    return tasks


def public_check(task: STTask) -> STTask:
    """A public view's guard: a state-secret task does not exist for the public (404, worded as
    for any missing page)."""
    if task is None or task.secret:
        raise Http404
    return task


def published_links(task: STTask):
    """What the public may follow from a public task: its published content and its events."""
    public_check(task)
    items = task.content_items.filter(status=ContentStatus.PUBLISHED, live_revision__isnull=False)
    return items, task.activities.filter(withdrawn_at__isnull=True)


def _communicated_q() -> Q:
    published = ContentItem.objects.filter(
        st_tasks=OuterRef("pk"), first_published_at__isnull=False
    ).exclude(status=ContentStatus.WITHDRAWN)
    events = Activity.objects.filter(st_tasks=OuterRef("pk"), withdrawn_at__isnull=True)
    return Q(Exists(published)) | Q(Exists(events))


def counted_tasks(start: datetime.date, end: datetime.date, scope: str = ""):
    """The tasks the target counts over [start, end]: not secret, approved (past the proposal)
    and running in a year of the span."""
    tasks = STTask.objects.public().exclude(status=STTaskStatus.PROPOSED)
    tasks = tasks.filter(start_year__lte=end.year, end_year__gte=start.year)
    return tasks.filter(unit__path__startswith=scope) if scope else tasks


def indicator_parts(
    field: str, start: datetime.date, end: datetime.date, scope: str, paths: dict[int, str]
) -> dict[str, tuple[Decimal, Decimal]]:
    """{unit path: (tasks registered or communicated, tasks counted)} for each host unit with
    a counted task; ``field`` is "registered" or "communicated". Secret tasks are in neither."""
    tasks = counted_tasks(start, end, scope).annotate(communicated=_communicated_q())
    result: dict[str, tuple[Decimal, Decimal]] = {}
    for unit_id, flag in tasks.values_list("unit_id", field).order_by():
        path = paths.get(unit_id)
        if path is None:
            continue
        num, den = result.get(path, (Decimal(0), Decimal(0)))
        result[path] = (num + (1 if flag else 0), den + 1)
    return result


def task_is_communicated(task: STTask) -> bool:
    return STTask.objects.filter(pk=task.pk).filter(_communicated_q()).exists()
