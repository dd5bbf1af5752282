"""The top layer's pages: the home page and the dashboard read every app below them."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lantoa.indicators.catalogue import STANDARD_INDICATORS
from lantoa.orgs import notifications
from lantoa.orgs import selectors as org_selectors
from lantoa.orgs.choices import ROLE_ACTIONS, Action
from lantoa.orgs.filters import scoped_param
from lantoa.orgs.models import OrgUnit
from lantoa.plans import selectors as plan_selectors
from lantoa.reports import services as report_services

from .dashboard import dashboard_for


@login_required
def home(request):
    """The home page: my units and roles, my tasks, the report deadlines of my plans."""
    cards = []
    for membership in org_selectors.memberships_of(user=request.user):
        allowed = ROLE_ACTIONS.get(membership.role, frozenset())
        cards.append(
            {
                "membership": membership,
                "can_manage": Action.MANAGE_UNITS in allowed,
                "can_members": Action.MANAGE_MEMBERS in allowed,
                "can_audit": Action.VIEW_AUDIT in allowed,
                "children": membership.unit.numchild,
                "cascade": membership.unit.is_administrative and membership.unit.numchild > 0,
            }
        )
    tasks = plan_selectors.tasks_for_user(user=request.user)
    return render(
        request,
        "portal/home.html",
        {
            "cards": cards,
            "is_superuser": request.user.is_superuser,
            "tasks": tasks[:8],
            "task_count": tasks.count(),
            "deadlines": plan_selectors.upcoming_deadlines(user=request.user),
            "notifications": notifications.unread(user=request.user)[:5],
        },
    )


def _period_from(request):
    today = datetime.date.today()
    try:
        start = datetime.date.fromisoformat(request.GET.get("start", ""))
        end = datetime.date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        start, end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    if start > end:
        start, end = end, start
    return start, end


@login_required
def dashboard(request):
    """Progress against the targets for a unit's subtree; a focal point can save the view."""
    roots = list(org_selectors.unit_scope_roots(viewer=request.user))
    unit = scoped_param(request.GET, "unit", request.user, OrgUnit.objects.all())
    unit = unit or (roots[0] if roots else None)
    if unit is None:
        raise Http404(_("Not found."))
    start, end = _period_from(request)
    codes = request.GET.getlist("indicator") or None
    if request.method == "POST" and request.POST.get("name", "").strip():
        try:
            report_services.dashboard_save(
                actor=request.user,
                name=request.POST["name"],
                unit=unit,
                indicators=codes or [],
                start=start,
                end=end,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Dashboard saved."))
        return redirect(request.get_full_path())
    data = dashboard_for(unit=unit, start=start, end=end, codes=codes)
    return render(
        request,
        "portal/dashboard.html",
        {
            "unit": unit,
            "start": start,
            "end": end,
            "data": data,
            "catalogue": STANDARD_INDICATORS,
            "chosen": codes or [],
            "saved": request.user.dashboards.select_related("unit"),
            "children": OrgUnit.objects.restrict(request.user).filter(
                path__startswith=unit.path, depth=unit.depth + 1
            )[:200],
        },
    )
