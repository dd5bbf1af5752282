from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("In force")
    REPLACED = "replaced", _("Replaced by a revision")
    WITHDRAWN = "withdrawn", _("Withdrawn (imported by mistake)")


class Timing(models.TextChoices):
    ONGOING = "ongoing", _("Ongoing task")
    ANNUAL = "annual", _("Annual")
    ONCE = "once", _("Once, by a deadline")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class TargetUnit(models.TextChoices):
    PERCENT = "%", _("percent")
    COUNT = "count", _("count")


class Comparator(models.TextChoices):
    AT_LEAST = ">=", _("at least")
    EQUAL = "=", _("exactly")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead unit")
    SUPPORT = "support", _("Coordinating unit")


class ImportStatus(models.TextChoices):
    READING = "reading", _("Being read")
    FAILED = "failed", _("Could not be read")
    PENDING = "pending", _("Waiting for review")
    CONFIRMED = "confirmed", _("Confirmed")
    DISCARDED = "discarded", _("Discarded")


class DocumentKind(models.TextChoices):
    """What kind of document a plan in Lantoa is: read from the type code of its number
    ("1169/QĐ-TTg" is a Quyết định, "45/KH-UBND" a Kế hoạch, "57-NQ/TW" a Nghị quyết)."""

    PLAN = "plan", _("Plan")
    DECISION = "decision", _("Decision")
    DIRECTIVE = "directive", _("Directive")
    RESOLUTION = "resolution", _("Resolution")
    PROGRAMME = "programme", _("Programme")
    CONCLUSION = "conclusion", _("Conclusion")
    GUIDANCE = "guidance", _("Guidance")
    NOTICE = "notice", _("Notice")


# Type codes of Nghị định 30/2020/NĐ-CP (Phụ lục III), folded: "QĐ" → "qd".
_KIND_CODES = {
    "kh": DocumentKind.PLAN,
    "qd": DocumentKind.DECISION,
    "ct": DocumentKind.DIRECTIVE,
    "nq": DocumentKind.RESOLUTION,
    "ctr": DocumentKind.PROGRAMME,
    "kl": DocumentKind.CONCLUSION,
    "hd": DocumentKind.GUIDANCE,
    "tb": DocumentKind.NOTICE,
}


def kind_of_number(number: str | None) -> str:
    """The document kind a number names by its type code; a plan when it names none.

    State documents put the code after the slash ("1169/QĐ-TTg", "63/KH-UBND"), the Party's
    before it ("57-NQ/TW")."""
    from lantoa.core.text import fold

    text = fold(number or "").replace(" ", "")
    head, _slash, tail = text.partition("/")
    candidates = [tail.split("-")[0], *head.split("-")[1:2]] if tail else []
    for code in candidates:
        if code in _KIND_CODES:
            return _KIND_CODES[code]
    return DocumentKind.PLAN


# Who issued a document, by the issuing body's code closing its number ("1169/QĐ-TTg",
# "12/NĐ-CP", "57-NQ/TW"): filled in for a plan whose issuer is empty. Migration 0003 keeps
# its own copy (migrations must not import code that may change).
ISSUERS_BY_CODE = {
    "TTG": "Thủ tướng Chính phủ",
    "CP": "Chính phủ",
    "TW": "Ban Chấp hành Trung ương",
}


def issuer_of_number(number: str | None) -> str:
    """The issuer the body code of ``number`` names, or "" when it names none in the table."""
    import re

    from lantoa.core.text import fold

    parts = [p for p in re.split(r"[/\-]", fold(number or "").replace(" ", "").upper()) if p]
    return ISSUERS_BY_CODE.get(parts[-1], "") if len(parts) > 1 else ""
