"""Unit kinds, roles and the actions each role allows."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    NATIONAL = "national", _("National focal point")
    PROVINCE = "province", _("Province")
    CITY = "city", _("Centrally-governed city")
    COMMUNE = "commune", _("Commune")
    WARD = "ward", _("Ward")
    SPECIAL_ZONE = "special_zone", _("Special zone")
    DEPARTMENT = "department", _("Department or agency")
    OFFICE = "office", _("Office")
    SERVICE_CENTRE = "service_centre", _("Public service centre")
    SCHOOL = "school", _("School")
    PRESS = "press", _("Press agency")
    MASS_ORGANISATION = "mass_organisation", _("Fatherland Front or mass organisation")
    VILLAGE = "village", _("Village or neighbourhood")
    BUSINESS = "business", _("Business")
    OTHER = "other", _("Other unit")


class Level(models.TextChoices):
    """Where a unit stands in the administrative chain that reports upward."""

    NATIONAL = "national", _("National level")
    PROVINCE = "province", _("Provincial level")
    COMMUNE = "commune", _("Commune level")
    UNIT = "unit", _("Unit level")


# The administrative divisions come from the ``vietnam-provinces`` package only; people add
# every other kind below them.
ADMINISTRATIVE_KINDS = frozenset(
    {
        UnitKind.NATIONAL,
        UnitKind.PROVINCE,
        UnitKind.CITY,
        UnitKind.COMMUNE,
        UnitKind.WARD,
        UnitKind.SPECIAL_ZONE,
    }
)
# The administrative divisions below the nation, whose reports a plan asks for.
SUBNATIONAL_KINDS = (
    UnitKind.PROVINCE,
    UnitKind.CITY,
    UnitKind.COMMUNE,
    UnitKind.WARD,
    UnitKind.SPECIAL_ZONE,
)
KIND_LEVEL = {
    UnitKind.NATIONAL: Level.NATIONAL,
    UnitKind.PROVINCE: Level.PROVINCE,
    UnitKind.CITY: Level.PROVINCE,
    UnitKind.COMMUNE: Level.COMMUNE,
    UnitKind.WARD: Level.COMMUNE,
    UnitKind.SPECIAL_ZONE: Level.COMMUNE,
}
USER_KINDS = [
    (value, label) for value, label in UnitKind.choices if value not in ADMINISTRATIVE_KINDS
]


class Action(models.TextChoices):
    VIEW = "view", _("View")
    RECORD = "record", _("Record activities and draft reports")
    EDIT_CONTENT = "edit_content", _("Write content")
    APPROVE_CONTENT = "approve_content", _("Approve content")
    APPROVE_REPORT = "approve_report", _("Approve and consolidate reports")
    MANAGE_UNITS = "manage_units", _("Manage units")
    MANAGE_MEMBERS = "manage_members", _("Manage people and roles")
    VIEW_AUDIT = "view_audit", _("View the audit log")
    # Connect the unit's Facebook Page, Zalo OA, YouTube channel (administrators only).
    MANAGE_CHANNELS = "manage_channels", _("Connect channel accounts")


class Role(models.TextChoices):
    FOCAL_POINT = "focal_point", _("Focal point")
    REPORTER = "reporter", _("Reporter")
    EDITOR = "editor", _("Editor")
    APPROVER = "approver", _("Approver")
    VIEWER = "viewer", _("Viewer")
    ADMINISTRATOR = "administrator", _("Administrator")


ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.VIEWER: frozenset({Action.VIEW}),
    Role.REPORTER: frozenset({Action.VIEW, Action.RECORD}),
    Role.EDITOR: frozenset({Action.VIEW, Action.EDIT_CONTENT}),
    Role.APPROVER: frozenset({Action.VIEW, Action.EDIT_CONTENT, Action.APPROVE_CONTENT}),
    Role.FOCAL_POINT: frozenset(
        {
            Action.VIEW,
            Action.RECORD,
            Action.APPROVE_REPORT,
            Action.MANAGE_UNITS,
            Action.MANAGE_MEMBERS,
            Action.VIEW_AUDIT,
        }
    ),
    Role.ADMINISTRATOR: frozenset(Action.values),
}


class NotificationKind(models.TextChoices):
    REPORT_RETURNED = "report_returned", _("Report returned")
    REPORT_APPROVED = "report_approved", _("Report approved")
    REPORT_OVERDUE = "report_overdue", _("Report overdue")
    DEADLINE_NEAR = "deadline_near", _("Deadline near")
    TASK_ASSIGNED = "task_assigned", _("Task assigned")
    OTHER = "other", _("Other")


class PersonKind(models.TextChoices):
    """Who is on a unit's people list: reach indicators count these people, not attendances."""

    OFFICIAL = "official", _("Official or civil servant")
    STAFF = "staff", _("Public employee or worker")
    COMMUNICATION = "communication", _("Communication staff")
