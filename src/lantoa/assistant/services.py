"""Writes to the assistant: indexing documents (from files, plans and FAQ entries), asking
(logged with personal numbers masked, unanswered questions queued for staff), rating, staff
answers turned into FAQ entries."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
from collections.abc import Callable
from html.parser import HTMLParser

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.documents import ImportProblem, SourceText, read_document, unexpected_problem
from lantoa.core.restore import needs_restoring, restore_text
from lantoa.core.truncation import shorten
from lantoa.orgs.audit import audited, record
from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit, User
from lantoa.orgs.scoping import require
from lantoa.plans import services as plan_services
from lantoa.plans.models import Plan

from . import embeddings
from .answering import Reply, reply
from .choices import Channel, DocumentKind, DocumentReview, DocumentStatus, QuestionStatus
from .models import Document, FaqEntry, Passage, Question
from .passages import split
from .reading import Reading, read

Progress = Callable[[int], None]
MAX_QUESTION = 500
# Passages handed to the embedder at a time (it batches and threads them itself), between two
# progress updates: ~11,000 tokens, some 15 s of a 2-core machine (bench/assistant.py).
EMBED_BATCH = 64
# Raised when the way passages are cut or embedded changes: every document is indexed again.
INDEX_VERSION = 8  # 5: header, signer and table-row passages; boilerplate left out

logger = logging.getLogger(__name__)


def _reading_fields(reading: Reading, name: str) -> dict:
    """The document's title ("Kế hoạch số 20/KH-UBND ngày 18/8/2025 của UBND phường Tân Định
    về …", never its letterhead) and what it says of itself, as stored on the document."""
    title = reading.heading() if (reading.number or reading.issuer) else reading.title
    return {
        "title": shorten(title or name, 500),
        "issuer": reading.issuer[:255],
        "place": reading.place[:120],
        "places": ",".join(reading.places)[:255],
        "number": reading.number[:64],
        "issued": reading.date[:32],
        "signer": reading.signer[:120],
    }


def _review_for(actor: User | None) -> str:
    """A person's document (new, or a new version) waits for an approver; the operator's
    command publishes."""
    return DocumentReview.PENDING if actor is not None else DocumentReview.PUBLISHED


def _set(document: Document, **fields) -> None:
    for key, value in fields.items():
        setattr(document, key, value)
    Document.objects.filter(pk=document.pk).update(**fields)


def document_fill(
    document: Document,
    text: str,
    *,
    progress: Progress | None = None,
    base: int = 0,
    reading: Reading | None = None,
) -> Document:
    """Cut the text into passages, embed them (a passage whose text did not change keeps its
    embedding) and replace the document's passages in one transaction: a search never sees a
    half-indexed document."""
    checksum = hashlib.sha256(f"{INDEX_VERSION}\n{document.title}\n{text}".encode()).hexdigest()
    if document.status == DocumentStatus.READY and document.checksum == checksum:
        return document
    _set(document, status=DocumentStatus.INDEXING, progress=base, error="")
    pieces = split(text, reading=reading)
    # The title is left to BM25: with it a passage costs 3× more to embed.
    inputs = [f"{piece.section}. {piece.text}" for piece in pieces]
    keys = [hashlib.sha1(value.encode(), usedforsecurity=False).hexdigest() for value in inputs]
    known = dict(
        Passage.objects.filter(embedded__in=set(keys), embedding__isnull=False).values_list(
            "embedded", "embedding"
        )
    )
    todo = [i for i, key in enumerate(keys) if key not in known]
    for start in range(0, len(todo), EMBED_BATCH):
        batch = todo[start : start + EMBED_BATCH]
        matrix = embeddings.passages([inputs[i] for i in batch])
        for i, vector in zip(batch, matrix, strict=True):
            known[keys[i]] = embeddings.to_bytes(vector)
        # ``base``: the share of the progress bar already used (reading a scan by OCR).
        done = min(99, base + int((100 - base) * (start + len(batch)) / max(1, len(todo))))
        _set(document, progress=done)
        if progress:
            progress(done)
    with transaction.atomic():
        Passage.objects.filter(document=document).delete()
        Passage.objects.bulk_create(
            Passage(
                document=document,
                order=i,
                section=piece.section[:600],
                text=piece.text,
                embedding=bytes(known[key]),
                embedded=key,
            )
            for i, (piece, key) in enumerate(zip(pieces, keys, strict=True))
        )
        _set(
            document,
            status=DocumentStatus.READY,
            progress=100,
            checksum=checksum,
            passage_count=len(pieces),
        )
    return document


@audited
def _restored(source: SourceText) -> SourceText:
    """A document read without its diacritics (scanned, OCR'd by an English model) is indexed
    and quoted restored; the file as uploaded stays the original."""
    if needs_restoring(source.text):
        return dataclasses.replace(source, text=restore_text(source.text))
    return source


def document_index(
    *,
    actor: User | None,
    unit: OrgUnit,
    name: str,
    data: bytes,
    kind: str = DocumentKind.TEXT,
    progress: Progress | None = None,
) -> Document:
    """Index a file (.txt, .docx, .pdf; scanned PDFs are OCR'd) into the unit's corpus, now.
    Indexing the same name again replaces the document's passages."""
    require(
        actor,
        Action.EDIT_CONTENT,
        unit,
        _("You cannot publish documents for %(unit)s.") % {"unit": unit},
    )
    try:
        source = _restored(read_document(data, filename=name))
    except ImportProblem as problem:
        raise ValidationError(problem.message, code=problem.code) from problem
    if kind == DocumentKind.TEXT:
        _refuse_taking_over(unit, name)
    document, _created = Document.objects.get_or_create(
        unit=unit, name=name[:255], defaults={"kind": kind, "created_by": actor}
    )
    fields = {"review": _review_for(actor)}
    if actor is not None:
        fields.update(created_by=actor, reviewed_by=None)
    _set(document, **fields)
    reading = read(source.text)
    _set(document, **_reading_fields(reading, name))
    return document_fill(document, source.text, progress=progress, reading=reading)


def plan_publish(plan) -> Document | None:
    """A plan imported by Lantoa, in its unit's corpus (replaced when the plan is revised).
    A plan replaced meanwhile (its indexing was queued before the revision) is not indexed."""
    if not Plan.objects.in_force().filter(pk=plan.pk).exists():
        return None
    document = _plan_document(plan)
    reading = read(plan.source_text)
    # What the reviewer confirmed on the plan wins over the reading of its text.
    reading.kind = "Kế hoạch"
    if plan.number:
        reading.number = plan.number
    if plan.title:
        reading.title = " ".join(plan.title.split())
    if plan.issued_on:
        reading.date = f"{plan.issued_on.day}/{plan.issued_on.month}/{plan.issued_on.year}"
    _set(document, review=DocumentReview.PUBLISHED, **_reading_fields(reading, str(plan)))
    return document_fill(document, plan.source_text, reading=reading)


def _plan_document(plan) -> Document:
    """The plan's own document, found by plan: the one of the plan it revises (a replaced plan's
    document of the same file name) is carried over; another's is never taken, the new one
    gets a name of its own."""
    document = Document.objects.filter(plan=plan).first()
    if document is not None:
        return document
    name = (plan.source_name or str(plan))[:255]
    taken = Document.objects.filter(unit=plan.unit, name=name).first()
    if taken is not None:
        replaced = taken.kind == DocumentKind.PLAN and (
            taken.plan_id is None or not Plan.objects.in_force().filter(pk=taken.plan_id).exists()
        )
        if replaced:
            taken.plan = plan
            taken.save(update_fields=["plan", "updated_at"])
            return taken
        name = shorten(f"{name} (#{plan.pk})", 255)
    document, _created = Document.objects.get_or_create(
        plan=plan,
        defaults={
            "unit": plan.unit,
            "name": name,
            "kind": DocumentKind.PLAN,
            "review": DocumentReview.PUBLISHED,
        },
    )
    return document


def _refuse_taking_over(unit: OrgUnit, name: str) -> None:
    """A file named as a plan's or an FAQ entry's document of the unit is not put in its place."""
    if Document.objects.filter(unit=unit, name=name[:255]).exclude(kind=DocumentKind.TEXT).exists():
        raise ValidationError(
            {
                "file": _(
                    "%(name)s is already the name of a plan or an FAQ entry in the assistant: "
                    "rename the file and upload it again."
                )
                % {"name": name}
            },
            code="name_taken",
        )


@audited
def document_upload(*, actor: User | None, unit: OrgUnit, name: str, data: bytes) -> Document:
    """Keep an uploaded file and index it in the background (a 300-page scan takes minutes);
    the documents page shows its progress. ``data`` comes bounded by the caller (the view reads
    it with ``read_upload`` under ASSISTANT_DOCUMENT_MAX_BYTES)."""
    require(
        actor,
        Action.EDIT_CONTENT,
        unit,
        _("You cannot publish documents for %(unit)s.") % {"unit": unit},
    )
    from lantoa.core.uploads import sniff, storage_name

    kind = sniff(data)
    if kind not in ("pdf", "docx", "text"):
        raise ValidationError(
            {"file": _("Only .pdf, .docx and .txt documents can be added to the assistant.")}
        )
    _refuse_taking_over(unit, name)
    document, created = Document.objects.get_or_create(
        unit=unit, name=name[:255], defaults={"kind": DocumentKind.TEXT, "created_by": actor}
    )
    previous = document.file.name
    document.file.save(storage_name(name, kind), ContentFile(data), save=False)
    review = _review_for(actor)
    Document.objects.filter(pk=document.pk).update(
        file=document.file.name,
        status=DocumentStatus.WAITING,
        progress=0,
        error="",
        review=review,
        created_by=actor,
        reviewed_by=None,
        reviewed_at=None,
        updated_at=timezone.now(),
    )
    record(
        document,
        actor=actor,
        changes={"file": (previous or "", document.file.name)},
        summary=_("File uploaded (%(size)d bytes), to be indexed.") % {"size": len(data)}
        if created
        else _("File replaced (%(size)d bytes), to be indexed again.") % {"size": len(data)},
    )
    from .tasks import index_document

    transaction.on_commit(lambda: index_document.enqueue(document.pk))
    return document


@transaction.atomic
@audited
def document_publish(*, actor: User, document: Document, checksum: str) -> Document:
    """An approver of the document's unit makes it public: cited, answered from, its passages
    open to all. Four eyes: never the person who uploaded it. Only the version the approver
    saw (``checksum``, carried by the form) and only once it is indexed."""
    require(
        actor,
        Action.APPROVE_CONTENT,
        document.unit,
        _("You cannot approve documents for %(unit)s.") % {"unit": document.unit},
    )
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.review == DocumentReview.PUBLISHED:
        raise ValidationError(_("This document is already published."), code="published")
    if actor is not None and document.created_by_id == actor.pk:
        raise PermissionDenied(
            _("A document is approved by someone other than the person who uploaded it.")
        )
    if document.status != DocumentStatus.READY:
        raise ValidationError(
            _("This document is not indexed yet: check it once it is ready, then approve it."),
            code="not_ready",
        )
    if not checksum or checksum != document.checksum:
        raise ValidationError(
            _(
                "This document has changed since you opened the page: check the new version, "
                "then approve it."
            ),
            code="changed",
        )
    document.review = DocumentReview.PUBLISHED
    document.reviewed_by = actor
    document.reviewed_at = timezone.now()
    document.save(update_fields=["review", "reviewed_by", "reviewed_at", "updated_at"])
    return document


def document_index_stored(document: Document) -> None:
    """The background half of an upload: read (OCR if scanned) and index the kept file."""
    document.file.open("rb")
    try:
        data = document.file.read()
    finally:
        document.file.close()
    try:
        source = _restored(
            read_document(
                data,
                filename=document.name,
                progress=lambda done, total: _set(
                    document, progress=min(50, int(50 * done / max(total, 1)))
                ),
            )
        )
        reading = read(source.text)
        _set(document, **_reading_fields(reading, document.name))
        document_fill(
            document,
            source.text,
            base=50 if source.kind == "pdf-ocr" else 0,
            reading=reading,
        )
    except ImportProblem as problem:
        _set(document, status=DocumentStatus.FAILED, error=problem.message)
    except Exception:  # noqa: BLE001 - the document ends failed with a message, never stuck
        logger.exception("Indexing the document %s failed", document.pk)
        _set(document, status=DocumentStatus.FAILED, error=unexpected_problem().message)


@audited
def faq_create(*, actor: User | None, unit: OrgUnit, question: str, answer: str) -> FaqEntry:
    """An FAQ entry written by staff, indexed at once as a passage of its own; public once an
    approver other than its author publishes it (``document_publish``)."""
    require(
        actor,
        Action.EDIT_CONTENT,
        unit,
        _("You cannot write FAQ entries for %(unit)s.") % {"unit": unit},
    )
    question, answer = " ".join(question.split()), answer.strip()
    if not question or not answer:
        raise ValidationError(_("Write both the question and its answer."))
    entry = FaqEntry.objects.create(
        unit=unit, question=question[:500], answer=answer, created_by=actor
    )
    document = Document.objects.create(
        unit=unit,
        name=f"FAQ-{entry.pk}",
        title=_("Frequently asked questions"),
        kind=DocumentKind.FAQ,
        created_by=actor,
        review=DocumentReview.PENDING,
    )
    entry.document = document
    entry.save(update_fields=["document"])
    document_fill(document, f"{question}\n{answer}")
    Passage.objects.filter(document=document).update(section=question[:600])
    return entry


_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)")
_ID = re.compile(r"(?<!\d)\d{9}(?:\d{3})?(?!\d)")


def mask(text: str) -> str:
    """Phone numbers and ID card numbers (9 or 12 digits) masked before a question is logged."""
    text = _PHONE.sub(lambda m: m.group(0)[:3] + "•" * (len(m.group(0)) - 3), text)
    return _ID.sub(lambda m: "•" * len(m.group(0)), text)


def clean_question(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError(_("Type a question."), code="empty")
    if len(text) > MAX_QUESTION:
        raise ValidationError(
            _("Please keep your question under %(n)d characters; you can ask several short ones.")
            % {"n": MAX_QUESTION},
            code="too_long",
        )
    return text


def ask(
    *, unit: OrgUnit, question: str, channel: str = Channel.WEB, reply_to: str = ""
) -> tuple[Reply, Question]:
    """Answer from the unit's corpus; log the question (masked); a question the assistant
    cannot answer goes to the unit's staff queue."""
    text = clean_question(question)
    result = reply(text, unit)
    logged = Question.objects.create(
        unit=unit,
        text=mask(text),
        channel=channel,
        answer=result.answer or "",
        citations=[
            {k: c[k] for k in ("document", "title", "section", "passage")} for c in result.citations
        ],
        confidence=result.confidence,
        status=QuestionStatus.ANSWERED if result.known else QuestionStatus.WAITING,
        reply_to=reply_to[:64],
    )
    return result, logged


def question_rate(*, question: Question, helpful: bool) -> Question:
    Question.objects.filter(pk=question.pk).update(helpful=helpful)
    question.helpful = helpful
    return question


@audited
def question_answer(
    *, actor: User | None, question: Question, answer: str, make_faq: bool = False
) -> Question:
    """Staff answer a queued or poorly rated question; optionally the answer becomes an FAQ
    entry the assistant uses from then on."""
    require(
        actor,
        Action.EDIT_CONTENT,
        question.unit,
        _("You cannot answer questions for %(unit)s.") % {"unit": question.unit},
    )
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    previous = question.staff_answer
    Question.objects.filter(pk=question.pk).update(
        staff_answer=answer, answered_by=actor, status=QuestionStatus.ANSWERED_BY_STAFF
    )
    question.refresh_from_db()
    record(
        question.unit,
        actor=actor,
        changes={"staff_answer": (previous, answer)},
        summary=_("Answered the question “%(question)s”.") % {"question": question.text[:200]},
    )
    if make_faq:
        faq_create(actor=actor, unit=question.unit, question=question.text, answer=answer)
    return question


def zalo_reply_text(question: Question) -> str:
    """The reply a Zalo user reads: the answer and its sources, or the promise of a person."""
    if question.staff_answer:
        return question.staff_answer
    if not question.answer:
        return _(
            "Sorry, I cannot answer this from the documents published yet. Your question has "
            "been passed to the staff, who will reply."
        )
    sources = "; ".join(
        dict.fromkeys(c.get("title") or c.get("document", "") for c in question.citations[:2])
    )
    return f"{question.answer}\n{_('Source')}: {sources}"


# Plans in the assistant's corpus. The plans app knows nothing of the assistant: importing and
# revising a plan go through these services (above both apps), which call the plan's service,
# then put the new plan in the corpus and take the plan it replaces out of it.


def plan_corpus_update(plan: Plan, *, replaced: Plan | None = None) -> None:
    """Queue ``plan``'s indexing for after the commit; withdraw ``replaced`` from the corpus
    now (in the same transaction: the assistant never cites both versions)."""
    if replaced is not None:
        for document in Document.objects.filter(plan=replaced):
            document.delete()
    if settings.ASSISTANT_INDEX_PLANS and plan.source_text:
        from .tasks import index_plan

        transaction.on_commit(lambda: index_plan.enqueue(plan.pk))


@transaction.atomic
@audited
def plan_import(*, actor: User | None, replaces: Plan | None = None, **kwargs) -> Plan:
    """:func:`lantoa.plans.services.plan_import`, then the plan joins the assistant."""
    plan = plan_services.plan_import(actor=actor, replaces=replaces, **kwargs)
    plan_corpus_update(plan, replaced=replaces)
    return plan


@transaction.atomic
@audited
def plan_import_confirm(*, actor: User, staged, **kwargs) -> Plan:
    """:func:`lantoa.plans.services.plan_import_confirm` (a new plan or a revision), then the
    plan joins the assistant and the version it replaces leaves it."""
    replaced = staged.replaces
    plan = plan_services.plan_import_confirm(actor=actor, staged=staged, **kwargs)
    plan_corpus_update(plan, replaced=replaced)
    return plan


def plan_corpus_withdraw(plan: Plan) -> int:
    """A withdrawn plan leaves the corpus at once, as a replaced version does (its documents and
    their passages are deleted in the caller's transaction): the assistant never answers from a
    plan imported by mistake. Returns how many documents left."""
    documents = list(Document.objects.filter(plan=plan))
    for document in documents:
        document.delete()
    return len(documents)


# Published content in the corpus. ``portal.publishing`` (above content and the assistant) calls
# these explicitly as it publishes, withdraws or expires an item: its live revision's title,
# summary and body (and a directive document's attached file) become a published document of
# the item's unit, linked to the item's page in the unit's section. Never a signal.

CONTENT_MAX_CHARS = 400_000  # a live revision's text indexed at most (a long article is ~30,000)
CONTENT_FILE_MAX_BYTES = settings.ASSISTANT_DOCUMENT_MAX_BYTES


def content_document_name(item) -> str:
    return f"content-{item.pk}"


def content_url(item) -> str:
    """The item's page in its unit's public section."""
    return f"/u/{item.unit.code}/{item.slug}/"


class _TextOfHtml(HTMLParser):
    """The text of sanitised HTML, a paragraph per block element; scripts and styles dropped."""

    BLOCKS = frozenset(
        [
            "p",
            "div",
            "br",
            "li",
            "ul",
            "ol",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "tr",
            "table",
            "section",
            "article",
            "figcaption",
            "pre",
            "hr",
            "dd",
            "dt",
        ]
    )
    SKIP = frozenset({"script", "style", "template"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_text(html: str, *, limit: int = CONTENT_MAX_CHARS) -> str:
    """Plain text of an item's body: one line per paragraph, spaces folded, at most ``limit``
    characters read."""
    parser = _TextOfHtml()
    parser.feed((html or "")[:limit])
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _attached_document_text(revision) -> str:
    """The text of the document files attached to a directive's revision (from the library),
    each bounded by the assistant's upload limit and read as an upload is (OCR left to the
    upload page: a scan attached here is indexed by its title and summary only)."""
    from lantoa.media.choices import AssetKind

    texts = []
    for asset in revision.assets.filter(kind=AssetKind.DOCUMENT).order_by("pk")[:3]:
        if not asset.file or (asset.size or 0) > CONTENT_FILE_MAX_BYTES:
            continue
        try:
            with asset.file.open("rb") as handle:
                data = handle.read(CONTENT_FILE_MAX_BYTES + 1)
            if len(data) > CONTENT_FILE_MAX_BYTES:
                continue
            source = _restored(read_document(data, filename=asset.original_name or asset.file.name))
        except (ImportProblem, OSError) as problem:
            logger.warning(
                "The file of asset %s was not read for the assistant: %s", asset.pk, problem
            )
            continue
        texts.append(source.text)
    return "\n".join(texts)


def content_text(item, revision) -> str:
    """What the assistant reads of a published item: its title, its summary, its body and, for a
    directive document, its number, date and attached file; bounded."""
    from lantoa.content.choices import ContentKind

    lines = [revision.title]
    if item.kind == ContentKind.DIRECTIVE and item.document_number:
        issued = f" ngày {item.document_date:%d/%m/%Y}" if item.document_date else ""
        lines.append(f"Số: {item.document_number}{issued}")
    if revision.summary:
        lines.append(" ".join(revision.summary.split()))
    lines.append(html_text(revision.body))
    if item.kind == ContentKind.DIRECTIVE:
        lines.append(_attached_document_text(revision))
    return "\n".join(line for line in lines if line)[:CONTENT_MAX_CHARS]


def content_index(item) -> None:
    """Index a published item, after the commit (in the background): the task reads the item
    again and indexes its live revision, or drops its document when it is no longer public."""
    from .tasks import index_content

    transaction.on_commit(lambda: index_content.enqueue(item.pk))


def content_index_now(item) -> Document | None:
    """The background half of :func:`content_index`: the item's live revision as a published
    document of its unit (the same document, its passages replaced, when a new revision goes
    live). An item no longer public leaves the corpus instead."""
    from lantoa.content.choices import ContentStatus
    from lantoa.content.models import ContentItem

    item = ContentItem.objects.select_related("unit", "live_revision").filter(pk=item.pk).first()
    if item is None:
        return None
    revision = item.live_revision
    if item.status != ContentStatus.PUBLISHED or revision is None:
        content_withdraw(item)
        return None
    text = content_text(item, revision)
    document, _created = Document.objects.get_or_create(
        unit=item.unit,
        name=content_document_name(item),
        defaults={"kind": DocumentKind.CONTENT, "review": DocumentReview.PUBLISHED},
    )
    reading = read(text)
    fields = {
        "kind": DocumentKind.CONTENT,
        "review": DocumentReview.PUBLISHED,
        "url": content_url(item)[:300],
        "title": shorten(revision.title, 500),
        "number": (item.document_number or reading.number)[:64],
        "issued": (
            f"{item.document_date.day}/{item.document_date.month}/{item.document_date.year}"
            if item.document_date
            else ""
        ),
        "issuer": reading.issuer[:255],
        "place": reading.place[:120],
        "places": ",".join(reading.places)[:255],
        "signer": reading.signer[:120],
    }
    _set(document, **fields)
    document = document_fill(document, text, reading=reading)
    # Withdrawn while it was being indexed (the withdrawal found no document to drop yet):
    # it leaves now, the assistant never answers from it.
    if not ContentItem.objects.filter(pk=item.pk, status=ContentStatus.PUBLISHED).exists():
        content_withdraw(item)
        return None
    return document


def content_withdraw(item) -> int:
    """A withdrawn or expired item leaves the corpus at once (in the caller's transaction):
    the assistant no longer answers from it. Returns how many documents left."""
    documents = list(
        Document.objects.filter(unit_id=item.unit_id, name=content_document_name(item))
    )
    for document in documents:
        document.delete()
    return len(documents)
