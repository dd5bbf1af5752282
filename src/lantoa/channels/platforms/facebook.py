"""Facebook Page posts through the Graph API (``settings.LANTOA_FACEBOOK_GRAPH_URL``).

- verify: ``GET /{page-id}?fields=id,name``
- post: ``POST /{page-id}/feed`` (``message``, ``link``) or, with an image,
  ``POST /{page-id}/photos`` (multipart ``source`` streamed from storage, ``caption``)
- find: ``GET /{page-id}/published_posts?fields=id,message,permalink_url&since=…`` and the
  post whose message is the entry's composed text (the Graph keeps no metadata of ours on a
  post: the text as composed is the idempotency evidence; the outbox composes it once).
- delete: ``DELETE /{post-id}``
- stats: ``GET /{post-id}?fields=shares,reactions.summary(total_count).limit(0),
  comments.summary(total_count).limit(0)`` and ``GET /{post-id}/insights?metric=
  post_total_media_view_unique,post_media_view`` (``post_impressions_unique`` was removed in
  2025; its replacement is the media-view metric).

The Page access token goes in the ``Authorization: Bearer`` header. Graph errors are JSON
``{"error": {"code", "error_subcode", "message", "type"}}``: 190/102 (and permission errors
10/200) mean reconnect; 4/17/32/613/80001 are rate limits."""

from __future__ import annotations

from django.conf import settings

from .base import (
    Client,
    NotSupported,
    Posted,
    RateLimited,
    Rejected,
    Transient,
    Unauthorized,
    compose,
    count,
    empty_stats,
    is_image,
    is_video,
    retry_after,
)

UNAUTHORIZED_CODES = {190, 102, 10, 200, 459, 460, 463, 467}
RATE_CODES = {4, 17, 32, 613, 80001}
TRANSIENT_CODES = {1, 2}


class FacebookClient(Client):
    platform = "facebook"

    @property
    def base(self) -> str:
        return settings.LANTOA_FACEBOOK_GRAPH_URL.rstrip("/")

    def call(self, method: str, path: str, **kwargs) -> dict:
        headers = {"Authorization": f"Bearer {self.token}"}
        response, body = self.send(
            method, f"{self.base}/{path.lstrip('/')}", headers=headers, **kwargs
        )
        try:
            data = self.parse(body)
        except Transient:
            if response.status_code >= 500 or response.status_code < 400:
                raise
            data = {}
        error = data.get("error") if isinstance(data.get("error"), dict) else None
        if response.status_code == 429:
            raise RateLimited("facebook: rate limited", retry_after(response))
        if error is None and response.status_code < 400:
            return data
        error = error or {}
        code = error.get("code")
        reason = str(error.get("message") or f"HTTP {response.status_code}")[:500]
        if code in UNAUTHORIZED_CODES or response.status_code == 401:
            raise Unauthorized(f"facebook: {reason}")
        if code in RATE_CODES:
            raise RateLimited(f"facebook: {reason}", retry_after(response))
        if response.status_code >= 500 or code in TRANSIENT_CODES or error.get("is_transient"):
            raise Transient(f"facebook: {reason}")
        raise Rejected(f"facebook: {reason}")

    def verify(self) -> dict:
        data = self.call("GET", self.account.remote_id, params={"fields": "id,name"})
        if str(data.get("id", "")) != str(self.account.remote_id):
            raise Rejected("facebook: the token does not belong to this page")
        return {"id": str(data["id"]), "name": str(data.get("name", ""))}

    @staticmethod
    def url_of(post_id: str) -> str:
        return f"https://www.facebook.com/{post_id}"

    def post(self, entry) -> Posted:
        page = self.account.remote_id
        message = compose(entry)
        if is_video(entry.asset):
            raise NotSupported("facebook: videos are posted as links here")
        if is_image(entry.asset):
            with entry.asset.file.open("rb") as source:
                data = self.call(
                    "POST",
                    f"{page}/photos",
                    data={"caption": message, "published": "true"},
                    files={"source": (entry.asset.original_name, source, entry.asset.content_type)},
                )
            post_id = str(data.get("post_id") or data.get("id") or "")
        else:
            fields = {"message": message}
            if entry.link:
                fields["link"] = entry.link
            data = self.call("POST", f"{page}/feed", data=fields)
            post_id = str(data.get("id") or "")
        if not post_id:
            raise Transient("facebook: the answer has no post id")
        return Posted(post_id, self.url_of(post_id))

    def find(self, entry) -> Posted | None:
        message = compose(entry)
        params = {"fields": "id,message,permalink_url,created_time", "limit": "50"}
        if getattr(entry, "created_at", None):
            params["since"] = str(int(entry.created_at.timestamp()) - 60)
        data = self.call("GET", f"{self.account.remote_id}/published_posts", params=params)
        for post in data.get("data") or []:
            if isinstance(post, dict) and (post.get("message") or "").strip() == message:
                post_id = str(post.get("id"))
                return Posted(post_id, str(post.get("permalink_url") or self.url_of(post_id)))
        return None

    def delete(self, remote_id: str) -> bool:
        try:
            data = self.call("DELETE", remote_id)
        except Rejected as error:
            if "does not exist" in str(error) or "Unsupported delete" in str(error):
                return False
            raise
        return bool(data.get("success", True))

    def stats(self, remote_id: str) -> dict:
        stats = empty_stats()
        data = self.call(
            "GET",
            remote_id,
            params={
                "fields": "shares,reactions.summary(total_count).limit(0),"
                "comments.summary(total_count).limit(0)"
            },
        )
        stats["shares"] = count((data.get("shares") or {}).get("count"), 0)
        stats["reactions"] = count(
            ((data.get("reactions") or {}).get("summary") or {}).get("total_count")
        )
        stats["comments"] = count(
            ((data.get("comments") or {}).get("summary") or {}).get("total_count")
        )
        insights = self.call(
            "GET",
            f"{remote_id}/insights",
            params={"metric": "post_total_media_view_unique,post_media_view"},
        )
        for metric in insights.get("data") or []:
            values = metric.get("values") or [{}]
            value = count(values[-1].get("value") if values else None)
            if metric.get("name") == "post_total_media_view_unique":
                stats["reach"] = value
            elif metric.get("name") == "post_media_view":
                stats["views"] = value
        return stats
