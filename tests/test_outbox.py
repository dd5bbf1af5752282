"""The outbox against the fake platforms (real HTTP on 127.0.0.1): an item published goes to the
channels chosen, once, whatever the channel answers (500, 429, a timeout, a malformed body, a
token revoked mid-send, a connection dropped after the post was made, a worker killed, two
workers at once); withdrawing takes the posts down where the channel allows; the engagement
read back feeds the platform reach indicator."""

import datetime
import io
import os
import threading
import tracemalloc

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from lantoa.analytics.computation import compute
from lantoa.channels import outbox as services
from lantoa.channels.choices import AccountStatus, OutboxStatus, Platform
from lantoa.channels.compose import FACEBOOK_TEXT_MAX, YOUTUBE_TITLE_MAX, compose, hashtag
from lantoa.channels.models import ChannelAccount, Engagement, OutboxEntry
from lantoa.channels.platforms import client_for
from lantoa.channels.secrets import seal
from lantoa.content import services as content_services
from lantoa.content.choices import ContentKind, ReviewDecision
from lantoa.media import services as media_services
from lantoa.media.choices import AssetKind, AssetStatus, Licence
from lantoa.media.models import Asset
from lantoa.orgs.choices import Role
from lantoa.portal import publishing
from tests.fakes import platforms as fakes

fake_graph, fake_zalo, fake_youtube = fakes.fake_graph, fakes.fake_zalo, fakes.fake_youtube

BODY = (
    "<p>Sáng 10/10, UBND xã Bom Bo tổ chức Ngày Chuyển đổi số với 300 người dân tham gia cài đặt "
    "ứng dụng VNeID và thanh toán không dùng tiền mặt.</p><p>Tổ công nghệ số cộng đồng hướng dẫn "
    "từng hộ tại nhà văn hóa các thôn.</p>"
)


@pytest.fixture
def desk(tree, make_user):
    return {
        "editor": make_user(tree.bombo, Role.EDITOR, username="bientap"),
        "approver": make_user(tree.bombo, Role.APPROVER, username="pheduyet"),
    }


def _picture(unit):
    out = io.BytesIO()
    Image.new("RGB", (640, 360), (30, 120, 200)).save(out, "PNG")
    return media_services.asset_upload(
        actor=None,
        unit=unit,
        name="ngay-cds.png",
        data=out.getvalue(),
        title="Ngày Chuyển đổi số ở Bom Bo",
        licence=Licence.OWN,
        allow_duplicate=True,
    )


def _approved(desk, unit, *, title="Bom Bo ra quân Ngày Chuyển đổi số"):
    item = content_services.item_create(
        actor=desk["editor"], unit=unit, kind=ContentKind.NEWS, title=title, body=BODY
    )
    content_services.item_submit(actor=desk["editor"], item=item)
    content_services.item_review(
        actor=desk["approver"], item=item, decision=ReviewDecision.APPROVED
    )
    item.refresh_from_db()
    return item


def _published(desk, unit, capture, **kwargs):
    item = _approved(desk, unit, **kwargs)
    with capture(execute=True):
        return publishing.item_publish(actor=desk["approver"], item=item)


def _facebook(fake, unit, page="1001"):
    token = fake.add_page(page, "UBND xã Bom Bo")
    account = ChannelAccount.objects.create(
        unit=unit,
        platform=Platform.FACEBOOK,
        name="UBND xã Bom Bo",
        remote_id=page,
        access_token=seal(token),
    )
    return account, token


def _zalo(fake, unit, oa="2002"):
    access, refresh = fake.add_oa(oa, "Xã Bom Bo")
    return ChannelAccount.objects.create(
        unit=unit,
        platform=Platform.ZALO,
        name="Xã Bom Bo",
        remote_id=oa,
        access_token=seal(access),
        refresh_token=seal(refresh),
    )


def _later(seconds):
    return timezone.now() + datetime.timedelta(seconds=seconds)


def _summaries(entry) -> str:
    return " | ".join(
        str(e.additional_data.get("summary", ""))
        for e in LogEntry.objects.get_for_object(entry)
        if e.additional_data
    )


# --- composing -------------------------------------------------------------------------------


def test_compose_adapts_the_item_to_each_channel(tree, desk, django_capture_on_commit_callbacks):
    item = _published(
        desk, tree.bombo, django_capture_on_commit_callbacks, title="Tin " + "dài " * 60
    )
    facebook = compose(item, Platform.FACEBOOK)
    assert len(facebook.text) <= FACEBOOK_TEXT_MAX
    assert f"/u/{tree.bombo.code}/{item.slug}/" in facebook.link
    assert facebook.link.startswith("http") and facebook.link in facebook.text
    assert "#NQ57" in facebook.text and "<p>" not in facebook.text
    assert "VNeID" in facebook.text
    zalo = compose(item, Platform.ZALO)
    assert len(zalo.title) <= 150 and zalo.title.endswith("…") and "<p>" in zalo.body
    youtube = compose(item, Platform.YOUTUBE)
    assert not youtube.ok  # no video: YouTube is not offered
    assert len(compose(item, Platform.YOUTUBE).title) <= YOUTUBE_TITLE_MAX
    assert hashtag("chuyển đổi số") == "#ChuyenDoiSo"
    assert hashtag("Đổi mới sáng tạo") == "#DoiMoiSangTao"


# --- queueing and sending --------------------------------------------------------------------


def test_queued_before_publishing_is_sent_once_when_published(
    tree, desk, fake_graph, django_capture_on_commit_callbacks
):
    account, _ = _facebook(fake_graph, tree.bombo)
    item = _approved(desk, tree.bombo)
    (entry,) = services.outbox_queue(actor=desk["approver"], item=item, accounts=[account])
    assert entry.status == OutboxStatus.QUEUED and entry.key.startswith("lantoa-")
    assert fake_graph.posts == []  # not live yet: nothing sent
    with django_capture_on_commit_callbacks(execute=True):
        publishing.item_publish(actor=desk["approver"], item=item)
    entry.refresh_from_db()
    assert entry.status == OutboxStatus.SENT and entry.remote_id.startswith("1001_")
    assert entry.remote_url.endswith(entry.remote_id)
    assert len(fake_graph.posts) == 1 and "VNeID" in fake_graph.posts[0]["message"]
    assert "Posted on" in _summaries(entry) or "Đã đăng" in _summaries(entry)
    # Queueing again and running again post nothing more.
    again = services.outbox_queue(actor=desk["approver"], item=item, accounts=[account])
    assert [e.pk for e in again] == [entry.pk]
    services.outbox_due()
    assert len(fake_graph.posts) == 1


def test_queueing_refuses_drafts_past_times_and_foreign_accounts(tree, desk, fake_graph, make_user):
    account, _ = _facebook(fake_graph, tree.bombo)
    draft = content_services.item_create(
        actor=desk["editor"], unit=tree.bombo, kind=ContentKind.NEWS, title="Nháp", body=BODY
    )
    with pytest.raises(ValidationError):
        services.outbox_queue(actor=desk["approver"], item=draft, accounts=[account])
    item = _approved(desk, tree.bombo)
    with pytest.raises(ValidationError):
        services.outbox_queue(
            actor=desk["approver"], item=item, accounts=[account], send_at=_later(-3600)
        )
    other, _ = _facebook(fake_graph, tree.xuanlap, page="3003")
    with pytest.raises((ValidationError, PermissionDenied)):
        services.outbox_queue(actor=desk["approver"], item=item, accounts=[other])
    # An editor (not an approver) cannot send.
    with pytest.raises(PermissionDenied):
        services.outbox_queue(actor=desk["editor"], item=item, accounts=[account])
    assert not OutboxEntry.objects.exists()


def _queued_sent_later(desk, tree, account, capture):
    """A published item with an entry waiting (queued after publishing, not sent yet)."""
    item = _published(desk, tree.bombo, capture)
    (entry,) = services.outbox_queue(actor=desk["approver"], item=item, accounts=[account])
    return entry


def test_500_then_ok_is_retried_after_the_backoff_and_posted_once(
    tree, desk, fake_graph, django_capture_on_commit_callbacks
):
    account, _ = _facebook(fake_graph, tree.bombo)
    entry = _queued_sent_later(desk, tree, account, django_capture_on_commit_callbacks)
    fake_graph.fail("500", path="/feed")
    now = timezone.now()
    assert services.outbox_send(entry.pk, now) == OutboxStatus.RETRYING
    entry.refresh_from_db()
    assert entry.next_attempt_at == now + services.BACKOFF_BASE and entry.error
    assert services.outbox_send(entry.pk, now) is None  # not due yet
    assert services.outbox_send(entry.pk, now + services.BACKOFF_BASE) == OutboxStatus.SENT
    assert len(fake_graph.posts) == 1
    assert "retrying" in _summaries(entry).lower() or "thử lại" in _summaries(entry).lower()


def test_429_waits_the_channels_retry_after(
    tree, desk, fake_graph, django_capture_on_commit_callbacks
):
    account, _ = _facebook(fake_graph, tree.bombo)
    entry = _queued_sent_later(desk, tree, account, django_capture_on_commit_callbacks)
    fake_graph.retry_after = 600
    fake_graph.fail("429", path="/feed")
    now = timezone.now()
    assert services.outbox_send(entry.pk, now) == OutboxStatus.RETRYING
    entry.refresh_from_db()
    assert entry.next_attempt_at == now + datetime.timedelta(seconds=600)
    assert services.outbox_send(entry.pk, now + datetime.timedelta(seconds=599)) is None
    assert services.outbox_send(entry.pk, now + datetime.timedelta(seconds=600)) == "sent"
    assert len(fake_graph.posts) == 1


def test_a_timeout_after_the_channel_posted_is_found_not_posted_again(
    tree, desk, fake_graph, django_capture_on_commit_callbacks
):
    account, _ = _facebook(fake_graph, tree.bombo)
    entry = _queued_sent_later(desk, tree, account, django_capture_on_commit_callbacks)
    fake_graph.fail("slow", path="/feed")  # the post is made, the answer comes too late
    now = timezone.now()
    assert services.outbox_send(entry.pk, now) == OutboxStatus.RETRYING
    assert len(fake_graph.posts) == 1
    assert services.outbox_send(entry.pk, now + services.BACKOFF_BASE) == OutboxStatus.SENT
    entry.refresh_from_db()
    assert len(fake_graph.posts) == 1 and entry.remote_id == fake_graph.posts[0]["id"]


def test_a_malformed_answer_is_retried_then_failed_with_the_reason(
    tree, desk, fake_graph, django_capture_on_commit_callbacks
):
    account, _ = _facebook(fake_graph, tree.bombo)
    entry = _queued_sent_later(desk, tree, account, django_capture_on_commit_callbacks)
    fake_graph.fail("malformed", times=services.MAX_ATTEMPTS, path="/feed")
    now = timezone.now()
    for _attempt in range(services.MAX_ATTEMPTS):
        now += services.BACKOFF_MAX
        services.outbox_send(entry.pk, now)
    entry.refresh_from_db()
    assert entry.status == OutboxStatus.FAILED and "malformed" in entry.error
    assert entry.attempts == services.MAX_ATTEMPTS
    # Each malformed answer was a post the fake made: the attempts after the first asked the
    # channel first (find), so the first one was found... the fake answers malformed after
    # posting, so the second attempt finds it: nothing posted twice.
    assert len(fake_graph.posts) <= 1
    # The editor retries this one channel.
    services.outbox_retry(actor=desk["approver"], entry=entry)
    assert services.outbox_send(entry.pk, now) == OutboxStatus.SENT
    assert len(fake_graph.posts) == 1


def test_a_token_revoked_mid_send_pauses_the_account_and_the_entry_waits(
    tree, desk, fake_graph, django_capture_on_commit_callbacks
):
    account, token = _facebook(fake_graph, tree.bombo)
    entry = _queued_sent_later(desk, tree, account, django_capture_on_commit_callbacks)
    fake_graph.revoke(token)
    assert services.outbox_send(entry.pk) == OutboxStatus.RETRYING
    account.refresh_from_db()
    entry.refresh_from_db()
    assert account.status == AccountStatus.RECONNECT and entry.status == OutboxStatus.RETRYING
    assert entry.error and fake_graph.posts == []
    assert services.outbox_due(_later(7200)) == {}  # waits for the account, not lost
    # The administrator reconnects the account (a new token).
    account.access_token = seal(fake_graph.add_page("1001", "UBND xã Bom Bo"))
    account.status = AccountStatus.CONNECTED
    account.save()
    assert services.outbox_due() == {OutboxStatus.SENT: 1}
    assert len(fake_graph.posts) == 1


def test_a_dropped_connection_after_the_post_is_resolved_by_asking_the_channel(
    tree, desk, fake_graph, django_capture_on_commit_callbacks
):
    account, _ = _facebook(fake_graph, tree.bombo)
    entry = _queued_sent_later(desk, tree, account, django_capture_on_commit_callbacks)
    fake_graph.fail("drop", path="/feed")
    now = timezone.now()
    assert services.outbox_send(entry.pk, now) == OutboxStatus.RETRYING
    assert services.outbox_due(now + services.BACKOFF_BASE) == {OutboxStatus.SENT: 1}
    assert len(fake_graph.posts) == 1


def test_a_worker_killed_after_the_channel_accepted_never_posts_twice(
    tree, desk, fake_graph, django_capture_on_commit_callbacks
):
    account, _ = _facebook(fake_graph, tree.bombo)
    entry = _queued_sent_later(desk, tree, account, django_capture_on_commit_callbacks)
    now = timezone.now()
    # A worker claims the entry, counts its attempt, the channel accepts the post, and the
    # worker dies before it writes anything more.
    claimed = services._claim(entry.pk, now)
    OutboxEntry.objects.filter(pk=entry.pk).update(attempts=1)
    with client_for(account) as client:
        client.post(claimed)
    assert len(fake_graph.posts) == 1
    # Another worker within the lease leaves it alone; after the lease it asks the channel.
    assert services.outbox_due(now + datetime.timedelta(seconds=5)) == {}
    assert services.outbox_due(now + services.SENDING_LEASE + datetime.timedelta(seconds=1)) == {
        OutboxStatus.SENT: 1
    }
    entry.refresh_from_db()
    assert entry.status == OutboxStatus.SENT and entry.remote_id == fake_graph.posts[0]["id"]
    assert len(fake_graph.posts) == 1
    assert "Found already posted" in _summaries(entry) or "đã có" in _summaries(entry)


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_post_once(tree, desk, fake_graph):
    if connection.vendor != "postgresql":
        # SQLite locks the whole database, so two claims never race there; production runs on
        # PostgreSQL, and the PostgreSQL half of `make test` runs this every time.
        pytest.skip("SQLite cannot race two row claims: run in the PostgreSQL half")
    account, _ = _facebook(fake_graph, tree.bombo)
    item = _approved(desk, tree.bombo)
    publishing.item_publish(actor=desk["approver"], item=item)
    for n in range(5):
        (entry,) = services.outbox_queue(actor=desk["approver"], item=item, accounts=[account])
        OutboxEntry.objects.filter(pk=entry.pk).update(revision=item.live_revision)
        barrier = threading.Barrier(4)
        results = []

        def worker(entry_id=entry.pk, barrier=barrier, results=results):
            from django.db import connection as own

            try:
                barrier.wait()
                results.append(services.outbox_send(entry_id))
            finally:
                own.close()

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(map(str, results)) == ["None", "None", "None", OutboxStatus.SENT]
        assert len(fake_graph.posts) == n + 1
        OutboxEntry.objects.filter(pk=entry.pk).update(status=OutboxStatus.FAILED)


# --- withdrawing ------------------------------------------------------------------------------


def test_withdrawing_deletes_where_allowed_and_says_where_it_could_not(
    tree, desk, fake_graph, fake_zalo, django_capture_on_commit_callbacks
):
    facebook, _ = _facebook(fake_graph, tree.bombo)
    zalo = _zalo(fake_zalo, tree.bombo)
    item = _approved(desk, tree.bombo)
    services.outbox_queue(actor=desk["approver"], item=item, accounts=[facebook, zalo])
    with django_capture_on_commit_callbacks(execute=True):
        publishing.item_publish(actor=desk["approver"], item=item)
    by_platform = {e.account.platform: e for e in OutboxEntry.objects.filter(item=item)}
    assert {e.status for e in by_platform.values()} == {OutboxStatus.SENT}
    fake_zalo.fail("500", times=10, path="remove")  # Zalo fails to remove the article
    with django_capture_on_commit_callbacks(execute=True):
        publishing.item_withdraw(actor=desk["approver"], item=item, reason="Sai số liệu")
    fb = OutboxEntry.objects.get(pk=by_platform[Platform.FACEBOOK].pk)
    za = OutboxEntry.objects.get(pk=by_platform[Platform.ZALO].pk)
    assert fb.status == OutboxStatus.WITHDRAWN and fake_graph.posts[0].get("deleted")
    assert za.status == OutboxStatus.SENT and za.withdraw_error  # said, not hidden
    client = _client_for_page(desk)
    page = client.get(reverse("channels:item-channels", args=[item.pk])).content.decode()
    assert za.withdraw_error.split(":")[0] in page


def _client_for_page(desk):
    from django.test import Client

    client = Client()
    client.force_login(desk["approver"])
    return client


# --- engagement -------------------------------------------------------------------------------


def test_engagement_is_pulled_daily_into_the_platform_reach_indicator(
    tree, desk, fake_graph, django_capture_on_commit_callbacks
):
    account, _ = _facebook(fake_graph, tree.bombo)
    item = _approved(desk, tree.bombo)
    services.outbox_queue(actor=desk["approver"], item=item, accounts=[account])
    with django_capture_on_commit_callbacks(execute=True):
        publishing.item_publish(actor=desk["approver"], item=item)
    entry = OutboxEntry.objects.get(item=item)
    today = timezone.localdate()
    fake_graph.stats[entry.remote_id] = {"reach": 120, "reactions": 7, "shares": 2, "views": 300}
    out = io.StringIO()
    call_command("pull_engagement", stdout=out)
    assert "1 post" in out.getvalue()
    fake_graph.stats[entry.remote_id] = {"reach": 150, "reactions": 9, "shares": 3, "views": 400}
    services.engagement_pull(today)  # the same day again: the row is updated, not added
    (row,) = Engagement.objects.filter(entry=entry)
    assert (row.reach, row.reactions, row.shares, row.views) == (150, 9, 3, 400)
    value = compute("platform_reach", unit=tree.dongnai, start=today, end=today)
    assert value.numerator == 150 and value.display == "150"
    # Not in Lạng Sơn's figures.
    assert compute("platform_reach", unit=tree.langson, start=today, end=today).value is None


# --- pages, scoping, API ---------------------------------------------------------------------


def test_outbox_page_is_scoped_and_retries_one_channel(
    tree, desk, fake_graph, make_user, django_capture_on_commit_callbacks
):
    account, _ = _facebook(fake_graph, tree.bombo)
    entry = _queued_sent_later(desk, tree, account, django_capture_on_commit_callbacks)
    fake_graph.fail("500", times=services.MAX_ATTEMPTS, path="/feed")
    now = timezone.now()
    for _ in range(services.MAX_ATTEMPTS):
        now += services.BACKOFF_MAX
        services.outbox_send(entry.pk, now)
    entry.refresh_from_db()
    assert entry.status == OutboxStatus.FAILED
    client = _client_for_page(desk)
    page = client.get(reverse("channels:outbox")).content.decode()
    assert entry.item.title in page and entry.error[:20] in page
    # The province sees its subtree's outbox; another province and a sibling commune do not.
    province = make_user(tree.dongnai, Role.VIEWER)
    client.force_login(province)
    assert entry.item.title in client.get(reverse("channels:outbox")).content.decode()
    for outsider in (
        make_user(tree.langson, Role.APPROVER),
        make_user(tree.xuanlap, Role.APPROVER),
    ):
        client.force_login(outsider)
        assert entry.item.title not in client.get(reverse("channels:outbox")).content.decode()
        retry = client.post(reverse("channels:outbox-retry", args=[entry.pk]))
        assert retry.status_code == 404
    client.force_login(desk["approver"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("channels:outbox-retry", args=[entry.pk]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == OutboxStatus.SENT and len(fake_graph.posts) == 1


def test_item_channels_page_queues_the_chosen_accounts_with_a_send_time(
    tree, desk, fake_graph, django_capture_on_commit_callbacks
):
    account, _ = _facebook(fake_graph, tree.bombo)
    item = _approved(desk, tree.bombo)
    client = _client_for_page(desk)
    url = reverse("channels:item-channels", args=[item.pk])
    page = client.get(url).content.decode()
    assert "VNeID" in page and "#NQ57" in page  # the preview
    when = timezone.localtime(_later(3600)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"accounts": [str(account.pk)], "send_at": when})
    assert response.status_code == 302
    entry = OutboxEntry.objects.get(item=item)
    assert entry.status == OutboxStatus.QUEUED and entry.send_at is not None
    assert str(account) in client.get(url).content.decode()


def test_api_lists_the_outbox_scoped_and_retries(
    tree, desk, fake_graph, make_user, api_client, django_capture_on_commit_callbacks
):
    account, _ = _facebook(fake_graph, tree.bombo)
    entry = _queued_sent_later(desk, tree, account, django_capture_on_commit_callbacks)
    OutboxEntry.objects.filter(pk=entry.pk).update(status=OutboxStatus.FAILED, error="x")
    api_client.force_authenticate(desk["approver"])
    listed = api_client.get("/api/v1/outbox/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["id"] for r in rows] == [entry.pk] and rows[0]["status"] == OutboxStatus.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        answer = api_client.post(f"/api/v1/outbox/{entry.pk}/retry/")
    assert answer.status_code == 200
    entry.refresh_from_db()
    assert entry.status == OutboxStatus.SENT
    api_client.force_authenticate(make_user(tree.langson, Role.APPROVER))
    listed = api_client.get("/api/v1/outbox/").json()
    assert (listed["results"] if isinstance(listed, dict) else listed) == []
    assert api_client.post(f"/api/v1/outbox/{entry.pk}/retry/").status_code == 404


# --- a 2 GB video -----------------------------------------------------------------------------


def test_a_2_gb_video_streams_to_youtube_in_chunks(
    tree, desk, fake_youtube, settings, django_capture_on_commit_callbacks
):
    settings.LANTOA_YOUTUBE_CHUNK_BYTES = 4 * 1024 * 1024
    settings.LANTOA_CHANNEL_TIMEOUT = 30
    access, refresh = fake_youtube.add_channel("UCbombo", "Xã Bom Bo")
    account = ChannelAccount.objects.create(
        unit=tree.bombo,
        platform=Platform.YOUTUBE,
        name="Xã Bom Bo",
        remote_id="UCbombo",
        access_token=seal(access),
        refresh_token=seal(refresh),
    )
    size = 2 * 1024**3
    folder = settings.MEDIA_ROOT / "library"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ngay-cds.mp4"
    with open(path, "wb") as sparse:
        sparse.truncate(size)  # a sparse file: 2 GB long, nothing on the disk
    video = Asset.objects.create(
        unit=tree.bombo,
        kind=AssetKind.VIDEO,
        status=AssetStatus.READY,
        title="Ngày Chuyển đổi số",
        licence=Licence.OWN,
        file="library/ngay-cds.mp4",
        original_name="ngay-cds.mp4",
        content_type="video/mp4",
        size=size,
        sha256="0" * 64,
        created_by=desk["editor"],
    )
    item = _published(desk, tree.bombo, django_capture_on_commit_callbacks)
    item.cover = video
    item.save(update_fields=["cover"])
    (entry,) = services.outbox_queue(actor=desk["approver"], item=item, accounts=[account])
    assert entry.asset == video and len(entry.title) <= YOUTUBE_TITLE_MAX
    tracemalloc.start()
    try:
        assert services.outbox_send(entry.pk) == OutboxStatus.SENT
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        os.unlink(path)
    (posted,) = fake_youtube.posts
    assert posted["size"] == size
    entry.refresh_from_db()
    assert entry.status == OutboxStatus.SENT and entry.remote_id == posted["id"]
    # Chunks in memory, never the file: the peak is a few chunks (the HTTP client's reference
    # cycles keep some until the garbage collector runs), far below the 2 GB sent.
    assert peak < size // 8


def test_a_partial_failure_shows_per_channel(
    tree, desk, fake_graph, fake_zalo, settings, django_capture_on_commit_callbacks
):
    settings.LANTOA_ZALO_DEFAULT_COVER_URL = ""  # and the item has no cover: Zalo refuses
    facebook, _ = _facebook(fake_graph, tree.bombo)
    zalo = _zalo(fake_zalo, tree.bombo)
    item = _approved(desk, tree.bombo)
    services.outbox_queue(actor=desk["approver"], item=item, accounts=[facebook, zalo])
    with django_capture_on_commit_callbacks(execute=True):
        publishing.item_publish(actor=desk["approver"], item=item)
    fb = OutboxEntry.objects.get(item=item, account=facebook)
    za = OutboxEntry.objects.get(item=item, account=zalo)
    assert fb.status == OutboxStatus.SENT and za.status == OutboxStatus.FAILED
    assert "cover" in za.error and za.attempts == 1  # a refusal is not retried by itself
    page = _client_for_page(desk).get(reverse("channels:item-channels", args=[item.pk]))
    text = page.content.decode()
    assert "Đã gửi" in text and "Gửi không thành công" in text and "cover" in text


def test_a_scheduled_item_is_sent_when_it_goes_live(
    tree, desk, fake_graph, django_capture_on_commit_callbacks
):
    account, _ = _facebook(fake_graph, tree.bombo)
    item = _approved(desk, tree.bombo)
    go_live = _later(3600)
    item = content_services.item_schedule(actor=desk["approver"], item=item, go_live_at=go_live)
    (entry,) = services.outbox_queue(actor=desk["approver"], item=item, accounts=[account])
    assert entry.send_at == go_live
    assert services.outbox_due(go_live + datetime.timedelta(seconds=30)) == {}  # not live yet
    with django_capture_on_commit_callbacks(execute=True):
        publishing.publish_due(go_live + datetime.timedelta(seconds=30))
    assert services.outbox_due(go_live + datetime.timedelta(seconds=60)) == {OutboxStatus.SENT: 1}
    assert len(fake_graph.posts) == 1
    out = io.StringIO()
    call_command("send_outbox", stdout=out)
    assert "nothing due" in out.getvalue() and len(fake_graph.posts) == 1


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_killed_mid_send_never_posts_twice(tree, desk, fake_graph, settings):
    """A real ``lantoa send-outbox`` process, killed (SIGKILL) once the channel has the post and
    before it could record it; the next run finds the post instead of posting again."""
    if connection.vendor != "postgresql":
        # The SQLite test database lives in this process's memory: a second process cannot
        # see it. The PostgreSQL half of `make test` runs this every time.
        pytest.skip("a second process cannot open the in-memory SQLite test database")
    import signal
    import subprocess
    import sys
    import time

    from cryptography.fernet import Fernet

    settings.LANTOA_CHANNEL_KEYS = Fernet.generate_key().decode()  # the worker's key too
    account, _ = _facebook(fake_graph, tree.bombo)
    item = _approved(desk, tree.bombo)
    publishing.item_publish(actor=desk["approver"], item=item)
    (entry,) = services.outbox_queue(actor=desk["approver"], item=item, accounts=[account])
    fake_graph.sleep = 60
    fake_graph.fail("slow", path="/feed")  # the post is made, then the answer hangs
    db = connection.settings_dict
    env = dict(
        os.environ,
        LANTOA_DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        LANTOA_FACEBOOK_GRAPH_URL=fake_graph.url + "/v26.0",
        LANTOA_CHANNEL_TIMEOUT="120",
        LANTOA_CHANNEL_KEYS=settings.LANTOA_CHANNEL_KEYS,
    )
    worker = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "lantoa", "send-outbox"], env=env, stdout=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while not fake_graph.posts and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(fake_graph.posts) == 1
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    entry.refresh_from_db()
    assert entry.status == OutboxStatus.SENDING and not entry.remote_id  # left mid-send
    fake_graph.sleep = fakes.CLIENT_TIMEOUT + 1.0
    later = timezone.now() + services.SENDING_LEASE + datetime.timedelta(seconds=1)
    assert services.outbox_due(later) == {OutboxStatus.SENT: 1}
    entry.refresh_from_db()
    assert entry.remote_id == fake_graph.posts[0]["id"] and len(fake_graph.posts) == 1
