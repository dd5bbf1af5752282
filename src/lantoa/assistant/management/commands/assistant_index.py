"""``lantoa assistant-index PATH... [--unit CODE]``: index documents (files or folders) into the
assistant's corpus of a unit (default: the national root)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lantoa.assistant.services import document_index
from lantoa.orgs.models import OrgUnit

SUFFIXES = {".txt", ".docx", ".pdf"}


def unit_from(code: str | None) -> OrgUnit:
    """The unit named by ``--unit``, or the national root; an empty database gets the national
    root created, so a fresh checkout can index and ask at once."""
    if code:
        unit = OrgUnit.objects.filter(code__iexact=code).first()
        if unit is None:
            raise CommandError(_("No unit has the code %(code)s.") % {"code": code})
        return unit
    root = OrgUnit.objects.filter(depth=1).first()
    if root is None:
        from lantoa.orgs.choices import UnitKind
        from lantoa.orgs.national import ROOT_CODE, ROOT_NAME

        root = OrgUnit.objects.add_root(
            create_kwargs={"code": ROOT_CODE, "name": ROOT_NAME, "kind": UnitKind.NATIONAL}
        )
    return root


class Command(BaseCommand):
    help = "Index documents (.txt, .docx, .pdf, or folders of them) for the Q&A assistant."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--unit", help="Code of the unit publishing them (default: national).")

    def handle(self, *args, paths: list[Path], unit: str | None, **options):
        target = unit_from(unit)
        files: list[Path] = []
        for path in paths:
            if path.is_dir():
                files.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES))
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(_("Cannot read %(file)s.") % {"file": path})
        failed = 0
        for file in files:
            try:
                document = document_index(
                    actor=None, unit=target, name=file.name, data=file.read_bytes()
                )
            except ValidationError as error:
                failed += 1
                self.stderr.write(f"{file}: {' '.join(error.messages)}")
                continue
            self.stdout.write(
                _("%(file)s: %(n)d passages") % {"file": file.name, "n": document.passage_count}
            )
        if failed:
            raise CommandError(_("%(n)d files could not be indexed.") % {"n": failed})
