"""The versioned REST API: tokens, the org tree endpoints, errors, the OpenAPI schema."""

from datetime import timedelta

from django.utils import timezone
from knox.models import get_token_model

from lantoa.orgs.choices import Role
from lantoa.orgs.models import OrgUnit

from .conftest import PASSWORD


def _token(api_client, username, password=PASSWORD):
    return api_client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )


def test_token_then_scoped_units(tree, api_client, make_user):
    make_user(tree.dongnai, Role.FOCAL_POINT, username="focal.dongnai")
    response = _token(api_client, "focal.dongnai")
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    units = api_client.get("/api/v1/units/?limit=100").json()
    assert {u["code"] for u in units["results"]} >= {"75", "25405", "26104", "25405-THBB"}
    assert "20" not in {u["code"] for u in units["results"]}
    bombo = next(u for u in units["results"] if u["code"] == "25405")
    assert bombo["parent_code"] == "75" and bombo["kind"] == "commune"
    # The token is stored hashed: the plain value is nowhere in the database.
    assert not get_token_model().objects.filter(digest=token).exists()
    assert token not in str(list(get_token_model().objects.values()))


def test_wrong_password_and_lockout_over_the_api(tree, api_client, make_user, settings):
    make_user(tree.bombo, username="ntb")
    response = _token(api_client, "ntb", "wrong")
    assert response.status_code == 400
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _token(api_client, "ntb", "wrong")
    assert response.status_code == 429
    assert "15" in response.json()["detail"]


def test_expired_and_forged_tokens_are_refused_with_a_reason(tree, api_client, make_user):
    user = make_user(tree.bombo)
    instance, token = get_token_model().objects.create(user=user, expiry=timedelta(hours=1))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token[:-4]}abcd")
    forged = api_client.get("/api/v1/me/")
    assert forged.status_code == 401
    get_token_model().objects.filter(pk=instance.pk).update(
        expiry=timezone.now() - timedelta(minutes=1)
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    expired = api_client.get("/api/v1/me/")
    assert expired.status_code == 401
    assert expired.json()["detail"] != forged.json()["detail"]
    assert not get_token_model().objects.filter(pk=instance.pk).exists()


def test_token_revoke(tree, api_client, make_user):
    make_user(tree.bombo, username="ntb")
    token = _token(api_client, "ntb").json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.post("/api/v1/auth/token/revoke/").status_code == 204
    assert api_client.get("/api/v1/me/").status_code == 401


def test_me_lists_memberships(tree, api_client, make_user):
    api_client.force_authenticate(make_user(tree.school, Role.REPORTER, full_name="Lê Văn C"))
    me = api_client.get("/api/v1/me/").json()
    assert me["full_name"] == "Lê Văn C"
    assert [(m["unit_code"], m["role"]) for m in me["memberships"]] == [("25405-THBB", "reporter")]


def test_accent_insensitive_search_and_subtree_filter(tree, api_client, make_user):
    api_client.force_authenticate(make_user(tree.root, Role.VIEWER))
    found = api_client.get("/api/v1/units/", {"q": "xuan lap"}).json()["results"]
    assert [u["code"] for u in found] == ["26104", "26104-THXL"]
    under = api_client.get("/api/v1/units/", {"under": "25405"}).json()["results"]
    assert {u["code"] for u in under} == {"25405", "25405-VHXH", "25405-THBB"}
    children = api_client.get("/api/v1/units/", {"parent": tree.dongnai.pk}).json()["results"]
    assert [u["code"] for u in children] == ["25405", "26104"]


def test_create_move_and_bad_input(tree, api_client, make_user):
    api_client.force_authenticate(make_user(tree.bombo, Role.FOCAL_POINT))
    created = api_client.post(
        "/api/v1/units/",
        {"parent_code": "25405", "code": "25405-KT", "name": "Phòng Kinh tế", "kind": "office"},
        format="json",
    )
    assert created.status_code == 201, created.content
    unit_id = created.json()["id"]
    duplicate = api_client.post(
        "/api/v1/units/",
        {"parent_code": "25405", "code": "25405-kt", "name": "Khác", "kind": "office"},
        format="json",
    )
    assert duplicate.status_code == 400 and "code" in duplicate.json()
    missing = api_client.post("/api/v1/units/", {"parent_code": "25405"}, format="json")
    assert missing.status_code == 400 and {"code", "name", "kind"} <= set(missing.json())
    foreign_parent = api_client.post(
        "/api/v1/units/",
        {"parent_code": "26104", "code": "Z1", "name": "Z", "kind": "office"},
        format="json",
    )
    assert foreign_parent.status_code == 400
    moved = api_client.patch(
        f"/api/v1/units/{unit_id}/", {"parent_code": "25405-VHXH"}, format="json"
    )
    assert moved.status_code == 200 and moved.json()["parent_code"] == "25405-VHXH"
    cycle = api_client.patch(
        f"/api/v1/units/{tree.vhxh.pk}/", {"parent_code": "25405-KT"}, format="json"
    )
    assert cycle.status_code == 400
    assert OrgUnit.objects.get(code="25405-KT").path.startswith(tree.vhxh.path)


def test_reporter_cannot_write(tree, api_client, make_user):
    api_client.force_authenticate(make_user(tree.bombo, Role.REPORTER))
    response = api_client.post(
        "/api/v1/units/",
        {"parent_code": "25405", "code": "25405-KT", "name": "Phòng Kinh tế", "kind": "office"},
        format="json",
    )
    assert response.status_code == 403
    assert not OrgUnit.objects.filter(code="25405-KT").exists()


def test_openapi_schema_and_docs(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert (
        "/api/v1/units/" in paths
        and "/api/v1/auth/token/" in paths
        and "/api/v1/memberships/" in paths
    )
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
