"""``lantoa import-plan FILE``: read a plan document; ``--dry-run --json`` prints what was
understood and saves nothing (the scoring contract); otherwise imports it for ``--unit CODE``."""

import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.documents import ImportProblem, read_document
from lantoa.plans.importer import understand


class Command(BaseCommand):
    help = "Import a plan document (.txt, .docx, .pdf)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what was understood; save nothing."
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument("--unit", help="Code of the unit that issued the plan.")
        parser.add_argument(
            "--open-past-periods",
            action="store_true",
            help="Also open the reporting periods whose deadline has already passed "
            "(by default reports are owed from today or the issue date, whichever is later).",
        )

    def handle(
        self,
        *args,
        file: Path,
        dry_run: bool,
        json: bool,
        unit: str | None,
        open_past_periods: bool = False,
        **options,
    ):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc.strerror}
            ) from exc

        def progress(done: int, total: int) -> None:
            if not json:
                self.stderr.write(
                    _("OCR: page %(done)d of %(total)d") % {"done": done, "total": total}
                )

        try:
            source = read_document(data, filename=file.name, progress=progress)
            understood = understand(source)
            source, extracted = understood.source, understood.extracted
        except ImportProblem as problem:
            if json:
                self.stdout.write(_dumps({"error": problem.message, "code": problem.code}))
                sys.exit(1)
            raise CommandError(problem.message) from problem
        if dry_run:
            result = extracted.as_contract()
            result["warnings"] = source.warnings + extracted.warnings
            if json:
                self.stdout.write(_dumps(result))
            else:
                self._summary(result)
            return
        from lantoa.assistant.services import plan_import

        if not unit:
            raise CommandError(_("Give the issuing unit with --unit CODE."))
        try:
            plan = plan_import(
                actor=None,
                unit_code=unit,
                source=source,
                extracted=extracted,
                filename=file.name,
                data=data,
                reports_from=None if open_past_periods else timezone.localdate(),
            )
        except ValidationError as refused:
            # An ordinary refusal (an unknown unit, a number already in force): its words.
            if json:
                self.stdout.write(_dumps({"error": " ".join(refused.messages)}))
                sys.exit(1)
            raise CommandError(" ".join(refused.messages)) from refused
        message = _("Imported plan %(plan)s: %(targets)d targets, %(tasks)d tasks.") % {
            "plan": plan,
            "targets": plan.targets.count(),
            "tasks": plan.tasks.count(),
        }
        if json:
            self.stdout.write(_dumps({"id": plan.pk, "message": message}))
        else:
            self.stdout.write(message)

    def _summary(self, result: dict) -> None:
        self.stdout.write(
            f"{result['number'] or '—'}  {result['date'] or '—'}  {result['title'] or ''}"
        )
        self.stdout.write(_("References: %s") % ", ".join(result["references"]))
        self.stdout.write(
            _("%(n)d targets, %(m)d tasks")
            % {"n": len(result["targets"]), "m": len(result["tasks"])}
        )


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
