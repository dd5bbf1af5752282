"""The public scorecards: published figures only (a draft or a locked run never shows), ranks,
trend, the sheet, the cache and its ETag, no personal data; nominations drawn from the scores."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from openpyxl import load_workbook

from lantoa.evaluation import services
from lantoa.evaluation.choices import ScoringMethod
from lantoa.evaluation.models import CriterionScore
from lantoa.evaluation.nominations import nominations_from_run
from lantoa.orgs.choices import Role
from lantoa.orgs.models import User
from lantoa.plans.models import Plan
from lantoa.programme.models.awards import AwardNomination, NominationKind

REVIEWER_NAME = "Nguyễn Thị Chấm Điểm"
NOTE = "Ông Trần Văn Bí Mật nộp minh chứng muộn"


@pytest.fixture
def focal(tree, make_user):
    return make_user(tree.dongnai, role=Role.FOCAL_POINT, full_name=REVIEWER_NAME)


def scored_run(owner, actor, year, points: dict, *, title="Bộ tiêu chí cấp xã"):
    """A set owned by ``owner`` with one review criterion worth 100, each unit scored."""
    s = services.set_create(actor=actor, unit=owner, year=year, title=f"{title} {year}")
    group = services.group_add(actor=actor, criteria_set=s, title="Tuyên truyền")
    services.criterion_add(
        actor=actor,
        group=group,
        code="1",
        title="Chất lượng tuyên truyền",
        max_points="100",
        method=ScoringMethod.REVIEW,
    )
    services.set_activate(actor=actor, criteria_set=s)
    run = services.scoring_run(actor=actor, criteria_set=s)
    for cs in CriterionScore.objects.filter(unit_score__run=run).select_related("unit_score__unit"):
        services.criterion_review(
            actor=actor, criterion_score=cs, points=points[cs.unit_score.unit.code], note=NOTE
        )
    return run


def page(client, url, **headers):
    return client.get(url, **headers)


def test_only_published_scores_show_with_rank_and_etag(tree, focal):
    anonymous = Client()
    run = scored_run(tree.dongnai, focal, 2025, {"25405": "82.5", "26104": "70"})
    url = "/u/25405/scorecard/"
    draft = page(anonymous, url).content.decode()
    assert "82,5" not in draft and "82.5" not in draft  # a draft never shows
    services.run_lock(actor=focal, run=run)
    locked = page(anonymous, url)
    assert "82.5" not in locked.content.decode() and "82,5" not in locked.content.decode()
    etag = locked["ETag"]
    assert page(anonymous, url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    services.run_publish(actor=focal, run=run)
    # Publishing bumped the public version: the old ETag no longer answers 304.
    published = page(anonymous, url, HTTP_IF_NONE_MATCH=etag)
    assert published.status_code == 200
    text = published.content.decode()
    assert "82" in text and "Chất lượng tuyên truyền" in text
    assert "1/2" in text or "1 of 2" in text
    assert REVIEWER_NAME not in text and "Trần Văn Bí Mật" not in text  # no personal data
    assert published["Cache-Control"].startswith("public") or "public" in published["Cache-Control"]
    again = page(anonymous, url, HTTP_IF_NONE_MATCH=published["ETag"])
    assert again.status_code == 304
    # The province's page ranks its communes; reopening takes the figures off again.
    province = page(anonymous, "/u/75/scorecard/").content.decode()
    assert province.index("Xã Bom Bo") < province.index("Phường Xuân Lập")
    services.run_reopen(actor=focal, run=run, reason="Sửa điểm")
    assert "Chất lượng tuyên truyền" not in page(anonymous, url).content.decode()


def test_trend_sheet_and_national_ranking(tree, focal, make_user):
    for year, points in ((2024, "60"), (2025, "75")):
        run = scored_run(tree.dongnai, focal, year, {"25405": points, "26104": "50"})
        services.run_lock(actor=focal, run=run)
        services.run_publish(actor=focal, run=run)
    national = make_user(tree.root, role=Role.FOCAL_POINT)
    nrun = scored_run(
        tree.root, national, 2025, {"75": "55", "20": "90"}, title="Bộ tiêu chí cấp tỉnh"
    )
    services.run_lock(actor=national, run=nrun)
    services.run_publish(actor=national, run=nrun)
    anonymous = Client()
    text = anonymous.get("/u/25405/scorecard/").content.decode()
    assert "2024" in text and "2025" in text and "60" in text and "75" in text
    sheet = anonymous.get("/u/25405/scorecard.xlsx")
    assert sheet["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(sheet.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][2] == "25405" and rows[1][1] == 2025 and float(rows[2][1]) == 75
    assert rows[6][0] == "1" and float(rows[6][3]) == 75
    trend = list(book.worksheets[1].iter_rows(values_only=True))[1:]
    assert [(r[0], float(r[1]), r[2]) for r in trend] == [(2024, 60, 1), (2025, 75, 1)]
    nation = anonymous.get("/scorecard/").content.decode()
    assert nation.index("Tỉnh Lạng Sơn") < nation.index("Tỉnh Đồng Nai")
    assert "<svg" in nation and "Tỉnh Lạng Sơn" in nation
    assert REVIEWER_NAME not in nation


def test_plan_issued_shows(tree, focal):
    anonymous = Client()
    assert anonymous.get("/u/NO-SUCH-UNIT/scorecard/").status_code == 404
    assert not Plan.objects.filter(unit=tree.bombo).exists()
    text = anonymous.get("/u/25405/scorecard/").content.decode()
    assert "chưa ban hành" in text or "not issued" in text


def test_nominations_from_published_runs_only(tree, focal):
    run = scored_run(tree.dongnai, focal, 2025, {"25405": "90", "26104": "70"})
    with pytest.raises(ValidationError):
        nominations_from_run(actor=focal, run=run, top_n=1)
    services.run_lock(actor=focal, run=run)
    services.run_publish(actor=focal, run=run)
    made = nominations_from_run(actor=focal, run=run, top_n=1)
    assert [n.unit.code for n in made] == ["25405"]
    assert made[0].kind == NominationKind.COLLECTIVE and made[0].year == 2025
    assert nominations_from_run(actor=focal, run=run, top_n=1) == []  # not twice
    assert AwardNomination.objects.count() == 1
    assert User.objects.filter(full_name=REVIEWER_NAME).exists()


def test_secret_st_task_never_on_the_scorecard(tree, focal):
    """A state-secret S&T task of a scored commune appears on none of the public scorecards
    nor in their sheet (the register keeps it off every public surface)."""
    from lantoa.programme import sttasks_services

    from .test_sttasks import SECRET_TITLE, values

    sttasks_services.sttask_create(
        actor=None,
        unit=tree.bombo,
        values=values(code="MAT.02", title=SECRET_TITLE, secret=True, registered=False),
    )
    run = scored_run(tree.dongnai, focal, 2025, {"25405": "90", "26104": "80"})
    services.run_lock(actor=focal, run=run)
    services.run_publish(actor=focal, run=run)
    client = Client()
    for url in (
        f"/u/{tree.bombo.code}/scorecard/",
        f"/u/{tree.dongnai.code}/scorecard/",
        "/scorecard/",
    ):
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert SECRET_TITLE not in answer.content.decode(), url
        assert "MAT.02" not in answer.content.decode(), url
    sheet = load_workbook(io.BytesIO(client.get(f"/u/{tree.bombo.code}/scorecard.xlsx").content))
    cells = [
        str(c) for ws in sheet.worksheets for row in ws.iter_rows(values_only=True) for c in row
    ]
    assert not any(SECRET_TITLE in c or "MAT.02" in c for c in cells)


def test_nominate_from_run_command(tree, focal):
    from django.core.management import CommandError, call_command

    run = scored_run(tree.dongnai, focal, 2025, {"25405": "90", "26104": "90"})
    with pytest.raises(CommandError):
        call_command("nominate_from_run", str(run.pk), "--top", "1", stdout=io.StringIO())
    services.run_lock(actor=focal, run=run)
    services.run_publish(actor=focal, run=run)
    out = io.StringIO()
    call_command("nominate_from_run", str(run.pk), "--top", "1", stdout=out)
    # Tied first: both units share rank 1 and both are nominated.
    assert "2 nominations." in out.getvalue()
    assert set(AwardNomination.objects.values_list("unit__code", flat=True)) == {"25405", "26104"}


def test_the_focal_point_nominates_the_top_units_from_the_run_page(tree, focal, client):
    from django.urls import reverse

    run = scored_run(tree.dongnai, focal, 2025, {"25405": "90", "26104": "70"})
    page = reverse("evaluation:run", args=[run.pk])
    client.force_login(focal)
    assert 'name="top_n"' not in client.get(page).content.decode()  # not published yet
    services.run_lock(actor=focal, run=run)
    services.run_publish(actor=focal, run=run)
    html = client.get(page).content.decode()
    assert 'name="top_n"' in html and 'name="level"' in html
    nominate = reverse("evaluation:nominate", args=[run.pk])
    response = client.post(nominate, {"top_n": "1", "level": "province_chair"}, follow=True)
    assert "Đã đề nghị khen thưởng 1 đơn vị." in response.content.decode()
    nomination = AwardNomination.objects.get()
    assert nomination.unit.code == "25405" and nomination.proposed_level == "province_chair"
    response = client.post(nominate, {"top_n": "0", "level": "province_chair"}, follow=True)
    assert AwardNomination.objects.count() == 1  # refused, with a message
    assert response.status_code == 200
