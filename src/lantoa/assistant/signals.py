"""Plans imported by Lantoa join the assistant's corpus of their unit, in the background."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from lantoa.plans.models import Plan


@receiver(post_save, sender=Plan, dispatch_uid="assistant-index-plan")
def plan_saved(sender, instance: Plan, **kwargs):
    if not settings.ASSISTANT_INDEX_PLANS or not instance.source_text:
        return
    from .tasks import index_plan

    transaction.on_commit(lambda: index_plan.enqueue(instance.pk))
