"""Org units (the tree), users and memberships."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from lantoa.core.text import fold

from .choices import (
    ADMINISTRATIVE_KINDS,
    KIND_LEVEL,
    Level,
    NotificationKind,
    PersonKind,
    Role,
    UnitKind,
)
from .scoping import STEPLEN, ScopedQuerySet, path_chain


class OrgUnitQuerySet(ScopedQuerySet, MP_NodeQuerySet):
    scope_field = "path"

    def search(self, text: str):
        """Accent-insensitive match on the name, or an exact unit code."""
        folded = fold(text)
        if not folded:
            return self
        return self.filter(
            models.Q(name_folded__contains=folded) | models.Q(code__iexact=text.strip())
        )


class OrgUnitManager(MP_NodeManager):
    def get_queryset(self):
        return OrgUnitQuerySet(self.model, using=self._db).order_by("path")

    def restrict(self, user, action="view"):
        return self.get_queryset().restrict(user, action)


class OrgUnit(MP_Node):
    """Đơn vị: a node of the org tree, from the nation down to a village or a school.

    The materialised ``path`` (django-treebeard) makes "everything under Đồng Nai" one indexed
    prefix query. Provinces and communes come from ``vietnam-provinces`` with their official
    codes; people add the units below them.
    """

    steplen = STEPLEN
    node_order_by: list[str] = []

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    name_folded = models.CharField(max_length=255, db_index=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgUnitManager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_folded"}
        super().save(*args, **kwargs)

    @property
    def level(self) -> str:
        return KIND_LEVEL.get(self.kind, Level.UNIT)

    @property
    def chain_paths(self) -> list[str]:
        """The paths of the root, every ancestor and this unit: where the plans binding it live."""
        return path_chain(self.path)

    @property
    def is_administrative(self) -> bool:
        return self.kind in ADMINISTRATIVE_KINDS

    def get_additional_data(self) -> dict:
        """Stored with each audit entry so the log can be scoped to a subtree."""
        return {"unit_path": self.path, "unit": self.name}


class User(AbstractUser):
    """Người dùng: a civil servant, editor or administrator; access comes from memberships."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email_notifications = models.BooleanField(
        _("Also send my notifications by e-mail"), default=True
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    def set_unusable_password(self) -> None:
        super().set_unusable_password()
        self._password_dropped = True

    def save(self, *args, **kwargs) -> None:
        # A new password (set on the password page, by the reset link, by an administrator or
        # by `changepassword`) ends every API token of the account: a token taken by whoever
        # knew the old password must not outlive it. (Django's rehash on sign-in clears
        # ``_password`` first and keeps them.)
        changed = self._password is not None or getattr(self, "_password_dropped", False)
        super().save(*args, **kwargs)
        if changed:
            from knox.models import get_token_model

            get_token_model().objects.filter(user=self).delete()
            self._password_dropped = False

    @cached_property
    def unread_notice_count(self) -> int:
        """For the navigation bar's badge (one indexed count per page)."""
        if not self.pk:
            return 0
        from .notifications import unread

        return unread(user=self).count()

    def get_additional_data(self) -> dict:
        # A new account is saved before its first role exists: user_create names the unit.
        unit = getattr(self, "first_unit", None)
        if unit is None:
            membership = self.memberships.select_related("unit").first() if self.pk else None
            unit = membership.unit if membership else None
        return {"unit_path": unit.path if unit else None}


class MembershipQuerySet(ScopedQuerySet):
    scope_field = "unit__path"


class Membership(models.Model):
    """Phân quyền: a user holds a role on a unit, covering the unit's whole subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path, "unit": self.unit.name}


class Notification(models.Model):
    """A message for one person in the app (returned or approved reports, reminders, tasks);
    sent by e-mail too when the person chose so."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(
        max_length=32, choices=NotificationKind.choices, default=NotificationKind.OTHER
    )
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text


class PersonQuerySet(ScopedQuerySet):
    scope_field = "unit__path"

    def current(self):
        return self.filter(is_active=True)


class Person(models.Model):
    """Cán bộ, công chức, viên chức: one person on a unit's people list, imported from the
    unit's Excel list and kept current (a person no longer on the list is kept, inactive, so the
    periods they were counted in keep their figures). Reach indicators count distinct people
    from these lists and the activities' attendance."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="people", verbose_name=_("unit")
    )
    full_name = models.CharField(_("full name"), max_length=150)
    name_folded = models.CharField(max_length=150, db_index=True, editable=False)
    position = models.CharField(_("position"), max_length=150, blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=PersonKind.choices, default=PersonKind.OFFICIAL
    )
    is_active = models.BooleanField(_("on the current list"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["unit", "full_name", "pk"]
        indexes = [models.Index(fields=["unit", "is_active"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.position})" if self.position else self.full_name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.full_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_folded"}
        super().save(*args, **kwargs)

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path, "unit": self.unit.name}


class WriteKey(models.Model):
    """A submission that must be saved once: the hidden key of a form, the SHA-256 of an
    imported sheet. The unique index makes a repeat (or a parallel twin) fail to claim it."""

    key = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=32)
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    result = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("write key")
        verbose_name_plural = _("write keys")

    def __str__(self) -> str:
        return self.key
