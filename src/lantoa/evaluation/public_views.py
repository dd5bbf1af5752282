"""The public scorecards: ``/u/<code>/scorecard/`` (a unit's published score by criterion, its
rank, its trend, its plan, its reports on time), ``/u/<code>/scorecard.xlsx`` and the national
``/scorecard/`` (the provinces ranked). Served like the public sections: anonymous, cached
under the unit's public version with an ETag (``content.public_views.cached_public``); the
scorecard module bumps that version when a run is published or reopened.

No map: no maintained source of the 2025 province boundaries (34 provinces after the merger)
could be shipped, so the ranking is a chart of bars drawn in inline SVG with text labels."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from lantoa.content.public_views import cached_public

from . import scorecard

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAR_WIDTH = 400  # the SVG's drawing width for a full score


def _bars(run, scores) -> list[dict]:
    total = run.criteria_set.total_points if run else 0
    return [
        {
            "score": s,
            "width": int(BAR_WIDTH * s.total / total) if total else 0,
            "y": index * 28,
        }
        for index, s in enumerate(scores)
    ]


def _ranking_context(owner):
    run, scores = scorecard.ranking(owner)
    bars = _bars(run, scores)
    return {"run": run, "bars": bars, "chart_height": max(28 * len(bars), 28)}


@cached_public
def unit_scorecard(request, unit, *, reports_on_time=None):
    result = scorecard.card(unit, reports_on_time=reports_on_time)
    return render(
        request,
        "evaluation/public/scorecard.html",
        {
            "unit": unit,
            "card": result,
            "below": _ranking_context(unit),
            "bar_width": BAR_WIDTH,
        },
    )


def _xlsx(request, unit, *, reports_on_time=None):
    result = scorecard.card(unit, reports_on_time=reports_on_time)
    return HttpResponse(scorecard.card_xlsx(result), content_type=XLSX)


_xlsx_cached = cached_public(_xlsx)


def unit_scorecard_xlsx(request, code, **kwargs):
    response = _xlsx_cached(request, code=code, **kwargs)
    if response.status_code == 200:
        response["Content-Disposition"] = f'attachment; filename="bang-diem-{unit_slug(code)}.xlsx"'
    return response


unit_scorecard_xlsx.public_reason = _xlsx_cached.public_reason


def unit_slug(code: str) -> str:
    return "".join(ch for ch in code if ch.isalnum() or ch == "-")[:32]


@cached_public
def national_scorecard(request, unit):
    return render(
        request,
        "evaluation/public/national.html",
        {"unit": unit, "below": _ranking_context(unit), "bar_width": BAR_WIDTH},
    )
