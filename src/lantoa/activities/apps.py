from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "lantoa.activities"
    verbose_name = _("Activities")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Activity)
