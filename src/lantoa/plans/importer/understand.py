"""A document's text understood as a plan: restored first when it was read without its
diacritics (a scan OCR'd by an English model, a file typed without them), the text as read kept
beside it. The one path the upload, the ``import-plan`` command and the demo loader share."""

from __future__ import annotations

import dataclasses

from lantoa.core.documents import SourceText
from lantoa.core.restore import needs_restoring, restore_text

from .extract import ExtractedPlan, extract_plan


@dataclasses.dataclass
class Understood:
    source: SourceText  # its text restored when it needed it
    original_text: str  # the text as read when it was restored, else ""
    extracted: ExtractedPlan


def understand(source: SourceText) -> Understood:
    original = ""
    if needs_restoring(source.text):
        original = source.text
        source = dataclasses.replace(source, text=restore_text(source.text))
    return Understood(source=source, original_text=original, extracted=extract_plan(source.text))
