"""The platform clients against the fake servers: every request, answer and fault."""

import io
import types

import pytest
from django.utils import timezone

from lantoa.channels.choices import Platform
from lantoa.channels.platforms import (
    FacebookClient,
    Posted,
    RateLimited,
    Rejected,
    Transient,
    Unauthorized,
    YouTubeClient,
    ZaloClient,
)
from tests.fakes import platforms as fakes

# The fake servers' fixtures, by name.
fake_graph, fake_zalo, fake_youtube = fakes.fake_graph, fakes.fake_zalo, fakes.fake_youtube


class StoredFile:
    """A file as storage hands it: open() gives a stream (never read whole by the client)."""

    def __init__(self, data: bytes):
        self.data, self.size = data, len(data)

    def open(self, mode="rb"):
        return io.BytesIO(self.data)


def asset(data: bytes, content_type: str, name="file"):
    return types.SimpleNamespace(
        file=StoredFile(data), size=len(data), content_type=content_type, original_name=name
    )


def entry(
    key="k1", text="Xã Bom Bo ra quân chuyển đổi số", link="https://bombo.example/tin/1", asset=None
):
    item = types.SimpleNamespace(title="Ngày Chuyển đổi số quốc gia 10/10")
    return types.SimpleNamespace(
        key=key,
        text=text,
        link=link,
        hashtags="#NQ57",
        asset=asset,
        item=item,
        created_at=timezone.now(),
    )


def account(platform, remote_id, name="UBND xã Bom Bo"):
    return types.SimpleNamespace(platform=platform, remote_id=remote_id, name=name)


# -- Facebook --------------------------------------------------------------------------------
def test_facebook_posts_finds_deletes_and_counts(fake_graph):
    token = fake_graph.add_page("1001", "UBND xã Bom Bo")
    with FacebookClient(account(Platform.FACEBOOK, "1001"), token) as client:
        assert client.verify() == {"id": "1001", "name": "UBND xã Bom Bo"}
        first = entry()
        posted = client.post(first)
        assert posted.remote_id.startswith("1001_") and posted.url.endswith(posted.remote_id)
        (sent,) = fake_graph.posts
        assert sent["message"] == first.text + "\n\n#NQ57" and sent["link"] == first.link
        assert client.find(first) == Posted(posted.remote_id, posted.url)
        assert client.find(entry(key="k2", text="Khác")) is None
        fake_graph.stats[posted.remote_id] = {
            "reach": 120,
            "reactions": 7,
            "shares": 2,
            "comments": 1,
            "views": 300,
        }
        assert client.stats(posted.remote_id) == {
            "reach": 120,
            "reactions": 7,
            "shares": 2,
            "views": 300,
            "comments": 1,
        }
        assert client.delete(posted.remote_id) is True
        assert client.delete(posted.remote_id) is False
        photo = client.post(
            entry(key="k3", link="", asset=asset(b"\x89PNG fake", "image/png", "anh.png"))
        )
        assert (
            fake_graph.posts[-1]["id"] == photo.remote_id and fake_graph.posts[-1]["photo_sha256"]
        )


def test_facebook_faults(fake_graph):
    token = fake_graph.add_page("1001", "UBND xã Bom Bo")
    with FacebookClient(account(Platform.FACEBOOK, "1001"), token) as client:
        fake_graph.fail("500")
        with pytest.raises(Transient):
            client.post(entry())
        fake_graph.fail("429")
        with pytest.raises(RateLimited) as limited:
            client.post(entry())
        assert limited.value.retry_after == 2
        fake_graph.fail("rate")
        with pytest.raises(RateLimited):
            client.post(entry())
        fake_graph.fail("malformed")
        with pytest.raises(Transient):
            client.post(entry())
        fake_graph.fail("timeout")
        with pytest.raises(Transient):
            client.post(entry())
        fake_graph.fail("huge")
        with pytest.raises(Transient) as huge:
            client.verify()
        assert "larger than allowed" in str(huge.value)
        fake_graph.fail("unauthorized")
        with pytest.raises(Unauthorized):
            client.verify()
        assert fake_graph.posts == []
        # Accepted, then the connection dropped: the client cannot tell; find() can.
        fake_graph.fail("drop", path="/feed")
        with pytest.raises(Transient):
            client.post(entry())
        assert len(fake_graph.posts) == 1
        assert client.find(entry()).remote_id == fake_graph.posts[0]["id"]
        # Accepted, answered too late: the same.
        slow = entry(key="k-slow", text="Bản tin chậm")
        fake_graph.fail("slow", path="/feed")
        with pytest.raises(Transient):
            client.post(slow)
        assert client.find(slow).remote_id == fake_graph.posts[1]["id"]
        fake_graph.posts.pop()
        empty = entry(text="", link="")
        empty.hashtags = ""
        with pytest.raises(Rejected) as rejected:
            client.post(empty)
        assert "message or link required" in str(rejected.value)
        fake_graph.revoke(token)
        with pytest.raises(Unauthorized) as unauthorized:
            client.post(entry())
        assert token not in str(unauthorized.value)
    assert len(fake_graph.posts) == 1


def test_facebook_token_of_another_page_is_refused(fake_graph):
    token = fake_graph.add_page("1001", "UBND xã Bom Bo")
    with (
        FacebookClient(account(Platform.FACEBOOK, "2002"), token) as client,
        pytest.raises(Rejected),
    ):
        client.verify()


# -- Zalo ------------------------------------------------------------------------------------
def test_zalo_articles_messages_and_refresh(fake_zalo):
    access, refresh = fake_zalo.add_oa("579", "Xã Bom Bo")
    with ZaloClient(account(Platform.ZALO, "579"), access) as client:
        assert client.verify()["name"] == "Xã Bom Bo"
        posted = client.post(entry())
        (article,) = fake_zalo.posts
        assert (
            posted.remote_id == article["id"]
            and article["title"] == "Ngày Chuyển đổi số quốc gia 10/10"
        )
        assert client.find(entry()) == Posted(
            posted.remote_id, f"https://zalo.me/article/{posted.remote_id}"
        )
        fake_zalo.stats[posted.remote_id] = {"views": 40, "shares": 3}
        assert client.stats(posted.remote_id)["views"] == 40
        assert client.delete(posted.remote_id) is True and client.delete(posted.remote_id) is False
        assert client.send_text("84901", "Xin chào")
        assert fake_zalo.messages[0]["text"] == "Xin chào"
        tokens = client.refresh(refresh)
        assert tokens["expires_in"] == 90000 and tokens["refresh_token"] != refresh
        with pytest.raises(Unauthorized):
            client.refresh(refresh)  # single use


def test_zalo_faults(fake_zalo):
    access, _ = fake_zalo.add_oa("579", "Xã Bom Bo")
    with ZaloClient(account(Platform.ZALO, "579"), access) as client:
        for kind, error in (
            ("500", Transient),
            ("429", RateLimited),
            ("rate", RateLimited),
            ("malformed", Transient),
            ("timeout", Transient),
        ):
            fake_zalo.fail(kind)
            with pytest.raises(error):
                client.post(entry())
        assert fake_zalo.posts == []
        fake_zalo.fail("drop", path="/article/create")
        with pytest.raises(Transient):
            client.post(entry())
        assert client.find(entry()).remote_id == fake_zalo.posts[0]["id"]
        fake_zalo.revoke(access)
        with pytest.raises(Unauthorized):
            client.verify()
    assert len(fake_zalo.posts) == 1


def test_zalo_article_body_is_the_stored_html(fake_zalo):
    access, _ = fake_zalo.add_oa("579", "Xã Bom Bo")
    html_body = "<h2>Ra quân</h2><p>Đoàn viên <strong>hướng dẫn</strong> người dân.</p>"
    with ZaloClient(account(Platform.ZALO, "579"), access) as client:
        with_body = entry(key="k-body")
        with_body.body = html_body
        client.post(with_body)
        client.post(entry(key="k-text"))  # an entry without HTML: its text in paragraphs
    (article, plain) = fake_zalo.posts
    content = article["body"]["body"][0]["content"]
    assert content.startswith(html_body) and "Xã Bom Bo ra quân" not in content
    assert "https://bombo.example/tin/1" in content
    plain_content = plain["body"]["body"][0]["content"]
    assert plain_content.startswith("<p>Xã Bom Bo ra quân chuyển đổi số</p>")


# -- YouTube ---------------------------------------------------------------------------------
VIDEO = bytes(range(256)) * 4096 + b"tail"  # 1 MiB and 4 bytes: five chunks of 256 KiB


def test_youtube_resumable_upload_in_chunks(fake_youtube):
    import hashlib

    access, refresh = fake_youtube.add_channel("UCbombo", "Xã Bom Bo")
    with YouTubeClient(account(Platform.YOUTUBE, "UCbombo"), access) as client:
        assert client.verify()["name"] == "Xã Bom Bo"
        video = entry(asset=asset(VIDEO, "video/mp4"))
        posted = client.post(video)
        (uploaded,) = fake_youtube.posts
        assert uploaded["sha256"] == hashlib.sha256(VIDEO).hexdigest()
        assert posted.url == f"https://www.youtube.com/watch?v={uploaded['id']}"
        puts = [r for r in fake_youtube.requests if r[0] == "PUT"]
        assert len(puts) == 5
        assert client.find(video) == posted
        fake_youtube.stats[posted.remote_id] = {"views": 99, "reactions": 4}
        assert client.stats(posted.remote_id)["views"] == 99
        assert client.delete(posted.remote_id) is True and client.delete(posted.remote_id) is False
        assert client.refresh(refresh)["access_token"] in fake_youtube.tokens


def test_youtube_description_carries_the_link_once(fake_youtube):
    access, _ = fake_youtube.add_channel("UCbombo", "Xã Bom Bo")
    link = "https://bombo.example/tin/1"
    with YouTubeClient(account(Platform.YOUTUBE, "UCbombo"), access) as client:
        client.post(
            entry(key="k-in", text=f"Ra quân\n\n{link}\n#NQ57", asset=asset(VIDEO, "video/mp4"))
        )
        client.post(entry(key="k-out", text="Ra quân", asset=asset(VIDEO, "video/mp4")))
    composed, bare = (v["metadata"]["snippet"]["description"] for v in fake_youtube.posts)
    assert composed.count(link) == 1 and composed == f"Ra quân\n\n{link}\n#NQ57"
    assert bare.count(link) == 1 and bare.endswith(f"\n\n{link}")


def test_youtube_resumes_after_an_interruption(fake_youtube):
    import hashlib

    access, _ = fake_youtube.add_channel("UCbombo", "Xã Bom Bo")
    with YouTubeClient(account(Platform.YOUTUBE, "UCbombo"), access) as client:
        video = entry(key="yt-resume", asset=asset(VIDEO, "video/mp4"))
        # The third chunk is stored, then the connection drops; then a 500 on the next chunk.
        fake_youtube.fail("drop", path="/upload", method="PUT")
        fake_youtube.fail("500", path="/upload", method="PUT")
        posted = client.post(video)
        (uploaded,) = fake_youtube.posts
        assert (
            uploaded["sha256"] == hashlib.sha256(VIDEO).hexdigest()
            and posted.remote_id == uploaded["id"]
        )
        # A crash mid-upload: a new client (another worker) resumes the same session.
        other = entry(key="yt-crash", asset=asset(VIDEO, "video/mp4"))
        fake_youtube.fail("drop", path="/upload", method="PUT", times=6)
        with pytest.raises(Transient):
            client.post(other)
        assert len(fake_youtube.posts) == 1
    with YouTubeClient(account(Platform.YOUTUBE, "UCbombo"), access) as again:
        assert again.find(other) is None  # half uploaded: post() resumes
        again.post(other)
    assert len(fake_youtube.posts) == 2 and len(fake_youtube.sessions) == 2


def test_youtube_faults(fake_youtube):
    access, _ = fake_youtube.add_channel("UCbombo", "Xã Bom Bo")
    with YouTubeClient(account(Platform.YOUTUBE, "UCbombo"), access) as client:
        fake_youtube.fail("rate", path="/upload")
        with pytest.raises(RateLimited):
            client.post(entry(key="q", asset=asset(VIDEO, "video/mp4")))
        fake_youtube.fail("500", path="/upload", method="POST")
        with pytest.raises(Transient):
            client.post(entry(key="q", asset=asset(VIDEO, "video/mp4")))
        fake_youtube.fail("429", path="/channels")
        with pytest.raises(RateLimited):
            client.verify()
        with pytest.raises(Rejected):
            client.post(entry(key="img", asset=asset(b"x", "image/png")))
        fake_youtube.fail("malformed", path="/channels")
        with pytest.raises(Transient):
            client.verify()
        fake_youtube.revoke(access)
        with pytest.raises(Unauthorized):
            client.verify()
    assert fake_youtube.posts == []


class DiskFile:
    """A file on disk as storage opens it."""

    def __init__(self, path):
        self.path, self.size = path, path.stat().st_size

    def open(self, mode="rb"):
        return self.path.open("rb")


def test_a_2_gb_video_is_uploaded_in_chunks_never_held_in_memory(fake_youtube, settings, tmp_path):
    import hashlib
    import tracemalloc

    size = 2 * 1024**3 + 12345
    path = tmp_path / "video.mp4"
    with path.open("wb") as out:  # sparse: 2 GB on the disk's books, a few bytes written
        out.write(b"\x00\x00\x00\x18ftypmp42")
        out.truncate(size)
    settings.LANTOA_YOUTUBE_CHUNK_BYTES = 64 * 1024 * 1024
    video = types.SimpleNamespace(
        file=DiskFile(path), size=size, content_type="video/mp4", original_name="video.mp4"
    )
    access, _ = fake_youtube.add_channel("UCbombo", "Xã Bom Bo")
    fake_youtube.fail("drop", path="/upload", method="PUT")  # an interruption on the way
    tracemalloc.start()
    try:
        with YouTubeClient(account(Platform.YOUTUBE, "UCbombo"), access) as client:
            posted = client.post(entry(key="big", asset=video))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    (uploaded,) = fake_youtube.posts
    assert posted.remote_id == uploaded["id"] and uploaded["size"] == size
    expected = hashlib.sha256()
    with path.open("rb") as source:
        while piece := source.read(8 * 1024 * 1024):
            expected.update(piece)
    assert uploaded["sha256"] == expected.hexdigest()
    # Not even one 64 MB chunk is held: the file goes out a mebibyte at a time (the fake
    # server, in this process too, reads it the same way).
    assert peak < 16 * 1024 * 1024
