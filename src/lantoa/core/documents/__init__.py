"""Reading documents (.txt/.docx/.pdf, OCR for scans) into text and cutting text into paragraphs.

Shared by the plan importer (``lantoa.plans.importer``) and the assistant's corpus: neither
owns it, so it lives at the bottom layer.
"""

from .reading import ImportProblem, NeedsOCR, SourceText, read_document, unexpected_problem

__all__ = ["ImportProblem", "NeedsOCR", "SourceText", "read_document", "unexpected_problem"]
