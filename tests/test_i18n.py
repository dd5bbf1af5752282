"""Every string is translatable and translated: Vietnamese complete, English the source."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "lantoa"
CATALOGUE = PACKAGE / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def _gettext_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: run `make system-deps` (installs Debian's gettext).")
    return path


def _msgids(po: Path) -> set[str]:
    out = subprocess.run(  # noqa: S603 - fixed tool, our own file
        [_gettext_tool("msgcat"), "--no-wrap", "--sort-output", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {
        line[7:-1] for line in out.splitlines() if line.startswith('msgid "') and line != 'msgid ""'
    }


def test_vietnamese_catalogue_is_complete():
    for option in ("--untranslated", "--only-fuzzy"):
        leftover = subprocess.run(  # noqa: S603
            [_gettext_tool("msgattrib"), option, "--no-wrap", str(CATALOGUE)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert leftover.strip() == "", f"{option} entries in {CATALOGUE}:\n{leftover[:2000]}"


def test_catalogue_holds_every_marked_string(tmp_path):
    """makemessages on a copy of the sources finds no string missing from the catalogue."""
    copy = tmp_path / "lantoa"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    _gettext_tool("xgettext")
    cwd = os.getcwd()
    os.chdir(copy)
    try:
        call_command("makemessages", locale=["vi"], verbosity=0, no_obsolete=True)
    finally:
        os.chdir(cwd)
    fresh = _msgids(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po")
    missing = fresh - _msgids(CATALOGUE)
    assert not missing, (
        f"strings not yet in the Vietnamese catalogue (run makemessages): {sorted(missing)[:20]}"
    )
