from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "lantoa.content"
    verbose_name = _("Communication desk")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(
            models.ContentItem,
            exclude_fields=["updated_at", "title_folded"],
            m2m_fields={"tasks", "campaigns", "tags"},
        )
        auditlog.register(models.Revision, exclude_fields=["body"])
        auditlog.register(models.Review)
        auditlog.register(models.Comment)
        auditlog.register(models.Campaign)
        auditlog.register(models.DeskSettings)
