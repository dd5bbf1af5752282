"""One way to read the ids a request names: a ``pk`` in the URL, ``?unit=``, ``?period=``,
``?plan=``, ``?report=`` in the query string, or an id posted by a form.

Every value goes through the same two steps, for the pages and the API alike:

1. ``parse_id``: anything that is not a plain positive number a database id can hold is a
   malformed request (``BadParameter``, a 400 with a message naming the parameter);
2. ``scoped_object``: the object is fetched through ``restrict(user, "view")``, so a foreign
   id reads exactly like a missing one (404); a stronger ``action`` is then checked on the
   object's unit (403).

The class views do the same through ``ScopedObjectMixin``; function views call
``scoped_object`` / ``scoped_param`` instead of ``get_object_or_404`` or ``.get(pk=...)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from lantoa.core.errors import ShownBadRequest

from .choices import Action
from .scoping import can

MAX_ID = 2**63 - 1  # the largest id a bigint primary key holds
SCOPED_PARAMETERS = ("unit", "period", "plan", "report")


class BadParameter(ShownBadRequest):
    """A query or form parameter that cannot be an id: answered with a 400 that says which."""

    def __init__(self, name: str, value: Any = None):
        self.name = name
        self.value = value
        if value in (None, ""):
            message = _("The parameter “%(name)s” is required.") % {"name": name}
        else:
            message = _("The parameter “%(name)s” must be the number of an item.") % {"name": name}
        super().__init__(message)


def parse_id(value: Any, name: str = "pk") -> int | None:
    """The id ``value`` names, None when it is absent; BadParameter when it cannot be one."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or not 0 < int(text) <= MAX_ID:
        raise BadParameter(name, value)
    return int(text)


def _unit_of(obj):
    """The unit an object is scoped by: itself for a unit, else its ``unit`` or its plan's."""
    if hasattr(obj, "path") and hasattr(obj, "depth"):
        return obj
    if hasattr(obj, "unit"):
        return obj.unit
    return obj.plan.unit


def scoped_object(
    user,
    queryset,
    pk: Any,
    action: str = Action.VIEW,
    *,
    unit_of: Callable | None = None,
    name: str = "pk",
):
    """The object ``pk`` names among ``queryset`` (a scoped queryset or a model), as ``user``
    may see it: a malformed id is a 400, a missing or foreign one a 404, a visible one the
    user may not ``action`` on a 403."""
    if hasattr(queryset, "objects"):
        queryset = queryset.objects.all()
    number = parse_id(pk, name)
    obj = None
    if number is not None:
        obj = queryset.restrict(user, Action.VIEW).filter(pk=number).first()
    if obj is None:
        raise Http404(_("Not found."))
    if action != Action.VIEW and not can(user, action, (unit_of or _unit_of)(obj)):
        raise PermissionDenied(_("You do not have permission to do this."))
    return obj


def scoped_param(
    params: Mapping,
    name: str,
    user,
    queryset,
    action: str = Action.VIEW,
    *,
    required: bool = False,
    unit_of: Callable | None = None,
):
    """The object the parameter ``name`` of ``params`` (``request.GET``, ``request.POST`` or
    DRF's ``query_params``) names, or None when it is absent and not ``required``."""
    value = params.get(name)
    if parse_id(value, name) is None:
        if required:
            raise BadParameter(name)
        return None
    return scoped_object(user, queryset, value, action, unit_of=unit_of, name=name)


# The scoped query parameters and the model each names, by label so that this layer imports
# no app above it.
PARAMETER_MODELS = {
    "unit": "orgs.OrgUnit",
    "period": "reports.ReportingPeriod",
    "plan": "plans.Plan",
    "report": "reports.Submission",
}


def scoped_params(params: Mapping, user, names=None) -> dict:
    """Every scoped parameter (of ``names``, by default all) present in ``params``, resolved
    through the user's scope: ``{"unit": <OrgUnit>, ...}``; malformed 400, foreign 404."""
    from django.apps import apps

    out = {}
    for name in names or PARAMETER_MODELS:
        model = apps.get_model(PARAMETER_MODELS[name])
        obj = scoped_param(params, name, user, model.objects.all())
        if obj is not None:
            out[name] = obj
    return out


class ScopedParameterFilter:
    """A DRF filter backend reading the view's ``scoped_filters`` (``{"unit": "unit"}``: the
    parameter and the lookup it filters on) through ``scoped_params``, as the pages do: the
    API and the pages answer a malformed or foreign id alike (400, 404)."""

    def filter_queryset(self, request, queryset, view):
        lookups = getattr(view, "scoped_filters", {})
        if not lookups:
            return queryset
        found = scoped_params(request.query_params, request.user, list(lookups))
        for name, obj in found.items():
            queryset = queryset.filter(**{lookups[name]: obj})
        return queryset

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": name,
                "required": False,
                "in": "query",
                "description": f"Id of a {name} in the caller's scope (400 if malformed, "
                "404 if out of scope)",
                "schema": {"type": "integer"},
            }
            for name in getattr(view, "scoped_filters", {})
        ]
