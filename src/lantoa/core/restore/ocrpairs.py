"""Real English-model OCR of clean Vietnamese text, to learn what the OCR does to it.

Clean paragraphs are rendered as page images with PIL (DejaVu and Liberation fonts, several
sizes), read back by ``tesseract -l eng --psm 4`` (the importer's page mode), and the OCR'd
words are aligned to the clean words. The pairs are written to a gzipped JSON-lines file that
the restorer's build reads (``lantoa build-restorer --make-ocr-pairs`` writes it again).
Needs Pillow and the tesseract binary, at build time only.
"""

import difflib
import gzip
import json
import random
import subprocess
import tempfile
from pathlib import Path

from lantoa.core.text import fold

from .corpus import paragraphs

FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
]
PAGE_WIDTH = 2480  # A4 at 300 dpi
MARGIN = 160
SIZES = [34, 38, 42, 46, 50]


def _wrap(draw, font, text, width):
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and draw.textlength(trial, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    if line:
        lines.append(line)
    return lines


def render_page(paras: list[str], font_path: str, size: int, out: Path) -> None:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(font_path, size)
    probe = ImageDraw.Draw(Image.new("L", (10, 10)))
    lines = []
    for p in paras:
        lines.extend(_wrap(probe, font, p, PAGE_WIDTH - 2 * MARGIN))
        lines.append("")
    step = int(size * 1.5)
    image = Image.new("L", (PAGE_WIDTH, 2 * MARGIN + step * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    y = MARGIN
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=0)
        y += step
    image.save(out)


def ocr(image: Path) -> str:
    result = subprocess.run(  # noqa: S603
        ["tesseract", str(image), "stdout", "-l", "eng", "--psm", "4"],  # noqa: S607
        capture_output=True,
        check=True,
        timeout=300,
    )
    return result.stdout.decode("utf-8", "replace")


def _key(token: str) -> str:
    return fold(token)


def align_tokens(clean: list[str], noisy: list[str]) -> list[tuple[int, int]]:
    """Pairs (i, j): clean token i read as noisy token j. Equal folded tokens anchor the
    alignment; between anchors, equal-length stretches pair one to one, others by similarity."""
    a, b = [_key(t) for t in clean], [_key(t) for t in noisy]
    pairs = []
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            pairs.extend(zip(range(i1, i2), range(j1, j2), strict=True))
        elif op == "replace":
            # a small DP: best monotone pairing by folded similarity
            n, m = i2 - i1, j2 - j1
            if n * m > 400:
                continue
            score = [[0.0] * (m + 1) for _ in range(n + 1)]
            back = [[None] * (m + 1) for _ in range(n + 1)]
            for i in range(1, n + 1):
                for j in range(1, m + 1):
                    sim = difflib.SequenceMatcher(None, a[i1 + i - 1], b[j1 + j - 1]).ratio()
                    options = [(score[i - 1][j], "u"), (score[i][j - 1], "l")]
                    if sim >= 0.5:
                        options.append((score[i - 1][j - 1] + sim, "d"))
                    score[i][j], back[i][j] = max(options)
            i, j = n, m
            while i > 0 and j > 0:
                move = back[i][j]
                if move == "d":
                    pairs.append((i1 + i - 1, j1 + j - 1))
                    i, j = i - 1, j - 1
                elif move == "u":
                    i -= 1
                else:
                    j -= 1
    return sorted(pairs)


def make_pairs(
    files: list[Path], pages: int, seed: int, out: Path, per_page: int = 9, first: int = 0
) -> None:
    """Render ``pages`` pages of paragraphs drawn from ``files`` and write, one JSON line per
    paragraph, {"ocr", "clean", "source", "font", "size", "tokens": [[clean, noisy], ...]}."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible choice of paragraphs
    pool = []
    for path in files:
        for p in paragraphs(path):
            if 40 <= len(p) <= 600 and not p.startswith("|"):
                pool.append((path.name, p))
    rng.shuffle(pool)
    rows, done = [], 0
    partial = open(f"{out}.partial", "w", encoding="utf-8")  # noqa: SIM115 - progress, read while running
    with tempfile.TemporaryDirectory(prefix="lantoa-restore-") as tmp:
        for page in range(first, pages):
            chunk = pool[page * per_page : (page + 1) * per_page]
            if not chunk:
                break
            font = FONTS[page % len(FONTS)]
            size = SIZES[page * 7 % len(SIZES)]
            image = Path(tmp) / f"p{page}.png"
            render_page([p for _, p in chunk], font, size, image)
            text = ocr(image)
            image.unlink()
            clean_tokens, owner = [], []
            for k, (_, p) in enumerate(chunk):
                for t in p.split():
                    clean_tokens.append(t)
                    owner.append(k)
            noisy_tokens = text.split()
            pairs = align_tokens(clean_tokens, noisy_tokens)
            by_para = {}
            for i, j in pairs:
                by_para.setdefault(owner[i], []).append((i, j))
            spans = {k: (v[0][1], v[-1][1]) for k, v in by_para.items()}
            keys = sorted(spans)
            for n, k in enumerate(keys):
                name, p = chunk[k]
                start = spans[keys[n - 1]][1] + 1 if n else 0
                end = spans[keys[n + 1]][0] if n + 1 < len(keys) else len(noisy_tokens)
                rows.append(
                    {
                        "ocr": " ".join(noisy_tokens[start:end]),
                        "clean": p,
                        "source": name,
                        "font": Path(font).stem,
                        "size": size,
                        "tokens": [[clean_tokens[i], noisy_tokens[j]] for i, j in by_para[k]],
                    }
                )
            for row in rows[done:]:
                partial.write(json.dumps(row, ensure_ascii=False) + "\n")
            partial.flush()
            done = len(rows)
            print(f"page {page + 1}/{pages}: {len(chunk)} paragraphs", flush=True)
    partial.close()
    Path(f"{out}.partial").unlink()
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
