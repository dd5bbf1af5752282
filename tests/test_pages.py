"""The pages a civil servant uses: home, the tree browser, unit forms, people and roles."""

import pytest
from django.core import mail
from django.urls import reverse

from lantoa.orgs.choices import Role
from lantoa.orgs.models import Membership, OrgUnit, User


@pytest.fixture
def focal_client(tree, client, make_user):
    client.force_login(make_user(tree.bombo, Role.FOCAL_POINT, full_name="Phạm Đầu Mối"))
    return client


def test_home_shows_role_and_actions(tree, client, make_user):
    client.force_login(make_user(tree.school, Role.REPORTER))
    page = client.get(reverse("home")).content.decode()
    assert "Trường Tiểu học Bom Bo" in page
    assert reverse("orgs:members", args=[tree.school.pk]) not in page  # a reporter manages nobody
    client.force_login(make_user(tree.bombo, Role.FOCAL_POINT))
    page = client.get(reverse("home")).content.decode()
    assert reverse("orgs:members", args=[tree.bombo.pk]) in page and reverse("audit") in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bom bo", "Xã Bom Bo"),
        ("xuan lap", "Phường Xuân Lập"),
        ("dong nai", "Tỉnh Đồng Nai"),
        ("d", "Tỉnh Đồng Nai"),
        ("ĐỒNG", "Tỉnh Đồng Nai"),
        ("25405", "Xã Bom Bo"),
        ("truong tieu hoc", "Trường Tiểu học Bom Bo"),
    ],
)
def test_tree_search_folds_accents(tree, client, make_user, query, expected):
    client.force_login(make_user(tree.root, Role.VIEWER))
    page = client.get(reverse("orgs:tree"), {"q": query}).content.decode()
    assert expected in page


def test_tree_search_stays_in_scope(tree, client, make_user):
    client.force_login(make_user(tree.bombo, Role.REPORTER))
    page = client.get(reverse("orgs:tree"), {"q": "xuan lap"}).content.decode()
    assert "Phường Xuân Lập" not in page
    page = client.get(reverse("orgs:tree")).content.decode()
    assert "Xã Bom Bo" in page and "Tỉnh Lạng Sơn" not in page


def test_children_fragment_for_the_tree(tree, client, make_user):
    client.force_login(make_user(tree.dongnai, Role.VIEWER))
    fragment = client.get(
        reverse("orgs:children", args=[tree.dongnai.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Xã Bom Bo" in fragment and "<html" not in fragment


def test_unit_page_breadcrumb_links_only_what_is_in_scope(tree, client, make_user):
    client.force_login(make_user(tree.bombo, Role.VIEWER))
    page = client.get(reverse("orgs:unit", args=[tree.school.pk])).content.decode()
    assert "Tỉnh Đồng Nai" in page
    assert reverse("orgs:unit", args=[tree.dongnai.pk]) not in page
    assert reverse("orgs:unit", args=[tree.bombo.pk]) in page


def test_add_unit_form(tree, focal_client):
    url = reverse("orgs:add", args=[tree.bombo.pk])
    empty = focal_client.post(url, {})
    assert empty.status_code == 200 and empty.context["form"].errors
    before = OrgUnit.objects.count()
    duplicate = focal_client.post(url, {"code": "25405-thbb", "name": "Trường B", "kind": "school"})
    assert "Trường Tiểu học Bom Bo" in duplicate.context["form"].errors["code"][0]
    assert OrgUnit.objects.count() == before
    created = focal_client.post(
        url, {"code": "25405-ttdv", "name": "Trung tâm dịch vụ tổng hợp", "kind": "service_centre"}
    )
    assert created.status_code == 302
    unit = OrgUnit.objects.get(code="25405-TTDV")
    assert created["Location"] == reverse("orgs:unit", args=[unit.pk])


def test_edit_and_move_forms(tree, focal_client):
    edit = focal_client.post(
        reverse("orgs:edit", args=[tree.vhxh.pk]),
        {"code": "25405-VHXH", "name": "Phòng VH-XH", "kind": "office"},
    )
    assert edit.status_code == 302
    tree.vhxh.refresh_from_db()
    assert tree.vhxh.name == "Phòng VH-XH"
    commune = focal_client.post(
        reverse("orgs:move", args=[tree.bombo.pk]), {"new_parent": "25405-VHXH"}
    )
    assert commune.context["form"].errors  # communes stay where the national list puts them
    to_self = focal_client.post(
        reverse("orgs:move", args=[tree.vhxh.pk]), {"new_parent": "25405-VHXH"}
    )
    assert to_self.status_code == 200 and to_self.context["form"].errors
    unknown = focal_client.post(reverse("orgs:move", args=[tree.vhxh.pk]), {"new_parent": "26104"})
    assert unknown.context["form"].errors["new_parent"]
    moved = focal_client.post(
        reverse("orgs:move", args=[tree.vhxh.pk]), {"new_parent": "25405-thbb"}
    )
    assert moved.status_code == 302
    tree.vhxh.refresh_from_db()
    assert tree.vhxh.path.startswith(tree.school.path)


def test_reporter_gets_403_on_forms_in_scope(tree, client, make_user):
    client.force_login(make_user(tree.bombo, Role.REPORTER))
    assert client.get(reverse("orgs:add", args=[tree.bombo.pk])).status_code == 403
    assert (
        client.post(
            reverse("orgs:add", args=[tree.bombo.pk]), {"code": "X", "name": "X", "kind": "other"}
        ).status_code
        == 403
    )
    assert not OrgUnit.objects.filter(code="X").exists()


def test_members_page_grants_creates_and_revokes(tree, focal_client, make_user):
    url = reverse("orgs:members", args=[tree.school.pk])
    response = focal_client.post(
        url,
        {
            "username": "gv.bombo",
            "role": "reporter",
            "full_name": "Giáo viên A",
            "email": "gva@truong.edu.vn",
        },
    )
    assert response.status_code == 302
    new_user = User.objects.get(username="gv.bombo")
    assert new_user.memberships.get().role == Role.REPORTER
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["gva@truong.edu.vn"]
    escalation = focal_client.post(url, {"username": "gv.bombo", "role": "administrator"})
    assert escalation.status_code == 200 and escalation.context["form"].errors
    assert new_user.memberships.count() == 1
    membership = new_user.memberships.get()
    assert focal_client.post(reverse("orgs:revoke", args=[membership.pk])).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_english_is_switchable(tree, client, make_user):
    client.force_login(make_user(tree.bombo))
    vietnamese = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert vietnamese["Content-Language"] == "vi"  # an English browser still gets Vietnamese
    assert "Trang chủ" in vietnamese.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("home"))
    assert english["Content-Language"] == "en" and "Home" in english.content.decode()


def test_pages_fit_a_phone(tree, client, make_user):
    client.force_login(make_user(tree.bombo))
    assert b'name="viewport" content="width=device-width' in client.get(reverse("home")).content
