"""The Q&A assistant as citizens and staff meet it: answers only from published documents,
with sources; what it cannot answer goes to a person."""

import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from lantoa.assistant import services
from lantoa.assistant.index import forget
from lantoa.assistant.models import Document, Passage, Question
from lantoa.orgs.choices import Role

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = sorted((SHARED / "seeds").glob("*.txt"))
sys.path.insert(0, str(SHARED / "tools"))
from vnfold import tokens  # noqa: E402  the scorer's own folding

GUIDE = """HƯỚNG DẪN
Nộp hồ sơ cấp căn cước công dân
1. Nơi làm thủ tục
Công dân làm thủ tục cấp căn cước công dân tại Công an xã nơi cư trú, từ thứ Hai đến thứ Sáu.
2. Thời hạn báo cáo
Các thôn, ấp gửi báo cáo kết quả truyền thông về Ủy ban nhân dân xã trước ngày 10 hằng tháng.
"""


@pytest.fixture(autouse=True)
def _fresh_index():
    forget()
    yield
    forget()


def _holds(text, answers):
    words = set(tokens(text or ""))
    return any(
        sum(k in words for k in tokens(a)) / len(tokens(a)) >= 0.8 for a in answers if tokens(a)
    )


def _ask_command(questions, *args):
    out = io.StringIO()
    stdin = sys.stdin
    sys.stdin = io.StringIO("".join(q + "\n" for q in questions))
    try:
        call_command("ask", "--json", *args, stdout=out)
    finally:
        sys.stdin = stdin
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


@pytest.mark.django_db
def test_the_scoring_contract_on_the_seed_plans(tree):
    """`lantoa assistant-index` then `lantoa ask --json`, scored as score_assistant.py scores
    it: above the plain-BM25 baseline (hit@1 0.73, hit@5 0.93, answer 0.00)."""
    assert SEEDS, "../shared/seeds is missing beside the checkout"
    call_command("assistant_index", *map(str, SEEDS), stdout=io.StringIO())
    rows = [
        json.loads(line) for line in (SHARED / "seeds" / "qa_dev.jsonl").read_text().splitlines()
    ]
    outs = _ask_command([r["q"] for r in rows])
    assert len(outs) == len(rows)
    assert set(outs[0]) == {"question", "answer", "citations", "ms"}
    assert set(outs[0]["citations"][0]) == {"document", "section", "text"}
    hit1 = sum(
        _holds(o["citations"][0]["text"], r["answers"])
        for o, r in zip(outs, rows, strict=True)
        if o["citations"]
    )
    hit5 = sum(
        any(_holds(c["text"], r["answers"]) for c in o["citations"][:5])
        for o, r in zip(outs, rows, strict=True)
    )
    answered = sum(_holds(o["answer"], r["answers"]) for o, r in zip(outs, rows, strict=True))
    n = len(rows)
    assert hit1 / n >= 0.85 and hit5 / n >= 0.95 and answered / n >= 0.70, (hit1, hit5, answered)
    assert all(isinstance(o["ms"], float) for o in outs)

    # Re-indexing an unchanged document changes nothing; a changed one replaces its passages.
    first = SEEDS[0]
    before = set(Passage.objects.filter(document__name=first.name).values_list("pk", flat=True))
    call_command("assistant_index", str(first), stdout=io.StringIO())
    assert (
        set(Passage.objects.filter(document__name=first.name).values_list("pk", flat=True))
        == before
    )


@pytest.mark.django_db
def test_a_changed_document_replaces_its_passages(tree, tmp_path):
    path = tmp_path / "huong-dan.txt"
    path.write_text(GUIDE)
    call_command("assistant_index", str(path), "--unit", tree.bombo.code, stdout=io.StringIO())
    path.write_text(GUIDE.replace("trước ngày 10 hằng tháng", "trước ngày 25 hằng quý"))
    call_command("assistant_index", str(path), "--unit", tree.bombo.code, stdout=io.StringIO())
    document = Document.objects.get(name="huong-dan.txt")
    texts = " ".join(document.passages.values_list("text", flat=True))
    assert "25 hằng quý" in texts and "10 hằng tháng" not in texts
    (out,) = _ask_command(["cac thon gui bao cao khi nao"], "--unit", tree.bombo.code)
    assert "25 hằng quý" in out["answer"]
    assert out["citations"][0]["section"].startswith("HƯỚNG DẪN")


@pytest.mark.django_db
def test_each_unit_knows_its_own_and_the_levels_above(tree):
    services.document_index(actor=None, unit=tree.bombo, name="bombo.txt", data=GUIDE.encode())
    services.document_index(
        actor=None,
        unit=tree.root,
        name="nq57.txt",
        data="Nghị quyết số 57-NQ/TW được Bộ Chính trị ban hành ngày 22/12/2024 về đột phá phát triển khoa học, công nghệ.".encode(),
    )
    question = "cccd lam o dau"
    (at_bombo,) = _ask_command([question], "--unit", tree.school.code)  # a school under Bom Bo
    assert "Công an xã" in at_bombo["answer"]
    (at_xuanlap,) = _ask_command([question], "--unit", tree.xuanlap.code)
    assert all(c["document"] != "bombo.txt" for c in at_xuanlap["citations"])
    (national,) = _ask_command(["nghi quyet 57 ban hanh ngay nao"], "--unit", tree.xuanlap.code)
    assert "22/12/2024" in national["answer"] and national["citations"][0]["document"] == "nq57.txt"


@pytest.mark.django_db
def test_what_it_cannot_answer_goes_to_staff_and_comes_back_as_faq(tree, client, make_user):
    services.document_index(actor=None, unit=tree.bombo, name="bombo.txt", data=GUIDE.encode())
    page = client.post(
        reverse("assistant:ask", args=[tree.bombo.code]), {"q": "giá vàng hôm nay bao nhiêu"}
    )
    assert page.status_code == 200 and "chuyển đến cán bộ" in page.content.decode()
    waiting = Question.objects.get()
    assert waiting.status == "waiting" and waiting.answer == ""

    editor = make_user(tree.bombo, Role.EDITOR)
    outsider = make_user(tree.xuanlap, Role.EDITOR)
    client.force_login(outsider)
    assert "giá vàng" not in client.get(reverse("assistant:queue")).content.decode()
    client.force_login(editor)
    assert "giá vàng" in client.get(reverse("assistant:queue")).content.decode()
    client.post(
        reverse("assistant:queue-answer", args=[waiting.pk]),
        {
            "answer": "Lantoa chỉ trả lời về chương trình truyền thông Nghị quyết 57; giá vàng xem tại ngân hàng.",
            "make_faq": "on",
        },
    )
    waiting.refresh_from_db()
    assert waiting.status == "staff"
    # The FAQ entry it made is public once another person of the unit approves it.
    faq = Document.objects.get(kind="faq")
    client.force_login(make_user(tree.bombo, Role.APPROVER))
    client.post(reverse("assistant:document-publish", args=[faq.pk]), {"checksum": faq.checksum})
    client.logout()
    again = client.post(
        reverse("assistant:ask", args=[tree.bombo.code]), {"q": "gia vang hom nay bao nhieu"}
    )
    assert again.context["result"].answer and "ngân hàng" in again.context["result"].answer
    # The citizen rates it; a pk not asked in this session is refused as missing.
    asked = again.context["logged"]
    client.post(reverse("assistant:rate", args=[asked.pk]), {"helpful": "no"})
    asked.refresh_from_db()
    assert asked.helpful is False
    assert (
        client.post(reverse("assistant:rate", args=[waiting.pk]), {"helpful": "no"}).status_code
        == 404
    )


@pytest.mark.django_db
def test_questions_are_checked_masked_escaped_and_rate_limited(tree, client, settings):
    services.document_index(actor=None, unit=tree.bombo, name="bombo.txt", data=GUIDE.encode())
    url = reverse("assistant:ask", args=[tree.bombo.code])
    long = client.post(url, {"q": "a " * 400})
    assert long.status_code == 200 and "500" in long.content.decode()
    assert not Question.objects.exists()

    client.post(
        url, {"q": "<script>alert(1)</script> số tôi 0912 345 678, CCCD 079123456789 làm ở đâu"}
    )
    logged = Question.objects.get()
    assert "0912 345 678" not in logged.text and "079123456789" not in logged.text
    page = client.post(url, {"q": "<b>cccd</b> làm ở đâu"})
    assert (
        "<b>cccd</b>" not in page.content.decode()
        and "&lt;b&gt;cccd&lt;/b&gt;" in page.content.decode()
    )

    settings.ASSISTANT_RATE_PER_MINUTE = 3
    from django.core.cache import cache

    cache.clear()
    statuses = [client.post(url, {"q": "cccd làm ở đâu"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.django_db
def test_the_api_answers_with_citations(tree, api_client):
    services.document_index(actor=None, unit=tree.bombo, name="bombo.txt", data=GUIDE.encode())
    response = api_client.post(
        "/api/v1/assistant/ask/",
        {"question": "cccd lam o dau", "unit": tree.bombo.code},
        format="json",
    )
    body = response.json()
    assert response.status_code == 200 and "Công an xã" in body["answer"]
    passage_url = body["citations"][0]["url"]
    assert "Công an xã" in api_client.get(passage_url).content.decode()
    assert (
        api_client.post("/api/v1/assistant/ask/", {"question": ""}, format="json").status_code
        == 400
    )
    schema = api_client.get("/api/schema/").content.decode()
    assert "/api/v1/assistant/ask/" in schema


OA_SECRET = "bi-mat-oa"  # noqa: S105 - the fake OA of the test


@pytest.fixture
def fake_zalo(settings, tree):
    """The fake Zalo OA server (tests.fakes.platforms), and Xã Bom Bo's Zalo OA connected as
    the channel account the assistant answers through."""
    from lantoa.channels.choices import Platform
    from lantoa.channels.services import account_connect

    from .fakes.platforms import start_zalo

    fake = start_zalo(settings)
    settings.ZALO_APP_ID, settings.ZALO_OA_SECRET = "4321", OA_SECRET
    fake.token, _refresh = fake.add_oa("579", "Xã Bom Bo")
    account_connect(actor=None, unit=tree.bombo, platform=Platform.ZALO, remote_id="579",
                    access_token=fake.token, answers_questions=True)  # fmt: skip
    yield fake
    fake.stop()


def _signed(body: bytes, timestamp: str, secret: str = OA_SECRET) -> str:
    import hashlib

    return (
        "mac=" + hashlib.sha256(b"4321" + body + timestamp.encode() + secret.encode()).hexdigest()
    )


@pytest.mark.django_db
def test_zalo_messages_get_the_answer_as_a_reply(tree, client, fake_zalo, caplog):
    services.document_index(actor=None, unit=tree.bombo, name="bombo.txt", data=GUIDE.encode())
    import time

    event = {"app_id": "4321", "event_name": "user_send_text", "timestamp": str(int(time.time() * 1000)),
             "sender": {"id": "84901"}, "recipient": {"id": "oa"}, "message": {"text": "cccd lam o dau", "msg_id": "m1"}}  # fmt: skip
    body = json.dumps(event).encode()
    url = reverse("assistant:zalo", args=[tree.bombo.code])
    forged = client.post(url, body, content_type="application/json",
                         headers={"X-ZEvent-Signature": _signed(body, event["timestamp"], "sai")})  # fmt: skip
    assert forged.status_code == 403 and not fake_zalo.received
    ok = client.post(url, body, content_type="application/json",
                     headers={"X-ZEvent-Signature": _signed(body, event["timestamp"])})  # fmt: skip
    assert ok.status_code == 200
    ((path, headers, sent),) = fake_zalo.received
    assert path == "/v3.0/oa/message/cs" and headers["access_token"] == fake_zalo.token
    assert sent["recipient"] == {"user_id": "84901"} and "Công an xã" in sent["message"]["text"]
    assert fake_zalo.token not in caplog.text


@pytest.mark.django_db
def test_an_imported_plan_joins_its_units_corpus(
    tree, settings, django_capture_on_commit_callbacks
):
    from lantoa.assistant import services as assistant_services
    from lantoa.plans.importer import extract_plan, read_document

    settings.ASSISTANT_INDEX_PLANS = True
    text = (SEEDS[1] if len(SEEDS) > 1 else SEEDS[0]).read_text(encoding="utf-8")
    source = read_document(text.encode())
    with django_capture_on_commit_callbacks(execute=True):
        plan = assistant_services.plan_import(
            actor=None,
            unit=tree.xuanlap,
            source=source,
            extracted=extract_plan(text),
            filename="kh.txt",
        )
    document = Document.objects.get(plan=plan)
    assert document.kind == "plan" and document.status == "ready" and document.passage_count > 10
    (out,) = _ask_command(
        ["Kinh phí thực hiện kế hoạch lấy từ nguồn nào?"], "--unit", tree.xl_school.code
    )
    assert out["answer"] and out["citations"][0]["document"] == "kh.txt"


@pytest.mark.django_db
def test_staff_upload_a_guide_indexed_in_the_background(
    tree, client, make_user, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .documents import docx_bytes, png_bytes

    client.force_login(make_user(tree.bombo, Role.EDITOR))
    url = reverse("assistant:documents")
    photo = client.post(
        url, {"unit": tree.bombo.pk, "file": SimpleUploadedFile("a.docx", png_bytes())}
    )
    assert photo.status_code == 200 and photo.context["form"].errors["file"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "unit": tree.bombo.pk,
                "file": SimpleUploadedFile("huong-dan.docx", docx_bytes(GUIDE.splitlines())),
            },
        )
    assert response.status_code == 302
    document = Document.objects.get(name="huong-dan.docx")
    assert document.status == "ready" and document.progress == 100 and document.passage_count >= 1
    page = client.get(url).content.decode()
    assert "Sẵn sàng" in page and "Chờ duyệt" in page
    # Public once an approver of the unit has published it.
    client.force_login(make_user(tree.bombo, Role.APPROVER))
    client.post(
        reverse("assistant:document-publish", args=[document.pk]), {"checksum": document.checksum}
    )
    (out,) = _ask_command(["cccd lam o dau"], "--unit", tree.bombo.code)
    assert "Công an xã" in out["answer"] and out["citations"][0]["document"] == "huong-dan.docx"
    # Another commune's editor cannot publish for Bom Bo.
    client.force_login(make_user(tree.xuanlap, Role.EDITOR))
    refused = client.post(url, {"unit": tree.bombo.pk, "file": SimpleUploadedFile("x.txt", b"abc")})
    assert refused.status_code == 200 and refused.context["form"].errors["unit"]


@pytest.mark.django_db
def test_only_the_compact_page_may_be_framed_by_a_website(tree, client):
    url = reverse("assistant:ask", args=[tree.bombo.code])
    assert client.get(url)["X-Frame-Options"] == "DENY"
    embedded = client.post(url + "?embed=1", {"q": "cccd lam o dau"})
    assert embedded.status_code == 200 and "X-Frame-Options" not in embedded
    assert "?embed=1" in embedded.content.decode()  # the next question stays in the frame
    script = client.get(reverse("assistant:widget", args=[tree.bombo.code]))
    assert script["Content-Type"].startswith("application/javascript")
    body = script.content.decode()
    assert f"/assistant/{tree.bombo.code}/?embed" in body and "Hỏi trợ lý" in body


# --- a plan's document is its own: found by plan, never by file name ---------------------


def _plan(unit, number: str, source_name: str = "kh.txt"):
    from lantoa.plans.models import Plan

    return Plan.objects.create(
        unit=unit,
        number=number,
        title="Kế hoạch truyền thông",
        source_name=source_name,
        source_text=GUIDE,
    )


@pytest.mark.django_db
def test_two_plans_from_files_of_the_same_name_keep_their_own_documents(tree):
    first, second = _plan(tree.bombo, "12/KH-UBND"), _plan(tree.bombo, "13/KH-UBND")
    services.plan_publish(first)
    services.plan_publish(second)
    assert Document.objects.get(plan=first).plan_id == first.pk
    # Titled as a reader names a plan: "Kế hoạch số 13/KH-UBND … về …".
    assert Document.objects.get(plan=second).title.startswith("Kế hoạch số 13/KH-UBND")
    assert Document.objects.get(plan=first).title.startswith("Kế hoạch số 12/KH-UBND")


@pytest.mark.django_db
def test_a_staff_upload_cannot_take_over_a_plans_document(tree, make_user):
    from django.core.exceptions import ValidationError

    plan = _plan(tree.bombo, "12/KH-UBND")
    services.plan_publish(plan)
    editor = make_user(tree.bombo, Role.EDITOR)
    with pytest.raises(ValidationError) as error:
        services.document_upload(actor=editor, unit=tree.bombo, name="kh.txt", data=b"Khac")
    assert "kế hoạch" in " ".join(error.value.messages).lower()
    document = Document.objects.get(plan=plan)
    assert document.created_by is None and document.review == "published"


@pytest.mark.django_db
def test_publishing_a_plan_publishes_its_reused_document(tree):
    plan = _plan(tree.bombo, "12/KH-UBND")
    document = services.plan_publish(plan)
    Document.objects.filter(pk=document.pk).update(review="pending")
    services.plan_publish(plan)
    document.refresh_from_db()
    assert document.review == "published"


# --- staff uploads from before the review existed are reviewed, not public ----------------


@pytest.mark.django_db
def test_a_document_is_pending_unless_published_on_purpose(tree):
    assert Document.objects.create(unit=tree.bombo, name="a.txt", kind="text").review == "pending"


@pytest.mark.django_db
def test_staff_uploads_from_before_the_review_wait_for_an_approver(tree, make_user):
    import importlib

    from django.apps import apps

    editor, approver = make_user(tree.bombo, Role.EDITOR), make_user(tree.bombo, Role.FOCAL_POINT)
    uploaded = Document.objects.create(
        unit=tree.bombo, name="a.txt", kind="text", created_by=editor, review="published"
    )
    approved = Document.objects.create(
        unit=tree.bombo,
        name="b.txt",
        kind="text",
        created_by=editor,
        review="published",
        reviewed_by=approver,
    )
    system = Document.objects.create(unit=tree.bombo, name="c.txt", kind="text", review="published")
    plan = Document.objects.create(
        unit=tree.bombo, name="d.txt", kind="plan", created_by=editor, review="published"
    )
    migration = importlib.import_module(
        "lantoa.assistant.migrations.0004_earlier_staff_uploads_await_review"
    )
    migration.staff_uploads_await_review(apps, None)
    reviews = dict(Document.objects.values_list("name", "review"))
    assert reviews == {
        uploaded.name: "pending",
        approved.name: "published",
        system.name: "published",
        plan.name: "published",
    }


# --- approving: only the version seen, only once indexed; FAQ entries too -----------------


def _staff_upload(tree, make_user, name="noi-bo.txt"):
    editor = make_user(tree.bombo, Role.EDITOR, username=f"editor-{name}")
    document = services.document_upload(
        actor=editor, unit=tree.bombo, name=name, data=GUIDE.encode()
    )
    services.document_index_stored(document)
    document.refresh_from_db()
    return document


@pytest.mark.django_db
def test_an_approver_publishes_only_the_version_they_saw(tree, client, make_user):
    document = _staff_upload(tree, make_user)
    assert document.status == "ready" and document.checksum
    client.force_login(make_user(tree.bombo, Role.APPROVER))
    page = client.get(reverse("assistant:documents")).content.decode()
    assert f'name="checksum" value="{document.checksum}"' in page
    publish = reverse("assistant:document-publish", args=[document.pk])
    stale = client.post(publish, {"checksum": "0" * 64}, follow=True)
    document.refresh_from_db()
    assert document.review == "pending"
    assert "đã thay đổi" in stale.content.decode()
    client.post(publish, {"checksum": document.checksum})
    document.refresh_from_db()
    assert document.review == "published"


@pytest.mark.django_db
def test_a_document_still_being_indexed_cannot_be_published(tree, make_user):
    from django.core.exceptions import ValidationError

    document = _staff_upload(tree, make_user)
    Document.objects.filter(pk=document.pk).update(status="indexing")
    with pytest.raises(ValidationError):
        services.document_publish(
            actor=make_user(tree.bombo, Role.APPROVER),
            document=document,
            checksum=document.checksum,
        )
    document.refresh_from_db()
    assert document.review == "pending"


@pytest.mark.django_db
def test_an_faq_entry_is_public_once_someone_else_approves_it(tree, client, make_user):
    from django.core.exceptions import PermissionDenied

    author = make_user(tree.bombo, Role.EDITOR, username="tacgia")
    entry = services.faq_create(
        actor=author,
        unit=tree.bombo,
        question="Lịch tiếp công dân của UBND xã?",
        answer="UBND xã tiếp công dân vào sáng thứ Ba và thứ Năm hằng tuần.",
    )
    document = entry.document
    assert document.review == "pending"
    asked = services.ask(unit=tree.bombo, question="lich tiep cong dan cua xa")[0]
    assert not asked.answer or "thứ Ba" not in asked.answer
    with pytest.raises(PermissionDenied):
        services.document_publish(actor=author, document=document, checksum=document.checksum)
    approver = make_user(tree.bombo, Role.APPROVER, username="duyet")
    client.force_login(approver)
    queue = client.get(reverse("assistant:queue")).content.decode()
    assert "Lịch tiếp công dân của UBND xã?" in queue and "Duyệt và công bố" in queue
    response = client.post(
        reverse("assistant:document-publish", args=[document.pk]),
        {"checksum": document.checksum},
    )
    assert response.status_code == 302 and response["Location"] == reverse("assistant:queue")
    document.refresh_from_db()
    assert document.review == "published"
    assert "thứ Ba" in services.ask(unit=tree.bombo, question="lich tiep cong dan cua xa")[0].answer
