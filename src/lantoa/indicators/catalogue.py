"""The standard indicators of the national program and how a target's text is recognised as
measuring one. Recognition compares folded words: every group of a rule must be present (any
one of its alternatives), so "100% cán bộ, công chức ... được tuyên truyền" is the officials
informed indicator whatever the accents or OCR did to them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from rapidfuzz.distance import Levenshtein

from lantoa.plans.importer.layout import match_key


@dataclass(frozen=True)
class StandardIndicator:
    code: str
    name: str
    unit: str  # "%", "count", "yesno"
    rule: tuple[tuple[str, ...], ...]


# Most specific first: the first rule that matches wins.
STANDARD_INDICATORS = [
    StandardIndicator("units_with_plan", _("Units that issued their plan"), "%",
                      (("ban hanh ke hoach", "xay dung va ban hanh"), ("so ban nganh", "ubnd", "don vi", "xa phuong"))),
    StandardIndicator("staff_trained", _("Communication staff trained"), "%",
                      (("can bo",), ("cong tac truyen thong", "lam truyen thong", "thong tin co so"), ("dao tao", "boi duong"))),
    StandardIndicator("central_trainings", _("Central training sessions attended"), "count",
                      (("luot", "trung uong to chuc", "do trung uong"), ("dao tao", "boi duong"))),
    StandardIndicator("training_programs", _("Training programmes held"), "count",
                      (("chuong trinh dao tao", "chuong trinh boi duong", "dao tao boi duong"),)),
    StandardIndicator("st_tasks_communicated", _("State-funded S&T tasks communicated"), "%",
                      (("nhiem vu khoa hoc", "nhiem vu khcn"), ("ngan sach",))),
    StandardIndicator("citizens_reached", _("Citizens reached"), "%",
                      (("nguoi dan", "nhan dan"), ("tiep can", "duoc tiep can"))),
    StandardIndicator("press_sections", _("Press agencies with an NQ57 section"), "%",
                      (("co quan bao chi", "bao chi"), ("chuyen trang", "chuyen muc"))),
    StandardIndicator("directive_documents", _("Directive documents published"), "%",
                      (("van ban chi dao", "quan diem chi dao", "van ban"), ("dang tai", "cung cap", "kip thoi"))),
    StandardIndicator("website_section", _("NQ57 section on the government website"), "yesno",
                      (("chuyen muc",), ("trang thong tin", "cong thong tin", "trang tin"))),
    StandardIndicator("network_formed", _("Communication network formed"), "yesno",
                      (("mang luoi truyen thong", "mang luoi"),)),
    StandardIndicator("officials_informed", _("Officials informed of Resolution 57"), "%",
                      (("can bo", "cong chuc", "vien chuc", "lanh dao", "nguoi lao dong"), ("tuyen truyen", "pho bien", "quan triet"))),
]  # fmt: skip


def _has_phrase(words: list[str], phrase: str) -> bool:
    """Is ``phrase`` in ``words``, allowing one OCR slip (one edited letter) in a phrase of six
    letters or more ("ludi" for "lưới", "vy" for "vụ")?"""
    wanted = phrase.split()
    budget = 1 if len(phrase) >= 6 else 0
    for i in range(len(words) - len(wanted) + 1):
        spent = 0
        for j, w in enumerate(wanted):
            spent += Levenshtein.distance(words[i + j], w, score_cutoff=budget - spent + 1)
            if spent > budget:
                break
        else:
            return True
    return False


def recognise(text: str) -> str | None:
    """The code of the standard indicator a target's text measures, or None."""
    words = re.findall(r"[0-9a-z]+", match_key(text))
    for indicator in STANDARD_INDICATORS:
        if all(any(_has_phrase(words, alt) for alt in group) for group in indicator.rule):
            return indicator.code
    return None
