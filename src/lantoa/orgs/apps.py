from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "lantoa.orgs"
    verbose_name = _("Organisations and people")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.OrgUnit, exclude_fields=["name_folded", "updated_at", "numchild"])
        auditlog.register(models.Membership)
        auditlog.register(models.Person, exclude_fields=["name_folded", "updated_at"])
        auditlog.register(
            models.User,
            exclude_fields=["password", "last_login", "updated_at"],
        )
