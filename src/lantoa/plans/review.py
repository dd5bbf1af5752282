"""Between what the importer understood and the review screen: initial form data from an
extraction, and the reviewed extraction back from the submitted forms."""

from __future__ import annotations

import dataclasses
import datetime
import re

from .importer.extract import ExtractedPlan, ResponsibleUnit, Span, Target, Task

LOW_CONFIDENCE = 0.75


def _known(cls, item: dict) -> dict:
    """The keys of ``item`` that ``cls`` has: an extraction stored by another version of the
    importer (with keys added or not yet there) still opens for review."""
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in item.items() if k in names}


def _iso_date(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _due(task_fields: dict, due_text, due_date) -> dict:
    """The due date as written and its last day, for an importer Task that has these fields
    (the importer adds them; until then they are left out)."""
    names = {f.name for f in dataclasses.fields(Task)}
    out = {}
    if "due_text" in names:
        out["due_text"] = (due_text or "").strip()[:64] or None
    if "due_date" in names:
        out["due_date"] = due_date.isoformat() if due_date else None
    return {**task_fields, **out}


def extraction_from_dict(data: dict) -> ExtractedPlan:
    def span(item):
        return Span(**item["span"])

    return ExtractedPlan(
        number=data.get("number"),
        date=data.get("date"),
        issuer=data.get("issuer"),
        title=data.get("title"),
        references=list(data.get("references", [])),
        targets=[Target(**_known(Target, {**t, "span": span(t)})) for t in data.get("targets", [])],
        tasks=[Task(**_known(Task, {**t, "span": span(t)})) for t in data.get("tasks", [])],
        units=[
            ResponsibleUnit(**_known(ResponsibleUnit, {**u, "span": span(u)}))
            for u in data.get("units", [])
        ],
        report_deadlines=list(data.get("report_deadlines", [])),
        warnings=list(data.get("warnings", [])),
        signer=data.get("signer"),
        signer_title=data.get("signer_title"),
        issuer_place=data.get("issuer_place"),
    )


def header_initial(plan: ExtractedPlan) -> dict:
    return {
        "number": plan.number or "",
        "date": plan.date,
        "title": plan.title or "",
        "issuer": plan.issuer or "",
    }


def targets_initial(plan: ExtractedPlan) -> list[dict]:
    return [
        {
            "keep": True,
            "year": t.year,
            "comparator": t.comparator or "",
            "value": t.value,
            "unit": t.unit or "",
            "text": t.text,
            "span_start": t.span.start,
            "span_end": t.span.end,
            "confidence": t.confidence,
        }
        for t in plan.targets
    ]


def tasks_initial(plan: ExtractedPlan) -> list[dict]:
    return [
        {
            "keep": True,
            "group": t.group,
            "group_title": t.group_title,
            "text": t.text,
            "timing": t.timing or "",
            "due_year": t.due_year,
            "due_text": getattr(t, "due_text", None) or "",
            "due_date": _iso_date(getattr(t, "due_date", None)),
            "lead": "; ".join(t.lead),
            "support": "; ".join(t.support),
            "output": t.output or "",
            "span_start": t.span.start,
            "span_end": t.span.end,
            "confidence": t.confidence,
        }
        for t in plan.tasks
    ]


def proposals_initial(unmatched: list[ResponsibleUnit], issuer_code: str) -> list[dict]:
    return [
        {
            "name": u.name,
            "create": False,
            "code": f"{issuer_code}-{index + 1:02d}",
            "duties": "\n".join(u.duties),
            "span_start": u.span.start,
            "span_end": u.span.end,
        }
        for index, u in enumerate(unmatched)
    ]


def _names(value: str) -> list[str]:
    return [n.strip() for n in re.split(r";", value or "") if n.strip()]


def _span(data: dict) -> Span:
    return Span(data.get("span_start") or 0, data.get("span_end") or 0)


def reviewed_extraction(
    original: ExtractedPlan, header: dict, targets: list[dict], tasks: list[dict]
) -> ExtractedPlan:
    """The extraction as the reviewer left it: edited values, unticked items dropped."""
    return ExtractedPlan(
        number=header.get("number") or None,
        date=header["date"].isoformat() if header.get("date") else None,
        issuer=" ".join((header.get("issuer") or "").split()) or original.issuer,
        title=header.get("title") or None,
        references=original.references,
        targets=[
            Target(
                year=t.get("year"),
                value=float(t["value"]) if t.get("value") is not None else None,
                unit=t.get("unit") or None,
                comparator=t.get("comparator") or None,
                text=t["text"],
                span=_span(t),
            )
            for t in targets
            if t.get("keep")
        ],
        tasks=[
            Task(
                **_due(
                    {
                        "group": t.get("group") or "",
                        "group_title": t.get("group_title") or "",
                        "text": t["text"],
                        "timing": t.get("timing") or None,
                        "due_year": t.get("due_year"),
                        "lead": _names(t.get("lead")),
                        "support": _names(t.get("support")),
                        "output": t.get("output") or None,
                        "span": _span(t),
                    },
                    t.get("due_text"),
                    t.get("due_date"),
                )
            )
            for t in tasks
            if t.get("keep")
        ],
        units=original.units,
        report_deadlines=original.report_deadlines,
    )
