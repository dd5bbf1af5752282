"""Plan importer: ``read_document`` turns a file into text, ``extract_plan`` text into a plan,
``understand`` both, restoring text read without its diacritics first."""

from lantoa.core.documents import ImportProblem, NeedsOCR, SourceText, read_document

from .extract import ExtractedPlan, extract_plan
from .understand import Understood, understand

__all__ = [
    "ExtractedPlan",
    "ImportProblem",
    "NeedsOCR",
    "SourceText",
    "extract_plan",
    "read_document",
    "Understood",
    "understand",
]
