"""Pages of the assistant: the public chat page of a unit (works without JavaScript, on a
phone), a cited passage, rating; for staff, the documents, the FAQ and the question queue."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from lantoa.core.uploads import read_upload
from lantoa.core.views import apply_validation_error
from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_object
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoped_views import public, scoped

from . import ratelimit, services, zalo
from .choices import Channel, DocumentKind, DocumentReview, DocumentStatus, QuestionStatus
from .forms import AskForm, DocumentForm, FaqForm, StaffAnswerForm
from .models import Document, FaqEntry, Passage, Question

SESSION_KEY = "assistant_asked"


def _public_unit(code: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code__iexact=code).first()
    if unit is None:
        raise Http404(_("Not found."))
    return unit


@csrf_exempt  # only for the compact page in a website's frame: the full page checks below
def ask_page(request, code):
    """The unit's assistant: ask, read the answer and its sources, rate it. With ``embed``,
    the compact version the widget of a unit's website shows in its frame.

    Questions are asked by POST only, never in the address: phone and ID numbers a citizen
    types must not reach the access logs of the proxy and the server. Inside a website's frame
    third-party cookies (CSRF, session) are not sent, so the compact page's form carries no
    CSRF token; a question is a search of published documents, which anyone may make."""
    unit = _public_unit(code)
    embed = request.GET.get("embed") == "1"
    if request.method == "POST" and not embed:
        refused = CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})
        if refused is not None:
            return refused
    data = request.POST if request.method == "POST" else None
    form = AskForm(data)
    result = logged = None
    status = 200
    if data is not None and form.is_valid():
        if not ratelimit.allow(ratelimit.client_key(request)):
            form.add_error(
                None, _("You have asked many questions in a short time. Please wait a minute.")
            )
            status = 429
        else:
            try:
                result, logged = services.ask(
                    unit=unit, question=form.cleaned_data["q"], channel=Channel.WEB
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                request.session[SESSION_KEY] = [
                    *request.session.get(SESSION_KEY, [])[-20:],
                    logged.pk,
                ]
    response = render(
        request,
        "assistant/ask_embed.html" if embed else "assistant/ask.html",
        {"unit": unit, "form": form, "result": result, "logged": logged, "embed": embed},
        status=status,
    )
    # Only the compact version may be framed (by the units' websites); the full page may not.
    response.xframe_options_exempt = embed
    return response


def widget_script(request, code):
    """``<script src=".../assistant/<code>/widget.js" defer>`` on a unit's website: a button in
    the corner that opens the unit's assistant in a frame, sized for a phone."""
    unit = _public_unit(code)
    url = request.build_absolute_uri(reverse("assistant:ask", args=[unit.code])) + "?embed=1"
    response = render(
        request,
        "assistant/widget.js",
        {"url": url, "label": _("Ask the assistant")},
        content_type="application/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


@public("a question asked in this browser session: other pks are refused as missing")
@require_POST
def rate(request, pk):
    """Helpful or not, for a question asked in this browser session only."""
    if pk not in request.session.get(SESSION_KEY, []):
        raise Http404(_("Not found."))
    question = get_object_or_404(Question, pk=pk)
    services.question_rate(question=question, helpful=request.POST.get("helpful") == "yes")
    messages.success(request, _("Thank you for your feedback."))
    return redirect("assistant:ask", code=question.unit.code)


@public("passages of published documents; of others only to the content staff of their unit")
def passage_page(request, pk):
    """A cited passage in its place: public once its document is published (approved); before
    that, only the content staff of the document's unit may preview it."""
    passages = Passage.objects.select_related("document__unit").filter(
        document__status=DocumentStatus.READY
    )
    passage = passages.filter(pk=pk, document__review=DocumentReview.PUBLISHED).first()
    if passage is None and request.user.is_authenticated:
        passage = passages.restrict(request.user, Action.EDIT_CONTENT).filter(pk=pk).first()
    if passage is None:
        raise Http404(_("Not found."))
    neighbours = Passage.objects.filter(
        document=passage.document, order__in=[passage.order - 1, passage.order + 1]
    )
    return render(
        request, "assistant/passage.html", {"passage": passage, "neighbours": list(neighbours)}
    )


@scoped(Document)
@login_required
@require_POST
def document_publish(request, pk):
    """An approver of the unit publishes a document uploaded by someone else."""
    document = get_object_or_404(
        Document.objects.restrict(request.user, Action.APPROVE_CONTENT).select_related("unit"),
        pk=pk,
    )
    try:
        services.document_publish(
            actor=request.user, document=document, checksum=request.POST.get("checksum", "")
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Document published: the assistant answers from it now."))
    if document.kind == DocumentKind.FAQ:
        return redirect("assistant:queue")
    return redirect("assistant:documents")


@login_required
def documents(request):
    units = OrgUnit.objects.restrict(request.user, Action.EDIT_CONTENT).order_by("depth", "path")
    form = DocumentForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.document_upload(
                actor=request.user,
                unit=form.cleaned_data["unit"],
                name=upload.name,
                data=read_upload(upload, settings.ASSISTANT_DOCUMENT_MAX_BYTES),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error("unit", str(error))
        else:
            messages.success(
                request, _("The document is being indexed; this page shows its progress.")
            )
            return redirect("assistant:documents")
    page = Paginator(
        Document.objects.restrict(request.user)
        .select_related("unit")
        .exclude(kind=DocumentKind.FAQ),
        50,
    ).get_page(request.GET.get("page"))
    indexing = any(d.status in (DocumentStatus.WAITING, DocumentStatus.INDEXING) for d in page)
    approvable = set(
        Document.objects.restrict(request.user, Action.APPROVE_CONTENT)
        .filter(pk__in=[d.pk for d in page], review=DocumentReview.PENDING)
        .exclude(created_by=request.user)
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "assistant/documents.html",
        {
            "form": form,
            "page": page,
            "indexing": indexing,
            "can_add": units.exists(),
            "approvable": approvable,
        },
    )


@login_required
def queue(request):
    """Questions the assistant could not answer, and answers rated unhelpful, of the staff's
    part of the tree."""
    units = OrgUnit.objects.restrict(request.user, Action.EDIT_CONTENT).order_by("depth", "path")
    questions = (
        Question.objects.restrict(request.user)
        .filter(Q(status=QuestionStatus.WAITING) | Q(helpful=False, status=QuestionStatus.ANSWERED))
        .select_related("unit")
    )
    faq_form = FaqForm(request.POST or None, units=units)
    if request.method == "POST" and faq_form.is_valid():
        try:
            services.faq_create(
                actor=request.user,
                unit=faq_form.cleaned_data["unit"],
                question=faq_form.cleaned_data["question"],
                answer=faq_form.cleaned_data["answer"],
            )
        except (ValidationError, PermissionDenied) as error:
            faq_form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request,
                _(
                    "FAQ entry added: the assistant uses it once an approver other than you "
                    "publishes it."
                ),
            )
            return redirect("assistant:queue")
    page = Paginator(questions, 30).get_page(request.GET.get("page"))
    pending_faq = (
        FaqEntry.objects.restrict(request.user)
        .filter(document__review=DocumentReview.PENDING)
        .select_related("unit", "document")
    )
    approvable = set(
        Document.objects.restrict(request.user, Action.APPROVE_CONTENT)
        .filter(kind=DocumentKind.FAQ, review=DocumentReview.PENDING)
        .exclude(created_by=request.user)
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "assistant/queue.html",
        {
            "page": page,
            "answer_form": StaffAnswerForm(),
            "faq_form": faq_form,
            "pending_faq": pending_faq,
            "approvable": approvable,
        },
    )


@scoped(Question)
@login_required
@require_POST
def queue_answer(request, pk):
    question = scoped_object(request.user, Question.objects.select_related("unit"), pk)
    form = StaffAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the answer."))
        return redirect("assistant:queue")
    try:
        services.question_answer(
            actor=request.user,
            question=question,
            answer=form.cleaned_data["answer"],
            make_faq=form.cleaned_data["make_faq"],
        )
    except PermissionDenied as error:
        return HttpResponseForbidden(str(error))
    if question.reply_to:
        from .tasks import reply_on_zalo

        reply_on_zalo.enqueue(question.pk)
    messages.success(request, _("Answer saved."))
    return redirect("assistant:queue")


@csrf_exempt
@require_POST
def zalo_webhook(request, code):
    """Zalo OA events: a citizen's text message gets the answer as a reply (sent by a
    background task, so Zalo gets its 200 at once)."""
    unit = _public_unit(code)
    try:
        event = json.loads(request.body or b"{}")
    except ValueError:
        return HttpResponse(status=400)
    if not isinstance(event, dict):
        return HttpResponse(status=400)
    signature = request.headers.get("X-ZEvent-Signature", "")
    timestamp = event.get("timestamp", "")
    if not isinstance(timestamp, str | int) or isinstance(timestamp, bool):
        return HttpResponse(status=400)
    if not zalo.signature_ok(request.body, signature, timestamp):
        return HttpResponse(status=403)
    fresh = zalo.timestamp_fresh(timestamp)
    if fresh is None:
        return HttpResponse(status=400)
    if not fresh:
        return HttpResponse(status=403)
    if event.get("event_name") != "user_send_text":
        return JsonResponse({"ok": True})
    sender, message = event.get("sender"), event.get("message")
    if not isinstance(sender, dict) or not isinstance(message, dict):
        return HttpResponse(status=400)
    user_id, text, message_id = sender.get("id"), message.get("text", ""), message.get("msg_id", "")
    if (
        not isinstance(user_id, str | int)
        or isinstance(user_id, bool)
        or not str(user_id)
        or not isinstance(text, str)
        or not isinstance(message_id, str | int)
        or isinstance(message_id, bool)
        or not str(message_id).strip()
    ):
        return HttpResponse(status=400)
    user_id = str(user_id)
    # Limited before the call is marked seen: a message refused now is answered when resent.
    if not ratelimit.allow(ratelimit.client_key(f"zalo:{user_id}")):
        return JsonResponse({"ok": True, "limited": True})
    if not zalo.first_delivery(zalo.call_digest(request.body), str(message_id)):
        # Already answered (a replay, or Zalo delivering again): acknowledged, not asked again.
        return JsonResponse({"ok": True, "duplicate": True})
    from .tasks import reply_on_zalo

    try:
        _result, logged = services.ask(
            unit=unit, question=text, channel=Channel.ZALO, reply_to=user_id
        )
    except ValidationError as error:
        from .zalo import send_text

        recipient = event.get("recipient")
        oa_id = recipient.get("id", "") if isinstance(recipient, dict) else ""
        send_text(user_id, " ".join(error.messages), unit=unit, oa_id=str(oa_id))
        return JsonResponse({"ok": True})
    reply_on_zalo.enqueue(logged.pk)
    return JsonResponse({"ok": True})
