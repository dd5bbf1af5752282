"""Every page and API endpoint that addresses an object stays inside the user's subtree.

The routes are discovered from the URL configuration, so pages added by later apps are probed
too; a page that takes a ``pk`` without saying which model it shows fails here.
"""

import re
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.urls import reverse

from lantoa.core.testing import MALFORMED_IDS, PARAMETER_ROUTES, object_routes, scoped_factory
from lantoa.orgs.choices import Role
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoping import minimal_prefixes
from lantoa.reports.models import ReportingPeriod


def _without_tokens(content: bytes) -> bytes:
    """Per-response CSRF tokens aside, two pages must be byte for byte the same."""
    return re.sub(rb'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', rb"\1", content)


ROUTES = [r for r in object_routes() if not r.name.startswith("admin:") and not r.public]


def test_routes_are_discovered():
    names = {r.name for r in ROUTES}
    assert {
        "orgs:unit",
        "orgs:members",
        "orgs:revoke",
        "v1:unit-detail",
        "v1:membership-detail",
    } <= names


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_object_routes_refuse_another_communes_objects(route, tree, client, make_user):
    assert route.model is not None, f"{route.name} takes a pk but does not name its model"
    factory = scoped_factory(route.model)
    assert factory is not None, f"no scoped factory registered for {route.model.__name__}"
    foreign = factory(tree.xuanlap)
    own = factory(tree.bombo)
    # The strongest role there is, but at Bom Bo: Xuân Lập's objects stay invisible.
    client.force_login(make_user(tree.bombo, Role.ADMINISTRATOR))

    foreign_url = reverse(route.name, kwargs={"pk": foreign.pk})
    missing_url = reverse(route.name, kwargs={"pk": 987654321})
    statuses = set()
    for method in ("get", "post"):
        response = getattr(client, method)(foreign_url)
        missing = getattr(client, method)(missing_url)
        # Out of scope reads exactly like "does not exist": same status, same page.
        assert response.status_code == missing.status_code, f"{method.upper()} {foreign_url}"
        seen = _without_tokens(response.content.replace(foreign_url.encode(), missing_url.encode()))
        assert seen == _without_tokens(missing.content)
        statuses.add(response.status_code)
    assert statuses <= {404, 405} and 404 in statuses
    assert client.get(reverse(route.name, kwargs={"pk": own.pk})).status_code in (200, 405)


def test_api_lists_hold_only_the_users_subtree(tree, api_client, make_user):
    api_client.force_authenticate(make_user(tree.bombo, Role.REPORTER))
    units = api_client.get("/api/v1/units/?limit=500").json()["results"]
    codes = {u["code"] for u in units}
    assert codes == {"25405", "25405-VHXH", "25405-THBB"}
    memberships = api_client.get("/api/v1/memberships/").json()["results"]
    assert {m["unit_code"] for m in memberships} == {"25405"}


def test_reporter_sees_own_subtree_only(tree, client, make_user):
    client.force_login(make_user(tree.school, Role.REPORTER))
    assert client.get(reverse("orgs:unit", args=[tree.school.pk])).status_code == 200
    for other in (tree.bombo, tree.vhxh, tree.xuanlap, tree.dongnai, tree.root):
        assert client.get(reverse("orgs:unit", args=[other.pk])).status_code == 404


def test_focal_point_of_province_covers_its_communes(tree, client, make_user):
    client.force_login(make_user(tree.dongnai, Role.FOCAL_POINT))
    for unit in (tree.bombo, tree.xuanlap, tree.school, tree.xl_school):
        assert client.get(reverse("orgs:unit", args=[unit.pk])).status_code == 200
    assert client.get(reverse("orgs:unit", args=[tree.langson.pk])).status_code == 404


def test_user_without_role_sees_nothing(tree, client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("orgs:unit", args=[tree.root.pk])).status_code == 404
    assert OrgUnit.objects.restrict(make_user()).count() == 0


def test_anonymous_is_sent_to_login(tree, client, api_client):
    response = client.get(reverse("orgs:unit", args=[tree.bombo.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert api_client.get("/api/v1/units/").status_code == 401


def test_restrict_is_one_query_for_the_subtree(tree, make_user, django_assert_num_queries):
    user = make_user(tree.dongnai, Role.VIEWER)
    OrgUnit.objects.restrict(user).count()  # warms the per-request membership cache
    with django_assert_num_queries(1):
        assert OrgUnit.objects.restrict(user).count() == 6


def test_minimal_prefixes_drops_covered_paths():
    assert minimal_prefixes(["00010002", "0001", "00020001", "000200010003"]) == (
        "0001",
        "00020001",
    )


@pytest.mark.parametrize("route", PARAMETER_ROUTES, ids=lambda r: f"{r.path}?{r.parameter}")
def test_query_parameters_are_scoped_and_malformed_ones_refused(route, tree, client, make_user):
    model = apps.get_model(route.model_label)
    factory = scoped_factory(model)
    foreign, own = factory(tree.xuanlap), factory(tree.bombo)
    client.force_login(make_user(tree.bombo, Role.FOCAL_POINT))

    def ask(value):
        return getattr(client, route.method)(f"{route.path}?{urlencode({route.parameter: value})}")

    assert ask(own.pk).status_code == 200
    foreign_answer, missing_answer = ask(foreign.pk), ask(987654321)
    assert foreign_answer.status_code == missing_answer.status_code == 404
    for value in MALFORMED_IDS:
        answer = ask(value)
        assert answer.status_code == 400, (value, answer.status_code)
        body = answer.content.decode()
        assert f"“{route.parameter}”" in body  # the message names the parameter, in Vietnamese
        assert "Tham số" in body


def test_report_start_reads_the_posted_unit_through_the_scope(tree, client, make_user):
    period = scoped_factory(ReportingPeriod)(tree.bombo)
    client.force_login(make_user(tree.bombo, Role.FOCAL_POINT))
    url = reverse("reports:start", args=[period.pk])
    for value in MALFORMED_IDS + [""]:
        assert client.post(url, {"unit": value}).status_code == 400, value
    assert client.post(url, {"unit": tree.xuanlap.pk}).status_code == 404
    assert client.post(url, {"unit": 987654321}).status_code == 404
