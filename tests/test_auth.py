"""Signing in and out, lockout after repeated failures, password change and reset."""

import re

from django.core import mail
from django.urls import reverse

from lantoa.orgs.choices import Role

from .conftest import PASSWORD


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_lands_on_home_with_my_unit(tree, client, make_user):
    make_user(tree.bombo, Role.REPORTER, username="reporter.bombo", full_name="Trần Thị B")
    response = _login(client, "reporter.bombo", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    page = client.get(reverse("home")).content.decode()
    assert "Xã Bom Bo" in page and "Trần Thị B" in page


def test_wrong_password_says_so_in_vietnamese(tree, client, make_user):
    make_user(tree.bombo, username="ntb")
    page = _login(client, "ntb", "sai-mat-khau").content.decode()
    assert "mật khẩu chính xác" in page  # from Django's Vietnamese catalogue
    assert client.get(reverse("home")).status_code == 302


def test_account_locks_after_repeated_failures(tree, client, make_user, settings):
    make_user(tree.bombo, username="ntb")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "ntb", "wrong").status_code == 200
    locked = _login(client, "ntb", "wrong")
    assert locked.status_code == 429
    assert "15" in locked.content.decode()
    # Even the right password is refused while locked.
    assert _login(client, "ntb", PASSWORD).status_code == 429
    assert client.get(reverse("home")).status_code == 302


def test_lockout_is_per_user_name(tree, client, make_user, settings):
    make_user(tree.bombo, username="ntb")
    make_user(tree.bombo, username="colleague")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "ntb", "wrong")
    assert _login(client, "colleague", PASSWORD).status_code == 302


def test_password_change(tree, client, make_user):
    user = make_user(tree.bombo, username="ntb")
    client.force_login(user)
    bad = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "x", "new_password2": "y"},
    )
    assert bad.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    new = "Lan-toa-moi-2026!"
    ok = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_reset_by_email(tree, client, make_user):
    user = make_user(tree.bombo, username="ntb")
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/reset/[^\s]+/", mail.outbox[0].body).group(0)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new = "Lan-toa-moi-2026!"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    # The link works once.
    assert client.get(link, follow=True).context["validlink"] is False


def test_password_reset_does_not_reveal_unknown_addresses(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.vn"})
    assert response.status_code == 302 and len(mail.outbox) == 0


def test_logout_is_a_post(tree, client, make_user):
    client.force_login(make_user(tree.bombo))
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302
