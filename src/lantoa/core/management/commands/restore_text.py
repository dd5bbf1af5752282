"""``lantoa restore-text --json``: one JSON string a line on standard input, the restored JSON
string a line on standard output, in order. Without ``--json``, plain text in and out."""

import json
import sys

from django.core.management.base import BaseCommand

from lantoa.core.restore import restore_text


class Command(BaseCommand):
    requires_system_checks = []
    help = "Restore Vietnamese diacritics (OCR'd or typed without them) in text read on stdin."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="one JSON string per line")

    def handle(self, *args, **opts):
        stdin = open(sys.stdin.fileno(), encoding="utf-8", closefd=False)  # noqa: SIM115
        out = open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        if not opts["json"]:
            out.write(restore_text(stdin.read()))
            out.flush()
            return
        for line in stdin:
            if not line.strip():
                continue
            out.write(json.dumps(restore_text(json.loads(line)), ensure_ascii=False) + "\n")
        out.flush()
