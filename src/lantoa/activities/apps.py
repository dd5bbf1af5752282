from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "lantoa.activities"
    verbose_name = _("Activities")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Activity, exclude_fields=["updated_at"], m2m_fields={"tasks"})
        auditlog.register(models.Evidence, exclude_fields=["content_type"])
