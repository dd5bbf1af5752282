"""YouTube channel: videos through the YouTube Data API v3 resumable upload.

Addresses from settings: ``LANTOA_YOUTUBE_UPLOAD_URL`` (https://www.googleapis.com/upload/youtube/v3),
``LANTOA_YOUTUBE_API_URL`` (https://www.googleapis.com/youtube/v3), ``LANTOA_GOOGLE_TOKEN_URL``
(https://oauth2.googleapis.com/token). The OAuth access token goes in ``Authorization: Bearer``.

- verify: ``GET /channels?part=id,snippet&mine=true``
- post: ``POST {upload}/videos?uploadType=resumable&part=snippet,status`` with the metadata
  (the entry's key as a tag ``lantoa-<key>``) and ``X-Upload-Content-Length/-Type`` answers
  the session address in ``Location``; the file is then PUT from its storage stream in chunks
  (``LANTOA_YOUTUBE_CHUNK_BYTES``, a multiple of 256 KiB) with ``Content-Range``; YouTube
  answers ``308 Resume Incomplete`` with ``Range: bytes=0-N`` until the last chunk gets the
  video resource. Only one chunk is ever in memory. The session address is kept in the cache
  under the entry's key (a week, as YouTube keeps it), so a retry after an interruption, even
  by another worker, asks the session what it holds (``PUT`` with ``Content-Range: bytes */size``)
  and resumes from there, or finds the video complete.
- find: the session if any, else the channel's uploads playlist (``channels?part=contentDetails``,
  ``playlistItems``, ``videos?part=snippet``) for the video tagged with the entry's key.
- delete: ``DELETE /videos?id=…``; stats: ``GET /videos?part=statistics&id=…``.
- refresh: ``POST {token url}`` (``client_id``, ``client_secret``, ``refresh_token``,
  ``grant_type=refresh_token``; ``LANTOA_YOUTUBE_CLIENT_ID/SECRET``).

Errors: 401 → Unauthorized; 403 with reason quotaExceeded/rateLimitExceeded/
userRateLimitExceeded → RateLimited; 5xx → Transient; other 4xx → Rejected."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.cache import cache

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
    is_video,
    refreshed,
    retry_after,
)

RATE_REASONS = {"quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded", "dailyLimitExceeded"}
AUTH_REASONS = {"authError", "insufficientPermissions", "forbidden"}
SESSION_SECONDS = 7 * 24 * 3600
CHUNK_QUANTUM = 256 * 1024
# Interruptions one ``post`` call survives by asking the session where it stands.
RESUMES = 5
ASK = -1  # the state "ask the session"


PIECE = 1024 * 1024


def read_pieces(stream, offset: int, length: int):
    """``length`` bytes of ``stream`` from ``offset``, a mebibyte at a time (a chunk of 8 MB or
    a 2 GB file is never held whole)."""
    stream.seek(offset)
    left = length
    while left:
        piece = stream.read(min(PIECE, left))
        if not piece:
            raise Rejected("youtube: the video file is shorter than its recorded size")
        left -= len(piece)
        yield piece


def session_key(entry_key: str) -> str:
    return f"channels:youtube-session:{entry_key}"


def key_tag(entry_key: str) -> str:
    return f"lantoa-{entry_key}"[:100]


class YouTubeClient(Client):
    platform = "youtube"

    @property
    def api(self) -> str:
        return settings.LANTOA_YOUTUBE_API_URL.rstrip("/")

    @property
    def upload(self) -> str:
        return settings.LANTOA_YOUTUBE_UPLOAD_URL.rstrip("/")

    def headers(self, **extra) -> dict:
        return {"Authorization": f"Bearer {self.token}", **extra}

    def raise_for(self, response, body: bytes):
        status = response.status_code
        try:
            error = (json.loads(body or b"{}") or {}).get("error") or {}
        except (ValueError, AttributeError):
            error = {}
        if not isinstance(error, dict):
            error = {}
        reasons = {e.get("reason") for e in error.get("errors") or [] if isinstance(e, dict)}
        reason = str(error.get("message") or f"HTTP {status}")[:500]
        if status == 429 or reasons & RATE_REASONS:
            raise RateLimited(f"youtube: {reason}", retry_after(response))
        if status == 401 or (status == 403 and reasons & AUTH_REASONS):
            raise Unauthorized(f"youtube: {reason}")
        if status >= 500:
            raise Transient(f"youtube: {reason}")
        raise Rejected(f"youtube: {reason}")

    def call(self, method: str, path: str, **kwargs) -> dict:
        response, body = self.send(method, f"{self.api}/{path}", headers=self.headers(), **kwargs)
        if response.status_code >= 400:
            self.raise_for(response, body)
        return self.parse(body) if body else {}

    def verify(self) -> dict:
        items = (
            self.call("GET", "channels", params={"part": "id,snippet", "mine": "true"}).get("items")
            or []
        )
        ids = {str(item.get("id")): item for item in items if isinstance(item, dict)}
        item = ids.get(str(self.account.remote_id))
        if item is None:
            raise Rejected("youtube: the token does not belong to this channel")
        return {"id": str(item["id"]), "name": str((item.get("snippet") or {}).get("title", ""))}

    @staticmethod
    def url_of(video_id: str) -> str:
        return f"https://www.youtube.com/watch?v={video_id}"

    # -- the resumable upload -----------------------------------------------------------------
    def start_session(self, entry, size: int, content_type: str) -> str:
        description = compose(entry)[:4900]
        if entry.link and entry.link not in description:
            description += f"\n\n{entry.link}"
        metadata = {
            "snippet": {
                "title": entry_title(entry)[:100],
                "description": description,
                "tags": [key_tag(entry.key)],
            },
            "status": {"privacyStatus": "public"},
        }
        response, body = self.send(
            "POST",
            f"{self.upload}/videos",
            params={"uploadType": "resumable", "part": "snippet,status"},
            headers=self.headers(
                **{
                    "X-Upload-Content-Length": str(size),
                    "X-Upload-Content-Type": content_type,
                    "Content-Type": "application/json; charset=UTF-8",
                }
            ),
            content=json.dumps(metadata).encode(),
        )
        if response.status_code >= 400:
            self.raise_for(response, body)
        location = response.headers.get("Location", "")
        if not location.startswith(("https://", "http://")):
            raise Transient("youtube: no upload session address")
        cache.set(session_key(entry.key), location, SESSION_SECONDS)
        return location

    def session_state(self, location: str, size: int) -> int | dict | None:
        """Bytes the session holds (int), the video (dict) when complete, None when gone."""
        response, body = self.send(
            "PUT", location, headers=self.headers(**{"Content-Range": f"bytes */{size}"})
        )
        return self.progress(response, body)

    def progress(self, response, body: bytes) -> int | dict | None:
        if response.status_code in (200, 201):
            return self.parse(body)
        if response.status_code == 308:
            received = response.headers.get("Range", "")
            if received.startswith("bytes=0-"):
                try:
                    return int(received.split("-", 1)[1]) + 1
                except ValueError:
                    raise Transient("youtube: malformed Range") from None
            return 0
        if response.status_code in (404, 410):
            return None
        self.raise_for(response, body)
        return None  # not reached

    def post(self, entry) -> Posted:
        asset = entry.asset
        if not is_video(asset):
            raise Rejected("youtube: only a video can be posted")
        size = asset.size or asset.file.size
        chunk = max(
            CHUNK_QUANTUM, settings.LANTOA_YOUTUBE_CHUNK_BYTES // CHUNK_QUANTUM * CHUNK_QUANTUM
        )
        location = cache.get(session_key(entry.key))
        state: int | dict | None = self.session_state(location, size) if location else None
        if state is None:
            location = self.start_session(entry, size, asset.content_type)
            state = 0
        resumes = 0
        with asset.file.open("rb") as stream:
            while not isinstance(state, dict):
                try:
                    if state == ASK:
                        state = self.session_state(location, size)
                    else:
                        length = min(chunk, size - state)
                        end = state + length - 1
                        response, body = self.send(
                            "PUT",
                            location,
                            headers=self.headers(
                                **{
                                    "Content-Range": f"bytes {state}-{end}/{size}",
                                    "Content-Length": str(length),
                                }
                            ),
                            content=read_pieces(stream, state, length),
                        )
                        state = self.progress(response, body)
                except Transient:
                    # Interrupted: ask the session how much it holds, then go on from there.
                    resumes += 1
                    if resumes > RESUMES:
                        raise
                    state = ASK
                if state is None:
                    cache.delete(session_key(entry.key))
                    raise Transient("youtube: the upload session expired")
        cache.delete(session_key(entry.key))
        video_id = str(state.get("id") or "")
        if not video_id:
            raise Transient("youtube: the answer has no video id")
        return Posted(video_id, self.url_of(video_id))

    def find(self, entry) -> Posted | None:
        location = cache.get(session_key(entry.key))
        if location and is_video(entry.asset):
            state = self.session_state(location, entry.asset.size)
            if isinstance(state, dict) and state.get("id"):
                return Posted(str(state["id"]), self.url_of(str(state["id"])))
            if isinstance(state, int):
                return None  # half uploaded: post() resumes it
        channels = self.call("GET", "channels", params={"part": "contentDetails", "mine": "true"})
        uploads = None
        for item in channels.get("items") or []:
            if str(item.get("id")) == str(self.account.remote_id):
                uploads = ((item.get("contentDetails") or {}).get("relatedPlaylists") or {}).get(
                    "uploads"
                )
        if not uploads:
            return None
        items = (
            self.call(
                "GET",
                "playlistItems",
                params={"part": "contentDetails", "playlistId": uploads, "maxResults": 25},
            ).get("items")
            or []
        )
        ids = [
            str((i.get("contentDetails") or {}).get("videoId"))
            for i in items
            if isinstance(i, dict)
        ]
        if not ids:
            return None
        videos = (
            self.call("GET", "videos", params={"part": "snippet", "id": ",".join(ids)}).get("items")
            or []
        )
        tag = key_tag(entry.key)
        for video in videos:
            if tag in ((video.get("snippet") or {}).get("tags") or []):
                return Posted(str(video["id"]), self.url_of(str(video["id"])))
        return None

    def delete(self, remote_id: str) -> bool:
        try:
            self.call("DELETE", "videos", params={"id": remote_id})
        except Rejected as error:
            if "404" in str(error) or "not found" in str(error).lower():
                return False
            raise
        return True

    def stats(self, remote_id: str) -> dict:
        stats = empty_stats()
        items = (
            self.call("GET", "videos", params={"part": "statistics", "id": remote_id}).get("items")
            or []
        )
        if items:
            keys = (
                ("views", "viewCount"),
                ("reactions", "likeCount"),
                ("comments", "commentCount"),
            )
            counted(stats, items[0].get("statistics") or {}, keys)
        return stats

    def refresh(self, refresh_token: str) -> dict:
        client_id, secret = settings.LANTOA_YOUTUBE_CLIENT_ID, settings.LANTOA_YOUTUBE_CLIENT_SECRET
        if not client_id or not secret:
            raise Unauthorized("youtube: LANTOA_YOUTUBE_CLIENT_ID and _SECRET are not set")
        response, body = self.send(
            "POST",
            settings.LANTOA_GOOGLE_TOKEN_URL,
            data={
                "client_id": client_id,
                "client_secret": secret,
                "refresh_token": refresh_token,
                "grant_type": "refresh_token",
            },
        )
        if response.status_code >= 500:
            raise Transient(f"youtube: HTTP {response.status_code}")
        data = self.parse(body)
        if response.status_code >= 400 or not data.get("access_token"):
            raise Unauthorized(f"youtube: refresh refused: {str(data.get('error', ''))[:200]}")
        return refreshed(data, refresh_token, int(data.get("expires_in") or 3600))
