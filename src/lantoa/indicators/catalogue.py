"""The standard indicators of the national program and how a target's text is recognised as
measuring one. Recognition compares folded words: every group of a rule must be present (any
one of its alternatives), so "100% cán bộ, công chức ... được tuyên truyền" is the officials
informed indicator whatever the accents or OCR did to them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from rapidfuzz.distance import Levenshtein

from lantoa.core.documents.layout import match_key

MEETING_KINDS = ("meeting", "training", "event")


@dataclass(frozen=True)
class Method:
    """How an indicator is computed, the one definition the live computation, the national
    roll-up and the dashboard all read:

    - ``count`` / ``sum``: activities of some kinds in the period, counted or summed over
      ``field``;
    - ``people``: distinct people of the units' people lists (of ``person_kinds``, every kind
      when empty) who attended an activity of those kinds, over the people on the lists; a unit
      that keeps no list counts its largest single attendance (``field``) over its stated
      ``fact``: a lower bound on the people reached, never attendances added up; a unit with a
      list counts the distinct people who signed in, or the largest ``field`` of its activities
      without a sign-in sheet when that is more;
    - ``largest``: the largest single ``field`` of the activities of those kinds in the period
      over a ``fact`` the unit states (citizens reached: the largest audience over the
      population). A lower bound on the people reached, never audiences added up: the same
      people are in the audience of several events;
    - ``ratio``: such a sum over a fact the units keep;
    - ``yesno``: a fact each unit states, rolled up as "n of m units";
    - ``plans``: share of the administrative units below with a plan in force;
    - ``typed``: only what units type with its source;
    - ``sttasks``: the share of the state-funded S&T tasks of the programme register running in
      the period (past the proposal) that are ``field`` ("registered" in the national S&T
      information system, or "communicated": a published content item or an event linked);
      tasks under state secret are out of both the numerator and the denominator;
    - ``platform``: what the social platforms report of the posts the unit's accounts sent from
      the outbox (``channels.Engagement``), ``field`` summed over the posts, each post counted
      at its latest reading in the period (platforms report running totals). Reach *on a
      platform* (impressions by accounts the platform counts), never distinct people.

    A figure a unit types (with its source) for a period inside the span asked replaces what is
    computed for that unit and every unit below it, for ``people``, ``largest``, ``ratio`` and
    ``typed`` (``typed_wins``). A share (``%``) counts only the units that have what it is out
    of: a unit without a denominator adds nothing to its numerator either."""

    kind: str  # count | sum | people | largest | ratio | yesno | plans | typed | platform | sttasks
    activity_kinds: tuple[str, ...] = ()
    field: str | None = None
    fact: str | None = None
    person_kinds: tuple[str, ...] = ()
    # "trainings": the trainings register (programme app) counts too. For ``people``: trainees
    # of its sessions in the period join the attendance, each person once; for ``count``: its
    # programmes with a session in the period, plus the activities that are no session's
    # activity (a session's recorded activity never counts a second time).
    register: str | None = None

    @property
    def display_unit(self) -> str:
        """How a value is shown: "count", "n_of_m" (units) or "%"."""
        if self.kind in ("count", "sum", "platform"):
            return "count"
        if self.kind in ("yesno", "plans"):
            return "n_of_m"
        return "%"

    @property
    def from_activities(self) -> bool:
        return self.kind in ("count", "sum", "people", "largest", "ratio")

    @property
    def typed_wins(self) -> bool:
        """May a unit's typed figure stand for its computed one? What only typing gives, and
        reach (people informed, trained, citizens reached) where a unit keeps no list: counts
        of activities are what the unit recorded, the yes/no facts and plans what it stated."""
        return self.kind in ("typed", "people", "largest", "ratio", "sttasks")


@dataclass(frozen=True)
class StandardIndicator:
    code: str
    name: str
    unit: str  # "%", "count", "yesno"
    rule: tuple[tuple[str, ...], ...]
    method: Method = Method("typed")

    @property
    def display_unit(self) -> str:
        if self.method.kind == "typed":
            return "count" if self.unit == "count" else "%"
        return self.method.display_unit


# Most specific first: the first rule that matches wins.
STANDARD_INDICATORS = [
    StandardIndicator("units_with_plan", _("Units that issued their plan"), "%",
                      (("ban hanh ke hoach", "xay dung va ban hanh"), ("so ban nganh", "ubnd", "don vi", "xa phuong")), Method("plans")),
    StandardIndicator("staff_trained", _("Communication staff trained"), "%",
                      (("can bo",), ("cong tac truyen thong", "lam truyen thong", "thong tin co so"), ("dao tao", "boi duong")), Method("people", ("training",), "staff_trained", "communication_staff_total", ("communication",), register="trainings")),
    StandardIndicator("central_trainings", _("Central training sessions attended"), "count",
                      (("luot", "trung uong to chuc", "do trung uong"), ("dao tao", "boi duong")), Method("typed")),
    StandardIndicator("training_programs", _("Training programmes held"), "count",
                      (("chuong trinh dao tao", "chuong trinh boi duong", "dao tao boi duong"),), Method("count", ("training",), register="trainings")),
    StandardIndicator("broadcast_minutes", _("Minutes broadcast on loudspeakers and radio"), "count",
                      (("truyen thanh", "loa", "phat thanh"), ("phut", "thoi luong")), Method("sum", ("broadcast",), "minutes")),
    StandardIndicator("st_tasks_communicated", _("State-funded S&T tasks communicated"), "%",
                      (("nhiem vu khoa hoc", "nhiem vu khcn"), ("ngan sach",)), Method("sttasks", field="communicated")),
    StandardIndicator("st_tasks_registered", _("State-funded S&T tasks registered in the national S&T information system"), "%",
                      (("nhiem vu khoa hoc", "nhiem vu khcn"), ("dang ky", "he thong thong tin")), Method("sttasks", field="registered")),
    StandardIndicator("citizens_reached", _("Citizens reached"), "%",
                      (("nguoi dan", "nhan dan"), ("tiep can", "duoc tiep can")), Method("largest", (), "audience", "population")),
    StandardIndicator("press_sections", _("Press agencies with an NQ57 section"), "%",
                      (("co quan bao chi", "bao chi"), ("chuyen trang", "chuyen muc")), Method("typed")),
    StandardIndicator("directive_documents", _("Directive documents published"), "%",
                      (("van ban chi dao", "quan diem chi dao", "van ban"), ("dang tai", "cung cap", "kip thoi")), Method("typed")),
    StandardIndicator("website_section", _("NQ57 section on the government website"), "yesno",
                      (("chuyen muc",), ("trang thong tin", "cong thong tin", "trang tin")), Method("yesno", fact="website_section")),
    StandardIndicator("network_formed", _("Communication network formed"), "yesno",
                      (("mang luoi truyen thong", "mang luoi"),), Method("yesno", fact="network_formed")),
    StandardIndicator("officials_informed", _("Officials informed of Resolution 57"), "%",
                      (("can bo", "cong chuc", "vien chuc", "lanh dao", "nguoi lao dong"), ("tuyen truyen", "pho bien", "quan triet")), Method("people", MEETING_KINDS, "officials", "officials_total")),
    StandardIndicator("platform_reach", _("Reach on social platforms (as the platforms count it, not distinct people)"), "count",
                      (("luot tiep can", "luot xem"), ("nen tang", "mang xa hoi", "facebook", "zalo", "youtube")), Method("platform", field="reach")),
]  # fmt: skip


DEFINITIONS: dict[str, StandardIndicator] = {s.code: s for s in STANDARD_INDICATORS}


def name_of(code: str):
    """The indicator's name in the active language (its code when unknown)."""
    standard = DEFINITIONS.get(code)
    return standard.name if standard else code


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
