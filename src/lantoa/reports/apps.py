from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "lantoa.reports"
    verbose_name = _("Reports")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Submission, exclude_fields=["updated_at", "updated_by", "version"])
        auditlog.register(models.SubmissionTask, exclude_fields=["activity_count"])
        auditlog.register(models.SubmissionComment)
