"""Fake Facebook Graph, Zalo OA and YouTube servers on 127.0.0.1, with fault injection.

Each fake is a threaded ``http.server`` on an ephemeral port speaking the requests, answers
and errors of the real API as ``lantoa.channels.platforms`` uses them. Use the fixtures (they
start a fake per test and point the settings at it; name them in a test module)::

    from tests.fakes import platforms as fakes

    fake_graph, fake_zalo, fake_youtube = fakes.fake_graph, fakes.fake_zalo, fakes.fake_youtube

    def test_something(fake_graph):
        token = fake_graph.add_page("1001", "UBND xã Bờ Y")     # a valid Page token
        account = ...ChannelAccount(platform=FACEBOOK, remote_id="1001", token sealed)
        fake_graph.fail("500")                   # the next request answers 500
        fake_graph.fail("drop", path="/feed")    # the next /feed post is created, then the
                                                 # connection is closed without an answer
        fake_graph.revoke(token)                 # every later call: 190 OAuthException
        assert len(fake_graph.posts) == 1        # nothing was posted twice

Faults (``fake.fail(kind, times=1, path=None, method=None)``, consumed in order by the first
matching requests): ``"500"``, ``"429"`` (``Retry-After: fake.retry_after``), ``"rate"`` (the
platform's own rate-limit answer: Graph code 32, Zalo -32 in an HTTP 200, YouTube 403
quotaExceeded), ``"timeout"`` (sleeps ``fake.sleep`` seconds, beyond the client's timeout
set by the fixture, before doing anything), ``"slow"`` (does the work, then sleeps: the post
exists, the client timed out), ``"malformed"`` (200 with a body that is not JSON), ``"drop"``
(does the work, then closes the connection unanswered), ``"unauthorized"`` (the platform's
token error, once), ``"huge"`` (a 3 MB answer: the client stops reading at its bound).

What a fake records: ``fake.posts`` (every post or video created, dicts with ``id`` and what
was sent; deleted ones stay with ``deleted=True``), ``fake.requests`` ((method, path) pairs),
``fake.messages`` (Zalo), ``fake.stats`` (remote id → numbers a test sets).

Settings the fixtures set: Graph ``LANTOA_FACEBOOK_GRAPH_URL``; Zalo ``LANTOA_ZALO_OPENAPI_URL``,
``LANTOA_ZALO_OAUTH_URL``, ``ZALO_API_URL``, ``ZALO_APP_ID``, ``ZALO_APP_SECRET``; YouTube
``LANTOA_YOUTUBE_UPLOAD_URL``, ``LANTOA_YOUTUBE_API_URL``, ``LANTOA_GOOGLE_TOKEN_URL``,
``LANTOA_YOUTUBE_CLIENT_ID/SECRET``, and a small ``LANTOA_YOUTUBE_CHUNK_BYTES`` (256 KiB);
all: ``LANTOA_CHANNEL_TIMEOUT`` = 0.8 s. For a browser test (the live server runs in another
thread of the same process) the same fixtures serve."""

from __future__ import annotations

import hashlib
import itertools
import json
import secrets
import threading
import time
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

CLIENT_TIMEOUT = 0.8


class Answer(Exception):
    """Raised inside a route to answer at once."""

    def __init__(self, status: int, body=None, headers=None):
        self.status, self.body, self.headers = status, body, headers or {}


class Fake:
    """The server and the fault machinery; subclasses route requests."""

    name = "fake"

    def __init__(self):
        self.lock = threading.Lock()
        self.posts: list[dict] = []
        self.requests: list[tuple[str, str]] = []
        self.faults: list[dict] = []
        self.stats: dict[str, dict] = {}
        self.sleep = CLIENT_TIMEOUT + 1.0
        self.retry_after = 2
        self.ids = itertools.count(1001)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                fake.handle(self, "GET")

            def do_POST(self):
                fake.handle(self, "POST")

            def do_PUT(self):
                fake.handle(self, "PUT")

            def do_DELETE(self):
                fake.handle(self, "DELETE")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    # -- faults -------------------------------------------------------------------------------
    def fail(self, kind: str, times: int = 1, path: str | None = None, method: str | None = None):
        with self.lock:
            for _ in range(times):
                self.faults.append({"kind": kind, "path": path, "method": method})

    def take_fault(self, method: str, path: str) -> str | None:
        with self.lock:
            for fault in self.faults:
                if (fault["path"] is None or fault["path"] in path) and (
                    fault["method"] in (None, method)
                ):
                    self.faults.remove(fault)
                    return fault["kind"]
        return None

    def live_posts(self) -> list[dict]:
        return [post for post in self.posts if not post.get("deleted")]

    def next_id(self) -> str:
        return str(next(self.ids))

    # -- the platform's answers (overridden) ---------------------------------------------------
    def route(self, request) -> tuple[int, object, dict]:
        raise Answer(404, {"error": "not found"})

    def token_error(self) -> tuple[int, object]:
        return 401, {"error": "unauthorized"}

    def rate_error(self) -> tuple[int, object]:
        return 429, {"error": "rate"}

    # -- the loop ----------------------------------------------------------------------------
    def handle(self, handler, method: str):
        split = urlsplit(handler.path)
        request = Request(handler, method, split.path, parse_qs(split.query))
        with self.lock:
            self.requests.append((method, split.path))
        fault = self.take_fault(method, split.path)
        try:
            if fault == "timeout":
                time.sleep(self.sleep)
                request.read_body()
                return self.respond(handler, 504, {"error": "too late"})
            if fault in ("500", "429", "malformed", "rate", "unauthorized", "huge"):
                request.read_body()
                if fault == "500":
                    return self.respond(handler, 500, {"error": {"message": "server error"}})
                if fault == "429":
                    return self.respond(
                        handler, 429, {"error": "slow down"}, {"Retry-After": str(self.retry_after)}
                    )
                if fault == "malformed":
                    return self.respond(handler, 200, b"<html>gateway</html>")
                if fault == "huge":  # an answer far beyond what a client reads
                    return self.respond(handler, 200, b'{"data": "' + b"x" * (3 << 20) + b'"}')
                if fault == "rate":
                    return self.respond(handler, *self.rate_error())
                return self.respond(handler, *self.token_error())
            try:
                status, body, headers = self.route(request)
            except Answer as answer:
                status, body, headers = answer.status, answer.body, answer.headers
            if fault == "drop":
                handler.close_connection = True
                return
            if fault == "slow":
                time.sleep(self.sleep)
            self.respond(handler, status, body, headers)
        except (BrokenPipeError, ConnectionResetError):
            pass

    @staticmethod
    def respond(handler, status: int, body, headers=None):
        if isinstance(body, bytes):
            data = body
        elif body is None:
            data = b""
        else:
            data = json.dumps(body).encode()
        handler.send_response(status)
        if data:
            handler.send_header("Content-Type", "application/json; charset=UTF-8")
        handler.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        if data:
            handler.wfile.write(data)


class Request:
    def __init__(self, handler, method, path, query):
        self.handler, self.method, self.path, self.query = handler, method, path, query
        self.headers = handler.headers
        self._body = None

    def q(self, name, default=""):
        return (self.query.get(name) or [default])[0]

    def read_body(self) -> bytes:
        if self._body is None:
            length = int(self.headers.get("Content-Length") or 0)
            self._body = self.handler.rfile.read(length) if length else b""
        return self._body

    def stream_body(self, sink):
        """Feed the body to ``sink`` in pieces (a large upload never sits in memory)."""
        left = int(self.headers.get("Content-Length") or 0)
        while left:
            piece = self.handler.rfile.read(min(left, 1 << 20))
            if not piece:
                break
            sink(piece)
            left -= len(piece)
        self._body = b""

    def json(self) -> dict:
        try:
            return json.loads(self.read_body() or b"{}")
        except ValueError:
            raise Answer(400, {"error": "malformed json"}) from None

    def form(self) -> dict:
        body = self.read_body()
        kind = self.headers.get("Content-Type", "")
        if kind.startswith("multipart/form-data"):
            message = BytesParser(policy=HTTP).parsebytes(
                b"Content-Type: " + kind.encode() + b"\r\n\r\n" + body
            )
            fields = {}
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True) or b""
                if part.get_filename():
                    fields[name] = {"filename": part.get_filename(), "bytes": payload}
                else:
                    fields[name] = payload.decode()
            return fields
        return {k: v[0] for k, v in parse_qs(body.decode()).items()}

    def bearer(self) -> str:
        value = self.headers.get("Authorization", "")
        return value.split(" ", 1)[1] if value.startswith("Bearer ") else ""


# ---------------------------------------------------------------------------------------------
class FakeGraph(Fake):
    """Facebook Graph API: pages, feed and photo posts, deletion, fields and insights."""

    name = "facebook"

    def __init__(self):
        super().__init__()
        self.pages: dict[str, str] = {}  # page id → name
        self.tokens: dict[str, str] = {}  # token → page id

    def add_page(self, page_id: str, name: str) -> str:
        token = "EAAG" + secrets.token_hex(12)
        self.pages[page_id] = name
        self.tokens[token] = page_id
        return token

    def revoke(self, token: str):
        self.tokens.pop(token, None)

    def token_error(self):
        return 400, {
            "error": {
                "message": "Error validating access token: The session has been invalidated.",
                "type": "OAuthException",
                "code": 190,
                "error_subcode": 460,
                "fbtrace_id": "AbCdEf",
            }
        }

    def rate_error(self):
        return 400, {
            "error": {"message": "Page request limit reached", "type": "OAuthException", "code": 32}
        }

    @staticmethod
    def missing(object_id):
        return 400, {
            "error": {
                "message": f"Unsupported get request. Object with ID '{object_id}' does not exist",
                "type": "GraphMethodException",
                "code": 100,
            }
        }

    def route(self, request):
        parts = [p for p in request.path.split("/") if p]
        if parts and parts[0].startswith("v") and "." in parts[0]:
            parts = parts[1:]  # a version prefix
        page = self.tokens.get(request.bearer())
        if page is None:
            request.read_body()
            return (*self.token_error(), {})
        if len(parts) == 1 and request.method == "GET" and parts[0] == page:
            return 200, {"id": page, "name": self.pages[page]}, {}
        if len(parts) == 2 and parts[0] == page and request.method == "POST":
            form = request.form()
            if parts[1] == "feed":
                if not form.get("message") and not form.get("link"):
                    return (
                        400,
                        {"error": {"message": "(#100) message or link required", "code": 100}},
                        {},
                    )
                post_id = f"{page}_{self.next_id()}"
                post = {
                    "id": post_id,
                    "page": page,
                    "message": form.get("message", ""),
                    "link": form.get("link", ""),
                }
                with self.lock:
                    self.posts.append(post)
                return 200, {"id": post_id}, {}
            if parts[1] == "photos":
                source = form.get("source")
                if not isinstance(source, dict) and not form.get("url"):
                    return (
                        400,
                        {"error": {"message": "(#324) Requires upload file", "code": 324}},
                        {},
                    )
                photo_id = self.next_id()
                post_id = f"{page}_{photo_id}"
                post = {
                    "id": post_id,
                    "page": page,
                    "message": form.get("caption", ""),
                    "photo_sha256": hashlib.sha256(source["bytes"]).hexdigest()
                    if isinstance(source, dict)
                    else "",
                    "url": form.get("url", ""),
                }
                with self.lock:
                    self.posts.append(post)
                return 200, {"id": photo_id, "post_id": post_id}, {}
        if len(parts) == 2 and parts[0] == page and parts[1] == "published_posts":
            posts = [
                {
                    "id": p["id"],
                    "message": p["message"],
                    "permalink_url": f"https://www.facebook.com/{p['id']}",
                }
                for p in reversed(self.live_posts())
                if p["page"] == page
            ]
            return 200, {"data": posts[: int(request.q("limit", "25"))]}, {}
        post = next((p for p in self.live_posts() if p["id"] == parts[0]), None) if parts else None
        if post is None or post["page"] != page:
            request.read_body()
            return (*self.missing(parts[0] if parts else ""), {})
        if request.method == "DELETE":
            post["deleted"] = True
            return 200, {"success": True}, {}
        numbers = self.stats.get(post["id"], {})
        if len(parts) == 2 and parts[1] == "insights":
            return (
                200,
                {
                    "data": [
                        {
                            "name": "post_total_media_view_unique",
                            "period": "lifetime",
                            "values": [{"value": numbers.get("reach", 0)}],
                        },
                        {
                            "name": "post_media_view",
                            "period": "lifetime",
                            "values": [{"value": numbers.get("views", 0)}],
                        },
                    ]
                },
                {},
            )
        return (
            200,
            {
                "id": post["id"],
                "shares": {"count": numbers.get("shares", 0)},
                "reactions": {"data": [], "summary": {"total_count": numbers.get("reactions", 0)}},
                "comments": {"data": [], "summary": {"total_count": numbers.get("comments", 0)}},
            },
            {},
        )


# ---------------------------------------------------------------------------------------------
class FakeZalo(Fake):
    """Zalo OA open API (HTTP 200 with an error code) and its OAuth v4 token refresh."""

    name = "zalo"
    APP_ID = "4321"
    APP_SECRET = "zalo-app-secret"

    def __init__(self):
        super().__init__()
        self.oas: dict[str, str] = {}
        self.tokens: dict[str, str] = {}  # access token → OA id
        self.refresh_tokens: dict[str, str] = {}  # refresh token → OA id (single use)
        self.messages: list[dict] = []
        self.pending: dict[str, dict] = {}  # creation token → post
        self.refresh_fails = False

    def add_oa(self, oa_id: str, name: str) -> tuple[str, str]:
        """A valid (access token, refresh token) pair for a new OA."""
        self.oas[oa_id] = name
        access, refresh = "zat-" + secrets.token_hex(10), "zrt-" + secrets.token_hex(10)
        self.tokens[access] = oa_id
        self.refresh_tokens[refresh] = oa_id
        return access, refresh

    def revoke(self, token: str):
        self.tokens.pop(token, None)
        self.refresh_tokens.pop(token, None)

    @property
    def received(self) -> list[tuple[str, dict, dict]]:
        """The messages sent, as (path, headers in lower case, JSON body)."""
        return [
            (
                "/v3.0/oa/message/cs",
                {k.lower(): v for k, v in m["headers"].items()},
                {"recipient": {"user_id": m["to"]}, "message": {"text": m["text"]}},
            )
            for m in self.messages
        ]

    def token_error(self):
        return 200, {"error": -216, "message": "Access token is invalid"}

    def rate_error(self):
        return 200, {"error": -32, "message": "Exceeded the rate limit"}

    def route(self, request):
        if request.path == "/v4/oa/access_token":
            return self.refresh(request)
        oa = self.tokens.get(request.headers.get("access_token", ""))
        if oa is None:
            request.read_body()
            return (*self.token_error(), {})
        ok = {"error": 0, "message": "Success"}
        if request.path == "/v2.0/oa/getoa":
            return 200, {**ok, "data": {"oa_id": oa, "name": self.oas[oa], "description": ""}}, {}
        if request.path == "/v2.0/article/create":
            body = request.json()
            if not body.get("title") or not (body.get("cover") or {}).get("photo_url"):
                return 200, {"error": -201, "message": "Parameters are invalid"}, {}
            article_id = secrets.token_hex(8)
            post = {"id": article_id, "oa": oa, "title": body["title"], "body": body}
            with self.lock:
                self.posts.append(post)
            token = secrets.token_hex(6)
            self.pending[token] = post
            return 200, {**ok, "data": {"token": token}}, {}
        if request.path == "/v2.0/article/verify":
            post = self.pending.get(request.json().get("token"))
            if post is None:
                return 200, {"error": -201, "message": "Token is invalid"}, {}
            return (
                200,
                {**ok, "data": {"id": post["id"], "url": f"https://zalo.me/article/{post['id']}"}},
                {},
            )
        if request.path == "/v2.0/article/getslice":
            medias = [
                {"id": p["id"], "title": p["title"], "link": f"https://zalo.me/article/{p['id']}"}
                for p in reversed(self.live_posts())
                if p["oa"] == oa
            ]
            return (
                200,
                {
                    **ok,
                    "data": {
                        "medias": medias[: int(request.q("limit", "10"))],
                        "total": len(medias),
                    },
                },
                {},
            )
        if request.path == "/v2.0/article/remove":
            article_id = request.json().get("id")
            post = next(
                (p for p in self.live_posts() if p["id"] == article_id and p["oa"] == oa), None
            )
            if post is None:
                return 200, {"error": -201, "message": "Article does not exist"}, {}
            post["deleted"] = True
            return 200, ok, {}
        if request.path == "/v2.0/article/getdetail":
            numbers = self.stats.get(request.q("id"), {})
            return (
                200,
                {
                    **ok,
                    "data": {
                        "id": request.q("id"),
                        "total_view": numbers.get("views", 0),
                        "total_share": numbers.get("shares", 0),
                    },
                },
                {},
            )
        if request.path == "/v3.0/oa/message/cs":
            body = request.json()
            message = {
                "oa": oa,
                "to": (body.get("recipient") or {}).get("user_id"),
                "text": (body.get("message") or {}).get("text"),
                "headers": dict(request.headers),
            }
            with self.lock:
                self.messages.append(message)
            return (
                200,
                {**ok, "data": {"message_id": secrets.token_hex(8), "user_id": message["to"]}},
                {},
            )
        request.read_body()
        return 404, {"error": 404, "message": "Not found"}, {}

    def refresh(self, request):
        form = request.form()
        if (
            request.headers.get("secret_key") != self.APP_SECRET
            or form.get("app_id") != self.APP_ID
        ):
            return (
                200,
                {
                    "error": -14002,
                    "error_name": "Invalid app",
                    "error_description": "app_id or secret_key is invalid",
                },
                {},
            )
        oa = self.refresh_tokens.pop(form.get("refresh_token", ""), None)
        if oa is None or self.refresh_fails:
            return (
                200,
                {
                    "error": -14014,
                    "error_name": "Invalid refresh token",
                    "error_description": "Refresh token is invalid or expired",
                },
                {},
            )
        access, refresh = "zat-" + secrets.token_hex(10), "zrt-" + secrets.token_hex(10)
        self.tokens[access] = oa
        self.refresh_tokens[refresh] = oa
        return 200, {"access_token": access, "refresh_token": refresh, "expires_in": "90000"}, {}


# ---------------------------------------------------------------------------------------------
class FakeYouTube(Fake):
    """YouTube Data API v3: channels, resumable uploads (308 Resume Incomplete), videos, token."""

    name = "youtube"
    CLIENT_ID = "yt-client"
    CLIENT_SECRET = "yt-secret"

    def __init__(self):
        super().__init__()
        self.channels: dict[str, str] = {}
        self.tokens: dict[str, str] = {}
        self.refresh_tokens: dict[str, str] = {}
        self.sessions: dict[str, dict] = {}

    def add_channel(self, channel_id: str, name: str) -> tuple[str, str]:
        self.channels[channel_id] = name
        access, refresh = "ya29." + secrets.token_hex(10), "1//" + secrets.token_hex(10)
        self.tokens[access] = channel_id
        self.refresh_tokens[refresh] = channel_id
        return access, refresh

    def revoke(self, token: str):
        self.tokens.pop(token, None)

    @staticmethod
    def error(status, reason, message):
        return status, {
            "error": {
                "code": status,
                "message": message,
                "errors": [{"reason": reason, "message": message}],
            }
        }

    def token_error(self):
        return self.error(401, "authError", "Invalid Credentials")

    def rate_error(self):
        return self.error(
            403,
            "quotaExceeded",
            "The request cannot be completed because you have exceeded your quota.",
        )

    def route(self, request):
        if request.path == "/token":
            form = request.form()
            channel = self.refresh_tokens.get(form.get("refresh_token", ""))
            if (
                form.get("client_id") != self.CLIENT_ID
                or form.get("client_secret") != self.CLIENT_SECRET
                or channel is None
            ):
                return (
                    400,
                    {
                        "error": "invalid_grant",
                        "error_description": "Token has been expired or revoked.",
                    },
                    {},
                )
            access = "ya29." + secrets.token_hex(10)
            self.tokens[access] = channel
            return 200, {"access_token": access, "expires_in": 3599, "token_type": "Bearer"}, {}
        channel = self.tokens.get(request.bearer())
        if channel is None:
            request.read_body()
            return (*self.token_error(), {})
        if request.path == "/upload/youtube/v3/videos" and request.method == "POST":
            if request.q("uploadType") != "resumable":
                return (*self.error(400, "invalidParameter", "uploadType"), {})
            metadata = request.json()
            size = int(request.headers.get("X-Upload-Content-Length") or 0)
            upload_id = secrets.token_hex(8)
            self.sessions[upload_id] = {
                "channel": channel,
                "metadata": metadata,
                "size": size,
                "received": 0,
                "sha": hashlib.sha256(),
                "video": None,
            }
            return (
                200,
                b"",
                {
                    "Location": f"{self.url}/upload/youtube/v3/videos?uploadType=resumable&upload_id={upload_id}"
                },
            )
        if request.path == "/upload/youtube/v3/videos" and request.method == "PUT":
            return self.upload(request)
        if request.path == "/youtube/v3/channels":
            return (
                200,
                {
                    "items": [
                        {
                            "id": channel,
                            "snippet": {"title": self.channels[channel]},
                            "contentDetails": {"relatedPlaylists": {"uploads": "UU" + channel}},
                        }
                    ]
                },
                {},
            )
        if request.path == "/youtube/v3/playlistItems":
            mine = [
                p
                for p in reversed(self.live_posts())
                if "UU" + p["channel"] == request.q("playlistId")
            ]
            return 200, {"items": [{"contentDetails": {"videoId": p["id"]}} for p in mine[:25]]}, {}
        if request.path == "/youtube/v3/videos":
            ids = request.q("id").split(",")
            videos = [p for p in self.live_posts() if p["id"] in ids and p["channel"] == channel]
            if request.method == "DELETE":
                if not videos:
                    return (*self.error(404, "videoNotFound", "Video not found"), {})
                videos[0]["deleted"] = True
                return 204, None, {}
            items = []
            for video in videos:
                numbers = self.stats.get(video["id"], {})
                items.append(
                    {
                        "id": video["id"],
                        "snippet": video["metadata"].get("snippet", {}),
                        "statistics": {
                            "viewCount": str(numbers.get("views", 0)),
                            "likeCount": str(numbers.get("reactions", 0)),
                            "commentCount": str(numbers.get("comments", 0)),
                        },
                    }
                )
            return 200, {"items": items}, {}
        request.read_body()
        return (*self.error(404, "notFound", "Not found"), {})

    def upload(self, request):
        session = self.sessions.get(request.q("upload_id"))
        if session is None:
            request.read_body()
            return (*self.error(404, "notFound", "Upload session not found"), {})
        if session["video"] is not None:
            request.read_body()
            return 200, self.video_json(session["video"]), {}
        spec = request.headers.get("Content-Range", "")
        size = session["size"]
        if not spec.startswith("bytes */"):
            start_end = spec.removeprefix("bytes ").split("/", 1)[0]
            start, end = (int(x) for x in start_end.split("-"))
            if start != session["received"]:
                request.read_body()
                return (
                    *self.error(400, "badRange", "Content-Range does not continue the upload"),
                    {},
                )
            before = session["received"]

            def sink(piece):
                session["sha"].update(piece)
                session["received"] += len(piece)

            request.stream_body(sink)
            if session["received"] != end + 1:
                session["received"] = before  # a short chunk is discarded
        if session["received"] >= size:
            video_id = secrets.token_hex(5)
            video = {
                "id": video_id,
                "channel": session["channel"],
                "metadata": session["metadata"],
                "size": size,
                "sha256": session["sha"].hexdigest(),
            }
            with self.lock:
                self.posts.append(video)
            session["video"] = video
            return 201, self.video_json(video), {}
        headers = {"Range": f"bytes=0-{session['received'] - 1}"} if session["received"] else {}
        return 308, b"", headers

    @staticmethod
    def video_json(video):
        return {
            "kind": "youtube#video",
            "id": video["id"],
            "snippet": video["metadata"].get("snippet", {}),
            "status": {"uploadStatus": "uploaded"},
        }


# -- fixtures ---------------------------------------------------------------------------------
@pytest.fixture
def fake_graph(settings):
    fake = FakeGraph()
    settings.LANTOA_FACEBOOK_GRAPH_URL = fake.url + "/v26.0"
    settings.LANTOA_CHANNEL_TIMEOUT = CLIENT_TIMEOUT
    yield fake
    fake.stop()


def start_zalo(settings) -> FakeZalo:
    """A running fake Zalo with the settings pointed at it (stop it with ``fake.stop()``)."""
    fake = FakeZalo()
    settings.LANTOA_ZALO_OPENAPI_URL = fake.url
    settings.LANTOA_ZALO_OAUTH_URL = fake.url
    settings.ZALO_API_URL = fake.url
    settings.ZALO_APP_ID, settings.ZALO_APP_SECRET = FakeZalo.APP_ID, FakeZalo.APP_SECRET
    settings.LANTOA_ZALO_DEFAULT_COVER_URL = "https://lantoa.example/cover.png"
    settings.LANTOA_CHANNEL_TIMEOUT = CLIENT_TIMEOUT
    return fake


@pytest.fixture
def fake_zalo(settings):
    fake = start_zalo(settings)
    yield fake
    fake.stop()


@pytest.fixture
def fake_youtube(settings):
    fake = FakeYouTube()
    settings.LANTOA_YOUTUBE_UPLOAD_URL = fake.url + "/upload/youtube/v3"
    settings.LANTOA_YOUTUBE_API_URL = fake.url + "/youtube/v3"
    settings.LANTOA_GOOGLE_TOKEN_URL = fake.url + "/token"
    settings.LANTOA_YOUTUBE_CLIENT_ID = FakeYouTube.CLIENT_ID
    settings.LANTOA_YOUTUBE_CLIENT_SECRET = FakeYouTube.CLIENT_SECRET
    settings.LANTOA_YOUTUBE_CHUNK_BYTES = 256 * 1024
    settings.LANTOA_CHANNEL_TIMEOUT = CLIENT_TIMEOUT
    yield fake
    fake.stop()
