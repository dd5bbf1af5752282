"""Test helpers every app reuses to prove that its pages and API stay inside the user's scope.

Each app registers, for each scoped model, a factory that creates an object belonging to a
given unit (``register_scoped_factory``). ``scoped_routes`` then walks the URL configuration
and the API router: every page that takes a ``pk`` names the model it shows (a class view's
``model``, or ``scoped_model`` on a function view), and every API viewset its queryset's model.
The shared tests (tests/test_scoping.py) create an object in another commune for each route and
assert a 404, so a new app's pages are checked without anyone writing a test for them, and a
page that does not say what it shows fails the suite.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

_FACTORIES: dict[type, Callable] = {}


def register_scoped_factory(model: type, factory: Callable) -> None:
    """``factory(unit)`` returns a saved ``model`` instance that belongs to ``unit``."""
    _FACTORIES[model] = factory


def scoped_factory(model: type) -> Callable | None:
    return _FACTORIES.get(model)


@dataclass(frozen=True)
class PageRoute:
    name: str
    route: str
    model: type | None
    public: bool = False


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield name, prefix + str(entry.pattern), entry


def view_model(pattern: URLPattern) -> type | None:
    callback = pattern.callback
    view_class = getattr(callback, "view_class", None)
    if view_class is not None and getattr(view_class, "model", None) is not None:
        return view_class.model
    cls = getattr(callback, "cls", None)  # DRF viewsets
    if cls is not None and getattr(cls, "queryset", None) is not None:
        return cls.queryset.model
    return getattr(callback, "scoped_model", None)


def object_routes() -> list[PageRoute]:
    """Every named URL that addresses one object by ``pk``, with the model it shows."""
    routes: dict[str, PageRoute] = {}
    for name, route, pattern in _walk(get_resolver().url_patterns):
        if "pk" in pattern.pattern.regex.groupindex and name and name not in routes:
            routes[name] = PageRoute(
                name=name,
                route=route,
                model=view_model(pattern),
                public=bool(getattr(pattern.callback, "public_reason", "")),
            )
    return list(routes.values())


@dataclass(frozen=True)
class ParameterRoute:
    """A page or endpoint that reads an object's id from its query string (or form body):
    probed like the object routes, and with malformed values, which must be a 400."""

    path: str
    parameter: str
    model_label: str  # "app_label.ModelName", resolved lazily
    method: str = "get"


PARAMETER_ROUTES = [
    ParameterRoute("/dashboard/", "unit", "orgs.OrgUnit"),
    ParameterRoute("/api/v1/indicator-values/", "period", "reports.ReportingPeriod"),
]
MALFORMED_IDS = ["abc", "-1", "1.5", "0x10", "25405/THBB", "9" * 400, "1 OR 1=1"]
PARAMETER_ROUTES += [
    ParameterRoute("/activities/", "unit", "orgs.OrgUnit"),
    ParameterRoute("/api/v1/activities/", "unit", "orgs.OrgUnit"),
    ParameterRoute("/api/v1/memberships/", "unit", "orgs.OrgUnit"),
    ParameterRoute("/api/v1/tasks/", "plan", "plans.Plan"),
    ParameterRoute("/library/", "unit", "orgs.OrgUnit"),
    ParameterRoute("/library/pick/", "unit", "orgs.OrgUnit"),
    ParameterRoute("/api/v1/assets/", "unit", "orgs.OrgUnit"),
]
# The calendar (channels): the unit shown.
PARAMETER_ROUTES += [ParameterRoute("/channels/calendar/", "unit", "orgs.OrgUnit")]
