"""The apps import downwards only: every module of every app is parsed (top-level and
function-level imports alike) and an import of an app of the same or a higher layer fails,
naming the module and the line. The table is ``lantoa.layers.LAYERS``, the one
docs/architecture.md shows."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lantoa.layers import COMPOSITION_ROOT, LAYERS

SRC = Path(__file__).resolve().parents[1] / "src" / "lantoa"


def _apps() -> list[str]:
    return sorted(p.name for p in SRC.iterdir() if (p / "__init__.py").exists())


def imported_apps(tree: ast.AST) -> list[tuple[str, int]]:
    """(app, line) for every ``import lantoa.x``, ``from lantoa.x... import`` and
    ``from lantoa import x`` anywhere in the module, inside functions too."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "lantoa":
                names = [f"lantoa.{alias.name}" for alias in node.names]
            else:
                names = [node.module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "lantoa" and len(parts) > 1:
                found.append((parts[1], node.lineno))
    return found


def violations(app: str) -> list[str]:
    problems = []
    for module in sorted((SRC / app).rglob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"), filename=str(module))
        where = module.relative_to(SRC.parent)
        for target, line in imported_apps(tree):
            if target == app:
                continue
            if target in COMPOSITION_ROOT:
                problems.append(
                    f"{where}:{line}: {app} imports the composition root lantoa.{target}"
                )
            elif target not in LAYERS:
                problems.append(f"{where}:{line}: lantoa.{target} has no layer in lantoa.layers")
            elif LAYERS[target] >= LAYERS[app]:
                problems.append(
                    f"{where}:{line}: {app} (layer {LAYERS[app]}) imports {target} "
                    f"(layer {LAYERS[target]})"
                )
    return problems


def test_every_app_has_a_layer():
    assert [app for app in _apps() if app not in LAYERS] == []
    assert not set(_apps()) & COMPOSITION_ROOT


@pytest.mark.parametrize("app", _apps())
def test_app_imports_only_lower_layers(app):
    assert violations(app) == []


def test_the_check_sees_lazy_and_every_form_of_import(tmp_path):
    """What the check is made of: a function-level import counts, and all three spellings."""
    source = (
        "import lantoa.reports.services\n"
        "def f():\n"
        "    from lantoa.plans.models import Plan\n"
        "    from lantoa import assistant\n"
        "    from . import selectors\n"
    )
    assert imported_apps(ast.parse(source)) == [("reports", 1), ("plans", 3), ("assistant", 4)]
    assert imported_apps(ast.parse("from lantoa.core import text\n")) == [("core", 1)]


def test_the_catalogue_names_activity_and_person_kinds_that_exist():
    """The catalogue sits below activities, so it spells the kinds it counts as text; they must
    stay values of the enums above it."""
    from lantoa.activities.choices import ActivityKind
    from lantoa.indicators.catalogue import DEFINITIONS, MEETING_KINDS
    from lantoa.orgs.choices import PersonKind

    kinds = {k for d in DEFINITIONS.values() for k in d.method.activity_kinds} | set(MEETING_KINDS)
    people = {k for d in DEFINITIONS.values() for k in d.method.person_kinds}
    assert kinds and kinds <= set(ActivityKind.values)
    assert people <= set(PersonKind.values)
