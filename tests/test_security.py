"""Production hardening: the client's address behind a proxy, limits in a shared cache, secure
headers, a fresh server's first migrate, tokens that die with the password."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

from django.test import RequestFactory
from django.urls import reverse
from knox.models import get_token_model

from lantoa.core.clientip import client_ip
from lantoa.orgs.choices import Role

from .conftest import PASSWORD
from .test_assistant import _signed, fake_zalo  # noqa: F401  the fake Zalo OA

SRC = Path(__file__).resolve().parents[1] / "src"


def _login(client, username, password, forwarded):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        headers={"X-Forwarded-For": forwarded},
        REMOTE_ADDR="10.0.0.2",  # the proxy
    )


def test_the_client_address_is_taken_behind_the_configured_proxies(settings):
    factory = RequestFactory()

    def address(forwarded=None, proxies=0):
        settings.LANTOA_TRUSTED_PROXIES = proxies
        headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
        return client_ip(factory.get("/", headers=headers, REMOTE_ADDR="10.0.0.2"))

    # No proxy configured: the header is the client's own word and counts for nothing.
    assert address("203.0.113.7") == "10.0.0.2"
    # One proxy: it appended the address it saw; whatever the client wrote before is ignored.
    assert address("1.1.1.1, 203.0.113.7", proxies=1) == "203.0.113.7"
    assert address("203.0.113.7", proxies=1) == "203.0.113.7"
    # Two proxies: the second from the right.
    assert address("1.1.1.1, 203.0.113.7, 10.0.0.9", proxies=2) == "203.0.113.7"
    # Fewer addresses than proxies, garbage, or no header: the connection's own address.
    assert address("203.0.113.7", proxies=2) == "10.0.0.2"
    assert address("not-an-address", proxies=1) == "10.0.0.2"
    assert address(None, proxies=1) == "10.0.0.2"


def test_behind_a_proxy_one_client_is_locked_out_not_everyone(tree, client, make_user, settings):
    settings.LANTOA_TRUSTED_PROXIES = 1
    make_user(tree.bombo, username="ntb")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "ntb", "wrong", "198.51.100.1")
    assert _login(client, "ntb", PASSWORD, "198.51.100.1").status_code == 429
    # Another office behind the same proxy still signs in with the right password.
    assert _login(client, "ntb", PASSWORD, "198.51.100.2").status_code == 302


def test_the_token_endpoint_cannot_be_dodged_by_forging_forwarded_for(db, api_client, settings):
    settings.LANTOA_TRUSTED_PROXIES = 0
    statuses = [
        api_client.post(
            "/api/v1/auth/token/",
            {"username": f"guess{n}", "password": "wrong"},  # no lockout: a new name each time
            format="json",
            headers={"X-Forwarded-For": f"192.0.2.{n}"},
        ).status_code
        for n in range(12)
    ]
    assert statuses[-1] == 429  # ten a minute per address, whatever the header says


def test_behind_a_proxy_each_citizen_has_their_own_question_budget(tree, client, settings):
    settings.LANTOA_TRUSTED_PROXIES = 1
    settings.ASSISTANT_RATE_PER_MINUTE = 2
    url = reverse("assistant:ask", args=[tree.bombo.code])

    def ask(forwarded):
        return client.post(
            url,
            {"q": "cccd làm ở đâu"},
            headers={"X-Forwarded-For": forwarded},
            REMOTE_ADDR="10.0.0.2",
        ).status_code

    assert [ask("198.51.100.1") for _ in range(3)] == [200, 200, 429]
    assert ask("198.51.100.2") == 200
    # A client writing its own X-Forwarded-For does not get a fresh budget.
    assert ask("9.9.9.9, 198.51.100.1") == 429


def _redis_up() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def _run(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(SRC), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_two_server_processes_share_the_rate_limit_through_redis():
    assert _redis_up(), "Redis must run on 127.0.0.1:6379 for this test"
    client = f"test-{uuid.uuid4().hex}"
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'lantoa.settings');"
        "django.setup();"
        "from django.conf import settings;"
        "from lantoa.assistant import ratelimit;"
        "print(settings.CACHES['default']['BACKEND']);"
        f"print(sum(ratelimit.allow({client!r}, limit=5) for _ in range(4)))"
    )
    env = {"LANTOA_CACHE_URL": "redis://127.0.0.1:6379/0", "LANTOA_TESTING": "1"}
    first, second = _run(code, env), _run(code, env)
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    backend, allowed = first.stdout.split()
    assert backend == "django.core.cache.backends.redis.RedisCache" and allowed == "4"
    # The second process sees the first one's questions: only one more is allowed.
    assert second.stdout.split()[1] == "1"


def test_production_settings_are_secure(tmp_path):
    code = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'lantoa.settings');"
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER, s.LANTOA_TRUSTED_PROXIES,"
        " s.CACHES['default']['BACKEND'])"
    )
    env = {
        "LANTOA_SECRET_KEY": "k" * 50,
        "LANTOA_DATA_DIR": str(tmp_path),
        "LANTOA_TRUSTED_PROXIES": "1",
        "LANTOA_DEBUG": "",
        "LANTOA_TESTING": "",
    }
    out = _run(code, env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [
        "31536000",
        "True",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "1",
        "django.core.cache.backends.locmem.LocMemCache",
    ]
    bad = _run(code, {**env, "LANTOA_TRUSTED_PROXIES": "two"})
    assert bad.returncode != 0 and "LANTOA_TRUSTED_PROXIES" in bad.stderr


def test_pages_carry_a_content_security_policy(tree, client, settings):
    settings.LANTOA_CSP = True
    page = client.get(reverse("login"))
    policy = page["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    # The compact assistant may be framed by the units' websites, and by nothing else on ours.
    embed = client.get(reverse("assistant:ask", args=[tree.bombo.code]) + "?embed=1")
    assert "frame-ancestors *" in embed["Content-Security-Policy"]


def test_a_fresh_server_migrates_into_a_data_directory_not_yet_made(tmp_path):
    data = tmp_path / "var" / "lantoa"
    out = subprocess.run(
        [sys.executable, "-m", "lantoa", "migrate", "--verbosity", "0"],
        env={
            **os.environ,
            "PYTHONPATH": str(SRC),
            "LANTOA_DATA_DIR": str(data),
            "LANTOA_SECRET_KEY": "k" * 50,
            "LANTOA_DATABASE_URL": "",
            "LANTOA_TESTING": "1",
        },
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert (data / "lantoa.sqlite3").is_file()


# Tokens ---------------------------------------------------------------------------------


def _token(api_client, username, password=PASSWORD):
    return api_client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )


def _works(token) -> bool:
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api.get("/api/v1/me/").status_code == 200


NEW = "Lan-toa-moi-2026!"


def test_a_password_change_ends_the_accounts_tokens(tree, client, api_client, make_user):
    user = make_user(tree.bombo, username="ntb")
    token = _token(api_client, "ntb").json()["token"]
    assert _works(token)
    client.force_login(user)
    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert not _works(token)
    assert not get_token_model().objects.filter(user=user).exists()


def test_a_password_reset_ends_the_accounts_tokens(tree, client, api_client, make_user):
    import re

    from django.core import mail

    user = make_user(tree.bombo, username="ntb")
    token = _token(api_client, "ntb").json()["token"]
    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"https?://[^\s]+/reset/[^\s]+/", mail.outbox[0].body).group(0)
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert not _works(token)


def test_an_admin_setting_the_password_ends_the_accounts_tokens(
    tree, client, api_client, make_user
):
    user = make_user(tree.bombo, username="ntb")
    token = _token(api_client, "ntb").json()["token"]
    admin = make_user(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": NEW, "password2": NEW, "usable_password": "true"},
    )
    assert response.status_code == 302
    assert not _works(token)
    # Saving the account without touching the password keeps its tokens.
    other = _token(api_client, "ntb", NEW).json()["token"]
    user.refresh_from_db()
    user.full_name = "Nguyễn Thị B"
    user.save()
    assert _works(other)


def test_the_number_of_tokens_per_account_is_capped(tree, api_client, make_user, settings):
    from lantoa.orgs.api import token_limit

    make_user(tree.bombo, username="ntb")
    limit = token_limit()
    assert limit == settings.REST_KNOX["TOKEN_LIMIT_PER_USER"]
    get_model = get_token_model()
    user = get_model._meta.get_field("user").related_model.objects.get(username="ntb")
    for _ in range(limit):
        get_model.objects.create(user=user)
    refused = _token(api_client, "ntb")
    assert refused.status_code == 403
    assert "20" in refused.json()["detail"]
    assert get_model.objects.filter(user=user).count() == limit


# The Zalo webhook ---------------------------------------------------------------------------


def _zalo_post(client, url, event, *, signed_timestamp=None):
    import json

    body = json.dumps(event).encode()
    stamp = signed_timestamp if signed_timestamp is not None else str(event.get("timestamp", ""))
    return client.post(
        url,
        body,
        content_type="application/json",
        headers={"X-ZEvent-Signature": _signed(body, stamp)},
    )


def _zalo_event(stamp_ms, msg_id="m1", **extra):
    event = {"app_id": "4321", "event_name": "user_send_text", "timestamp": str(stamp_ms),
             "sender": {"id": "84901"}, "recipient": {"id": "oa"},
             "message": {"text": "cccd lam o dau", "msg_id": msg_id}}  # fmt: skip
    event.update(extra)
    return event


def test_a_signed_zalo_message_cannot_be_replayed(tree, client, fake_zalo):  # noqa: F811
    import time

    from lantoa.assistant.models import Question
    from lantoa.assistant.zalo import REPLAY_WINDOW

    url = reverse("assistant:zalo", args=[tree.bombo.code])
    now_ms = int(time.time() * 1000)
    event = _zalo_event(now_ms)
    assert _zalo_post(client, url, event).status_code == 200
    assert Question.objects.count() == 1 and len(fake_zalo.received) == 1
    # The same signed call again (a replay, or Zalo retrying): nothing asked, nothing sent.
    again = _zalo_post(client, url, event)
    assert again.status_code == 200
    assert Question.objects.count() == 1 and len(fake_zalo.received) == 1
    # The same message id re-signed with a new timestamp is still the same message.
    assert _zalo_post(client, url, _zalo_event(now_ms + 1000)).status_code == 200
    assert Question.objects.count() == 1
    # A message signed long ago (or far in the future) is refused.
    window_ms = int(REPLAY_WINDOW.total_seconds() * 1000)
    old = _zalo_post(client, url, _zalo_event(now_ms - window_ms - 60_000, msg_id="m2"))
    future = _zalo_post(client, url, _zalo_event(now_ms + window_ms + 60_000, msg_id="m3"))
    assert old.status_code == 403 and future.status_code == 403
    bad = _zalo_post(client, url, _zalo_event("hôm qua", msg_id="m4"))
    assert bad.status_code == 400
    assert Question.objects.count() == 1 and len(fake_zalo.received) == 1


def test_a_zalo_body_of_the_wrong_shape_is_a_400(tree, client, fake_zalo):  # noqa: F811
    import time

    url = reverse("assistant:zalo", args=[tree.bombo.code])
    now_ms = int(time.time() * 1000)
    for n, shape in enumerate(
        [
            {"sender": "84901"},
            {"sender": ["84901"]},
            {"sender": {"id": {"x": 1}}},
            {"sender": {"id": ""}},
            {"message": "cccd"},
            {"message": {"text": ["cccd"]}},
        ]
    ):
        event = _zalo_event(now_ms, msg_id=f"w{n}", **shape)
        assert _zalo_post(client, url, event).status_code == 400, shape
    for body in (b"[]", b"1", b"null", b"\xff"):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400


# Questions never travel in the address ------------------------------------------------------


def test_the_widget_asks_by_post_so_no_question_reaches_an_access_log(tree):
    from django.test import Client

    from lantoa.assistant.models import Question

    browser = Client(enforce_csrf_checks=True)  # in a website's frame: no cookies, no token
    url = reverse("assistant:ask", args=[tree.bombo.code])
    frame = browser.get(url + "?embed=1").content.decode()
    assert 'method="post"' in frame and 'method="get"' not in frame
    question = "số tôi 0912345678, CCCD 079123456789 làm ở đâu"
    asked = browser.post(url + "?embed=1", {"q": question})
    assert asked.status_code == 200 and "X-Frame-Options" not in asked
    assert Question.objects.count() == 1
    # A question in the address is not asked (nor echoed back): links never carry one.
    linked = browser.get(url + "?embed=1&q=" + question)
    assert linked.status_code == 200 and Question.objects.count() == 1
    assert "079123456789" not in linked.content.decode()
    # The full page still wants its CSRF token.
    assert browser.post(url, {"q": question}).status_code == 403


# Members and units --------------------------------------------------------------------------


def test_a_focal_point_cannot_take_in_an_account_from_elsewhere(tree, client, make_user):
    from django.core import mail

    from lantoa.orgs.models import Membership

    make_user(tree.xuanlap, Role.REPORTER, username="cb.xuanlap", full_name="Lê Văn Xuân")
    make_user(tree.vhxh, Role.VIEWER, username="cb.vhxh", full_name="Phạm Thị Hòa")
    client.force_login(make_user(tree.bombo, Role.FOCAL_POINT))
    url = reverse("orgs:members", args=[tree.school.pk])
    refused = client.post(url, {"username": "cb.xuanlap", "role": "viewer"})
    assert refused.status_code == 200 and refused.context["form"].errors
    page = refused.content.decode()
    assert "Lê Văn Xuân" not in page
    assert not Membership.objects.filter(user__username="cb.xuanlap", unit=tree.school).exists()
    # Someone already in the commune's tree is added, by name.
    granted = client.post(url, {"username": "cb.vhxh", "role": "viewer"}, follow=True)
    assert "Phạm Thị Hòa" in granted.content.decode()
    assert Membership.objects.filter(user__username="cb.vhxh", unit=tree.school).exists()
    # Someone new is invited by e-mail.
    client.post(
        url,
        {"username": "gv.moi", "role": "viewer", "full_name": "Giáo viên Mới",
         "email": "gvmoi@truong.edu.vn"},
    )  # fmt: skip
    assert mail.outbox[-1].to == ["gvmoi@truong.edu.vn"]


def test_the_api_cannot_take_in_an_account_from_elsewhere(tree, api_client, make_user):
    make_user(tree.xuanlap, Role.REPORTER, username="cb.xuanlap", full_name="Lê Văn Xuân")
    api_client.force_authenticate(make_user(tree.bombo, Role.FOCAL_POINT))
    response = api_client.post(
        "/api/v1/memberships/",
        {"username": "cb.xuanlap", "unit_code": tree.school.code, "role": "viewer"},
        format="json",
    )
    assert response.status_code == 400 and "Lê Văn Xuân" not in response.content.decode()


def test_units_of_the_national_list_keep_their_names(tree, client, api_client, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    client.force_login(focal)
    edit = reverse("orgs:edit", args=[tree.bombo.pk])
    assert client.get(edit).context["form"].fields["name"].disabled
    client.post(edit, {"code": tree.bombo.code, "name": "Xã Bom Bo Mới", "kind": tree.bombo.kind})
    tree.bombo.refresh_from_db()
    assert tree.bombo.name == "Xã Bom Bo"
    api_client.force_authenticate(focal)
    patched = api_client.patch(
        f"/api/v1/units/{tree.bombo.pk}/", {"name": "Xã Bom Bo Mới"}, format="json"
    )
    assert patched.status_code == 400
    tree.bombo.refresh_from_db()
    assert tree.bombo.name == "Xã Bom Bo"
    # The commune's own offices are the commune's to name.
    office = client.post(
        reverse("orgs:edit", args=[tree.vhxh.pk]),
        {"code": tree.vhxh.code, "name": "Phòng VH-XH", "kind": tree.vhxh.kind},
    )
    assert office.status_code == 302


# Assistant documents are reviewed before they are public --------------------------------------


def test_an_uploaded_document_is_public_only_once_another_person_approves_it(
    tree, client, make_user, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from lantoa.assistant.index import forget
    from lantoa.assistant.models import Document, Passage

    from .test_assistant import GUIDE

    forget()
    editor = make_user(tree.bombo, Role.APPROVER, username="bientap")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("assistant:documents"),
            {"unit": tree.bombo.pk, "file": SimpleUploadedFile("noi-bo.txt", GUIDE.encode())},
        )
    document = Document.objects.get(name="noi-bo.txt")
    assert document.status == "ready" and document.review == "pending"
    passage = Passage.objects.filter(document=document).first()
    url = reverse("assistant:passage", args=[passage.pk])
    citizen = Client()
    assert citizen.get(url).status_code == 404
    asked = citizen.post(reverse("assistant:ask", args=[tree.bombo.code]), {"q": "cccd làm ở đâu"})
    assert "Công an xã" not in asked.content.decode()
    # The unit's staff preview it.
    assert client.get(url).status_code == 200
    page = client.get(reverse("assistant:documents")).content.decode()
    assert "Chờ duyệt" in page
    # The uploader cannot approve their own document.
    publish = reverse("assistant:document-publish", args=[document.pk])
    seen = {"checksum": document.checksum}
    client.post(publish, seen)
    document.refresh_from_db()
    assert document.review == "pending"
    # An editor cannot approve at all; another approver of the unit can.
    client.force_login(make_user(tree.bombo, Role.EDITOR))
    assert client.post(publish, seen).status_code in (403, 404)
    document.refresh_from_db()
    assert document.review == "pending"
    approver = make_user(tree.bombo, Role.APPROVER, username="pheduyet")
    client.force_login(approver)
    assert client.post(publish, seen).status_code == 302
    document.refresh_from_db()
    assert document.review == "published" and document.reviewed_by == approver
    assert citizen.get(url).status_code == 200
    asked = citizen.post(reverse("assistant:ask", args=[tree.bombo.code]), {"q": "cccd làm ở đâu"})
    assert "Công an xã" in asked.content.decode()
    forget()


# API errors speak the caller's language ------------------------------------------------------

_VIETNAMESE = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý")


def test_api_errors_follow_the_requests_language(tree, api_client, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)

    def errors(**request):
        api = __import__("rest_framework.test", fromlist=["APIClient"]).APIClient()
        lang = request.pop("lang", None)
        query = f"?lang={lang}" if lang else ""
        bodies = [
            api.get("/api/v1/me/" + query, **request),
            api.post("/api/v1/assistant/ask/" + query, {"question": "cccd", "unit": "KHONG-CO"},
                     format="json", **request),
        ]  # fmt: skip
        api.force_authenticate(focal)
        bodies += [
            api.post("/api/v1/memberships/" + query, {"username": "x", "unit_code": tree.school.code,
                     "role": "vua"}, format="json", **request),
            api.get("/api/v1/units/999999/" + query, **request),
            api.post("/api/v1/activities/" + query, {}, format="json", **request),
        ]  # fmt: skip
        assert all(400 <= b.status_code < 500 for b in bodies)
        return [b.content.decode() for b in bodies]

    for english in (
        errors(HTTP_ACCEPT_LANGUAGE="en-US,en"),
        errors(lang="en"),
        errors(lang="en", HTTP_ACCEPT_LANGUAGE="vi"),
    ):
        for body in english:
            assert not _VIETNAMESE & set(body.lower()), body
    for body in errors() + errors(HTTP_ACCEPT_LANGUAGE="vi"):
        assert _VIETNAMESE & set(body.lower()), body
        assert "OrgUnit" not in body


def test_the_servers_request_log_masks_numbers_in_addresses():
    import logging

    from lantoa.core.logging import MaskNumbersFilter

    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s %s',
        ('GET /assistant/25405/?embed=1&q=so+0912345678+cccd+079123456789 HTTP/1.1', "200", "512"),
        None,
    )  # fmt: skip
    assert MaskNumbersFilter().filter(record)
    line = record.getMessage()
    assert "0912345678" not in line and "079123456789" not in line
    assert "/assistant/25405/?embed=1" in line and '" 200 512' in line
    # The filter guards the development server's log as configured.
    from django.conf import settings

    assert "mask_numbers" in settings.LOGGING["loggers"]["django.server"]["filters"]


def test_the_audit_log_records_the_address_the_proxies_saw(tree, client, make_user, settings):
    from auditlog.models import LogEntry

    client.force_login(make_user(tree.bombo, Role.FOCAL_POINT))

    def edit(name, forwarded):
        client.post(
            reverse("orgs:edit", args=[tree.vhxh.pk]),
            {"code": tree.vhxh.code, "name": name, "kind": tree.vhxh.kind},
            headers={"X-Forwarded-For": forwarded},
            REMOTE_ADDR="10.0.0.2",
        )
        return LogEntry.objects.get_for_object(tree.vhxh).latest("timestamp").remote_addr

    settings.LANTOA_TRUSTED_PROXIES = 0
    assert edit("Phòng VH-XH", "6.6.6.6") == "10.0.0.2"  # a header from no proxy is ignored
    settings.LANTOA_TRUSTED_PROXIES = 1
    assert edit("Phòng Văn hóa - Xã hội", "6.6.6.6, 198.51.100.1") == "198.51.100.1"


def test_a_zalo_text_without_a_message_id_is_a_400(tree, client, fake_zalo):  # noqa: F811
    import time

    from lantoa.assistant.models import Question

    url = reverse("assistant:zalo", args=[tree.bombo.code])
    event = _zalo_event(int(time.time() * 1000))
    del event["message"]["msg_id"]
    assert _zalo_post(client, url, event).status_code == 400
    assert not Question.objects.exists() and fake_zalo.received == []


def test_a_zalo_call_resent_with_another_spelling_of_its_signature_is_a_duplicate(
    tree,
    client,
    fake_zalo,  # noqa: F811
):
    import json
    import time

    from lantoa.assistant import zalo
    from lantoa.assistant.models import Question

    url = reverse("assistant:zalo", args=[tree.bombo.code])
    event = _zalo_event(int(time.time() * 1000))
    body = json.dumps(event).encode()
    mac = _signed(body, event["timestamp"])
    for header in (mac, mac.removeprefix("mac="), f"  {mac} "):
        response = client.post(
            url, body, content_type="application/json", headers={"X-ZEvent-Signature": header}
        )
        assert response.status_code == 200
    assert Question.objects.count() == 1
    # The call is remembered by what was verified (its body), not by the header as sent.
    from django.core.cache import cache

    digest = zalo.call_digest(body)
    assert cache.get(f"zalo-seen:mac:{digest}") is not None


def test_a_zalo_message_refused_by_the_rate_limit_is_answered_when_resent(
    tree,
    client,
    fake_zalo,  # noqa: F811
    settings,
):
    import time

    from django.core.cache import cache

    from lantoa.assistant.models import Question

    settings.ASSISTANT_RATE_PER_MINUTE = 1
    url = reverse("assistant:zalo", args=[tree.bombo.code])
    now_ms = int(time.time() * 1000)
    assert _zalo_post(client, url, _zalo_event(now_ms, msg_id="r1")).status_code == 200
    limited = _zalo_post(client, url, _zalo_event(now_ms, msg_id="r2"))
    assert limited.json().get("limited")
    assert Question.objects.count() == 1
    # A minute later Zalo delivers it again: it is answered, not taken for a duplicate.
    from lantoa.assistant.ratelimit import client_key

    cache.delete(f"assistant-rate:{client_key('zalo:84901')}")
    resent = _zalo_post(client, url, _zalo_event(now_ms + 60_000 - 1000, msg_id="r2"))
    assert resent.status_code == 200 and not resent.json().get("duplicate")
    assert Question.objects.count() == 2
