"""The commune loudspeakers: a bulletin's script read out in full (numbers, dates, NQ57, UBND),
spoken offline by espeak-ng or by a provider's voice, loudness-normalised MP3/OGG; a recorded
reading instead; the schedule and the operator's log, each aired broadcast one BROADCAST
activity with its minutes, counted in the figures."""

import datetime
import io
import json
import os
import re
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from lantoa.activities.choices import ActivityKind, ActivityOrigin
from lantoa.activities.models import Activity
from lantoa.analytics.computation import compute
from lantoa.channels import loudspeakers
from lantoa.channels.models import Broadcast, Bulletin, BulletinAudio, LoudspeakerCluster
from lantoa.channels.speech import voices
from lantoa.channels.speech.normalise import number_words, paragraphs, speech_text
from lantoa.content import services as content_services
from lantoa.content.choices import ContentKind, ReviewDecision
from lantoa.media.choices import AssetKind
from lantoa.orgs.choices import Role
from lantoa.portal import publishing

REPO = Path(__file__).resolve().parent.parent
SCRIPT = (
    "Ngày 18/5/2026, UBND xã Bom Bo tổ chức Ngày KH&CN Việt Nam, triển khai NQ57 về ĐMST và CĐS.\n"
    "Tỷ lệ hồ sơ trực tuyến đạt 70%, lúc 7h30 sáng thứ 2 tại nhà văn hóa ấp 3."
)


@pytest.fixture(autouse=True)
def _english():
    """The messages asserted below are the English msgids (the site speaks Vietnamese)."""
    with translation.override("en"):
        yield


# -- normalisation --------------------------------------------------------------------------

NUMBERS = [
    (0, "không"),
    (15, "mười lăm"),
    (21, "hai mươi mốt"),
    (25, "hai mươi lăm"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (1005, "một nghìn không trăm linh năm"),
    (2026, "hai nghìn không trăm hai mươi sáu"),
    (1_000_000, "một triệu"),
    (1_200_000, "một triệu hai trăm nghìn"),
    (2_000_000_005, "hai tỷ không trăm linh năm"),
]


@pytest.mark.parametrize(("n", "words"), NUMBERS)
def test_numbers_are_read_the_official_way(n, words):
    assert number_words(n) == words


CASES = [
    ("Tỷ lệ đạt 70%.", "Tỷ lệ đạt bảy mươi phần trăm."),
    ("từ 70-80%", "từ bảy mươi đến tám mươi phần trăm"),
    ("1.000.000 đồng", "một triệu đồng"),
    ("3,5 tỷ", "ba phẩy năm tỷ"),
    ("12,75 km", "mười hai phẩy bảy mươi lăm ki lô mét"),
    ("0,05", "không phẩy không năm"),
    ("500.000đ", "năm trăm nghìn đồng"),
    ("lần thứ 2, thứ 1, thứ 4", "lần thứ hai, thứ nhất, thứ tư"),
    (
        "18/5/2026",
        "ngày mười tám tháng năm năm hai nghìn không trăm hai mươi sáu",
    ),
    ("Ngày 1/10", "Ngày một tháng mười"),
    ("tháng 4/2026", "tháng tư năm hai nghìn không trăm hai mươi sáu"),
    ("lúc 7h30", "lúc bảy giờ ba mươi phút"),
    ("lúc 07:30", "lúc bảy giờ ba mươi phút"),
    ("đến 11h.", "đến mười một giờ."),
    (
        "giai đoạn 2025-2030",
        "giai đoạn hai nghìn không trăm hai mươi lăm đến hai nghìn không trăm ba mươi",
    ),
    ("từ 10 - 15 người", "từ mười đến mười lăm người"),
    ("57-NQ/TW", "năm mươi bảy nghị quyết Trung ương"),
    ("Nghị quyết số 57-NQ/TW", "Nghị quyết số năm mươi bảy Trung ương"),
    ("127/QĐ-TTg", "một trăm hai mươi bảy quyết định của Thủ tướng Chính phủ"),
    ("NQ57", "Nghị quyết năm mươi bảy"),
    ("NQ 57", "Nghị quyết năm mươi bảy"),
    ("Sở KH&CN", "Sở khoa học và công nghệ"),
    ("ĐMST và CĐS", "đổi mới sáng tạo và chuyển đổi số"),
    ("UBND xã, HĐND, MTTQ", "Ủy ban nhân dân xã, Hội đồng nhân dân, Mặt trận Tổ quốc"),
    ("TW", "Trung ương"),
    ("TP. Lạng Sơn, Tp Biên Hòa", "thành phố Lạng Sơn, thành phố Biên Hòa"),
    ("tw", "tw"),
    ("Xem https://lantoa.gov.vn/u/25405/?x=1", "Xem trang lantoa chấm gov chấm vn"),
    ("www.most.gov.vn.", "trang most chấm gov chấm vn."),
    ("Thư: hop.thu@bombo.gov.vn", "Thư: hop chấm thu a còng bombo chấm gov chấm vn"),
    ("Xin chào 😀 你好 \x07 ★ ✓ → ©", "Xin chào"),
    ("a\u200b\u202eb", "a b"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "spoken"), CASES)
def test_the_script_is_read_out_in_full(text, spoken):
    assert speech_text(text) == spoken


def test_paragraphs_are_kept_and_long_ones_cut_at_sentences():
    assert paragraphs("Một.\n\n\nHai.") == ["Một.", "Hai."]
    long = " ".join(["Câu này nói về chuyển đổi số."] * 200)
    pieces = paragraphs(long, limit=300)
    assert all(len(p) <= 300 for p in pieces)
    assert " ".join(pieces) == speech_text(long)


def test_any_text_is_normalised_without_raising():
    garbage = "".join(chr(c) for c in range(0, 0x3000, 7)) + "\ud800" + "9" * 40 + "%/%/"
    assert isinstance(speech_text(garbage), str)


# -- audio ----------------------------------------------------------------------------------


def _probe(path: Path) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
         str(path)],
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(out)


def _loudness(path: Path) -> float:
    done = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-af", "ebur128", "-f", "null",
         "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    summary = done.stderr.rsplit("Summary:", 1)[-1]
    return float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))


@pytest.mark.parametrize(("suffix", "codec"), [(".mp3", "mp3"), (".ogg", "vorbis")])
def test_espeak_speaks_a_loudness_normalised_bulletin(tmp_path, suffix, codec):
    out = voices.synthesise(SCRIPT, tmp_path / f"ban-tin{suffix}")
    probe = _probe(out)
    assert probe["streams"][0]["codec_name"] == codec
    assert float(probe["format"]["duration"]) > 5
    assert abs(_loudness(out) - (-16)) < 2.5
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no partial file left


def test_unspeakable_characters_do_not_stop_the_voice(tmp_path):
    out = voices.synthesise(
        "Bản tin 😀🎉 你好世界 \x00\x1b[31m ★★ ∑∫ ☎ ½\nXã Bom Bo.", tmp_path / "x.mp3"
    )
    assert float(_probe(out)["format"]["duration"]) > 0.5


def test_nothing_to_read_and_bad_extension_are_refused(tmp_path):
    with pytest.raises(ValidationError, match="nothing to read"):
        voices.synthesise("😀 ★ 你好", tmp_path / "x.mp3")
    with pytest.raises(ValidationError, match=r"\.mp3 or \.ogg"):
        voices.synthesise("Xin chào", tmp_path / "x.wav")
    with pytest.raises(ValidationError, match="Unknown voice"):
        voices.synthesise("Xin chào", tmp_path / "x.mp3", voice="robot")
    assert list(tmp_path.iterdir()) == []


def _command(args, stdin: bytes, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), LANTOA_TESTING="1")
    return subprocess.run(
        [sys.executable, "-m", "lantoa", "bulletin-audio", *args],
        input=stdin, capture_output=True, env=env, cwd=tmp_path, timeout=300,
    )  # fmt: skip


def test_the_command_reads_stdin_and_writes_the_file(tmp_path):
    out = tmp_path / "ban-tin.ogg"
    done = _command(["--out", str(out)], SCRIPT.encode(), tmp_path)
    assert done.returncode == 0, done.stderr
    assert _probe(out)["streams"][0]["codec_name"] == "vorbis"


def test_the_command_refuses_an_unknown_extension_and_writes_nothing(tmp_path):
    out = tmp_path / "ban-tin.wav"
    done = _command(["--out", str(out)], SCRIPT.encode(), tmp_path)
    assert done.returncode != 0
    assert ".mp3" in done.stderr.decode() and "ban-tin.wav" in done.stderr.decode()
    assert not out.exists()
    done = _command(["--out", str(tmp_path / "x.mp3"), "--voice", "robot"], b"Xin", tmp_path)
    assert done.returncode != 0
    assert list(tmp_path.iterdir()) == []


# -- the provider's voice, against a fake -------------------------------------------------


def _tone(tmp_path) -> bytes:
    target = tmp_path / "tone.wav"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
         "sine=frequency=440:duration=2", str(target)],
        check=True,
    )  # fmt: skip
    return target.read_bytes()


@pytest.fixture
def fake_tts(tmp_path):
    state = {"status": 200, "delay": 0.0, "requests": [], "audio": _tone(tmp_path)}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state["requests"].append((dict(self.headers), json.loads(body)))
            time.sleep(state["delay"])
            self.send_response(state["status"])
            payload = state["audio"] if state["status"] == 200 else b'{"error": "boom"}'
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{server.server_address[1]}/tts"
    yield state
    server.shutdown()
    server.server_close()


def test_the_http_voice_speaks_each_paragraph(tmp_path, fake_tts, monkeypatch, caplog):
    monkeypatch.setenv("LANTOA_TTS_URL", fake_tts["url"])
    monkeypatch.setenv("LANTOA_TTS_KEY", "bi-mat-khong-lo")
    out = voices.synthesise(SCRIPT, tmp_path / "out" / "b.mp3", voice="http")
    assert float(_probe(out)["format"]["duration"]) > 3  # two paragraphs of two seconds
    assert len(fake_tts["requests"]) == 2
    headers, body = fake_tts["requests"][0]
    assert headers["Authorization"] == "Bearer bi-mat-khong-lo"
    assert body["text"].startswith("Ngày mười tám tháng năm")
    assert "Ủy ban nhân dân" in body["text"]
    fake_tts["status"] = 500
    with pytest.raises(ValidationError) as refused:
        voices.synthesise(SCRIPT, tmp_path / "c.mp3", voice="http")
    assert "answered 500" in refused.value.messages[0]
    assert not (tmp_path / "c.mp3").exists()
    fake_tts["status"], fake_tts["delay"] = 200, 1.5
    monkeypatch.setattr(voices, "HTTP_TIMEOUT", 0.5)
    with pytest.raises(ValidationError, match="did not answer in time"):
        voices.synthesise(SCRIPT, tmp_path / "d.mp3", voice="http")
    assert "bi-mat-khong-lo" not in caplog.text
    assert "bi-mat-khong-lo" not in repr(voices.HttpVoice())


def test_the_http_voice_unconfigured_or_unreachable_says_so(tmp_path, monkeypatch):
    monkeypatch.delenv("LANTOA_TTS_URL", raising=False)
    with pytest.raises(ValidationError, match="LANTOA_TTS_URL"):
        voices.synthesise("Xin chào", tmp_path / "a.mp3", voice="http")
    monkeypatch.setenv("LANTOA_TTS_URL", "http://127.0.0.1:9/tts")
    with pytest.raises(ValidationError, match="could not be reached"):
        voices.synthesise("Xin chào", tmp_path / "a.mp3", voice="http")


# -- bulletins, audio, broadcasts -------------------------------------------------------------


@pytest.fixture
def people(tree, make_user):
    return {
        "editor": make_user(tree.bombo, Role.EDITOR, username="bientap"),
        "approver": make_user(tree.bombo, Role.APPROVER, username="pheduyet"),
        "operator": make_user(tree.bombo, Role.REPORTER, username="truyenthanh"),
        "outsider": make_user(tree.xuanlap, Role.ADMINISTRATOR, username="xuanlap"),
    }


def _approved(people, unit, *, kind=ContentKind.LOUDSPEAKER, title="Bản tin tuần", body=""):
    item = content_services.item_create(
        actor=people["editor"], unit=unit, kind=kind, title=title,
        body=body or "<p>Ngày 18/5/2026, UBND xã tổ chức Ngày KH&amp;CN.</p><p>Đạt 70%.</p>",
    )  # fmt: skip
    content_services.item_submit(actor=people["editor"], item=item)
    content_services.item_review(
        actor=people["approver"], item=item, decision=ReviewDecision.APPROVED
    )
    item.refresh_from_db()
    return item


def test_a_bulletin_drawn_from_published_items_is_a_draft_to_review(
    tree, people, django_capture_on_commit_callbacks
):
    news = _approved(people, tree.bombo, kind=ContentKind.NEWS, title="Xã ra mắt tổ công nghệ số")
    with django_capture_on_commit_callbacks(execute=True):
        publishing.item_publish(actor=people["approver"], item=news)
    news.refresh_from_db()
    draft = content_services.item_create(
        actor=people["editor"], unit=tree.bombo, kind=ContentKind.NEWS, title="Chưa đăng"
    )
    with pytest.raises(ValidationError, match="not published"):
        loudspeakers.bulletin_from_items(
            actor=people["editor"], unit=tree.bombo, items=[news, draft], title="Bản tin"
        )
    bulletin = loudspeakers.bulletin_from_items(
        actor=people["editor"], unit=tree.bombo, items=[news], title="Bản tin sáng thứ Hai"
    )
    assert bulletin.kind == ContentKind.LOUDSPEAKER
    assert content_services.workflow_status(bulletin) == "draft"
    assert loudspeakers.bulletin_revision(bulletin) is None  # not spoken before review
    script = loudspeakers.bulletin_script(bulletin.latest_revision)
    assert script.splitlines()[:2] == ["Bản tin sáng thứ Hai", "Xã ra mắt tổ công nghệ số"]


def test_an_approved_bulletin_is_spoken_into_the_library(tree, people):
    item = content_services.item_create(
        actor=people["editor"], unit=tree.bombo, kind=ContentKind.LOUDSPEAKER, title="Bản tin",
        body="<p>Xin chào bà con.</p>",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="approved or published"):
        loudspeakers.bulletin_audio_make(actor=people["editor"], item=item)
    item = _approved(people, tree.bombo)
    audio = loudspeakers.bulletin_audio_make(actor=people["editor"], item=item)
    assert audio.revision == item.latest_revision and audio.voice == "espeak"
    assert audio.asset.kind == AssetKind.AUDIO and audio.asset.unit == tree.bombo
    # The same revision spoken again: one copy in the library.
    again = loudspeakers.bulletin_audio_make(actor=people["editor"], item=item)
    assert again.asset_id == audio.asset_id
    with pytest.raises(PermissionDenied):
        loudspeakers.bulletin_audio_make(actor=people["outsider"], item=item)
    assert LogEntry.objects.get_for_object(audio).filter(actor=people["editor"]).exists()


def test_a_recorded_reading_is_checked_by_its_content(tree, people, tmp_path):
    item = _approved(people, tree.bombo)
    with pytest.raises(ValidationError, match="its content is a PDF"):
        loudspeakers.bulletin_audio_upload(
            actor=people["editor"], item=item, data=b"%PDF-1.4 fake", name="doc-ban-tin.mp3"
        )
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(picture, "PNG")
    with pytest.raises(ValidationError, match="not audio"):
        loudspeakers.bulletin_audio_upload(
            actor=people["editor"], item=item, data=picture.getvalue(), name="anh.png"
        )
    assert not BulletinAudio.objects.exists()
    recorded = voices.synthesise("Giọng đọc thu sẵn của xã.", tmp_path / "r.ogg").read_bytes()
    audio = loudspeakers.bulletin_audio_upload(
        actor=people["editor"], item=item, data=recorded, name="doc-ban-tin.ogg"
    )
    assert audio.voice == "" and audio.asset.kind == AssetKind.AUDIO


def _cluster(people, tree, name="Cụm loa ấp 3"):
    return loudspeakers.cluster_create(
        actor=people["operator"], unit=tree.bombo, name=name, place="Nhà văn hóa", speakers="4"
    )


def _aired_broadcast(people, tree, *, clusters=None):
    item = _approved(people, tree.bombo)
    clusters = clusters or [_cluster(people, tree), _cluster(people, tree, "Cụm loa ấp 5")]
    when = timezone.now() - datetime.timedelta(hours=2)
    return loudspeakers.broadcast_schedule(
        actor=people["operator"], item=item, clusters=clusters, starts_at=when, planned_minutes=15
    )


def test_clusters_are_checked_and_scoped(tree, people):
    with pytest.raises(ValidationError) as refused:
        loudspeakers.cluster_create(
            actor=people["operator"], unit=tree.bombo, name=" ", speakers="nhiều"
        )
    assert set(refused.value.message_dict) == {"name", "speakers"}
    cluster = _cluster(people, tree)
    with pytest.raises(PermissionDenied):
        loudspeakers.cluster_edit(actor=people["outsider"], cluster=cluster, name="Khác")
    loudspeakers.cluster_edit(actor=people["operator"], cluster=cluster, name="Cụm loa trung tâm")
    assert LoudspeakerCluster.objects.get().name == "Cụm loa trung tâm"
    assert not LoudspeakerCluster.objects.restrict(people["outsider"]).exists()


def test_only_an_approved_bulletin_is_scheduled(tree, people):
    draft = content_services.item_create(
        actor=people["editor"], unit=tree.bombo, kind=ContentKind.LOUDSPEAKER, title="Nháp"
    )
    with pytest.raises(ValidationError, match="approved or published"):
        loudspeakers.broadcast_schedule(
            actor=people["operator"], item=draft, clusters=[_cluster(people, tree)],
            starts_at=timezone.now(),
        )  # fmt: skip
    other = loudspeakers.cluster_create(actor=people["outsider"], unit=tree.xuanlap, name="XL")
    with pytest.raises(ValidationError, match="not this unit"):
        loudspeakers.broadcast_schedule(
            actor=people["operator"], item=_approved(people, tree.bombo), clusters=[other],
            starts_at=timezone.now(),
        )  # fmt: skip
    assert not Broadcast.objects.exists()


def test_the_log_makes_one_broadcast_activity_counted_in_the_figures(tree, people):
    broadcast = _aired_broadcast(people, tree)
    first, second = broadcast.clusters.order_by("name")
    loudspeakers.broadcast_log(
        actor=people["operator"], broadcast=broadcast, aired=True, minutes="15",
        clusters=[first, second], note="Phát hai lần",
    )  # fmt: skip
    activity = Activity.objects.get()
    assert (activity.kind, activity.origin) == (ActivityKind.BROADCAST, ActivityOrigin.BROADCAST)
    assert activity.minutes == 15 and activity.items == 1
    assert activity.origin_ref == f"broadcast:{broadcast.pk}"
    assert "Cụm loa ấp 3" in activity.description and "Phát hai lần" in activity.description
    day = activity.date
    assert compute("broadcast_minutes", unit=tree.bombo, start=day, end=day).value == 15
    assert compute("broadcast_minutes", unit=tree.dongnai, start=day, end=day).value == 15
    # Corrected: the same activity, its minutes updated.
    loudspeakers.broadcast_log(
        actor=people["operator"], broadcast=broadcast, aired=True, minutes=20, clusters=[first]
    )
    assert Activity.objects.get().pk == activity.pk
    assert Activity.objects.get().minutes == 20
    assert compute("broadcast_minutes", unit=tree.bombo, start=day, end=day).value == 20
    broadcast.refresh_from_db()
    assert list(broadcast.aired_clusters.all()) == [first]
    # It did not air after all: the activity is withdrawn, nothing counted.
    loudspeakers.broadcast_log(actor=people["operator"], broadcast=broadcast, aired=False)
    assert Activity.objects.get().withdrawn_at is not None
    assert not compute("broadcast_minutes", unit=tree.bombo, start=day, end=day).value
    broadcast.refresh_from_db()
    assert broadcast.aired is False and broadcast.aired_minutes is None
    assert LogEntry.objects.get_for_object(broadcast).filter(actor=people["operator"]).exists()


def test_a_bad_log_changes_nothing(tree, people):
    broadcast = _aired_broadcast(people, tree)
    cluster = broadcast.clusters.first()
    for kwargs, field in [
        ({"minutes": "0", "clusters": [cluster]}, "minutes"),
        ({"minutes": "abc", "clusters": [cluster]}, "minutes"),
        ({"minutes": "10", "clusters": []}, "clusters"),
        ({"minutes": "10", "clusters": [cluster], "note": "x" * 600}, "note"),
    ]:
        with pytest.raises(ValidationError) as refused:
            loudspeakers.broadcast_log(
                actor=people["operator"], broadcast=broadcast, aired=True, **kwargs
            )
        assert field in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        loudspeakers.broadcast_log(
            actor=people["outsider"], broadcast=broadcast, aired=True, minutes=5,
            clusters=[cluster],
        )  # fmt: skip
    broadcast.refresh_from_db()
    assert broadcast.aired is None and not Activity.objects.exists()


def test_a_broadcast_still_to_come_cannot_be_logged_as_aired(tree, people):
    item = _approved(people, tree.bombo)
    cluster = _cluster(people, tree)
    later = loudspeakers.broadcast_schedule(
        actor=people["operator"], item=item, clusters=[cluster],
        starts_at=timezone.now() + datetime.timedelta(days=1),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="still to come"):
        loudspeakers.broadcast_log(
            actor=people["operator"], broadcast=later, aired=True, minutes=5, clusters=[cluster]
        )


# -- pages ----------------------------------------------------------------------------------


def test_the_log_page_saves_and_is_scoped(client, tree, people):
    broadcast = _aired_broadcast(people, tree)
    url = reverse("channels:broadcast-log", args=[broadcast.pk])
    client.force_login(people["outsider"])
    assert client.get(url).status_code == 404
    client.force_login(people["operator"])
    page = client.get(url)
    assert page.status_code == 200
    assert "Bản tin tuần" in page.content.decode()
    ids = [str(c.pk) for c in broadcast.clusters.all()]
    answer = client.post(url, {"aired": "yes", "minutes": "12", "clusters": ids, "note": "Tốt"})
    assert answer.status_code == 302
    assert Activity.objects.get().minutes == 12
    answer = client.post(url, {"aired": "yes", "minutes": "9999", "clusters": ids})
    assert answer.status_code == 200
    assert "1 to 600" in answer.content.decode() or "1 đến 600" in answer.content.decode()
    assert Activity.objects.get().minutes == 12


def test_the_bulletin_page_plays_its_audio(client, tree, people):
    item = _approved(people, tree.bombo)
    audio = loudspeakers.bulletin_audio_make(actor=people["editor"], item=item)
    client.force_login(people["operator"])
    page = client.get(reverse("channels:bulletin", args=[item.pk])).content.decode()
    assert "<audio" in page
    assert reverse("media:asset-file", args=[audio.asset_id]) in page
    answer = client.get(reverse("media:asset-file", args=[audio.asset_id]), HTTP_RANGE="bytes=0-99")
    assert answer.status_code == 206


def test_the_bulletin_page_speaks_in_the_background_and_takes_a_recording(
    client, tree, people, tmp_path, django_capture_on_commit_callbacks
):
    item = _approved(people, tree.bombo)
    url = reverse("channels:bulletin-audio", args=[item.pk])
    client.force_login(people["operator"])  # a reporter does not write content
    assert client.post(url, {"voice": "espeak"}).status_code == 403
    client.force_login(people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"voice": "espeak"})
    assert answer.status_code == 302
    assert BulletinAudio.objects.get().voice == "espeak"
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(picture, "PNG")
    picture.seek(0)
    picture.name = "anh.png"
    answer = client.post(url, {"file": picture})
    assert answer.status_code == 200 and "không phải âm thanh" in answer.content.decode()
    recorded = voices.synthesise("Bản đọc thu sẵn.", tmp_path / "r.ogg")
    with recorded.open("rb") as upload:
        assert client.post(url, {"file": upload}).status_code == 302
    assert BulletinAudio.objects.filter(voice="").count() == 1


def test_a_script_too_long_is_refused_before_any_voice_runs(tmp_path, fake_tts, monkeypatch):
    monkeypatch.setenv("LANTOA_TTS_URL", fake_tts["url"])
    with pytest.raises(ValidationError, match="too long"):
        voices.synthesise("Xin chào. " * 10_000, tmp_path / "x.mp3", voice="http")
    assert fake_tts["requests"] == [] and list(tmp_path.iterdir()) == [tmp_path / "tone.wav"]


def test_the_bulletins_page_writes_one_from_published_items(
    client, tree, people, django_capture_on_commit_callbacks
):
    news = _approved(people, tree.bombo, kind=ContentKind.NEWS, title="Xã ra mắt tổ công nghệ số")
    with django_capture_on_commit_callbacks(execute=True):
        publishing.item_publish(actor=people["approver"], item=news)
    client.force_login(people["editor"])
    url = reverse("channels:bulletins")
    assert "Xã ra mắt tổ công nghệ số" in client.get(url).content.decode()
    answer = client.post(
        url, {"unit": tree.bombo.pk, "title": "Bản tin sáng thứ Hai", "items": [news.pk]}
    )
    bulletin = Bulletin.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(f"/{bulletin.pk}/edit/")
    assert "Xã ra mắt tổ công nghệ số" in bulletin.latest_revision.body


def test_the_log_page_refreshes_the_open_report_draft(client, tree, people, import_plan_text):
    """The broadcast log is given reporting's refresh (``lantoa.urls``): the unit's open
    report draft (a school's, which reports under the commune's plan) counts the aired bulletin as soon as the operator saves the log, and no longer
    once the log says it did not air."""
    from lantoa.activities import services as activity_services
    from lantoa.reports import services as report_services
    from lantoa.reports.periods import periods_ensure

    from .documents import REPORTING_PLAN

    plan = import_plan_text(tree.bombo, REPORTING_PLAN)
    task = activity_services.tasks_for_unit(tree.school).filter(plan=plan).first()
    today = timezone.localdate()
    period = next(
        p
        for p in periods_ensure(plan, today.year)
        if p.start <= today <= p.end and p.kind == "annual"
    )

    def counted() -> int:
        draft = report_services.submission_draft(actor=None, period=period, unit=tree.school)
        return draft.task_rows.get(task=task).activity_count

    assert counted() == 0
    item = content_services.item_create(
        actor=people["editor"], unit=tree.school, kind=ContentKind.LOUDSPEAKER,
        title="Bản tin chuyển đổi số", body="<p>Xã triển khai chữ ký số.</p>", tasks=[task],
    )  # fmt: skip
    content_services.item_submit(actor=people["editor"], item=item)
    content_services.item_review(
        actor=people["approver"], item=item, decision=ReviewDecision.APPROVED
    )
    item.refresh_from_db()
    cluster = loudspeakers.cluster_create(
        actor=people["operator"], unit=tree.school, name="Loa trường", place="Sân trường"
    )
    broadcast = loudspeakers.broadcast_schedule(
        actor=people["operator"], item=item, clusters=[cluster],
        starts_at=timezone.now() - datetime.timedelta(hours=1), planned_minutes=10,
    )  # fmt: skip
    url = reverse("channels:broadcast-log", args=[broadcast.pk])
    client.force_login(people["operator"])
    answer = client.post(url, {"aired": "yes", "minutes": "10", "clusters": [cluster.pk]})
    assert answer.status_code == 302
    assert counted() == 1
    assert client.post(url, {"aired": "no"}).status_code == 302
    assert counted() == 0
