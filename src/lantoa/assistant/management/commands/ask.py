"""``lantoa ask --json [--unit CODE]``: questions on standard input, one a line; one JSON
object a line on standard output (the scoring contract), "ms" measured inside the process.
A question the assistant cannot answer gets ``NOT_KNOWN`` as its answer ("Tôi không biết: …"),
so that a question set can expect "không biết" for questions outside the documents.
``--baseline`` answers with plain BM25 over the same passages instead (for comparison)."""

import json
import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lantoa.assistant.answering import bm25_only, reply
from lantoa.assistant.index import current
from lantoa.assistant.management.commands.assistant_index import unit_from


class Command(BaseCommand):
    help = "Answer questions read from standard input with the Q&A assistant."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="One JSON object a line.")
        parser.add_argument("--unit", help="Code of the unit whose assistant answers.")
        parser.add_argument(
            "--baseline", action="store_true", help="Plain BM25 over the same passages."
        )

    def handle(self, *args, json: bool, unit: str | None, baseline: bool = False, **options):
        target = unit_from(unit)
        corpus = current()
        answer = bm25_only if baseline else reply
        for line in sys.stdin:
            question = " ".join(line.split())
            if not question:
                continue
            result = answer(question, target, corpus)
            if json:
                out = {
                    "question": question,
                    "answer": result.answer if result.known else not_known(),
                    "citations": [
                        {"document": c["document"], "section": c["section"], "text": c["text"]}
                        for c in result.citations
                    ],
                    "ms": result.ms,
                }
                self.stdout.write(_json(out))
            else:
                self.stdout.write(f"? {question}\n  {result.answer or '—'}")
                for c in result.citations[:3]:
                    self.stdout.write(f"    [{c['document']} · {c['section']}]")
            self.stdout.flush()


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def not_known() -> str:
    return _("I don't know: I found no answer to this in the published documents.")
