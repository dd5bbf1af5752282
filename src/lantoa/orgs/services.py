"""Writes to the org tree and to people's roles.

Every function is keyword-only, takes the acting user, checks what the actor may do, runs in
one transaction and leaves the audit trail to django-auditlog (actor and address come from
its middleware for web requests, from ``auditlog.context.set_actor`` elsewhere). Views, the
API, commands and the demo loader all call these.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from treebeard.exceptions import InvalidMoveToDescendant

from .audit import audited
from .choices import ADMINISTRATIVE_KINDS, ROLE_ACTIONS, Action, UnitKind
from .models import Membership, OrgUnit, User
from .scoping import actions_on, forget_scope, require
from .validators import unit_code_validator


def _clean_code(code: str) -> str:
    code = (code or "").strip().upper()
    if not code:
        raise ValidationError({"code": _("Enter a unit code.")}, code="required")
    if len(code) > 32 or any(ch.isspace() for ch in code):
        raise ValidationError(
            {"code": _("A unit code has at most 32 characters and no spaces.")}, code="invalid"
        )
    try:
        unit_code_validator(code)  # it goes into addresses: /assistant/CODE/
    except ValidationError as error:
        raise ValidationError({"code": error.messages}, code="invalid") from None
    return code


def _check_code_free(code: str, *, exclude_pk: int | None = None) -> None:
    clash = OrgUnit.objects.filter(code__iexact=code)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    other = clash.first()
    if other is not None:
        raise ValidationError(
            {
                "code": _("The code %(code)s is already used by %(unit)s.")
                % {"code": code, "unit": other.name}
            },
            code="duplicate",
        )


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Enter the unit's name.")}, code="required")
    if len(name) > 255:
        raise ValidationError(
            {"name": _("A unit name has at most 255 characters.")}, code="invalid"
        )
    return name


def _check_user_kind(kind: str) -> None:
    if kind in ADMINISTRATIVE_KINDS:
        raise ValidationError(
            {
                "kind": _(
                    "Provincial- and commune-level units come from the national list "
                    "and cannot be added by hand."
                )
            },
            code="administrative",
        )
    if kind not in UnitKind.values:
        raise ValidationError({"kind": _("Choose a valid kind of unit.")}, code="invalid")


@audited
@transaction.atomic
def unit_create(*, actor: User | None, parent: OrgUnit, code: str, name: str, kind: str) -> OrgUnit:
    """Add a unit (a department, office, school, village ...) under ``parent``."""
    require(actor, Action.MANAGE_UNITS, parent)
    code, name = _clean_code(code), _clean_name(name)
    _check_user_kind(kind)
    _check_code_free(code)
    parent = OrgUnit.objects.select_for_update().get(pk=parent.pk)
    try:
        return OrgUnit.objects.add_child(
            parent, create_kwargs={"code": code, "name": name, "kind": kind}
        )
    except IntegrityError as exc:  # a concurrent insert of the same code
        raise ValidationError({"code": _("This code is already used.")}, code="duplicate") from exc


@audited
@transaction.atomic
def unit_update(*, actor: User | None, unit: OrgUnit, code: str, name: str, kind: str) -> OrgUnit:
    require(actor, Action.MANAGE_UNITS, unit)
    code, name = _clean_code(code), _clean_name(name)
    if unit.is_administrative:
        # Provinces and communes are named by the national list (load_org_tree, actor None).
        if code != unit.code or kind != unit.kind or (actor is not None and name != unit.name):
            raise ValidationError(
                _(
                    "The name, code and kind of a provincial- or commune-level unit cannot be "
                    "changed: they follow the national list."
                ),
                code="administrative",
            )
    else:
        _check_user_kind(kind)
        _check_code_free(code, exclude_pk=unit.pk)
    unit.code, unit.name, unit.kind = code, name, kind
    unit.save(update_fields=["code", "name", "kind", "updated_at"])
    return unit


@audited
@transaction.atomic
def unit_move(*, actor: User | None, unit: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    """Move ``unit`` and its subtree under ``new_parent``; both must be in the actor's scope."""
    require(actor, Action.MANAGE_UNITS, unit)
    require(actor, Action.MANAGE_UNITS, new_parent)
    if unit.is_administrative:
        raise ValidationError(
            _(
                "Provincial- and commune-level units cannot be moved: "
                "they stay where the national list puts them."
            ),
            code="administrative",
        )
    if new_parent.pk == unit.pk or new_parent.path.startswith(unit.path):
        raise ValidationError(
            _("A unit cannot be moved under itself or under one of its own sub-units."),
            code="cycle",
        )
    try:
        OrgUnit.objects.move(unit, new_parent, pos="last-child")
    except InvalidMoveToDescendant as exc:
        raise ValidationError(
            _("A unit cannot be moved under itself or under one of its own sub-units."),
            code="cycle",
        ) from exc
    unit.refresh_from_db()
    return unit


def _require_grantable(actor: User | None, role: str, unit: OrgUnit) -> None:
    """Nobody grants more than they hold: the role's actions must be the actor's own there."""
    require(actor, Action.MANAGE_MEMBERS, unit)
    if actor is None or actor.is_superuser:
        return
    if not ROLE_ACTIONS[role] <= actions_on(actor, unit):
        raise PermissionDenied(_("You cannot grant a role with more rights than your own."))


NOT_IN_SCOPE = _lazy(
    "No account with this user name in your part of the tree. To add someone new, give their "
    "full name and e-mail: they receive an invitation to set a password."
)


def user_in_reach(actor: User | None, username: str) -> User | None:
    """The active account ``username`` if the actor may give it a role: it already holds one in
    the part of the tree the actor manages. Accounts elsewhere in the country stay unknown to
    the actor (neither taken in nor named)."""
    users = User.objects.filter(username__iexact=(username or "").strip(), is_active=True)
    if actor is not None and not actor.is_superuser:
        reachable = Membership.objects.restrict(actor, Action.MANAGE_MEMBERS)
        users = users.filter(memberships__in=reachable).distinct()
    return users.first()


@audited
@transaction.atomic
def membership_grant(
    *, actor: User | None, user: User, unit: OrgUnit, role: str, _in_reach: bool = False
) -> Membership:
    """``_in_reach``: the caller has just created the account or found it with user_in_reach,
    so the reach is not looked up a second time."""
    if role not in ROLE_ACTIONS:
        raise ValidationError({"role": _("Choose a valid role.")}, code="invalid")
    _require_grantable(actor, role, unit)
    if not _in_reach and user_in_reach(actor, user.username) is None:
        raise ValidationError({"username": str(NOT_IN_SCOPE)}, code="out_of_scope")
    membership, created = Membership.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"granted_by": actor}
    )
    if not created:
        raise ValidationError(
            _("%(user)s already holds this role at %(unit)s.") % {"user": user, "unit": unit},
            code="duplicate",
        )
    forget_scope(user)
    return membership


def membership_grant_named(
    *, actor: User | None, username: str, unit: OrgUnit, role: str
) -> Membership | None:
    """Give the account ``username`` a role at ``unit`` if it is in the actor's reach (its reach
    looked up once); None when no such account is, and nothing is written: the caller then
    creates the account or says it is unknown."""
    user = user_in_reach(actor, username)
    if user is None:
        return None
    return membership_grant(actor=actor, user=user, unit=unit, role=role, _in_reach=True)


@audited
@transaction.atomic
def membership_revoke(*, actor: User | None, membership: Membership) -> None:
    _require_grantable(actor, membership.role, membership.unit)
    if actor is not None and membership.user_id == actor.pk and not actor.is_superuser:
        raise ValidationError(_("You cannot remove your own role."), code="self")
    membership.delete()
    forget_scope(membership.user)


@audited
@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    email: str,
    unit: OrgUnit,
    role: str,
    password: str | None = None,
) -> User:
    """Create an account together with its first role; without a password, the person sets one
    through the password-reset e-mail."""
    _require_grantable(actor, role, unit)
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": _("Enter a user name.")}, code="required")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This user name is already taken.")}, code="duplicate")
    user = User(
        username=username, full_name=" ".join(full_name.split()), email=(email or "").strip()
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.first_unit = unit  # the creation entry belongs to the unit's audit log
    user.save()
    membership_grant(actor=actor, user=user, unit=unit, role=role, _in_reach=True)
    return user
