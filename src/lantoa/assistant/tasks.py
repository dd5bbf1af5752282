"""Background work of the assistant, through the Django tasks API."""

from django_tasks import task

from .models import Document


@task()
def index_document(document_id: int) -> None:
    """Read (OCR when scanned) and index an uploaded document; its page shows the progress."""
    from .services import document_index_stored

    document = Document.objects.filter(pk=document_id).first()
    if document is not None and document.file:
        document_index_stored(document)


@task()
def reply_on_zalo(question_id: int) -> None:
    """Send the assistant's answer (or the promise of a staff answer) to the Zalo user."""
    from .models import Question
    from .services import zalo_reply_text
    from .zalo import send_text

    question = (
        Question.objects.filter(pk=question_id).exclude(reply_to="").select_related("unit").first()
    )
    if question is not None:
        send_text(question.reply_to, zalo_reply_text(question), unit=question.unit)


@task()
def index_plan(plan_id: int) -> None:
    """Index an imported plan's text for the assistants of its unit and the units below."""
    from lantoa.plans.models import Plan

    from .services import plan_publish

    plan = Plan.objects.filter(pk=plan_id).select_related("unit").first()
    if plan is not None:
        plan_publish(plan)


@task()
def index_content(item_id: int) -> None:
    """Index a published content item's live revision (or drop it when no longer public)."""
    from lantoa.content.models import ContentItem

    from .services import content_index_now

    item = ContentItem.objects.filter(pk=item_id).first()
    if item is not None:
        content_index_now(item)
