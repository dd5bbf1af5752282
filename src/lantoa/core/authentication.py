"""Token authentication for the API: knox tokens, stored hashed and expiring.

Kept apart from the other API pieces: DRF imports authentication classes while its own views
module loads, so this module must not import ``rest_framework.views``.
"""

import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS
from rest_framework import exceptions


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox tokens (stored hashed, with an expiry), telling an expired token from a forged one."""

    def authenticate_credentials(self, token: bytes):
        text = token.decode("utf-8", errors="replace")
        candidates = (
            get_token_model()
            .objects.filter(token_key=text[: CONSTANTS.TOKEN_KEY_LENGTH])
            .select_related("user")
        )
        for auth_token in candidates:
            try:
                digest = hash_token(text)
            except (TypeError, ValueError, binascii.Error):
                break
            if not compare_digest(digest, auth_token.digest):
                continue
            if auth_token.expiry is not None and auth_token.expiry < timezone.now():
                auth_token.delete()
                raise exceptions.AuthenticationFailed(
                    _("This access token has expired. Sign in again for a new one.")
                )
            if not auth_token.user.is_active:
                raise exceptions.AuthenticationFailed(_("This account is disabled."))
            return auth_token.user, auth_token
        raise exceptions.AuthenticationFailed(_("This access token is not valid."))
