"""What a plan says: number, date, issuer, legal bases, targets, tasks, units, report schedule.

Pure functions over text (no database), so the command line, the review screen and the tests
share them. Every extracted item keeps the span of source text it came from. Nothing is
invented: a field that is not in the document stays empty, and items the rules are unsure of
carry a low confidence for the review screen to flag.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field

from lantoa.core.documents.layout import Paragraph, match_key, paragraphs, uppercase_share
from lantoa.plans.choices import Comparator, TargetUnit

from .due import task_due
from .header import read_header
from .issuer import find_issuer, place_of
from .references import find_references, reference_key
from .tables import line_table_rows, ocr_table_rows, pipe_table_rows

YEAR = r"(20[2-4]\d)"


@dataclass
class Span:
    start: int
    end: int


@dataclass
class Target:
    year: int | None
    value: float | None
    unit: str | None  # "%", "count" or None (qualitative)
    comparator: str | None  # ">=", "=" or None
    text: str
    span: Span
    confidence: float = 1.0


@dataclass
class Task:
    group: str
    group_title: str
    text: str
    timing: str | None  # ongoing | annual | once | None
    due_year: int | None
    lead: list[str]
    support: list[str]
    output: str | None
    span: Span
    confidence: float = 1.0
    due_text: str | None = None  # the due date as written: "Quý IV/2025"
    due_date: str | None = None  # ISO, the last day of that period: "2025-12-31"


@dataclass
class ResponsibleUnit:
    name: str
    duties: list[str]
    span: Span


@dataclass
class ExtractedPlan:
    number: str | None = None
    date: str | None = None
    issuer: str | None = None
    title: str | None = None
    references: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    units: list[ResponsibleUnit] = field(default_factory=list)
    report_deadlines: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    signer: str | None = None  # the name under the signature block
    signer_title: str | None = None  # "Phó Chủ tịch"
    issuer_place: str | None = None  # the tỉnh, thành phố, xã, phường or đặc khu of the issuer

    def as_contract(self) -> dict:
        """The JSON object of ``lantoa import-plan --dry-run --json``."""
        return {
            "number": self.number,
            "date": self.date,
            "issuer": self.issuer,
            "title": self.title,
            "references": self.references,
            "targets": [
                {
                    "year": t.year,
                    "value": _plain_number(t.value),
                    "unit": t.unit,
                    "comparator": t.comparator,
                    "text": t.text,
                }
                for t in self.targets
            ],
            "tasks": [
                {
                    "group": t.group,
                    "text": t.text,
                    "timing": t.timing,
                    "due_year": t.due_year,
                    "due_text": t.due_text,
                    "due_date": t.due_date,
                    "lead": t.lead,
                    "support": t.support,
                    "output": t.output,
                }
                for t in self.tasks
            ],
            "units": [u.name for u in self.units],
            "report_deadlines": self.report_deadlines,
            "signer": self.signer,
            "signer_title": self.signer_title,
            "issuer_place": self.issuer_place,
        }

    def as_dict(self) -> dict:
        return asdict(self)


def _plain_number(value: float | None):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


# --- document numbers and header ------------------------------------------------------------
# References: references.py (kept as written, OCR repaired only into a reference the document or
# the cascade holds); number, date, issuer, title, signer: header.py and issuer.py.


# --- targets -------------------------------------------------------------------------------

_PERCENT = re.compile(r"(\d{1,3}(?:[.,]\d{1,2})?)\s*%")
_AT_LEAST = r"(?:\b[fi1l]t\s+nh\w{0,2}t|\btoi\s+thieu|\btren|\bkhong\s+duoi|\bhon)"
# Upper bounds ("dưới 5%", "không quá 10%", "tối đa 3"): Comparator has no "at most", so such a
# target keeps no comparator and a low confidence, for the reviewer to see.
# Below review.LOW_CONFIDENCE (0.75), so the review screen flags an upper bound.
UPPER_BOUND_CONFIDENCE = 0.6
_AT_MOST = r"(?:\bduoi|\bkhong\s+(?:vuot\s+)?qua|\btoi\s+da|\bthap\s+hon)"
_COUNT_NOUNS = (
    r"chuong\s+trinh|luot|lop|khoa|bai|tin|san\s+pham|nguoi|can\s+bo|hoi\s+nghi|hoi\s+thao|"
    r"video|clip|don\s+vi|chuyen\s+muc|chuyen\s+de|chuyen\s+trang|cuoc|buoi|mo\s+hinh|"
    r"doanh\s+nghiep|tap\s+the|ca\s+nhan|an\s+pham|tai\s+lieu|phong\s+su|toa\s+dam|su\s+kien|"
    r"nhiem\s+vu|de\s+tai|diem|trang|kenh|nhom|doi|to|giai\s+thuong|lan|"
    r"so\s+ban\s+tin|ban\s+tin|so\s+bao|tap\s+san|lop\s+tap\s+huan|hoat\s+dong"
)
_COUNT = re.compile(
    rf"(?:(?P<least>{_AT_LEAST})\s+|\b(?:dat|cu|co|to\s+chuc|trien\s+khai(?:\s+duoc)?|xay\s+dung)\s+)?"
    rf"(?<![\d/.,-])(?P<n>\d{{1,4}})(?![\d/%.,]\d)\s+_?(?P<noun>{_COUNT_NOUNS})\b"
)
_NOISE = re.compile(
    r"ngay\s+\d{1,2}\s*(?:/\s*\d{1,2}\s*/\s*\d{4}|thang\s+\d{1,2}\s+n\w{1,3}m\s+\d{4})"
    r"|\d{1,5}\s*[-/]\s*[a-z]{1,6}\s*[-/]\s*[a-z]{1,8}"
    r"|\bs\w?\s+\d{1,5}\b"
)
_YEAR_HEADER = re.compile(
    rf"^(?:giai\s+doan\s+{YEAR}\s*[-–]\s*{YEAR}|(?:tu\s+)?n\w{{1,3}}m\s+{YEAR}(?:\s*[-–]\s*{YEAR}|\s+den\s+(?:het\s+)?n\w{{1,3}}m\s+{YEAR})?|den\s+(?:het\s+)?n\w{{1,3}}m\s+{YEAR})"
)


_YEAR_INLINE = re.compile(rf"\b(?:den|het|trong|tu)\s+(?:het\s+)?n\w{{1,3}}m\s+{YEAR}")


def _year_from_header(key: str) -> tuple[int | None, int]:
    m = _YEAR_HEADER.match(key.strip())
    if not m:
        return None, 0
    years = [int(g) for g in m.groups() if g]
    end = m.end() + (len(key) - len(key.lstrip()))
    # "Năm 2025 và các năm tiếp theo:", "Từ năm 2026 trở đi": still a heading.
    more = _YEAR_ONWARD.match(key, end)
    return max(years), more.end() if more else end


_YEAR_ONWARD = re.compile(
    r"\s*(?:va\s+cac\s+n\w{1,3}m\s+ti\w{1,3}p\s+theo|tro\s+di|tro\s+ve\s+sau)"
)
_ANY_YEAR = re.compile(r"(?<![\d/.-])" + YEAR + r"(?![\d/])")
# Longest heading that gives its year to the items under it ("Mục tiêu cụ thể đến năm 2030",
# "Đến năm 2027:"); tuned on tests/plans/devhead (scorer command in tests/test_importer_header.py).
HEADING_MAX_CHARS = 120


def heading_year(para: Paragraph) -> int | None:
    """The year a heading above targets gives them ("Mục tiêu cụ thể đến năm 2030" → 2030;
    "giai đoạn 2026 - 2030" → 2030), or None when ``para`` is not such a heading."""
    content = para.content
    if len(content) > HEADING_MAX_CHARS or para.marker in ("dash", "plus"):
        return None
    key = _mask_noise(match_key(content))
    if _value_of(key)[0] is not None:
        return None
    if not (re.search(r"n\w{1,3}m\s+20|giai\s+doan", key)):
        return None
    key = re.split(r"t\w{1,3}m\s+nh\w{1,3}n", key)[
        0
    ]  # "…, tầm nhìn đến năm 2045": not a target year
    years = [int(y) for y in _ANY_YEAR.findall(key)]
    return max(years) if years else None


def _mask_noise(key: str) -> str:
    return _NOISE.sub(lambda m: " " * len(m.group(0)), key)


def _value_of(part_key: str) -> tuple[float | None, str | None, str | None]:
    clean = _mask_noise(part_key)
    m = _PERCENT.search(clean)
    if m:
        value = float(m.group(1).replace(",", "."))
        if value <= 100:
            before = clean[max(0, m.start() - 25) : m.start()]
            if re.search(_AT_MOST + r"\s*$", before):
                return value, TargetUnit.PERCENT, None
            least = re.search(_AT_LEAST + r"\s*$", before)
            return value, TargetUnit.PERCENT, Comparator.AT_LEAST if least else Comparator.EQUAL
    m = _COUNT.search(clean)
    if m:
        if re.search(_AT_MOST + r"\s*$", clean[max(0, m.start("n") - 25) : m.start("n")]):
            return float(m.group("n")), TargetUnit.COUNT, None
        return (
            float(m.group("n")),
            TargetUnit.COUNT,
            Comparator.AT_LEAST if m.group("least") else Comparator.EQUAL,
        )
    return None, None, None


def _sentences(text: str) -> list[str]:
    """Split on sentence ends and semicolons."""
    return [part for part in re.split(r"(?<=[\.;])\s+(?=\S)", text) if part.strip()]


def extract_targets(
    section: list[Paragraph], default_year: int | None = None, numeric_only: bool = False
) -> list[Target]:
    targets: list[Target] = []
    year = default_year
    for para in section:
        content = para.content
        heading = heading_year(para)
        if heading is not None:
            year = heading  # a sub-heading: its year holds for the items under it
            continue
        if (
            re.match(r"(?:m\w{1,3}c\s+ti\w{1,3}u|ch\w\s+ti\w{1,3}u)\b", para.content_key)
            and len(content) < 60
        ):
            continue  # "Mục tiêu cụ thể", "Chỉ tiêu" without a year: a heading, not a target
        header_year, consumed = _year_from_header(match_key(content))
        item_year = None
        if header_year is not None:
            content = content[consumed:].lstrip(" :,.-–")
            if len(content.strip(" :.-")) < 8:
                year = header_year  # a year heading: it holds for the items under it
                continue
            item_year = header_year  # "Đến hết năm 2025, 100% ...": this item only
        found_numeric = False
        for part in _sentences(content):
            part_key = match_key(part)
            part_year, part_consumed = _year_from_header(part_key)
            if part_year is not None:
                part = part[part_consumed:].lstrip(" :,.-–")
                part_key = match_key(part)
            part_year = part_year or item_year
            if part_year is None:
                inline = _YEAR_INLINE.search(_mask_noise(part_key))
                part_year = int(inline.group(1)) if inline else None
            value, unit, comparator = _value_of(part_key)
            if value is None:
                continue
            found_numeric = True
            upper = comparator is None
            targets.append(
                Target(
                    year=part_year or year,
                    value=value,
                    unit=unit,
                    comparator=comparator,
                    text=part.strip(),
                    span=Span(para.start, para.end),
                    confidence=(1.0 if (part_year or year) else 0.5)
                    * (UPPER_BOUND_CONFIDENCE if upper else 1.0),
                )
            )
        if not found_numeric and len(content) > 20 and not numeric_only:
            targets.append(
                Target(
                    year=year,
                    value=None,
                    unit=None,
                    comparator=None,
                    text=content.strip(),
                    span=Span(para.start, para.end),
                    confidence=0.7,
                )
            )
    return targets


# --- tasks ---------------------------------------------------------------------------------

_TIMING_TAIL = re.compile(r"\(\s*[^()]{0,45}\)\s*[\.;]?\s*$")
_LEAD = re.compile(
    r"(?:(?:co\s+quan\s+|don\s+vi\s+)?chu\s+tri|(?:co\s+quan|don\s+vi)\s+thuc\s+hien)\s*:\s*"
    r"([^;]+?)(?=;|\.\s|\.$|phoi\s+hop|th\w{1,3}i\s+gian|$)"
)
_SUPPORT = re.compile(r"(?:co\s+quan\s+|don\s+vi\s+)?phoi\s+hop\s*:\s*([^;]+?)(?=;|\.\s|$)")
_OUTPUT = re.compile(r"(?:ket\s+qua|san\s+pham)(?:\s*/\s*san\s+pham)?\s*:\s*([^;]+?)(?=;|\.\s|$)")
# "Đơn vị thực hiện: ...", "Thời gian hoàn thành: ...": a line that says something about the
# task above it, never a task of its own.
_FIELD_LINE = re.compile(
    r"^\s*(?:(?:co\s+quan|don\s+vi)\s+(?:chu\s+tri|phoi\s+hop|thuc\s+hien)|chu\s+tri|phoi\s+hop|"
    r"th\w{1,3}i\s+gian(?:\s+\w+){0,2}|ti\w{1,3}n\s+\w{1,2}|th\w{1,3}i\s+h\w{1,2}n|"
    r"s\w{1,2}n\s+ph\w{1,2}m(?:\s+\w+){0,2}|k\w{1,2}t\s+qu\w{1,2}(?:\s+\w+){0,2})\s*:"
)
# The units that begin a unit's name: a list of units is cut before one of these, so that
# "Sở Văn hóa, Thể thao và Du lịch, Báo Cao Bằng" is two units, not four.
UNIT_HEADS = (
    "Sở", "Ban", "Báo", "Đài", "Phòng", "Văn phòng", "UBND", "HĐND", "Ủy ban", "Uỷ ban", "UBMTTQ",
    "MTTQ", "Mặt trận", "Trung tâm", "Trường", "Hội", "Đoàn", "Tỉnh Đoàn", "Thành Đoàn", "Công an",
    "Bộ", "Cục", "Chi cục", "Viện", "Học viện", "Hiệp hội", "Liên đoàn", "Liên minh", "Bưu điện",
    "Viettel", "VNPT", "Kho bạc", "Ngân hàng", "Đảng ủy", "Đảng uỷ", "Cơ quan", "Các", "Tổ", "Thôn",
    "Ấp", "Khu phố", "Bệnh viện", "Đại học", "Công ty", "Tập đoàn", "Quỹ", "Hợp tác xã", "Đảng bộ",
    "Chi bộ", "Vụ", "Bộ Chỉ huy", "Ban Chỉ huy", "Lực lượng", "Tòa án", "Viện kiểm sát",
    "Thư viện", "Bảo tàng", "Nhà văn hóa", "Nhà thiếu nhi", "Chi hội", "Hội đồng",
    "Phường", "Huyện", "Thị xã", "Thành phố", "Tỉnh ủy", "Thành ủy", "Huyện ủy", "Đảng ủy xã",
    "Ủy ban nhân dân", "Liên hiệp", "Câu lạc bộ", "Nhà xuất bản", "Tạp chí",
)  # fmt: skip


def _plain(text: str) -> str:
    """``text`` without diacritics, case kept, one character for one: "Sở Văn hóa" → "So Van
    hoa", so the unit words match in a scan that lost its diacritics too."""
    return "".join(
        "D" if c == "Đ" else "d" if c == "đ" else unicodedata.normalize("NFD", c)[0] for c in text
    )


# "S&", "Sé", "S6": "Sở" as scans read it.
_HEAD = (
    "(?:"
    + "|".join(sorted({re.escape(_plain(h)) for h in UNIT_HEADS}, key=len, reverse=True))
    + r"|S[&e6o0]"
    + r")(?![A-Za-z])"
)
_UNIT_SPLIT = re.compile(rf"\s*;\s*|\s*,\s*(?={_HEAD})|\s+va\s+(?={_HEAD})|\n")
_STARTS_WITH_UNIT_PLAIN = re.compile(
    rf"^(?:(?:Giao|Giao cho|De nghi|Yeu cau)\s+)?({_HEAD})", re.IGNORECASE
)


class _StartsWithUnit:
    """``match`` on the text without diacritics; group 1 is the unit word's span."""

    @staticmethod
    def match(text: str):
        return _STARTS_WITH_UNIT_PLAIN.match(_plain(text))


_STARTS_WITH_UNIT = _StartsWithUnit()
_INLINE_LEAD = re.compile(r"\s(?:la\s+co\s+quan\s+)?chu\s+tri\b")
_INLINE_SUPPORT = re.compile(
    r"\bph\w{1,2}i\s+h\w{1,2}p\s+(?:ch\w{1,2}t\s+ch\w{1,2}\s+)?(?:v\w{1,2}i\s+)?"
)
_SUPPORT_END = re.compile(
    r"\s(?:thuc\s+hien|trien\s+khai|to\s+chuc|xay\s+dung|tham\s+muu|trong\s+viec|nham|de)\b"
    r"|\s*[:;]|\.\s|\.?\s*$"
)


def timing_of(text: str) -> tuple[str | None, int | None]:
    """The task's timing from its explicit marker; the last marker in the text wins."""
    due = task_due(text)
    return due.as_tuple() if due else (None, None)


def _slice(text: str, key_match: re.Match) -> str:
    return text[key_match.start(1) : key_match.end(1)].strip(" ,.")


def split_units(value: str) -> list[str]:
    """Unit names in a list written with commas, semicolons or "và", cut only before a word
    that begins a unit's name (so a name with a comma in it stays whole)."""
    names, last = [], 0
    pieces = []
    for m in _UNIT_SPLIT.finditer(_plain(value)):
        pieces.append(value[last : m.start()])
        last = m.end()
    pieces.append(value[last:])
    for name in pieces:
        name = re.sub(r"^(?:và|với|cùng|va|voi|cung)\s+", "", name.strip(" .,:;-–"))
        if name:
            names.append(name)
    return names


_names = split_units


# "(Phòng Văn hóa - Xã hội chủ trì, phối hợp với ...; hoàn thành Quý IV/2025)" after a task.
_BRACKET_LEAD = re.compile(r"\(\s*([^()]{3,160}?)\s+chu\s+tri\b")
# "2. Trung tâm dịch vụ tổng hợp: phát bản tin ...": a unit, then its duty.
_UNIT_DUTY = re.compile(r"^([^:;.()]{3,100}):\s*\S")
# "1. Sở Khoa học và Công nghệ:" heading the bullets it is given.
_UNIT_ONLY = re.compile(r"^[^:.;]{3,120}:$")


def units_in(text: str) -> tuple[list[str], list[str]]:
    """(lead, partners) of a sentence that assigns work: "Sở X chủ trì, phối hợp với Sở Y, Báo Z
    thực hiện ...". The lead is taken only when the words before "chủ trì" begin with a unit."""
    key = match_key(text)
    lead: list[str] = []
    m = _INLINE_LEAD.search(key)
    if m and m.start() <= 160:
        before = text[: m.start()].strip(" ,;:")
        head = _STARTS_WITH_UNIT.match(before)
        if head:
            lead = split_units(before[head.start(1) :])
    if not lead:
        bracket = _BRACKET_LEAD.search(key)
        if bracket and _STARTS_WITH_UNIT.match(text[bracket.start(1) :]):
            lead = split_units(text[bracket.start(1) : bracket.end(1)])
            m = bracket
    if (
        not lead
        and _UNIT_ONLY.match(text.strip())
        and _STARTS_WITH_UNIT.match(text.strip())
        and not _TASK_VERBS.search(match_key(text))
    ):
        lead = split_units(text.strip().rstrip(":"))
    duty = _UNIT_DUTY.match(text.strip())
    if (
        not lead
        and duty
        and _STARTS_WITH_UNIT.match(duty.group(1))
        and not _TASK_VERBS.search(match_key(duty.group(1)))
    ):
        lead = split_units(duty.group(1))
    support: list[str] = []
    s = _INLINE_SUPPORT.search(key, m.end() if m else 0)
    if s and (lead or _STARTS_WITH_UNIT.match(text)):
        end = _SUPPORT_END.search(key, s.end())
        support = split_units(text[s.end() : end.start() if end else len(text)])
        support = [n for n in support if _STARTS_WITH_UNIT.match(n)]
    return lead, support


def _task(group: str, title: str, paras: list[Paragraph], given: dict | None = None) -> Task:
    text = " ".join(p.content if i == 0 else p.text for i, p in enumerate(paras)).strip()
    due = task_due(text)
    key = match_key(text)
    lead = [n for m in _LEAD.finditer(key) for n in split_units(_slice(text, m))]
    support = [n for m in _SUPPORT.finditer(key) for n in split_units(_slice(text, m))]
    if not lead:
        lead, inline_support = units_in(paras[0].content)
        support = support or inline_support
    output = next((_slice(text, m) for m in _OUTPUT.finditer(key)), None)
    given = given or {}
    if not lead and given.get("lead"):
        lead, support = list(given["lead"]), support or list(given.get("support") or [])
    if due is None and given.get("due") is not None:
        due = given["due"]
    display = text
    tail = _TIMING_TAIL.search(display)
    if tail and task_due(tail.group(0)):
        display = display[: tail.start()].rstrip(" .;")
    return Task(
        group=group,
        group_title=title,
        text=display,
        timing=due.timing if due else None,
        due_year=due.year if due else None,
        lead=lead,
        support=support,
        output=output,
        span=Span(paras[0].start, paras[-1].end),
        confidence=1.0 if len(display) >= 40 else 0.5,
        due_text=due.text if due else None,
        due_date=due.date if due else None,
    )


# Nesting of list markers, shallow to deep: a marker kind not met yet in the current branch is
# a child of the paragraph above when it is deeper (or that paragraph ends with ":").
_LEVELS = {"roman": -2, "number": -1, "multi": 0, "letter": 1, "dash": 2, "plus": 3, "none": 4}
# A paragraph ending with ":" hands its items down as tasks when it says so ("... thực hiện
# các nhiệm vụ sau:", "... gồm:", "Sở X chủ trì, phối hợp với ...:"), or when most items under it
# are task-length. Tuned on tests/plans/dev (scorer tasks 0.22 → see tests/test_importer_dev.py)
# and the numbered-tasks fixture, whose "...:" heads two short noun phrases that stay details.
_LEADIN_WORDS = re.compile(
    r"(?:nhiem\s+vu|noi\s+dung|hoat\s+dong|viec)\s+(?:cu\s+the\s+|trong\s+tam\s+)?(?:sau|nhu\s+sau)"
    r"|\b(?:sau|gom|nhu\s+sau|thuc\s+hien|trien\s+khai)\s*:\s*$|\bchu\s+tri\b|\bgiao\b"
)
TASK_ITEM_MIN_CHARS = 50
# A sub-heading is short: the longest in the dev plans and seeds is about 90 characters.
SUBHEADING_MAX_CHARS = 120


@dataclass
class _Node:
    para: Paragraph
    children: list[_Node] = field(default_factory=list)

    def flat(self) -> list[Paragraph]:
        out = [self.para]
        for child in self.children:
            out.extend(child.flat())
        return out


def _is_field(para: Paragraph) -> bool:
    return para.marker == "none" and bool(_FIELD_LINE.match(para.content_key))


_LEADS_ON = re.compile(
    r"(?:nhiem\s+vu|noi\s+dung|hoat\s+dong|viec)\s+(?:cu\s+the\s+|trong\s+tam\s+)?(?:sau|nhu\s+sau|sau\s+day)\s*\.?$"
)


def _ends_with_colon(para: Paragraph) -> bool:
    """A paragraph that opens a list: it ends with ":", or with "... các nhiệm vụ sau" whose
    colon the scan lost."""
    content = para.content.rstrip(" _")
    return content.endswith(":") or bool(_LEADS_ON.search(match_key(content)))


def _tree(paras: list[Paragraph]) -> list[_Node]:
    roots: list[_Node] = []
    stack: list[tuple[str, _Node]] = []
    for para in paras:
        node = _Node(para)
        if _is_field(para) and stack:
            stack[-1][1].children.append(node)
            continue
        kind = para.marker
        same = next((i for i, (k, _) in enumerate(stack) if k == kind), None)
        if same is not None:
            del stack[same:]
        else:
            while stack and not (
                _LEVELS.get(kind, 4) > _LEVELS.get(stack[-1][0], 4)
                or _ends_with_colon(stack[-1][1].para)
            ):
                stack.pop()
        (stack[-1][1].children if stack else roots).append(node)
        stack.append((kind, node))
    return roots


def is_lead_in(para: Paragraph, items: list[Paragraph]) -> bool:
    """A paragraph that introduces tasks rather than being one."""
    items = [p for p in items if not _is_field(p)]
    if not items:
        return False
    if not _ends_with_colon(para):
        # A sub-heading ("1.1. Truyền thông trên báo chí", "a) Trên nền tảng số") over items
        # that read as tasks: the items are the tasks.
        return (
            len(items) >= 2
            and len(para.content) <= SUBHEADING_MAX_CHARS
            and not re.search(r"[\.;!?\)]\s*$", para.content)
            and task_due(para.content) is None
            and sum(map(is_task_like, items)) * 2 > len(items)
            and all(len(p.content) > len(para.content) for p in items[:2])
        )
    if _LEADIN_WORDS.search(para.content_key):
        return True
    return sum(len(p.content) >= TASK_ITEM_MIN_CHARS for p in items) * 2 > len(items)


def _tasks_of(node: _Node, group: str, title: str, given: dict | None) -> list[Task]:
    children = [child.para for child in node.children]
    if is_lead_in(node.para, children):
        lead, support = units_in(node.para.content)
        handed = dict(given or {})
        if lead:
            handed.update(lead=lead, support=support)
        own = task_due(node.para.content)
        if own is not None:
            handed["due"] = own
        tasks: list[Task] = []
        for child in node.children:
            if not _is_field(child.para):
                tasks.extend(_tasks_of(child, group, title, handed))
        return tasks
    paras = node.flat()
    if len(" ".join(p.text for p in paras)) <= 15:
        return []
    return [_task(group, title, paras, given)]


def extract_tasks(section: list[Paragraph]) -> list[Task]:
    """Tasks grouped as in the document. Numbered headings are groups when most of them have
    items under them; when most stand alone, each numbered item is a task and whatever follows
    it is its detail. "1." above "1.1." makes the "1.1." items the tasks. Under a group, the
    paragraphs nest by their markers; an item is a task with everything under it, unless it is
    a lead-in ("a) Sở X chủ trì, phối hợp với Sở Y thực hiện các nhiệm vụ sau:"), whose items
    are then the tasks, each with the lead-in's lead and partner units."""
    heads = ("number",) if any(p.marker == "number" for p in section) else ("multi",)
    numbered = [i for i, p in enumerate(section) if p.marker in heads]
    with_children = sum(
        1
        for i in numbered
        if i + 1 < len(section) and section[i + 1].marker not in (*heads, "roman")
    )
    group_mode = bool(numbered) and with_children * 2 >= len(numbered)
    tasks: list[Task] = []
    group, title = "", ""
    given: dict | None = None
    block: list[Paragraph] = []

    def flush():
        nonlocal block
        for node in _tree(block):
            tasks.extend(_tasks_of(node, group, title, given))
        block = []

    for index, para in enumerate(section):
        following = section[index + 1] if index + 1 < len(section) else None
        if para.marker in heads:
            flush()
            has_children = following is not None and following.marker not in (*heads, "roman")
            if group_mode and has_children:
                group, title = para.label, para.content
                lead, support = units_in(para.content)
                given = {"lead": lead, "support": support} if lead else None
                continue
            if not group_mode:
                group, title = "", ""
            given = None  # a numbered task of its own: its own units only
        block.append(para)
    flush()
    return tasks


# --- responsible units, report schedule ----------------------------------------------------

_DAY_MONTH = (
    r"(\d{1,2})\s*(?:/|-|th\w{1,3}ng)\s*(\d{1,2})(?:\s*/\s*\d{4}|\s+n\w{1,3}m\s+\d{4})?(?![\d/])"
)
_REPORT_DEADLINE = re.compile(
    r"(?:tru\w{0,3}c?|ch\w{1,3}m\s+nh\w{1,3}t(?:\s+l\w{1,2})?(?:\s+v\w{1,2}o)?|"
    r"kh\w{1,3}ng\s+mu\w{1,3}n\s+h\w{1,2}n)\s+(?:ng\w{0,2}y\s+)?" + _DAY_MONTH
)
# "trước ngày 01/6 và 15/11", "trước ngày 15/6, 15/12": the dates that follow the first.
_AND_DAY_MONTH = re.compile(r"\s*(?:,|;|va|hoac)\s*(?:ng\w{0,2}y\s+)?" + _DAY_MONTH)


_DUTY_VERB = re.compile(
    r",?\s(?:chu\s+tri|phoi\s+hop|co\s+trach\s+nhiem|la\s+co\s+quan|tham\s+muu|huong\s+dan|theo\s+doi|"
    r"can\s+cu|xay\s+dung|trien\s+khai|thuc\s+hien|chi\s+dao|phu\s+trach|to\s+chuc|bao\s+cao|giup)\b"
)


def _unit_marker(section: list[Paragraph]) -> str:
    """The list level that names the units: the one whose items most often begin with a unit's
    name ("1. Sở …", or "a) Sở …" under "1. Trách nhiệm của các cơ quan"); numbers on a tie."""
    counts: dict[str, int] = {}
    for para in section:
        if para.marker in ("number", "multi", "letter", "dash", "plus"):
            named = bool(_UNIT_HEADS.match(para.content_key.strip()))
            counts[para.marker] = counts.get(para.marker, 0) + named
    if not counts or counts.get("number", 0) >= max(counts.values()):
        return "number"
    return max(counts, key=lambda kind: (counts[kind], kind == "letter"))


def extract_units(section: list[Paragraph]) -> list[ResponsibleUnit]:
    units: list[ResponsibleUnit] = []
    level = _unit_marker(section)
    ranks = {"roman": 0, "number": 1, "multi": 2, "letter": 3, "dash": 4, "plus": 5}
    attach = True
    for para in section:
        if para.marker != level:
            if ranks.get(para.marker, 9) < ranks[level]:
                attach = False  # "2. Chế độ báo cáo" above "a) Sở …": not the unit's duty
            elif units and attach:
                units[-1].duties.append(para.content)
            continue
        attach = True
        content = para.content
        content_key = match_key(content)
        cut = [
            m.start()
            for m in re.finditer(r":|\.\s|\s[-–]\s(?=[a-zđ])(?!xã hội)", content)
            if m.start() >= 4
        ]
        cut += [m.start() for m in _DUTY_VERB.finditer(content_key) if m.start() >= 6]
        cut.sort()
        head = content[: cut[0]] if cut else content
        key = match_key(head)
        pieces, last = [], 0
        for m in re.finditer(r";|,?\s*\bde\s+nghi\b", key):
            pieces.append(head[last : m.start()])
            last = m.end()
        pieces.append(head[last:])
        for name in [n for piece in pieces for n in _split_units(piece)]:
            name = re.sub(r"^[Ss]\S{0,2}\s*:\s*", "Sở ", name.strip(" .;:,"))
            if 3 <= len(name) <= 120:
                units.append(ResponsibleUnit(name=name, duties=[], span=Span(para.start, para.end)))
        rest = para.content[len(head) :].lstrip(":")
        if rest.strip() and units:
            units[-1].duties.append(rest.strip())
    return units


# A unit's name starts with one of these ("Sở Khoa học và Công nghệ, Sở Nội vụ" names two units;
# "Sở Văn hóa, Thể thao và Du lịch" one).
_UNIT_HEADS = re.compile(
    r"(?:s\w|phong|ban|van\s+phong|trung\s+tam|uy\s+ban|ubnd|ubmttq|doan|hoi|bao|dai|truong|"
    r"cong\s+an|bo\s+chi\s+huy|chi\s+cuc|cuc|tinh\s+doan|dang\s+uy|cac|to(?!\s+chuc)|lien\s+doi|"
    r"chi\s+doan|chi\s+bo)\b"
)


def _split_units(name: str) -> list[str]:
    """ "Sở Khoa học và Công nghệ, Sở Nội vụ" → two names; a collective list ("Các sở, ban,
    ngành, UBND các xã") and a name with commas inside stay whole."""
    key = match_key(name)
    if not _UNIT_HEADS.match(key.strip()) or key.strip().startswith("cac "):
        return [name]
    names, last = [], 0
    for m in re.finditer(r",\s*", name):
        rest = name[m.end() :]
        if rest[:1].isupper() and _UNIT_HEADS.match(key[m.end() :]):
            names.append(name[last : m.start()])
            last = m.end()
    names.append(name[last:])
    return names


_SENTENCE_REACH = 2000


def extract_report_deadlines(text: str) -> list[dict]:
    key = match_key(text)
    deadlines: list[dict] = []
    for m in _REPORT_DEADLINE.finditer(key):
        # The sentence around the deadline, looked for within a bounded window (searching the
        # whole text for each deadline made a long text quadratic).
        window_start = max(0, m.start() - 300)
        sentence_start = max(window_start, key.rfind(".", window_start, m.start()))
        sentence_end = key.find(". ", m.end(), m.end() + _SENTENCE_REACH)
        sentence = key[sentence_start : sentence_end if sentence_end > 0 else m.end() + 300]
        if not re.search(r"b\w{0,2}o\s+c\w{0,2}o", sentence):
            continue
        dates = [(int(m.group(1)), int(m.group(2)))]
        end = m.end()
        while more := _AND_DAY_MONTH.match(key, end):
            dates.append((int(more.group(1)), int(more.group(2))))
            end = more.end()
        for day, month in dates:
            if (
                1 <= day <= 31
                and 1 <= month <= 12
                and {"day": day, "month": month} not in deadlines
            ):
                deadlines.append({"day": day, "month": month})
    return deadlines


# --- sections ------------------------------------------------------------------------------

# Section headings as a reader names them; compared on letters and digits only, so OCR junk
# between letters ("THU'C") does not hide a heading.
SECTION_PHRASES = [
    ("targets", ["muc tieu cu the", "chi tieu cu the", "cac chi tieu", "chi tieu"]),
    ("objectives", ["muc tieu"]),
    ("requirements", ["yeu cau"]),
    ("purpose", ["muc dich"]),
    ("tasks", ["nhiem vu va giai phap", "nhiem vu giai phap", "nhiem vu trong tam", "nhiem vu cu the",
               "cac nhiem vu", "noi dung nhiem vu", "noi dung thuc hien", "nhiem vu", "giai phap"]),
    ("funding", ["kinh phi"]),
    ("implementation", ["to chuc thuc hien", "trach nhiem thuc hien", "phan cong nhiem vu"]),
    ("appendix", ["phu luc"]),
]  # fmt: skip


def _collapsed(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", match_key(text))


_SECTION_KEYS = [
    (name, [(phrase, _collapsed(phrase)) for phrase in phrases])
    for name, phrases in SECTION_PHRASES
]


def section_of(para: Paragraph) -> str | None:
    if not (para.marker in ("roman", "number", "multi", "none") and len(para.content) <= 120):
        return None
    if para.marker in ("number", "multi", "none") and re.search(r"[\.;]\s*$", para.content):
        return None
    collapsed = _collapsed(para.content)
    # "Phụ lục", "Phụ lục I": an appendix heading is often not in capitals.
    if (
        para.marker == "none"
        and uppercase_share(para.content[:30]) < 0.8
        and not (collapsed.startswith("phuluc") and len(para.content) <= 120)
    ):
        return None
    for name, phrases in _SECTION_KEYS:
        for phrase, phrase_key in phrases:
            if collapsed.startswith(phrase_key):
                if (
                    name == "tasks"
                    and phrase == "nhiem vu"
                    and para.marker == "number"
                    and len(collapsed) > 30
                ):
                    return None
                return name
    return None


_RECIPIENTS = re.compile(r"\s*noi\s+nhan\s*:?\s*$")


def split_sections(paras: list[Paragraph]) -> dict[str, list[Paragraph]]:
    sections: dict[str, list[Paragraph]] = {"head": []}
    current = "head"
    for para in paras:
        if _RECIPIENTS.match(para.content_key):
            # "Nơi nhận:" opens the closing block (NĐ 30/2020): its list is recipients, never
            # tasks, whatever section came before.
            current = "closing"
            sections.setdefault(current, [])
            continue
        name = section_of(para)
        if name is not None and (
            para.marker == "roman" or name not in sections or name in ("targets",)
        ):
            current = name if name not in sections else f"{name}+"
            sections.setdefault(current, [])
            continue
        if para.marker == "roman" and current != "head":
            # Each section of an unknown heading on its own ("other", "other2", ...): the task
            # list may be one of them ("NỘI DUNG, HÌNH THỨC TUYÊN TRUYỀN"), found by content.
            others = sum(1 for n in sections if n.startswith("other"))
            current = "other" if not others else f"other{others + 1}"
            sections[current] = []
            continue
        sections[current].append(para)
    return sections


# --- the whole document ----------------------------------------------------------------------


def extract_plan(text: str) -> ExtractedPlan:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paras = paragraphs(text)
    plan = ExtractedPlan()
    sections = split_sections(paras)
    head = sections.get("head", [])
    header = read_header(text)
    plan.number, plan.date, plan.title = header.number, header.date, header.title
    plan.signer, plan.signer_title = header.signer, header.signer_title
    plan.issuer, plan.issuer_place = header.issuer, header.issuer_place
    if plan.issuer is None:
        title_at = next((i for i, p in enumerate(head) if _is_plan_word(p)), min(len(head), 6))
        letterhead = "\n".join(p.text for p in head[:title_at])
        plan.issuer = find_issuer(letterhead, "\n".join(p.text for p in paras[:40]))
        plan.issuer_place = place_of(plan.issuer)

    # The plan's own number is not one of its bases, however OCR spelled it.
    own = {reference_key(plan.number)} if plan.number else set()
    plan.references = [r for r in find_references(text) if reference_key(r) not in own]

    plan.targets = _plan_targets(paras, sections)
    plan.tasks = extract_tasks(task_section(sections))
    table_tasks = _table_tasks(text, sections)
    if len(table_tasks) >= 3:
        # A plan that lists its tasks in a table: the table is the task list, the body's
        # section only describes them.
        plan.tasks = table_tasks
    plan.units = extract_units(sections.get("implementation") or _implementation_by_words(paras))
    plan.report_deadlines = extract_report_deadlines(text)
    return plan


_TASK_VERBS = re.compile(
    r"(?:xay\s+dung|to\s+chuc|trien\s+khai|duy\s+tri|tuyen\s+truyen|phat\s+hanh|day\s+manh|"
    r"tang\s+cuong|bien\s+soan|bien\s+tap|san\s+xuat|cu|huong\s+dan|long\s+ghep|thiet\s+lap|"
    r"thuc\s+hien|phoi\s+hop|nang\s+cao|treo|lap\s+dat|cap\s+nhat|mo|ung\s+dung|dua|"
    r"khuyen\s+khich|bieu\s+duong|dinh\s+ky|chu\s+dong|quan\s+triet|pho\s+bien|thanh\s+lap|"
    r"huy\s+dong|tong\s+ket|danh\s+gia|kiem\s+tra|ra\s+soat|hoan\s+thien|ban\s+hanh|"
    r"phat\s+trien|cung\s+cap|dao\s+tao|boi\s+duong|tap\s+huan|tham\s+gia|xuat\s+ban|"
    r"gioi\s+thieu|lua\s+chon|nghien\s+cuu|tham\s+muu|theo\s+doi|chi\s+dao|su\s+dung|"
    r"khai\s+thac|van\s+hanh|mo\s+rong|phat\s+song|dang\s+tai|ho\s+tro|tiep\s+tuc)\b"
)
# A section is taken as the task list, whatever its heading, when it holds at least this many
# task-like paragraphs (an imperative verb, a unit assigned, or a timing). Tuned on
# tests/plans/dev: the phường plan's "NỘI DUNG, HÌNH THỨC" has 6, prose sections 0-1.
TASK_SECTION_MIN_ITEMS = 2
_NOT_TASKS = ("head", "targets", "objectives", "requirements", "purpose", "funding",
              "implementation", "appendix", "closing")  # fmt: skip


def is_task_like(para: Paragraph) -> bool:
    if para.marker == "roman" or _is_field(para) or len(para.content) < 20:
        return False
    if _TASK_VERBS.match(para.content_key.strip()):
        return True
    return bool(units_in(para.content)[0]) or task_due(para.content) is not None


def _lead_in_blocks(paras: list[Paragraph]) -> list[list[Paragraph]]:
    """Runs of list items under a lead-in ("... thực hiện các nhiệm vụ trọng tâm sau:"), where
    no heading says where the tasks are (a plan copied from a news page)."""
    blocks = []
    for index, para in enumerate(paras):
        if not _ends_with_colon(para) or para.marker == "roman":
            continue
        items = []
        for item in paras[index + 1 :]:
            if item.marker in ("none", "roman") and not _is_field(item):
                break
            items.append(item)
        if items and is_lead_in(para, items):
            blocks.append([para, *items])
    return blocks


def task_section(sections: dict[str, list[Paragraph]]) -> list[Paragraph]:
    """The paragraphs that hold the tasks: the section headed as tasks; else the section (or
    the lead-in's list) holding the most task-like paragraphs."""
    # "II. NHIỆM VỤ TRỌNG TÂM" and "III. GIẢI PHÁP THỰC HIỆN": both sections hold tasks.
    named = [p for name in ("tasks", "tasks+") for p in sections.get(name, [])]
    if sum(map(is_task_like, named)) >= TASK_SECTION_MIN_ITEMS:
        return named
    candidates = [paras for name, paras in sections.items() if name not in _NOT_TASKS]
    for name in ("head", "objectives", "purpose", "requirements"):
        candidates += _lead_in_blocks(sections.get(name, []))
    best = max(candidates, key=lambda paras: sum(map(is_task_like, paras)), default=[])
    if sum(map(is_task_like, best)) >= TASK_SECTION_MIN_ITEMS:
        return best
    if not named:
        # No section holds tasks: a short plan gives them as its units' duties.
        duties = sections.get("implementation") or []
        if sum(map(is_task_like, duties)) >= TASK_SECTION_MIN_ITEMS:
            return duties
    return named


def _plan_targets(paras: list[Paragraph], sections: dict[str, list[Paragraph]]) -> list[Target]:
    """Targets from the targets section, with the year of its heading; else the numeric items of
    the objectives; else the bullets under a "Mục tiêu cụ thể" line anywhere (a news page)."""
    index = {id(p): i for i, p in enumerate(paras)}

    def heading_of(section: list[Paragraph]) -> int | None:
        at = index.get(id(section[0])) if section else None
        return heading_year(paras[at - 1]) if at else None

    section = sections.get("targets") or []
    if section:
        return extract_targets(section, default_year=heading_of(section))
    objectives = sections.get("objectives") or []
    if objectives:
        return extract_targets(objectives, default_year=heading_of(objectives), numeric_only=True)
    for at, para in enumerate(paras):
        if re.match(
            r"m\w{1,3}c\s+ti\w{1,3}u\s+c\w\s+th\w|ch\w\s+ti\w{1,3}u\s+c\w\s+th\w", para.content_key
        ):
            under = [para]
            for follower in paras[at + 1 :]:
                if follower.marker in ("dash", "plus", "letter") or heading_year(follower):
                    under.append(follower)
                else:
                    break
            return extract_targets(under, numeric_only=True)
    return []


def _implementation_by_words(paras: list[Paragraph]) -> list[Paragraph]:
    """The numbered paragraphs under a "Tổ chức thực hiện" line that was not taken for a
    section heading (mixed case, unnumbered: a plan copied from a news page)."""
    for at, para in enumerate(paras):
        if re.fullmatch(r"\s*t\w\s+ch\w{1,3}c\s+th\w{1,3}c\s+hi\w{1,3}n\s*:?\s*", para.content_key):
            under = []
            for follower in paras[at + 1 :]:
                if follower.marker not in ("number", "dash", "plus", "letter"):
                    break
                under.append(follower)
            return under
    return []


def _table_tasks(text: str, sections: dict[str, list[Paragraph]]) -> list[Task]:
    # A table copied as tab-separated text reads as one written with "|".
    lines = [
        line.replace("\t", " | ") if line.count("\t") >= 2 else line for line in text.split("\n")
    ]
    rows = pipe_table_rows(lines)
    if rows is None:
        appendix = sections.get("appendix") or sections.get("appendix+")
        if not appendix:
            return _rows_as_tasks(text, line_table_rows(lines))
        start = appendix[0].start
        offset = text.count("\n", 0, start)
        rows = line_table_rows(lines[max(0, offset - 2) :]) or ocr_table_rows(lines[offset:])
    return _rows_as_tasks(text, rows)


def _rows_as_tasks(text: str, rows: list[dict]) -> list[Task]:
    tasks = []
    for row in rows:
        tasks.append(
            Task(
                group=row["group"],
                group_title=row["group_title"],
                text=row["text"],
                timing=row["timing"],
                due_year=row["due_year"],
                lead=row["lead"],
                support=row["support"],
                output=row["output"],
                span=_find_span(text, row["text"]),
                confidence=0.8 if row["lead"] or row["output"] else 0.6,
                due_text=row.get("due_text"),
                due_date=row.get("due_date"),
            )
        )
    return tasks


def _find_span(text: str, needle: str) -> Span:
    probe = needle[:40]
    at = text.find(probe)
    if at < 0:
        return Span(0, 0)
    return Span(at, at + len(needle))


def _is_plan_word(para: Paragraph) -> bool:
    return bool(re.fullmatch(r"\s*k\w{0,2}\s+ho\w{0,2}ch\s*", para.key))
