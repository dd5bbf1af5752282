"""Titles cut to fit are cut between words, with an ellipsis: never "Tuyên truyền về chuyể"."""

import html
import unicodedata

import pytest
from django.template import Context, Template
from django.urls import reverse

from lantoa.core.truncation import shorten
from lantoa.orgs.choices import Role
from lantoa.plans import services as plan_services
from lantoa.plans.models import Task, TaskAssignment

TITLE = (
    "Tuyên truyền, phổ biến Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ, "
    "đổi mới sáng tạo và chuyển đổi số quốc gia trên các phương tiện thông tin đại chúng"
)


def _whole_words(cut: str, original: str) -> bool:
    assert cut.endswith("…")
    words, source = cut[:-1].split(), original.split()
    # The last word may lose the punctuation after it ("khoa học," → "khoa học…").
    return words[:-1] == source[: len(words) - 1] and words[-1] == source[len(words) - 1].rstrip(
        ",;:."
    )


@pytest.mark.parametrize("limit", [10, 25, 41, 60, 80, 90, 119])
def test_a_cut_keeps_whole_words_and_fits(limit):
    cut = shorten(TITLE, limit)
    assert len(cut) <= limit and _whole_words(cut, TITLE)


def test_short_text_is_left_alone_and_decomposed_letters_count_once():
    assert shorten("Chuyển đổi số", 20) == "Chuyển đổi số"
    decomposed = unicodedata.normalize("NFD", TITLE)
    cut = shorten(decomposed, 30)
    assert len(cut) <= 30 and _whole_words(cut, TITLE)  # no mark split from its letter
    assert shorten("Siêudàikhôngcókhoảngtrắng", 10) == "Siêudàikh…"  # no boundary to use


def test_the_template_filter():
    rendered = Template("{% load lantoa_text %}{{ title|truncatewords_chars:40 }}").render(
        Context({"title": TITLE})
    )
    assert rendered == "Tuyên truyền, phổ biến Nghị quyết số…"
    escaped = Template("{% load lantoa_text %}{{ t|truncatewords_chars:40 }}").render(
        Context({"t": "<b>đậm</b>"})
    )
    assert escaped == "&lt;b&gt;đậm&lt;/b&gt;"


def test_titles_shown_in_lists_and_pickers_end_on_a_word(tree, client, make_user):
    plan = plan_services.plan_create(actor=None, unit=tree.bombo, number="", title=TITLE)
    task = Task.objects.create(plan=plan, text=TITLE, order=0)
    TaskAssignment.objects.create(task=task, unit=tree.school, name=tree.school.name, role="lead")
    assert _whole_words(str(plan), TITLE) and _whole_words(str(task), TITLE)

    client.force_login(make_user(tree.school, Role.REPORTER))
    # The activity form's task picker shows a task's whole text, never a cut one.
    page = client.get(reverse("activities:record")).content.decode()
    assert html.escape(TITLE, quote=False) in page
