"""Org services: what they refuse, and that a refusal leaves nothing half-written."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lantoa.orgs import services
from lantoa.orgs.choices import Role, UnitKind
from lantoa.orgs.models import Membership, OrgUnit, User


def test_focal_point_adds_a_unit_under_its_commune(tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    unit = services.unit_create(
        actor=focal,
        parent=tree.bombo,
        code="25405-kt",
        name="  Phòng   Kinh tế ",
        kind=UnitKind.OFFICE,
    )
    assert unit.code == "25405-KT" and unit.name == "Phòng Kinh tế"
    assert OrgUnit.objects.get_parent(unit) == tree.bombo
    assert unit.name_folded == "phong kinh te"


def test_duplicate_code_is_refused_with_the_unit_that_holds_it(tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    before = OrgUnit.objects.count()
    with pytest.raises(ValidationError) as error:
        services.unit_create(
            actor=focal,
            parent=tree.bombo,
            code="25405-thbb",
            name="Trường khác",
            kind=UnitKind.SCHOOL,
        )
    assert "Trường Tiểu học Bom Bo" in str(error.value.message_dict["code"])
    assert OrgUnit.objects.count() == before


def test_provinces_and_communes_cannot_be_added_by_hand(tree, make_user):
    with pytest.raises(ValidationError):
        services.unit_create(
            actor=make_user(tree.dongnai, Role.ADMINISTRATOR),
            parent=tree.dongnai,
            code="99999",
            name="Xã Mới",
            kind=UnitKind.COMMUNE,
        )


def test_move_under_own_descendant_is_refused_and_tree_unchanged(tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    team = services.unit_create(
        actor=focal,
        parent=tree.vhxh,
        code="25405-TCNS",
        name="Tổ công nghệ số",
        kind=UnitKind.OTHER,
    )
    paths = dict(OrgUnit.objects.values_list("code", "path"))
    for target in (tree.vhxh, team):
        with pytest.raises(ValidationError) as error:
            services.unit_move(actor=focal, unit=tree.vhxh, new_parent=target)
        assert error.value.code == "cycle"
    assert dict(OrgUnit.objects.values_list("code", "path")) == paths


def test_move_carries_the_subtree(tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    team = services.unit_create(
        actor=focal,
        parent=tree.vhxh,
        code="25405-TCNS",
        name="Tổ công nghệ số",
        kind=UnitKind.OTHER,
    )
    moved = services.unit_move(actor=focal, unit=tree.vhxh, new_parent=tree.school)
    team.refresh_from_db()
    assert moved.path.startswith(tree.school.path) and team.path.startswith(moved.path)
    assert OrgUnit.objects.get_parent(team) == moved


def test_move_out_of_scope_is_refused(tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    with pytest.raises(PermissionDenied):
        services.unit_move(actor=focal, unit=tree.vhxh, new_parent=tree.xuanlap)


def test_communes_stay_where_the_national_list_puts_them(tree, make_user):
    with pytest.raises(ValidationError):
        services.unit_move(
            actor=make_user(tree.root, Role.ADMINISTRATOR), unit=tree.bombo, new_parent=tree.langson
        )


def test_reporter_cannot_manage_units(tree, make_user):
    with pytest.raises(PermissionDenied):
        services.unit_create(
            actor=make_user(tree.bombo, Role.REPORTER),
            parent=tree.bombo,
            code="X1",
            name="X",
            kind=UnitKind.OTHER,
        )


def test_no_privilege_escalation(tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    colleague = make_user(tree.vhxh, Role.VIEWER)  # already in the commune's tree
    services.membership_grant(actor=focal, user=colleague, unit=tree.school, role=Role.REPORTER)
    # A focal point does not hold the administrator's or the editor's rights: cannot grant them.
    for role in (Role.ADMINISTRATOR, Role.EDITOR):
        with pytest.raises(PermissionDenied):
            services.membership_grant(actor=focal, user=colleague, unit=tree.bombo, role=role)
    # Nor any role outside its subtree.
    with pytest.raises(PermissionDenied):
        services.membership_grant(actor=focal, user=colleague, unit=tree.xuanlap, role=Role.VIEWER)
    assert list(
        Membership.objects.filter(user=colleague)
        .exclude(unit=tree.vhxh)
        .values_list("role", flat=True)
    ) == [Role.REPORTER]


def test_duplicate_role_and_own_revocation_are_refused(tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    with pytest.raises(ValidationError):
        services.membership_grant(actor=None, user=focal, unit=tree.bombo, role=Role.FOCAL_POINT)
    with pytest.raises(ValidationError):
        services.membership_revoke(actor=focal, membership=focal.memberships.get())
    assert focal.memberships.count() == 1


def test_user_create_is_all_or_nothing(tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=focal,
            username="newbie",
            full_name="A",
            email="",
            unit=tree.bombo,
            role=Role.ADMINISTRATOR,
        )
    assert not User.objects.filter(username="newbie").exists()
    user = services.user_create(
        actor=focal,
        username="newbie",
        full_name="Nguyễn Văn A",
        email="a@x.vn",
        unit=tree.school,
        role=Role.REPORTER,
    )
    assert not user.has_usable_password()
    assert user.memberships.get().unit == tree.school
