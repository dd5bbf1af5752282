"""The task picker shared by the forms that link something to plan tasks (an activity, a
content item): the tasks as checkboxes with their full text, the unit's own assigned tasks
first and the others folded (:func:`lantoa.plans.selectors.task_groups`); a search box above
narrows them on the server (HTMX, :func:`options_context` for the fragment), and without
JavaScript the whole list is still there to tick."""

from __future__ import annotations

from django import forms

OPTIONS_TEMPLATE = "plans/widgets/task_options.html"


def _ticked(groups, selected) -> list:
    chosen = {str(pk) for pk in selected}
    return [
        (label, [(task, str(task.pk) in chosen) for task in tasks], folded)
        for label, tasks, folded in groups
    ]


def options_context(groups, selected, name: str = "tasks") -> dict:
    """The context of :data:`OPTIONS_TEMPLATE` (the picker's options after a search)."""
    return {"widget": {"name": name, "groups": _ticked(groups, selected)}}


class TaskPicker(forms.CheckboxSelectMultiple):
    template_name = "plans/widgets/task_picker.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups: list[tuple[str, list, bool]] = []
        self.search_url = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        selected = [str(v) for v in (value or [])]
        context["widget"]["groups"] = _ticked(self.groups, selected)
        context["widget"]["search_url"] = self.search_url
        context["widget"]["selected_count"] = len(selected)
        return context
