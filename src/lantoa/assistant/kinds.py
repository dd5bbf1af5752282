"""What a question asks for, and where a sentence holds it.

"ngày nào / khi nào / thời hạn" asks a date, "ai / đơn vị nào chủ trì" the leading unit,
"phối hợp" the coordinating ones, "bao nhiêu phần trăm" a percentage, "bao nhiêu / mấy" a count
or an amount, "căn cứ / văn bản nào" a document, "số mấy / số hiệu" the plan's own number (and
"ban hành ngày nào" its date), "ai ký" the signer, "những hình thức nào" a list; anything else
is answered with a sentence. Questions are read folded (no diacritics), as people type them.
"""

from __future__ import annotations

import re

from lantoa.core.documents.layout import match_key

DATE = "date"
LEAD = "lead"
SUPPORT = "support"
UNIT = "unit"
PERCENT = "percent"
NUMBER = "number"
DOCUMENT = "document"
HEADER = "header"  # the document's own number and date
SIGNER = "signer"
LIST = "list"
SENTENCE = "sentence"

_UNIT_WORDS = r"(?:ai|don vi nao|co quan nao|so nao|phong nao|ban nao|nganh nao|trung tam nao|to chuc nao|nhung ai|nhung don vi nao|cac don vi nao|ben nao|truong nao)"

_RULES = (
    (
        SIGNER,
        r"\bai ky\b|\bnguoi ky\b|\bky ban hanh\b|\bky ke hoach\b|\bky van ban\b|\bai la nguoi ky\b|\bky\b.*\bla ai\b",
    ),
    (
        DOCUMENT,
        r"\bcan cu\b|\bvan ban nao\b|\b(?:nghi quyet|quyet dinh|thong tu|nghi dinh|chi thi|ke hoach|cong van) nao\b|\bthuc hien (?:ke hoach|quyet dinh|nghi quyet) so\b|\bso may cua\b",
    ),
    (
        HEADER,
        r"\bso may\b|\bso hieu\b|\bso bao nhieu\b.*\bke hoach\b|\bky hieu\b|\bban hanh\b.*\b(?:ngay|khi|thoi gian|nam|thang) nao\b|\bban hanh\b.*\bbao gio\b|\bban hanh (?:ngay|khi|vao|luc|thoi)\b|\bngay ban hanh\b|\bngay ky\b|\bky ngay nao\b",
    ),
    (SUPPORT, r"\bphoi hop\b"),
    (
        LEAD,
        rf"\bchu tri\b|\bdo {_UNIT_WORDS}\b|\b(?:giao|phan cong) cho\b|\bdau moi\b|\bthuong truc\b",
    ),
    (PERCENT, r"\bphan tram\b|\bty le\b|%"),
    (
        DATE,
        r"\bngay nao\b|\bkhi nao\b|\bthoi han\b|\bthoi gian nao\b|\bbao gio\b|\bluc nao\b|\bnam nao\b|\bthang nao\b|\bquy nao\b|\bhan chot\b|\bthoi diem\b|\bdien ra\b.*\bnao\b",
    ),
    (
        NUMBER,
        r"\bbao nhieu\b|\bmay\s+(?:buoi|lop|tin|bai|lan|may|diem|video|nguoi|ho|to|nhom|chuyen muc|cuoc|dot|thang|nam)\b",
    ),
    (
        LIST,
        r"\bnhung (?:hinh thuc|kenh|gi|noi dung|nen tang|viec|nhiem vu|phuong tien)\b|\b(?:hinh thuc|kenh|nen tang|phuong tien|mang xa hoi) nao\b|\bgom nhung\b|\bbang cach nao\b",
    ),
    (UNIT, rf"\b{_UNIT_WORDS}\b"),
)
_COMPILED = [(kind, re.compile(rx)) for kind, rx in _RULES]
# A question about another document than the plan ("Nghị quyết 57 ban hành ngày nào",
# "quyết định số mấy") asks a reference or a date, not the plan's own header.
_OTHER_DOCUMENT = re.compile(
    r"\b(?:nghi quyet|quyet dinh|thong tu|nghi dinh|chi thi|cong van|luat|chuong trinh)\b"
)


def folded(text: str) -> str:
    return " ".join(re.findall(r"[0-9a-z%]+", match_key(text)))


def of_question(question: str) -> str:
    key = folded(question)
    for kind, rx in _COMPILED:
        if rx.search(key):
            if kind == HEADER and _OTHER_DOCUMENT.search(key):
                return DOCUMENT if re.search(r"\bso may\b|\bso hieu\b|\bky hieu\b", key) else DATE
            return kind
    return SENTENCE


# What a sentence must hold to answer each kind (on the text as written, case ignored).
_DATE_SPAN = re.compile(
    r"\b(?:ngày\s+\d{1,2}(?:\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?|\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?)"
    r"|\d{1,2}/\d{1,2}(?:/\d{4})?|tháng\s+\d{1,2}(?:\s*/\s*\d{4}|\s+năm\s+\d{4})?"
    r"|quý\s+[IVX1-4]+(?:\s*/\s*\d{4}|\s+năm\s+\d{4})?|hằng\s+(?:năm|tháng|quý|tuần)"
    r"|(?:chủ nhật|thứ \w+)(?:\s+\w+){0,3}\s+(?:mỗi|hằng)\s+(?:tháng|tuần)|trước\s+ngày\s+\d+)",
    re.I,
)
_YEAR_SPAN = re.compile(r"\bnăm\s+20\d\d\b|\b20\d\d\b", re.I)
_PERCENT_SPAN = re.compile(r"\d+(?:[.,]\d+)?\s*%")
_NUMBER_SPAN = re.compile(r"(?<![/\d])\d+(?:[.,]\d+)?(?![/\d%])")
_REFERENCE_SPAN = re.compile(r"\b\d{1,5}(?:/\d{4})?[/-](?:[A-ZĐ]{1,8}[-/]?)+[A-ZĐ]*")
_LIST_SPAN = re.compile(r"\bgồm\b|:\s*\S.*,.*,|,.*,.*\bvà\b|\([^)]*,[^)]*\)|\bnhư\b.*,", re.I)


def holds(kind: str, sentence: str) -> float:
    """How well a sentence holds an answer of ``kind``: 1 when it does, 0 when not (a bare
    year counts half for a date)."""
    if kind == DATE:
        if _DATE_SPAN.search(sentence):
            return 1.0
        return 0.5 if _YEAR_SPAN.search(sentence) else 0.0
    if kind == PERCENT:
        return 1.0 if _PERCENT_SPAN.search(sentence) else 0.0
    if kind == NUMBER:
        return 1.0 if _NUMBER_SPAN.search(_DATE_SPAN.sub(" ", sentence)) else 0.0
    if kind == DOCUMENT:
        return 1.0 if _REFERENCE_SPAN.search(sentence) else 0.0
    key = folded(sentence)
    if kind == LEAD:
        return 1.0 if re.search(r"\bchu tri\b|\bthuong truc\b|\bdau moi\b|\bgiao\b", key) else 0.0
    if kind == SUPPORT:
        return 1.0 if re.search(r"\bphoi hop\b", key) else 0.0
    if kind == UNIT:
        return (
            1.0
            if re.search(r"\bchu tri\b|\bphoi hop\b|\bdo\b|\bgiao\b|\bthuc hien\b", key)
            else 0.0
        )
    if kind == SIGNER:
        return 1.0 if re.search(r"\bky\b", key) else 0.0
    if kind == LIST:
        return 1.0 if _LIST_SPAN.search(sentence) else 0.0
    return 0.0


# Which field of a table-row passage ("Nhiệm vụ: …; Chủ trì: …; …") answers each kind.
ROW_FIELDS = {
    LEAD: ("Chủ trì",),
    UNIT: ("Chủ trì", "Phối hợp"),
    SUPPORT: ("Phối hợp",),
    DATE: ("Thời gian hoàn thành",),
    NUMBER: ("Sản phẩm", "Kinh phí"),
}
