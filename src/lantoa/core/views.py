"""Base views: scoping applied once, here, for every page of every app."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_object


def scoped(model):
    """Mark a function view with the model whose ``pk`` it takes, as class views say with
    ``model``: the shared scoping tests find every such page and probe it from outside."""

    def decorate(view):
        view.scoped_model = model
        return view

    return decorate


def public(reason: str):
    """Mark a function view taking a ``pk`` as public on purpose (published material, or an
    object tied to the visitor's own session), with the reason; the scoping probe skips it and
    the reason stays next to the view."""

    def decorate(view):
        view.public_reason = reason
        return view

    return decorate


class ScopedObjectMixin(LoginRequiredMixin):
    """Fetch ``model`` through ``restrict(user, "view")``: out of scope is a 404, worded exactly
    as "does not exist", so URL guessing learns nothing. ``required_action`` is then checked
    on the object's unit, and failing it is a 403. The same helper as the function views'
    (``lantoa.orgs.filters.scoped_object``)."""

    model = None
    required_action: str = Action.VIEW
    pk_url_kwarg = "pk"

    def get_queryset(self):
        return self.model.objects.restrict(self.request.user, Action.VIEW)

    def scope_unit(self, obj):
        return obj.unit

    def get_object(self):
        return scoped_object(
            self.request.user,
            self.get_queryset(),
            self.kwargs[self.pk_url_kwarg],
            self.required_action,
            unit_of=self.scope_unit,
        )


def bad_request(request, exception=None):
    """A 400 that says what was wrong with the request (a malformed parameter names itself)."""
    message = str(exception) if exception is not None and str(exception) else ""
    return render(
        request,
        "registration/_message_page.html",
        {
            "heading": _("Bad request"),
            "message": message or _("The request could not be understood."),
            "link_url": "/",
            "link_text": _("Back to the home page"),
        },
        status=400,
    )


def apply_validation_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the field it names when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item)
    else:
        for message in error.messages:
            form.add_error(None, message)


def lockout(request, credentials=None, *args, **kwargs):
    """What django-axes answers once an account is locked after repeated failures."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "This account is locked for %(minutes)d minutes after too many wrong passwords. "
        "Try again later or ask your unit's administrator to unlock it."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "registration/locked.html", {"message": message}, status=429)


@login_required
def home(request):
    """The home page: my units and roles, my tasks, the report deadlines of my plans."""
    from lantoa.orgs import selectors as org_selectors
    from lantoa.orgs.choices import ROLE_ACTIONS
    from lantoa.plans import selectors as plan_selectors

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
        "orgs/home.html",
        {
            "cards": cards,
            "is_superuser": request.user.is_superuser,
            "tasks": tasks[:8],
            "task_count": tasks.count(),
            "deadlines": plan_selectors.upcoming_deadlines(user=request.user),
            "notifications": request.user.notifications.filter(read_at__isnull=True)[:5],
        },
    )
