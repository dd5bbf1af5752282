from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "lantoa.evaluation"
    verbose_name = _("Evaluation")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models, scorecard

        scorecard.connect()  # published scores refresh the public scorecards

        auditlog.register(models.CriteriaSet, exclude_fields=["updated_at"])
        auditlog.register(models.CriterionGroup)
        auditlog.register(models.Criterion)
        auditlog.register(models.ScoringRun)
        auditlog.register(models.UnitScore)
        auditlog.register(models.CriterionScore, m2m_fields={"evidence_activities"})
