"""Pages of the assistant: the public chat page of a unit (works without JavaScript, on a
phone), a cited passage, rating; for staff, the documents, the FAQ and the question queue."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from lantoa.core.views import apply_validation_error, public, scoped
from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_object
from lantoa.orgs.models import OrgUnit

from . import ratelimit, services, zalo
from .choices import Channel, QuestionStatus
from .forms import AskForm, DocumentForm, FaqForm, StaffAnswerForm
from .models import Document, Passage, Question

SESSION_KEY = "assistant_asked"


def _public_unit(code: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code__iexact=code).first()
    if unit is None:
        raise Http404(_("Not found."))
    return unit


def ask_page(request, code):
    """The unit's assistant: ask, read the answer and its sources, rate it. With ``embed``,
    the compact version the widget of a unit's website shows in its frame."""
    unit = _public_unit(code)
    embed = request.GET.get("embed") == "1"
    # Asking works by GET too: inside a website's frame, third-party cookies (CSRF, session)
    # are not sent, and a question is a search of published documents.
    data = (
        request.POST if request.method == "POST" else (request.GET if "q" in request.GET else None)
    )
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


@public("passages of published documents are public, as the documents are")
def passage_page(request, pk):
    """A cited passage in its place: public, as the documents it comes from are published."""
    passage = get_object_or_404(
        Passage.objects.select_related("document__unit"), pk=pk, document__status="ready"
    )
    neighbours = Passage.objects.filter(
        document=passage.document, order__in=[passage.order - 1, passage.order + 1]
    )
    return render(
        request, "assistant/passage.html", {"passage": passage, "neighbours": list(neighbours)}
    )


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
                data=upload.read(),
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
        Document.objects.restrict(request.user).select_related("unit").exclude(kind="faq"), 50
    ).get_page(request.GET.get("page"))
    indexing = any(d.status in ("waiting", "indexing") for d in page)
    return render(
        request,
        "assistant/documents.html",
        {"form": form, "page": page, "indexing": indexing, "can_add": units.exists()},
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
            messages.success(request, _("FAQ entry added: the assistant uses it from now on."))
            return redirect("assistant:queue")
    page = Paginator(questions, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "assistant/queue.html",
        {"page": page, "answer_form": StaffAnswerForm(), "faq_form": faq_form},
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
    if not zalo.signature_ok(
        request.body, request.headers.get("X-ZEvent-Signature", ""), event.get("timestamp", "")
    ):
        return HttpResponse(status=403)
    if event.get("event_name") != "user_send_text":
        return JsonResponse({"ok": True})
    user_id = str((event.get("sender") or {}).get("id", ""))
    text = str((event.get("message") or {}).get("text", ""))
    if not user_id:
        return HttpResponse(status=400)
    from .tasks import reply_on_zalo

    if not ratelimit.allow(ratelimit.client_key(f"zalo:{user_id}")):
        return JsonResponse({"ok": True, "limited": True})
    try:
        _result, logged = services.ask(
            unit=unit, question=text, channel=Channel.ZALO, reply_to=user_id
        )
    except ValidationError as error:
        from .zalo import send_text

        send_text(user_id, " ".join(error.messages))
        return JsonResponse({"ok": True})
    reply_on_zalo.enqueue(logged.pk)
    return JsonResponse({"ok": True})
