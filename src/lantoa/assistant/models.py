"""The assistant's corpus (documents cut into passages, with their embeddings), the FAQ
written by staff, and the questions asked, with the staff queue."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.core.truncation import shorten
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoping import ScopedQuerySet

from .choices import Channel, DocumentKind, DocumentReview, DocumentStatus, QuestionStatus


class UnitScoped(ScopedQuerySet):
    scope_field = "unit__path"


class Document(models.Model):
    """A document a unit published: known to the assistants of the unit and every unit below.
    ``name`` identifies it within the unit: indexing the same name again replaces its passages."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="assistant_documents")
    name = models.CharField(_("file or title"), max_length=255)
    title = models.CharField(_("title"), max_length=500, blank=True)
    # The document as a reader sees it (``reading.read``): who issued it and where, its number,
    # date and signer. ``places`` holds the folded names of the places it belongs to
    # ("tan dinh,ho chi minh"): a question naming a place is answered from that place's documents.
    issuer = models.CharField(_("issuer"), max_length=255, blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True)
    places = models.CharField(max_length=255, blank=True)
    number = models.CharField(_("number"), max_length=64, blank=True)
    issued = models.CharField(_("date of issue"), max_length=32, blank=True)
    signer = models.CharField(_("signed by"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=DocumentKind.choices)
    plan = models.ForeignKey(
        "plans.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to="assistant/%Y/%m/", blank=True)
    # Where a reader finds the document itself: a content item's page in its unit's section.
    url = models.CharField(_("address"), max_length=300, blank=True)
    checksum = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=DocumentStatus.choices, default=DocumentStatus.WAITING
    )
    # Public (cited, answered from, its passages open to all) only once published: uploads by
    # staff and FAQ entries wait for an approver other than their author; plans and documents
    # indexed by the system are published explicitly as they come.
    review = models.CharField(
        _("review"), max_length=10, choices=DocumentReview.choices, default=DocumentReview.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(blank=True)
    passage_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitScoped.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["unit__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="assistant_document_unique")
        ]

    def __str__(self) -> str:
        return self.title or self.name

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path, "unit": self.unit.name}


class PassageQuerySet(ScopedQuerySet):
    scope_field = "document__unit__path"


class Passage(models.Model):
    """A piece of a document (~600 characters) with its place and its embedding, computed once
    when the document is indexed."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="passages")
    order = models.PositiveIntegerField()
    section = models.CharField(_("section"), max_length=600, blank=True)
    text = models.TextField(_("text"))
    embedding = models.BinaryField(null=True)
    # A hash of the text that was embedded: an unchanged passage keeps its embedding when its
    # document is indexed again.
    embedded = models.CharField(max_length=40, blank=True, db_index=True)

    objects = PassageQuerySet.as_manager()

    class Meta:
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        ordering = ["document_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["document", "order"], name="passage_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document} §{self.order}"


class FaqEntry(models.Model):
    """A question and its answer written by staff; the assistant uses it from then on."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="faq_entries")
    question = models.CharField(_("question"), max_length=500)
    answer = models.TextField(_("answer"))
    document = models.OneToOneField(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="faq"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UnitScoped.as_manager()

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.question

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path, "unit": self.unit.name}


class Question(models.Model):
    """A question asked of a unit's assistant, as logged: phone and ID numbers masked."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="assistant_questions")
    text = models.TextField(_("question"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    answer = models.TextField(_("answer"), blank=True)
    citations = models.JSONField(default=list, blank=True)
    confidence = models.FloatField(default=0)
    status = models.CharField(_("status"), max_length=8, choices=QuestionStatus.choices)
    helpful = models.BooleanField(_("helpful"), null=True)
    staff_answer = models.TextField(_("staff answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply_to = models.CharField(max_length=64, blank=True)  # a Zalo user id, to reply later
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UnitScoped.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return shorten(self.text, 80)
