from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "lantoa.channels"
    verbose_name = _("Channels and loudspeakers")

    def ready(self):
        from auditlog.registry import auditlog
        from django.core.checks import Tags, register

        from . import models, secrets

        # Production refuses to start without the keys that encrypt channel tokens.
        register(secrets.check_keys, Tags.security)

        # Tokens never reach the audit record.
        auditlog.register(models.ChannelAccount, exclude_fields=["access_token", "refresh_token"])
        auditlog.register(models.OutboxEntry, exclude_fields=["updated_at"])
        auditlog.register(models.LoudspeakerCluster)
        auditlog.register(models.BulletinAudio)
        auditlog.register(models.Broadcast, m2m_fields={"clusters", "aired_clusters"})
        auditlog.register(models.CalendarFeed, exclude_fields=["secret_sha256"])
