"""Communication network register: members (experts, press, S&T organisations, enterprises,
community digital technology teams, managers) with their field, contact and consent; their
invitations to campaigns and events, and what they did there.

Contact details are personal data: never on a public page, masked in lists for those who do not
manage the register, hidden altogether (and no invitation) once consent is withdrawn."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantoa.core.text import fold
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoping import ScopedQuerySet

__all__ = ["MemberKind", "NetworkInvitation", "NetworkMember"]


class MemberKind(models.TextChoices):
    EXPERT = "expert", _("Expert or scientist")
    PRESS = "press", _("Press agency or journalist")
    ST_ORGANISATION = "st_org", _("S&T organisation")
    ENTERPRISE = "enterprise", _("Enterprise")
    COMMUNITY_TEAM = "community_team", _("Community digital technology team")
    MANAGER = "manager", _("Manager")


class NetworkMember(models.Model):
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="network_members", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MemberKind.choices)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    field = models.CharField(_("field"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_withdrawn_on = models.DateField(_("consent withdrawn on"), null=True, blank=True)
    search = models.TextField(editable=False, blank=True)  # folded name, organisation, field
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("network member")
        verbose_name_plural = _("network members")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name

    def save(self, *args, **kwargs):
        self.search = fold(f"{self.name} {self.organisation} {self.field}")
        super().save(*args, **kwargs)

    @property
    def has_consent(self) -> bool:
        """Consent given and not withdrawn since: only then is the contact shown or used."""
        return self.consent_on is not None and self.consent_withdrawn_on is None

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path, "unit": self.unit.name}


class InvitationQuerySet(ScopedQuerySet):
    scope_field = "member__unit__path"


class NetworkInvitation(models.Model):
    """A member invited to a campaign or to an event (an activity of kind EVENT)."""

    member = models.ForeignKey(
        NetworkMember,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("member"),
    )
    campaign = models.ForeignKey(
        "content.Campaign",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_invitations",
        verbose_name=_("campaign"),
    )
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_invitations",
        verbose_name=_("event"),
    )
    invited_on = models.DateField(_("invited on"))
    attended = models.BooleanField(_("attended"), default=False)
    contributed = models.BooleanField(_("contributed content"), default=False)
    shared = models.BooleanField(_("shared"), default=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-invited_on", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(campaign__isnull=False, activity__isnull=True)
                | Q(campaign__isnull=True, activity__isnull=False),
                name="invitation_one_target",
            ),
            models.UniqueConstraint(
                fields=["member", "campaign"],
                condition=Q(campaign__isnull=False),
                name="invitation_once_per_campaign",
            ),
            models.UniqueConstraint(
                fields=["member", "activity"],
                condition=Q(activity__isnull=False),
                name="invitation_once_per_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.campaign or self.activity}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.member.unit.path}
