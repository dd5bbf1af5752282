"""Channel accounts: tokens encrypted at rest and rotatable, never logged, shown or audited;
connecting verified with the platform (the fake servers), refreshed before expiry, a refusal
or a 401 → "needs reconnecting" with a notice to the unit's administrators; scoping."""

import datetime
import logging

import pytest
from auditlog.models import LogEntry
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from lantoa.channels import secrets
from lantoa.channels.choices import AccountStatus, Platform
from lantoa.channels.models import ChannelAccount
from lantoa.channels.platforms import Unauthorized
from lantoa.channels.services import (
    account_connect,
    account_disconnect,
    account_refresh,
    accounts_refresh_due,
    with_account,
)
from lantoa.orgs.choices import Role
from lantoa.orgs.models import Notification
from tests.fakes import platforms as fakes

fake_graph, fake_zalo, fake_youtube = fakes.fake_graph, fakes.fake_zalo, fakes.fake_youtube


@pytest.fixture
def admin(tree, make_user):
    return make_user(tree.bombo, Role.ADMINISTRATOR, username="qt.bombo")


def stored(pk, column="access_token") -> str:
    """The column as the database holds it (no model, no decryption)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM channels_channelaccount WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def connect_zalo(fake, unit, actor, *, expires_in=90000, **extra):
    access, refresh = fake.add_oa("579", "Xã Bom Bo")
    account = account_connect(actor=actor, unit=unit, platform=Platform.ZALO, remote_id="579",
                              access_token=access, refresh_token=refresh, expires_in=expires_in, **extra)  # fmt: skip
    return account, access, refresh


def test_tokens_are_encrypted_at_rest_and_rotatable(tree, admin, fake_zalo, settings):
    first, second = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.LANTOA_CHANNEL_KEYS = first
    account, access, refresh = connect_zalo(fake_zalo, tree.bombo, admin)
    raw = stored(account.pk)
    assert access not in raw and raw.startswith("fernet:")
    assert refresh not in stored(account.pk, "refresh_token")
    assert secrets.reveal(raw) == access
    # A new key first, the old after it: the old still decrypts.
    settings.LANTOA_CHANNEL_KEYS = f"{second},{first}"
    assert secrets.reveal(stored(account.pk)) == access
    out = __import__("io").StringIO()
    call_command("rotate_channel_keys", stdout=out)
    assert "1 account(s)" in out.getvalue() and stored(account.pk) != raw
    # The old key removed: the rotated tokens open, and the account still works.
    settings.LANTOA_CHANNEL_KEYS = second
    account.refresh_from_db()
    assert secrets.reveal(account.access_token) == access
    assert secrets.reveal(account.refresh_token) == refresh
    assert with_account(account, lambda client: client.verify())["id"] == "579"
    # A key that opens nothing says so (never the token).
    settings.LANTOA_CHANNEL_KEYS = Fernet.generate_key().decode()
    with pytest.raises(ImproperlyConfigured) as refused:
        secrets.reveal(account.access_token)
    assert access not in str(refused.value)


def test_production_without_keys_fails_its_system_check(settings):
    settings.LANTOA_CHANNEL_KEYS = ""
    assert secrets.check_keys() == []  # the tests may use the development key
    settings.CHANNEL_DEVELOPMENT_KEY = False
    settings.DEBUG = False
    assert [e.id for e in secrets.check_keys()] == ["lantoa.channels.E001"]
    with pytest.raises(ImproperlyConfigured):
        secrets.seal("x")
    settings.LANTOA_CHANNEL_KEYS = "not-a-key"
    assert [e.id for e in secrets.check_keys()] == ["lantoa.channels.E002"]


def test_tokens_never_in_logs_pages_api_nor_audit(
    tree, admin, fake_zalo, client, api_client, caplog
):
    caplog.set_level(logging.DEBUG)
    account, access, refresh = connect_zalo(fake_zalo, tree.bombo, admin)
    fake_zalo.revoke(access)
    fake_zalo.revoke(refresh)
    with pytest.raises(Unauthorized):
        with_account(account, lambda c: c.send_text("84901", "Xin chào"))
    client.force_login(admin)
    pages = [
        client.get(reverse("channels:accounts")),
        client.get(reverse("channels:account", args=[account.pk])),
    ]
    api_client.force_authenticate(admin)
    listed = api_client.get("/api/v1/channel-accounts/")
    assert listed.status_code == 200 and listed.json()["results"][0]["remote_id"] == "579"
    audit = " ".join(str(e.changes) + str(e.additional_data) for e in LogEntry.objects.all())
    for secret in (access, refresh, stored(account.pk)):
        assert secret not in caplog.text
        assert all(secret not in page.content.decode() for page in pages)
        assert secret not in listed.content.decode()
        assert secret not in audit
    assert "đã lưu" in pages[1].content.decode() or "saved" in pages[1].content.decode()


def test_connect_verifies_the_token_with_the_platform(tree, admin, fake_graph, fake_youtube):
    token = fake_graph.add_page("1001", "UBND xã Bom Bo")
    with pytest.raises(ValidationError) as refused:
        account_connect(actor=admin, unit=tree.bombo, platform=Platform.FACEBOOK, remote_id="1001",
                        name="", access_token="EAAG-sai")  # fmt: skip
    assert "Error validating access token" in str(refused.value)
    with pytest.raises(ValidationError):  # the token of another page
        account_connect(actor=admin, unit=tree.bombo, platform=Platform.FACEBOOK, remote_id="2002",
                        access_token=token)  # fmt: skip
    fake_graph.fail("timeout")
    with pytest.raises(ValidationError) as unreachable:
        account_connect(actor=admin, unit=tree.bombo, platform=Platform.FACEBOOK, remote_id="1001",
                        access_token=token)  # fmt: skip
    assert str(unreachable.value.messages[0]) == gettext(
        "The platform could not be reached to check the token; try again later."
    )
    assert not ChannelAccount.objects.exists()
    page = account_connect(actor=admin, unit=tree.bombo, platform=Platform.FACEBOOK, remote_id="1001",
                           access_token=token)  # fmt: skip
    assert page.name == "UBND xã Bom Bo" and page.status == AccountStatus.CONNECTED
    access, refresh = fake_youtube.add_channel("UCbombo", "Kênh xã Bom Bo")
    channel = account_connect(actor=admin, unit=tree.bombo, platform=Platform.YOUTUBE, remote_id="UCbombo",
                              access_token=access, refresh_token=refresh, expires_in=3599)  # fmt: skip
    assert channel.token_expires_at > timezone.now()
    with pytest.raises(ValidationError):  # TikTok: no client
        account_connect(
            actor=admin, unit=tree.bombo, platform=Platform.TIKTOK, remote_id="x", access_token="t"
        )


def test_only_the_units_administrator_connects(tree, admin, make_user, fake_zalo):
    editor = make_user(tree.bombo, Role.EDITOR)
    other_admin = make_user(tree.xuanlap, Role.ADMINISTRATOR)
    access, _ = fake_zalo.add_oa("579", "Xã Bom Bo")
    for actor in (editor, other_admin):
        with pytest.raises(PermissionDenied):
            account_connect(
                actor=actor,
                unit=tree.bombo,
                platform=Platform.ZALO,
                remote_id="579",
                access_token=access,
            )
    account = account_connect(
        actor=admin, unit=tree.bombo, platform=Platform.ZALO, remote_id="579", access_token=access
    )
    # The same OA cannot be taken by another unit.
    with pytest.raises(ValidationError):
        account_connect(
            actor=other_admin,
            unit=tree.xuanlap,
            platform=Platform.ZALO,
            remote_id="579",
            access_token=access,
        )
    with pytest.raises(PermissionDenied):
        account_disconnect(actor=other_admin, account=account)


def test_refresh_before_expiry_rotates_the_refresh_token(tree, admin, fake_zalo):
    account, access, refresh = connect_zalo(fake_zalo, tree.bombo, admin)
    assert accounts_refresh_due() == (0, 0)  # 25 hours left: not due
    soon = timezone.now() + datetime.timedelta(hours=30)
    assert accounts_refresh_due(soon) == (1, 0)
    account.refresh_from_db()
    new_access, new_refresh = (
        secrets.reveal(account.access_token),
        secrets.reveal(account.refresh_token),
    )
    assert new_access != access and new_refresh != refresh and new_access in fake_zalo.tokens
    assert account.token_expires_at > timezone.now() + datetime.timedelta(hours=24)
    assert account.status == AccountStatus.CONNECTED


def test_a_failed_refresh_asks_the_administrators_to_reconnect(tree, admin, fake_zalo, make_user):
    viewer = make_user(tree.bombo, Role.VIEWER)
    account, access, refresh = connect_zalo(fake_zalo, tree.bombo, admin)
    fake_zalo.fail("500", path="/v4/oa/access_token")
    assert account_refresh(account) is False  # unreachable: tried again later, nothing changed
    account.refresh_from_db()
    assert account.status == AccountStatus.CONNECTED
    fake_zalo.revoke(refresh)
    out = __import__("io").StringIO()
    call_command("refresh_channel_tokens", stdout=out)  # not due yet
    ChannelAccount.objects.filter(pk=account.pk).update(token_expires_at=timezone.now())
    call_command("refresh_channel_tokens", stdout=out)
    assert "1 failed" in out.getvalue()
    account.refresh_from_db()
    assert (
        account.status == AccountStatus.RECONNECT
        and "Refresh token is invalid" in account.status_reason
    )
    (notice,) = Notification.objects.filter(user=admin)
    assert "Xã Bom Bo" in notice.text and notice.url == reverse(
        "channels:account", args=[account.pk]
    )
    assert not Notification.objects.filter(user=viewer).exists()
    # Reconnecting with new tokens puts it back.
    access2, refresh2 = fake_zalo.add_oa("579", "Xã Bom Bo")
    account_connect(actor=admin, unit=tree.bombo, platform=Platform.ZALO, remote_id="579",
                    access_token=access2, refresh_token=refresh2, expires_in=90000)  # fmt: skip
    account.refresh_from_db()
    assert account.status == AccountStatus.CONNECTED and not account.status_reason


def test_a_401_mid_call_refreshes_once_then_asks_to_reconnect(tree, admin, fake_zalo, fake_graph):
    account, access, refresh = connect_zalo(fake_zalo, tree.bombo, admin)
    fake_zalo.revoke(access)  # the access token lapsed early: the refresh token saves the call
    assert with_account(account, lambda c: c.send_text("84901", "Xin chào"))
    assert account.status == AccountStatus.CONNECTED and len(fake_zalo.messages) == 1
    token = fake_graph.add_page("1001", "UBND xã Bom Bo")
    page = account_connect(actor=admin, unit=tree.bombo, platform=Platform.FACEBOOK, remote_id="1001",
                           access_token=token)  # fmt: skip
    fake_graph.revoke(token)
    with pytest.raises(Unauthorized):
        with_account(page, lambda c: c.verify())
    page.refresh_from_db()
    assert page.status == AccountStatus.RECONNECT and "190" not in page.status_reason
    assert "Error validating access token" in page.status_reason
    assert Notification.objects.filter(user=admin).count() == 1
    with pytest.raises(Unauthorized):  # paused: no call made, no second notice
        with_account(page, lambda c: c.verify())
    assert Notification.objects.filter(user=admin).count() == 1


def test_disconnect_forgets_the_tokens(tree, admin, fake_zalo):
    account, _, _ = connect_zalo(fake_zalo, tree.bombo, admin, answers_questions=True)
    account_disconnect(actor=admin, account=account)
    account.refresh_from_db()
    assert account.status == AccountStatus.DISCONNECTED and not account.answers_questions
    assert stored(account.pk) == "" and stored(account.pk, "refresh_token") == ""


def test_pages_are_scoped(tree, admin, make_user, fake_zalo, client, api_client):
    account, access, _ = connect_zalo(fake_zalo, tree.bombo, admin)
    stranger = make_user(tree.xuanlap, Role.ADMINISTRATOR, username="qt.xuanlap")
    api_client.force_authenticate(stranger)
    assert api_client.get("/api/v1/channel-accounts/").json()["results"] == []
    assert api_client.get(f"/api/v1/channel-accounts/{account.pk}/").status_code == 404
    # The province sees its subtree's accounts.
    api_client.force_authenticate(make_user(tree.dongnai, Role.VIEWER))
    assert [a["id"] for a in api_client.get("/api/v1/channel-accounts/").json()["results"]] == [
        account.pk
    ]
    client.force_login(stranger)
    assert client.get(reverse("channels:account", args=[account.pk])).status_code == 404
    listing = client.get(reverse("channels:accounts")).content.decode()
    assert "579" not in listing
    # Connecting for another commune through a forged form is refused.
    response = client.post(reverse("channels:accounts"), {"unit": tree.bombo.pk, "platform": Platform.ZALO,
                           "remote_id": "580", "access_token": access})  # fmt: skip
    assert response.status_code == 200 and ChannelAccount.objects.count() == 1
    assert client.post(reverse("channels:account-disconnect", args=[account.pk])).status_code == 404
    # A viewer of the commune sees the account but no form.
    client.force_login(make_user(tree.bombo, Role.VIEWER, username="xem.bombo"))
    page = client.get(reverse("channels:account", args=[account.pk])).content.decode()
    assert "579" in page and 'name="access_token"' not in page
    assert client.post(reverse("channels:account-disconnect", args=[account.pk])).status_code == 403


def test_the_old_global_zalo_token_becomes_an_account(tree, fake_zalo, settings):
    access, _ = fake_zalo.add_oa("579", "Xã Bom Bo")
    settings.ZALO_ACCESS_TOKEN = access
    out = __import__("io").StringIO()
    call_command("zalo_account_from_settings", unit="25405", oa_id="579", stdout=out)
    account = ChannelAccount.objects.get()
    assert account.answers_questions and account.unit == tree.bombo and account.name == "Xã Bom Bo"
    assert access not in out.getvalue() and access not in stored(account.pk)
