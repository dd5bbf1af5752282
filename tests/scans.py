"""Scanned pages made at test time: known Vietnamese text drawn at 300 dpi (DejaVu Sans at
about 10 pt), speckled and turned a little as a scanner leaves it, in an image-only PDF. Used
by the OCR tests and by bench/ocr.py, which score what OCR reads against the known text."""

from __future__ import annotations

import io
import random
import textwrap

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DPI = 300
A4 = (2480, 3508)  # pixels at 300 dpi
LINE_HEIGHT = 68
MARGIN = 180


def page_lines(text: str, *, width_chars: int = 80, per_page: int = 46) -> list[list[str]]:
    """The text wrapped as on a printed plan, cut into pages."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(textwrap.wrap(paragraph, width_chars) or [""])
    return [lines[i : i + per_page] for i in range(0, len(lines), per_page)]


def scan_image(lines: list[str], *, seed: int = 7, height: int | None = None):
    """One page as a scanner gives it: 300 dpi greyscale, dark and grey specks, 0.4° skew."""
    from PIL import Image, ImageDraw, ImageFont

    size = (A4[0], height or A4[1])
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 42)
    for i, line in enumerate(lines):
        draw.text((MARGIN, MARGIN + i * LINE_HEIGHT), line, font=font, fill=0)
    rnd = random.Random(seed)
    pixels = image.load()
    for _ in range(size[0] * size[1] // 200):
        pixels[rnd.randrange(size[0]), rnd.randrange(size[1])] = rnd.choice((0, 90, 180))
    return image.rotate(0.4, fillcolor=255)


def scanned_pdf(pages: list[list[str]], *, height: int | None = None) -> bytes:
    """An image-only PDF of these pages, one scan image a page at 300 dpi."""
    images = [scan_image(lines, seed=7 + n, height=height) for n, lines in enumerate(pages)]
    out = io.BytesIO()
    images[0].save(out, format="PDF", resolution=DPI, save_all=True, append_images=images[1:])
    return out.getvalue()


def syllable_accuracy(expected: str, read: str) -> float:
    """1 − (syllable edit distance / syllables expected): 1.0 when every syllable is read."""
    from rapidfuzz.distance import Levenshtein

    truth = expected.split()
    return 1 - Levenshtein.distance(truth, read.split()) / max(1, len(truth))


def character_accuracy(expected: str, read: str) -> float:
    """The same over characters, spaces normalised."""
    from rapidfuzz.distance import Levenshtein

    truth = " ".join(expected.split())
    return 1 - Levenshtein.distance(truth, " ".join(read.split())) / max(1, len(truth))
