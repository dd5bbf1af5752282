from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    name = "lantoa.assistant"
    verbose_name = _("Q&A assistant")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        # Progress, status and checksum move while a document is indexed: not the record.
        auditlog.register(
            models.Document,
            include_fields=[
                "unit",
                "name",
                "title",
                "kind",
                "plan",
                "file",
                "review",
                "reviewed_by",
            ],
        )
        auditlog.register(models.FaqEntry, exclude_fields=["created_at"])
