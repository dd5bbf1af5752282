from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "lantoa.reports"
    verbose_name = _("Reports")

    def ready(self):
        from auditlog.registry import auditlog

        from lantoa.activities.services import report_check_register

        from . import models, services

        report_check_register(services.report_holding)

        auditlog.register(models.Submission, exclude_fields=["updated_at", "updated_by", "version"])
        auditlog.register(models.SubmissionTask, exclude_fields=["activity_count", "status_typed"])
        auditlog.register(models.SubmissionComment)
        auditlog.register(models.SavedDashboard, exclude_fields=["created_at"])
