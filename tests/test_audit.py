"""Who changed what, when, from where — and who may read it."""

from auditlog.models import LogEntry
from django.urls import reverse

from lantoa.orgs.choices import Role


def test_changes_are_recorded_with_actor_and_address(tree, client, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT, username="focal.bombo")
    client.force_login(focal)
    client.post(
        reverse("orgs:edit", args=[tree.vhxh.pk]),
        {"code": "25405-VHXH", "name": "Phòng VH-XH xã Bom Bo", "kind": "office"},
        REMOTE_ADDR="10.1.2.3",
    )
    entry = (
        LogEntry.objects.get_for_object(tree.vhxh)
        .filter(action=LogEntry.Action.UPDATE)
        .latest("timestamp")
    )
    assert entry.actor == focal
    assert entry.remote_addr == "10.1.2.3"
    assert entry.changes_dict["name"] == ["Phòng Văn hóa - Xã hội", "Phòng VH-XH xã Bom Bo"]


def test_membership_changes_are_recorded(tree, client, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    client.force_login(focal)
    client.post(
        reverse("orgs:members", args=[tree.school.pk]), {"username": "gv1", "role": "viewer"}
    )
    assert LogEntry.objects.filter(
        content_type__model="membership", actor=focal, action=LogEntry.Action.CREATE
    ).exists()


def test_audit_page_is_scoped_to_the_subtree(tree, client, make_user):
    admin = make_user(tree.root, Role.ADMINISTRATOR)
    client.force_login(admin)
    client.post(
        reverse("orgs:edit", args=[tree.school.pk]),
        {"code": "25405-THBB", "name": "Trường TH Bom Bo", "kind": "school"},
    )
    client.post(
        reverse("orgs:edit", args=[tree.skhcn.pk]),
        {"code": "20-SKHCN", "name": "Sở KH&CN Lạng Sơn", "kind": "department"},
    )

    client.force_login(make_user(tree.dongnai, Role.FOCAL_POINT))
    page = client.get(reverse("audit")).content.decode()
    assert "Trường TH Bom Bo" in page and "Sở KH&amp;CN Lạng Sơn" not in page

    client.force_login(make_user(tree.langson, Role.FOCAL_POINT))
    page = client.get(reverse("audit")).content.decode()
    assert "Sở KH&amp;CN Lạng Sơn" in page and "Trường TH Bom Bo" not in page


def test_reporters_cannot_read_the_audit_log(tree, client, make_user):
    client.force_login(make_user(tree.bombo, Role.REPORTER))
    assert client.get(reverse("audit")).status_code == 404


def test_passwords_never_reach_the_log(tree, client, make_user):
    user = make_user(tree.bombo)
    user.set_password("Bi-mat-2025!")
    user.save()
    entries = list(LogEntry.objects.all())
    assert entries
    assert all(
        user.password not in str(e.changes) and "password" not in e.changes_dict for e in entries
    )
