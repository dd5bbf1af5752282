"""The communication network register: members with contact and consent, masked in lists,
hidden once consent is withdrawn; invitations to campaigns and events with engagement."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lantoa.activities.choices import ActivityKind
from lantoa.activities.services import activity_record
from lantoa.content.models import Campaign
from lantoa.orgs.choices import Role
from lantoa.programme import network_services as services
from lantoa.programme.models import MemberKind, NetworkInvitation, NetworkMember
from lantoa.programme.network_sheets import import_members

D = datetime.date


def _member(unit, name="TS. Nguyễn Văn An", **extra):
    fields = {"kind": MemberKind.EXPERT, "organisation": "Viện Khoa học", "field": "Nông nghiệp số",
              "phone": "0912 345 678", "email": "an@example.vn", "consent_on": D(2025, 1, 5)}  # fmt: skip
    fields.update(extra)
    return services.member_save(actor=None, unit=unit, name=name, **fields)


def test_contact_masked_for_viewers_and_full_for_managers(tree, make_user, client):
    member = _member(tree.bombo)
    assert member.phone == "0912345678"
    viewer = make_user(tree.bombo, Role.VIEWER)
    manager = make_user(tree.bombo, Role.REPORTER)
    client.force_login(viewer)
    page = client.get(reverse("programme:network"), {"q": "nguyen van an"}).content.decode()
    assert "TS. Nguyễn Văn An" in page and "0912345678" not in page and "09••••••78" in page
    client.force_login(manager)
    page = client.get(reverse("programme:member", args=[member.pk])).content.decode()
    assert "0912345678" in page and "an@example.vn" in page


def test_withdrawn_consent_hides_contact_and_refuses_invitations(tree, make_user, client):
    member = _member(tree.bombo)
    campaign = Campaign.objects.create(
        unit=tree.bombo, title="Tháng NQ57", starts_on=D(2025, 5, 1), ends_on=D(2025, 5, 31)
    )
    invitation = services.invite(actor=None, member=member, campaign=campaign)
    with pytest.raises(ValidationError):
        services.invite(actor=None, member=member, campaign=campaign)  # once per campaign
    services.engagement_record(
        actor=None, invitation=invitation, attended=True, contributed=True, shared=False
    )
    services.consent_withdraw(actor=None, member=member, on=D(2025, 6, 1))
    member.refresh_from_db()
    assert (member.phone, member.email, member.has_consent) == ("", "", False)
    event = activity_record(actor=None, unit=tree.bombo, kind=ActivityKind.EVENT,
                            date=D(2025, 6, 10), title="Ngày hội số", counts={})  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.invite(actor=None, member=member, activity=event)
    assert "TS. Nguyễn Văn An" in exc.value.messages[0]
    assert NetworkInvitation.objects.count() == 1
    client.force_login(make_user(tree.bombo, Role.REPORTER))
    page = client.get(reverse("programme:member", args=[member.pk])).content.decode()
    assert "0912345678" not in page and "an@example.vn" not in page


def test_bad_member_input(tree):
    with pytest.raises(ValidationError) as exc:
        services.member_save(actor=None, unit=tree.bombo, kind="x", name="", phone="12",
                             email="not-an-email")  # fmt: skip
    assert {"kind", "name", "phone", "email"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:  # a contact without consent is not kept
        services.member_save(actor=None, unit=tree.bombo, kind=MemberKind.PRESS, name="Báo X",
                             phone="0912345678")  # fmt: skip
    assert "consent_on" in exc.value.message_dict
    _member(tree.bombo)
    with pytest.raises(ValidationError):
        _member(tree.bombo)  # the same member twice
    assert NetworkMember.objects.count() == 1


def _sheet(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_sheet_all_or_nothing_and_export_masks(tree, make_user, client):
    manager = make_user(tree.bombo, Role.REPORTER)
    header = ["Mã", "Loại", "Tên", "Tổ chức", "Lĩnh vực", "ĐT", "Email", "Đồng ý", "Rút"]
    bad = _sheet([header,
                  ["25405", "community_team", "Tổ CNS ấp 1", "", "", "", "", "", ""],
                  ["25405", "không rõ", "A", "", "", "", "", "", ""],
                  ["25405", "press", "Báo B", "", "", "0912345678", "", "", ""]])  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        import_members(actor=manager, data=bad)
    assert [m.split(":")[0].split()[-1] for m in exc.value.messages] == ["3", "4"]
    assert not NetworkMember.objects.exists()
    good = _sheet([header,
                   ["25405", "community_team", "Tổ CNS ấp 1", "", "", "", "", "", ""],
                   ["25405", "press", "Báo B", "", "", "0912345678", "", "01/02/2025", ""]])  # fmt: skip
    assert len(import_members(actor=manager, data=good)) == 2
    client.force_login(make_user(tree.bombo, Role.VIEWER))
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("programme:network-export")).content)
    ).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "0912345678" not in values and "09••••••78" in values


def test_api_masks_and_scopes(tree, make_user, api_client):
    _member(tree.bombo)
    _member(tree.xuanlap, "Ông Xuân Lập")
    viewer = make_user(tree.bombo, Role.VIEWER)
    api_client.force_authenticate(viewer)
    listed = api_client.get("/api/v1/network-members/").json()
    rows = listed.get("results", listed)
    assert [r["name"] for r in rows] == ["TS. Nguyễn Văn An"]
    assert rows[0]["contact"]["phone"] == "09••••••78" and "phone" not in rows[0]
