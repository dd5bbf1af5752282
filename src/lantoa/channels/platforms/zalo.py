"""Zalo Official Account: articles (OA API v2.0), messages (v3.0) and token refresh (OAuth v4).

Addresses from settings: ``LANTOA_ZALO_OPENAPI_URL`` (https://openapi.zalo.me) and
``LANTOA_ZALO_OAUTH_URL`` (https://oauth.zaloapp.com). The OA access token travels in the
``access_token`` header. Zalo answers HTTP 200 with ``{"error": <code>, "message": …}``; a
non-zero code is an error: -216/-124/-220 (token invalid or expired) mean reconnect or refresh,
-32 is the rate limit.

- verify: ``GET /v2.0/oa/getoa`` (the OA's id and name)
- post: ``POST /v2.0/article/create`` (type ``normal``: title, author, description, cover photo
  URL, a text body) answers a creation ``token``; ``POST /v2.0/article/verify`` turns it into the
  article id. A cover photo URL is required by Zalo: ``entry.cover_url`` when the outbox sets it,
  else ``LANTOA_ZALO_DEFAULT_COVER_URL``, else the post is rejected.
- find: ``GET /v2.0/article/getslice?offset=0&limit=20&type=normal`` and the article whose
  title is the entry's (Zalo keeps no metadata of ours; the title is the evidence).
- delete: ``POST /v2.0/article/remove``
- stats: ``GET /v2.0/article/getdetail?id=…`` (``total_view``, ``total_share``).
- message: ``POST /v3.0/oa/message/cs`` (a reply to a user within the 7-day window).
- refresh: ``POST {oauth}/v4/oa/access_token`` form ``app_id``, ``refresh_token``,
  ``grant_type=refresh_token`` with the app's ``secret_key`` header (``LANTOA_ZALO_APP_ID``,
  ``LANTOA_ZALO_APP_SECRET``). The answer carries a NEW refresh token (each is single-use):
  store both. Access tokens live ~25 hours, refresh tokens 3 months."""

from __future__ import annotations

import html

from django.conf import settings

from .base import (
    Client,
    Posted,
    RateLimited,
    Rejected,
    Transient,
    Unauthorized,
    compose,
    counted,
    empty_stats,
    entry_title,
    refreshed,
    retry_after,
)

UNAUTHORIZED_CODES = {-216, -124, -220, -217, -230}
RATE_CODES = {-32}
TRANSIENT_CODES = {-1, -2, -100}


class ZaloClient(Client):
    platform = "zalo"

    @property
    def base(self) -> str:
        return settings.LANTOA_ZALO_OPENAPI_URL.rstrip("/")

    def check(self, response, data: dict) -> dict:
        if response.status_code == 429:
            raise RateLimited("zalo: rate limited", retry_after(response))
        if response.status_code in (401, 403):
            raise Unauthorized(f"zalo: HTTP {response.status_code}")
        if response.status_code >= 500:
            raise Transient(f"zalo: HTTP {response.status_code}")
        code = data.get("error", 0)
        try:
            code = int(code)
        except (TypeError, ValueError):
            raise Transient("zalo: malformed answer") from None
        if code == 0 and response.status_code < 400:
            return data
        reason = str(data.get("message") or data.get("error_description") or code)[:500]
        if code in UNAUTHORIZED_CODES:
            raise Unauthorized(f"zalo: {reason} ({code})")
        if code in RATE_CODES:
            raise RateLimited(f"zalo: {reason} ({code})", retry_after(response))
        if code in TRANSIENT_CODES:
            raise Transient(f"zalo: {reason} ({code})")
        raise Rejected(f"zalo: {reason} ({code})")

    def call(self, method: str, path: str, **kwargs) -> dict:
        headers = {"access_token": self.token}
        response, body = self.send(
            method, f"{self.base}/{path.lstrip('/')}", headers=headers, **kwargs
        )
        return self.check(response, self.parse(body))

    def verify(self) -> dict:
        data = self.call("GET", "v2.0/oa/getoa").get("data") or {}
        if str(data.get("oa_id", "")) != str(self.account.remote_id):
            raise Rejected("zalo: the token does not belong to this Official Account")
        return {"id": str(data["oa_id"]), "name": str(data.get("name", ""))}

    def post(self, entry) -> Posted:
        cover = getattr(entry, "cover_url", "") or settings.LANTOA_ZALO_DEFAULT_COVER_URL
        if not cover:
            raise Rejected("zalo: an article needs a cover photo address")
        text = compose(entry)
        # The article's HTML as the outbox stored it (sanitised with the revision); the plain
        # text in paragraphs only for an entry without one.
        paragraphs = (getattr(entry, "body", "") or "").strip() or "".join(
            f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip()
        )
        if entry.link:
            link = html.escape(entry.link, quote=True)
            paragraphs += f'<p><a href="{link}">{link}</a></p>'
        payload = {
            "type": "normal",
            "title": entry_title(entry),
            "author": (self.account.name or "")[:50],
            "cover": {"cover_type": "photo", "photo_url": cover, "status": "show"},
            "description": text[:300],
            "body": [{"type": "text", "content": paragraphs}],
            "status": "show",
            "comment": "show",
        }
        token = (self.call("POST", "v2.0/article/create", json=payload).get("data") or {}).get(
            "token"
        )
        if not token:
            raise Transient("zalo: the answer has no article token")
        data = self.call("POST", "v2.0/article/verify", json={"token": token}).get("data") or {}
        article_id = str(data.get("id") or "")
        if not article_id:
            raise Transient("zalo: the article is not created yet")
        return Posted(article_id, str(data.get("url") or ""))

    def find(self, entry) -> Posted | None:
        title = entry_title(entry)
        data = (
            self.call(
                "GET", "v2.0/article/getslice", params={"offset": 0, "limit": 20, "type": "normal"}
            ).get("data")
            or {}
        )
        for article in data.get("medias") or []:
            if isinstance(article, dict) and article.get("title") == title:
                return Posted(str(article.get("id")), str(article.get("link") or ""))
        return None

    def delete(self, remote_id: str) -> bool:
        try:
            self.call("POST", "v2.0/article/remove", json={"id": remote_id})
        except Rejected as error:
            if "not exist" in str(error).lower():
                return False
            raise
        return True

    def stats(self, remote_id: str) -> dict:
        data = (
            self.call("GET", "v2.0/article/getdetail", params={"id": remote_id}).get("data") or {}
        )
        return counted(empty_stats(), data, (("views", "total_view"), ("shares", "total_share")))

    def send_text(self, user_id: str, text: str) -> str:
        """Reply to a Zalo user; the message id."""
        payload = {"recipient": {"user_id": user_id}, "message": {"text": text[:2000]}}
        data = self.call("POST", "v3.0/oa/message/cs", json=payload).get("data") or {}
        return str(data.get("message_id") or "")

    def refresh(self, refresh_token: str) -> dict:
        """New tokens: ``{"access_token", "refresh_token", "expires_in"}`` (seconds)."""
        app_id, secret = settings.ZALO_APP_ID, settings.ZALO_APP_SECRET
        if not app_id or not secret:
            raise Unauthorized("zalo: LANTOA_ZALO_APP_ID and LANTOA_ZALO_APP_SECRET are not set")
        url = settings.LANTOA_ZALO_OAUTH_URL.rstrip("/") + "/v4/oa/access_token"
        response, body = self.send(
            "POST",
            url,
            headers={"secret_key": secret},
            data={"app_id": app_id, "refresh_token": refresh_token, "grant_type": "refresh_token"},
        )
        data = self.parse(body)
        if response.status_code >= 500:
            raise Transient(f"zalo: HTTP {response.status_code}")
        if response.status_code == 429:
            raise RateLimited("zalo: rate limited", retry_after(response))
        if not data.get("access_token"):
            reason = str(
                data.get("error_description") or data.get("error_name") or data.get("error")
            )
            raise Unauthorized(f"zalo: refresh refused: {reason[:300]}")
        try:
            expires_in = int(data.get("expires_in") or 0)
        except (TypeError, ValueError):
            expires_in = 0
        return refreshed(data, refresh_token, expires_in or None)
