from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "lantoa.plans"
    verbose_name = _("Plans")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(
            models.Plan, exclude_fields=["source_text", "source_kind", "updated_at", "created_at"]
        )
        auditlog.register(models.Target, exclude_fields=["source_start", "source_end", "order"])
        auditlog.register(models.Task, exclude_fields=["source_start", "source_end", "order"])
        auditlog.register(models.TaskAssignment)
        auditlog.register(models.LegalBasis)
        auditlog.register(models.ReportDeadline)
        auditlog.register(
            models.ResponsibleUnit, exclude_fields=["source_start", "source_end", "order"]
        )
        auditlog.register(
            models.PlanImport,
            include_fields=["status", "plan", "replaces", "filename", "error"],
        )
