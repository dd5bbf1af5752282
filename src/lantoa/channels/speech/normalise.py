"""Vietnamese text made ready to be spoken by a voice that reads only words.

``speech_text(text)`` reads out what a speaker would: numbers ("1.200.000" → "một triệu hai
trăm nghìn", "3,5" → "ba phẩy năm", "70%" → "bảy mươi phần trăm"), dates ("18/5/2026" → "ngày
mười tám tháng năm năm hai nghìn không trăm hai mươi sáu"), times ("7h30", "07:30" → "bảy giờ
ba mươi phút"), ranges ("2025-2030" → "… đến …"), ordinals ("thứ 2" → "thứ hai"), document
numbers ("57-NQ/TW" → "số năm mươi bảy nghị quyết Trung ương"), the administration's
abbreviations (:data:`ABBREVIATIONS`: "UBND" → "Ủy ban nhân dân", "KH&CN" → "khoa học và công
nghệ", "NQ57" → "Nghị quyết năm mươi bảy"), web addresses and e-mail addresses (their host read
out, the path dropped). Whatever a Vietnamese voice cannot speak (emoji, symbols, other scripts,
control characters) is dropped. It never raises on any text.

Numbers are read by :func:`number_words` (written here: num2words' Vietnamese reads 2026 as
"hai nghìn lẻ hai mươi sáu" and 3,5 as "ba phẩy năm mươi"; vn-numberwords 0.2.0 reads 12,75 as
"mười hai phẩy bảy mươi năm"). The Northern, official reading: "linh" (105 = "một trăm linh
năm"), "không trăm" inside a number (2026), "mốt" / "lăm" after the tens.
"""

from __future__ import annotations

import re
import unicodedata

MAX_TEXT = 200_000

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ("", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ", "tỷ tỷ")

# The abbreviations of the administration and of NQ57, as they are read out. Matched as whole
# words, case-sensitively (``TW`` but not ``tw``); the longer first.
ABBREVIATIONS: dict[str, str] = {
    "KH&CN": "khoa học và công nghệ",
    "KHCN": "khoa học và công nghệ",
    "KH-CN": "khoa học và công nghệ",
    "ĐMST": "đổi mới sáng tạo",
    "CĐS": "chuyển đổi số",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "MTTQ": "Mặt trận Tổ quốc",
    "TW": "Trung ương",
    "TƯ": "Trung ương",
    "BCH": "Ban Chấp hành",
    "BCĐ": "Ban Chỉ đạo",
    "BKHCN": "Bộ Khoa học và Công nghệ",
    "ĐVHC": "đơn vị hành chính",
    "CNTT": "công nghệ thông tin",
    "THCS": "trung học cơ sở",
    "THPT": "trung học phổ thông",
    "HTX": "hợp tác xã",
    "CBCCVC": "cán bộ, công chức, viên chức",
    "CB": "cán bộ",
    "TTg": "Thủ tướng Chính phủ",
    "CP": "Chính phủ",
    "NQ": "nghị quyết",
    "NĐ": "nghị định",
    "QĐ": "quyết định",
    "CT": "chỉ thị",
    "KH": "kế hoạch",
    "TB": "thông báo",
    "VN": "Việt Nam",
    "TP.": "thành phố",
    "TP": "thành phố",
    "Tp.": "thành phố",
    "Tp": "thành phố",
    "TX.": "thị xã",
    "TX": "thị xã",
    "Đ/c": "đồng chí",
    "đ/c": "đồng chí",
    "TS.": "tiến sĩ",
    "ThS.": "thạc sĩ",
    "PGS.": "phó giáo sư",
    "GS.": "giáo sư",
    "v.v.": "vân vân",
    "v.v": "vân vân",
    "AI": "trí tuệ nhân tạo",
    "STT": "số thứ tự",
}

# The kinds of document in a document number ("57-NQ/TW", "127/QĐ-TTg") and who issued them.
DOCUMENT_KINDS: dict[str, str] = {
    "NQ": "nghị quyết",
    "NĐ": "nghị định",
    "QĐ": "quyết định",
    "CT": "chỉ thị",
    "KH": "kế hoạch",
    "TB": "thông báo",
    "TT": "thông tư",
    "CV": "công văn",
    "HD": "hướng dẫn",
    "BC": "báo cáo",
    "KL": "kết luận",
    "QC": "quy chế",
    "QĐi": "quy định",
}
ISSUERS: dict[str, str] = {
    "TW": "Trung ương",
    "TƯ": "Trung ương",
    "BCT": "của Bộ Chính trị",
    "TTg": "của Thủ tướng Chính phủ",
    "CP": "của Chính phủ",
    "UBND": "của Ủy ban nhân dân",
    "HĐND": "của Hội đồng nhân dân",
    "BKHCN": "của Bộ Khoa học và Công nghệ",
    "SKHCN": "của Sở Khoa học và Công nghệ",
    "BTTTT": "của Bộ Thông tin và Truyền thông",
    "VPCP": "của Văn phòng Chính phủ",
    "QH": "của Quốc hội",
}
UNITS: dict[str, str] = {
    "km": "ki lô mét",
    "ha": "héc ta",
    "kg": "ki lô gam",
    "đ": "đồng",
    "VNĐ": "đồng",
    "VND": "đồng",
    "tr": "triệu",
}
SPOKEN_MARKS = {"&": " và ", "+": " cộng ", "@": " a còng ", "/": " trên ", "=": " bằng "}
KEEP_PUNCTUATION = set(".,;:!?-()\"'…–—\n")


# -- numbers ------------------------------------------------------------------------------


def _three(n: int, *, leading: bool) -> list[str]:
    """0 < n < 1000 as words; ``leading`` (the number's first group) omits "không trăm"."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or not leading:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt" if tens > 1 else "một")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def number_words(n: int) -> str:
    """A whole number read in Vietnamese: 105 → "một trăm linh năm", 2026 → "hai nghìn không
    trăm hai mươi sáu", 1.000.000 → "một triệu". Beyond the scales, digit by digit."""
    if n < 0:
        return "âm " + number_words(-n)
    if n == 0:
        return DIGITS[0]
    groups = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    if len(groups) > len(SCALES):
        return digits_words("".join(str(g).zfill(3) for g in reversed(groups)).lstrip("0"))
    words: list[str] = []
    top = len(groups) - 1
    for index in range(top, -1, -1):
        group = groups[index]
        if not group:
            continue
        words += _three(group, leading=index == top)
        if SCALES[index]:
            words.append(SCALES[index])
    return " ".join(words)


def digits_words(digits: str) -> str:
    return " ".join(DIGITS[int(d)] for d in digits if d.isdigit())


def decimal_words(whole: str, fraction: str) -> str:
    """ "3", "5" → "ba phẩy năm"; "0", "05" → "không phẩy không năm"."""
    head = number_words(int(whole or "0"))
    zeros = len(fraction) - len(fraction.lstrip("0"))
    rest = fraction.lstrip("0")
    tail = digits_words(rest) if len(rest) > 3 else (number_words(int(rest)) if rest else "")
    spoken = " ".join([DIGITS[0]] * zeros + ([tail] if tail else []))
    return f"{head} phẩy {spoken}"


def _number_token(token: str) -> str:
    """A number as written in Vietnamese: dots between thousands, a comma before decimals."""
    token = token.strip()
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", token):
        return number_words(int(token.replace(".", "")))
    match = re.fullmatch(r"(\d{1,3}(?:\.\d{3})*|\d+)[,.](\d+)", token)
    if match:
        return decimal_words(match.group(1).replace(".", ""), match.group(2))
    if token.isdigit():
        if len(token) > 1 and token.startswith("0") and len(token) > 3:
            return digits_words(token)  # a code or a telephone number
        return number_words(int(token))
    return token


def ordinal_words(n: int) -> str:
    return {1: "nhất", 4: "tư"}.get(n, number_words(n))


def month_words(n: int) -> str:
    return {4: "tư", 1: "một"}.get(n, number_words(n))


# -- the passes -----------------------------------------------------------------------------

NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?|\d+\.\d+"
_W = r"[^\W_]"  # a letter or a digit (Unicode)


def _sub(pattern, repl, text, flags=0):
    return re.sub(pattern, repl, text, flags=flags)


def _urls(text: str) -> str:
    def email(m):
        return f" {_spell_host(m.group(1))} a còng {_spell_host(m.group(2))} "

    text = _sub(r"([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)", email, text)
    return _sub(
        r"(?:https?://(?:www\.)?|www\.)([\w-]+(?:\.[\w-]+)*)(?:[:/?#]\S*)?",
        lambda m: f" trang {_spell_host(m.group(1))} ",
        text,
        flags=re.IGNORECASE,
    )


def _spell_host(host: str) -> str:
    return " chấm ".join(part for part in re.split(r"[.]", host) if part).replace("-", " ")


def _documents(text: str) -> str:
    kinds = "|".join(sorted(map(re.escape, DOCUMENT_KINDS), key=len, reverse=True))
    issuers = "|".join(sorted(map(re.escape, ISSUERS), key=len, reverse=True))

    def read(m):
        number, kind, issuer = m.group(1), m.group(2), m.group(3)
        before = m.string[max(0, m.start() - 20) : m.start()].lower().rstrip()
        named = before.removesuffix("số").rstrip().endswith(DOCUMENT_KINDS[kind])
        words = [_number_token(number)] + ([] if named else [DOCUMENT_KINDS[kind]])
        if issuer:
            words.append(ISSUERS.get(issuer, issuer))
        return " " + " ".join(words) + " "

    # 57-NQ/TW, 127/QĐ-TTg, 06/CT-TTg, 1131/QĐ-UBND
    return _sub(rf"(?<!{_W})(\d+)\s*[-/]\s*({kinds})(?:\s*[-/]\s*({issuers}))?(?!{_W})", read, text)


def _dates(text: str) -> str:
    def full(m):
        day, month, year = int(m.group(2)), int(m.group(3)), m.group(4)
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return m.group(0)
        said = (m.group(1) or "ngày").strip()
        words = f"{said} {number_words(day)} tháng {month_words(month)}"
        if year:
            words += f" năm {number_words(int(year))}"
        return f" {words} "

    text = _sub(
        rf"(?<!{_W})(ngày\s+)?(\d{{1,2}})[/.-](\d{{1,2}})(?:[/.-](\d{{4}}))?(?![\d/])",
        lambda m: full(m) if (m.group(4) or m.group(1) or "/" in m.group(0)) else m.group(0),
        text,
        flags=re.IGNORECASE,
    )

    def month_year(m):
        month = int(m.group(2))
        if not 1 <= month <= 12:
            return m.group(0)
        return f" tháng {month_words(month)} năm {number_words(int(m.group(3)))} "

    return _sub(rf"(?<!{_W})(tháng\s+)?(\d{{1,2}})/(\d{{4}})(?!{_W})", month_year, text)


def _times(text: str) -> str:
    def read(m):
        hour, minute = int(m.group(1)), m.group(2)
        if hour > 24 or (minute and int(minute) > 59):
            return m.group(0)
        words = f"{number_words(hour)} giờ"
        if minute and int(minute):
            words += f" {number_words(int(minute))} phút"
        return f" {words} "

    text = _sub(rf"(?<!{_W})(\d{{1,2}}):(\d{{2}})(?::\d{{2}})?(?!{_W})", read, text)
    return _sub(rf"(?<!{_W})(\d{{1,2}})\s?[hg](\d{{2}})?(?:p|ph)?(?!{_W})", read, text)


def _percent(text: str) -> str:
    def read(m):
        first, second = m.group(1), m.group(2)
        if second:
            return f" {_number_token(first)} đến {_number_token(second)} phần trăm "
        return f" {_number_token(first)} phần trăm "

    return _sub(rf"({NUMBER})\s*(?:[-–]\s*({NUMBER})\s*)?%", read, text)


def _ordinals(text: str) -> str:
    return _sub(
        r"(?<!\w)(thứ|Thứ|THỨ)\s+(\d{1,3})(?!\w)",
        lambda m: f"{m.group(1)} {ordinal_words(int(m.group(2)))}",
        text,
    )


def _ranges(text: str) -> str:
    return _sub(
        rf"(?<![\w,.])({NUMBER})\s*[-–—]\s*({NUMBER})(?!\w|[,.]\d)",
        lambda m: f" {_number_token(m.group(1))} đến {_number_token(m.group(2))} ",
        text,
    )


def _abbreviated_numbers(text: str) -> str:
    # NQ57, NQ 57 → Nghị quyết năm mươi bảy
    return _sub(
        rf"(?<!{_W})NQ\s?(\d+)(?!{_W})",
        lambda m: f" Nghị quyết {number_words(int(m.group(1)))} ",
        text,
    )


def _abbreviations(text: str) -> str:
    keys = sorted(ABBREVIATIONS, key=len, reverse=True)
    pattern = "|".join(re.escape(k) for k in keys)
    return _sub(
        rf"(?<!{_W})({pattern})(?!{_W}|&)",
        lambda m: f" {ABBREVIATIONS[m.group(1)]} ",
        text,
    )


def _numbers(text: str) -> str:
    units = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))

    def read(m):
        spoken = _number_token(m.group(1))
        unit = m.group(2)
        return f" {spoken} {UNITS[unit]} " if unit else f" {spoken} "

    return _sub(rf"(?<![\w])({NUMBER})(?:\s?({units})(?!{_W}))?", read, text)


def _speakable(char: str) -> str:
    if char in KEEP_PUNCTUATION or char == " ":
        return char
    if char in SPOKEN_MARKS:
        return SPOKEN_MARKS[char]
    if char.isspace():
        return " "
    category = unicodedata.category(char)
    if category.startswith("L"):
        try:
            return char if "LATIN" in unicodedata.name(char) else " "
        except ValueError:
            return " "
    if category == "Nd":
        return char if char.isascii() else " "
    if category.startswith("M"):
        return char
    return " "


def speech_text(text: str) -> str:
    """``text`` as a Vietnamese voice should read it; paragraphs kept (one per line)."""
    text = unicodedata.normalize("NFC", str(text or "")[:MAX_TEXT])
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(
        ch if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn") else " "
        for ch in text
    )
    for step in (
        _urls,
        _documents,
        _dates,
        _times,
        _percent,
        _ordinals,
        _ranges,
        _abbreviated_numbers,
        _abbreviations,
        _numbers,
    ):
        text = step(text)
    text = unicodedata.normalize("NFC", "".join(_speakable(ch) for ch in text))
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"\s+([.,;:!?…])", r"\1", " ".join(line.split()))
        line = re.sub(r"([.,;:!?])\1+", r"\1", line)
        if re.search(rf"{_W}", line):
            lines.append(line)
    return "\n".join(lines)


def paragraphs(text: str, limit: int = 1500) -> list[str]:
    """The spoken text cut into paragraphs a voice reads in one go (at most ``limit``
    characters, split at a sentence end, else at a space)."""
    pieces: list[str] = []
    for line in speech_text(text).split("\n"):
        while len(line) > limit:
            cut = max(line.rfind(". ", 0, limit), line.rfind("; ", 0, limit))
            if cut <= 0:
                cut = line.rfind(" ", 0, limit)
            if cut <= 0:
                cut = limit
            pieces.append(line[: cut + 1].strip())
            line = line[cut + 1 :].strip()
        if line:
            pieces.append(line)
    return pieces
