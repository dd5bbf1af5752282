"""Re-importing a revised plan: what changed, and the progress that carries over."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from lantoa.core.documents.layout import match_key

from .models import Plan, Task

SAME_TASK = 80


def _pair(old_tasks: list[Task], new_texts: list[str]) -> dict[int, Task]:
    """new index → the old task it continues (best text similarity, each old task used once)."""
    pairs: dict[int, Task] = {}
    used: set[int] = set()
    scored = sorted(
        (
            (fuzz.token_set_ratio(match_key(new), match_key(old.text)), index, old)
            for index, new in enumerate(new_texts)
            for old in old_tasks
        ),
        key=lambda item: -item[0],
    )
    for score, index, old in scored:
        if score < SAME_TASK:
            break
        if index in pairs or old.pk in used:
            continue
        pairs[index] = old
        used.add(old.pk)
    return pairs


@dataclass
class TaskChange:
    kind: str  # added | removed | changed | same
    old: Task | None
    new_text: str | None


def compare(old: Plan, new_texts: list[str]) -> list[TaskChange]:
    old_tasks = list(old.tasks.all())
    pairs = _pair(old_tasks, new_texts)
    changes = []
    for index, text in enumerate(new_texts):
        match = pairs.get(index)
        if match is None:
            changes.append(TaskChange("added", None, text))
        else:
            kind = "same" if match_key(match.text).split() == match_key(text).split() else "changed"
            changes.append(TaskChange(kind, match, text))
    paired = {t.pk for t in pairs.values()}
    changes.extend(TaskChange("removed", t, None) for t in old_tasks if t.pk not in paired)
    return changes


def carry_progress(*, old: Plan, new: Plan) -> None:
    """The new version keeps each continued task's status (the old version is already marked
    replaced by the service that saved the new one)."""
    new_tasks = list(new.tasks.all())
    pairs = _pair(list(old.tasks.all()), [t.text for t in new_tasks])
    for index, previous in pairs.items():
        task = new_tasks[index]
        if task.status != previous.status:
            task.status = previous.status
            task.save(update_fields=["status"])
