from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "lantoa.media"
    verbose_name = _("Resource library")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Asset, exclude_fields=["updated_at"], m2m_fields={"tags"})
        auditlog.register(models.Collection, m2m_fields={"assets"})
        auditlog.register(models.AssetUsage)
