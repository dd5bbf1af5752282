"""Criteria sets and scoring runs: weights, periods, scoring from evidence, review, contests,
locking, reopening, publishing, ranking, the official document and the sheet, scoping."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from lantoa.activities import services as activity_services
from lantoa.evaluation import services
from lantoa.evaluation.choices import RunStatus, Scale, ScoringMethod, TieRule
from lantoa.evaluation.models import CriteriaSet, CriterionScore, UnitScore
from lantoa.orgs.choices import Role

YEAR = 2025
OPEN = datetime.date(2026, 1, 10)
INSIDE = datetime.date(2026, 1, 15)
AFTER = datetime.date(2026, 2, 1)


def trainings(unit, n, year=YEAR):
    for i in range(n):
        activity_services.activity_record(
            actor=None,
            unit=unit,
            kind="training",
            date=datetime.date(year, 3, 1 + i),
            title=f"Lớp bồi dưỡng {i}",
        )


@pytest.fixture
def focal(tree, make_user):
    return make_user(tree.dongnai, role=Role.FOCAL_POINT)


def build_set(tree, actor, *, tie_rule=TieRule.SHARED, tie_breakers=()):
    s = services.set_create(
        actor=actor,
        unit=tree.dongnai,
        year=YEAR,
        title="Bộ tiêu chí đánh giá cấp xã 2025",
        tie_rule=tie_rule,
        tie_breakers=list(tie_breakers),
        contest_from=OPEN,
        contest_until=datetime.date(2026, 1, 31),
    )
    group = services.group_add(actor=actor, criteria_set=s, title="Đào tạo, bồi dưỡng")
    services.criterion_add(
        actor=actor,
        group=group,
        code="1.1",
        title="Số chương trình đào tạo",
        max_points="60",
        method=ScoringMethod.INDICATOR,
        indicator="training_programs",
        indicator_year=YEAR,
        scale=Scale.BANDS,
        bands=[["1", "20"], ["3", "40"], ["5", "60"]],
    )
    services.criterion_add(
        actor=actor,
        group=group,
        code="1.2",
        title="Chất lượng tuyên truyền",
        max_points="40",
        method=ScoringMethod.REVIEW,
    )
    return services.set_activate(actor=actor, criteria_set=s)


def scores_by_unit(run):
    return {s.unit.code: s for s in UnitScore.objects.filter(run=run)}


def test_weights_not_adding_up_are_refused_naming_the_numbers(tree, focal):
    s = services.set_create(actor=focal, unit=tree.dongnai, year=YEAR, title="Bộ tiêu chí")
    group = services.group_add(actor=focal, criteria_set=s, title="Nhóm 1")
    services.criterion_add(
        actor=focal, group=group, code="1", title="Tiêu chí", max_points="70",
        method=ScoringMethod.REVIEW,
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.set_activate(actor=focal, criteria_set=s)
    assert "70" in str(caught.value) and "100" in str(caught.value)
    s.refresh_from_db()
    assert s.status == "draft"


def test_an_indicator_of_another_period_is_refused(tree, focal):
    s = services.set_create(actor=focal, unit=tree.dongnai, year=YEAR, title="Bộ tiêu chí")
    group = services.group_add(actor=focal, criteria_set=s, title="Nhóm 1")
    with pytest.raises(ValidationError) as caught:
        services.criterion_add(
            actor=focal, group=group, code="1", title="Đào tạo", max_points="100",
            method=ScoringMethod.INDICATOR, indicator="training_programs", indicator_year=2024,
            scale=Scale.LINEAR, target="5",
        )  # fmt: skip
    assert "2024" in str(caught.value) and "2025" in str(caught.value)
    assert not group.criteria.exists()


def test_scoring_from_evidence_and_review(tree, focal, make_user):
    trainings(tree.bombo, 3)
    trainings(tree.xuanlap, 1)
    trainings(tree.xuanlap, 4, year=2024)  # another year: not counted
    s = build_set(tree, focal)
    run = services.scoring_run(actor=focal, criteria_set=s)
    by_unit = scores_by_unit(run)
    assert set(by_unit) == {"25405", "26104"}
    bombo = by_unit["25405"].criteria.get(criterion__code="1.1")
    assert bombo.value == 3 and bombo.points == 40
    assert by_unit["26104"].criteria.get(criterion__code="1.1").points == 20
    review = by_unit["25405"].criteria.get(criterion__code="1.2")
    assert review.points is None  # waits for the reviewer
    services.criterion_review(actor=focal, criterion_score=review, points="35", note="Tốt")
    by_unit = scores_by_unit(run)
    assert by_unit["25405"].total == 75 and by_unit["25405"].rank == 1
    with pytest.raises(ValidationError):
        services.criterion_review(actor=focal, criterion_score=review, points="41")


def test_a_reviewer_may_not_score_their_own_unit(tree, focal, make_user):
    s = build_set(tree, focal)
    run = services.scoring_run(actor=focal, criteria_set=s)
    review = scores_by_unit(run)["25405"].criteria.get(criterion__code="1.2")
    from lantoa.orgs import services as org_services

    org_services.membership_grant(actor=None, user=focal, unit=tree.bombo, role=Role.VIEWER)
    with pytest.raises(ValidationError) as caught:
        services.criterion_review(actor=focal, criterion_score=review, points="10")
    assert "Bom Bo" in str(caught.value)
    review.refresh_from_db()
    assert review.points is None


def test_contest_and_evidence_inside_and_outside_the_window(tree, focal, make_user):
    s = build_set(tree, focal)
    run = services.scoring_run(actor=focal, criteria_set=s)
    commune = make_user(tree.bombo, role=Role.REPORTER)
    score = scores_by_unit(run)["25405"].criteria.get(criterion__code="1.1")
    services.contest_open(actor=commune, criterion_score=score, text="Thiếu 2 lớp", today=INSIDE)
    score.refresh_from_db()
    assert score.contest_status == "open"
    with pytest.raises(ValidationError) as caught:
        services.contest_open(actor=commune, criterion_score=score, text="Lại", today=AFTER)
    assert "31/01/2026" in str(caught.value)
    with pytest.raises(ValidationError):
        services.evidence_add(
            actor=commune, criterion_score=score, url="https://bombo.vn/x", today=AFTER
        )
    services.evidence_add(
        actor=commune, criterion_score=score, url="https://bombo.vn/x", today=INSIDE
    )
    score.refresh_from_db()
    assert score.evidence_url == "https://bombo.vn/x"
    # a peer commune may not contest another's score
    other = make_user(tree.xuanlap, role=Role.REPORTER)
    with pytest.raises(PermissionDenied):
        services.contest_open(actor=other, criterion_score=score, text="x", today=INSIDE)
    # open contests hold the lock
    with pytest.raises(ValidationError):
        services.run_lock(actor=focal, run=run)
    services.contest_answer(actor=focal, criterion_score=score, accepted=True, answer="Đồng ý")
    services.criterion_review(actor=focal, criterion_score=score, points="60", note="Bổ sung")
    assert scores_by_unit(run)["25405"].criteria.get(criterion__code="1.1").points == 60


def _review_all(run, focal, points="10"):
    for cs in CriterionScore.objects.filter(unit_score__run=run, criterion__code="1.2"):
        services.criterion_review(actor=focal, criterion_score=cs, points=points)


def test_lock_freezes_reopen_recomputes_on_the_record_publish_needs_lock(tree, focal):
    trainings(tree.bombo, 1)
    s = build_set(tree, focal)
    run = services.scoring_run(actor=focal, criteria_set=s)
    _review_all(run, focal)
    with pytest.raises(ValidationError) as caught:
        services.run_publish(actor=focal, run=run)
    assert "Phải khóa kết quả chấm điểm trước khi công bố." in caught.value.messages
    services.run_lock(actor=focal, run=run)
    trainings(tree.bombo, 4)  # later evidence
    with pytest.raises(ValidationError):
        services.run_recompute(actor=focal, run=run)
    with pytest.raises(ValidationError):
        services.scoring_run(actor=focal, criteria_set=s)
    assert scores_by_unit(run)["25405"].total == 30
    with pytest.raises(ValidationError):
        services.run_reopen(actor=focal, run=run, reason="  ")
    services.run_reopen(actor=focal, run=run, reason="Xã bổ sung minh chứng")
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT
    assert scores_by_unit(run)["25405"].total == 70  # 5 trainings: 60 + review 10
    summaries = [
        (e.additional_data or {}).get("summary", "")
        for e in LogEntry.objects.filter(object_pk=str(run.pk), actor=focal)
    ]
    assert any("Xã bổ sung minh chứng" in s for s in summaries)
    services.run_lock(actor=focal, run=run)
    services.run_publish(actor=focal, run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.PUBLISHED and run.published_at


def test_ranking_with_ties_shared_and_broken(tree, focal, make_user):
    from lantoa.orgs.models import OrgUnit

    OrgUnit.objects.add_child(
        tree.dongnai, create_kwargs={"code": "25999", "name": "Xã Thứ Ba", "kind": "commune"}
    )
    trainings(tree.bombo, 3)
    trainings(tree.xuanlap, 3)
    s = build_set(tree, focal)
    run = services.scoring_run(actor=focal, criteria_set=s)
    ranks = {code: us.rank for code, us in scores_by_unit(run).items()}
    assert ranks == {"25405": 1, "26104": 1, "25999": 3}
    # Broken by criterion 1.2 (review) first
    s2 = services.set_create(
        actor=focal, unit=tree.dongnai, year=YEAR, title="Bộ 2",
        tie_rule=TieRule.BY_CRITERIA, tie_breakers=["1.2"],
    )  # fmt: skip
    assert s2.version == 2
    g = services.group_add(actor=focal, criteria_set=s2, title="N")
    services.criterion_add(
        actor=focal, group=g, code="1.1", title="Đào tạo", max_points="60",
        method=ScoringMethod.INDICATOR, indicator="training_programs", scale=Scale.LINEAR,
        target="3",
    )  # fmt: skip
    services.criterion_add(
        actor=focal, group=g, code="1.2", title="Chất lượng", max_points="40",
        method=ScoringMethod.REVIEW,
    )  # fmt: skip
    services.set_activate(actor=focal, criteria_set=s2)
    run2 = services.scoring_run(actor=focal, criteria_set=s2)
    by = scores_by_unit(run2)
    services.criterion_review(
        actor=focal, criterion_score=by["25405"].criteria.get(criterion__code="1.2"), points="0"
    )
    services.criterion_review(
        actor=focal, criterion_score=by["26104"].criteria.get(criterion__code="1.2"), points="0"
    )
    ranks = {code: us.rank for code, us in scores_by_unit(run2).items()}
    assert ranks["25405"] == ranks["26104"] == 1  # same on the tie-breaker too: shared
    services.criterion_review(
        actor=focal, criterion_score=by["26104"].criteria.get(criterion__code="1.2"), points="5"
    )
    ranks = {code: us.rank for code, us in scores_by_unit(run2).items()}
    assert ranks == {"26104": 1, "25405": 2, "25999": 3}


def test_a_province_set_adopts_and_extends_the_national_set(tree, make_user):
    national = make_user(tree.root, role=Role.FOCAL_POINT)
    n = services.set_create(actor=national, unit=tree.root, year=YEAR, title="Bộ quốc gia")
    g = services.group_add(actor=national, criteria_set=n, title="Chung")
    services.criterion_add(
        actor=national, group=g, code="A", title="Đào tạo", max_points="100",
        method=ScoringMethod.INDICATOR, indicator="training_programs", scale=Scale.LINEAR,
        target="2",
    )  # fmt: skip
    services.set_activate(actor=national, criteria_set=n)
    focal = make_user(tree.dongnai, role=Role.FOCAL_POINT)
    p = services.set_create(
        actor=focal, unit=tree.dongnai, year=YEAR, title="Bộ tỉnh", adopts=n, total_points="120"
    )
    g2 = services.group_add(actor=focal, criteria_set=p, title="Riêng tỉnh")
    with pytest.raises(ValidationError) as caught:
        services.set_activate(actor=focal, criteria_set=p)
    assert "100" in str(caught.value) and "120" in str(caught.value)
    services.criterion_add(
        actor=focal, group=g2, code="B", title="Riêng", max_points="20",
        method=ScoringMethod.REVIEW,
    )  # fmt: skip
    services.set_activate(actor=focal, criteria_set=p)
    trainings(tree.bombo, 1)
    run = services.scoring_run(actor=focal, criteria_set=p)
    bombo = scores_by_unit(run)["25405"]
    assert {c.criterion.code for c in bombo.criteria.all()} == {"A", "B"}
    assert bombo.criteria.get(criterion__code="A").points == 50
    # the national run ranks provinces
    nrun = services.scoring_run(actor=national, criteria_set=n)
    assert set(scores_by_unit(nrun)) == {"75", "20"}


def test_scoping(tree, focal, make_user):
    s = build_set(tree, focal)
    run = services.scoring_run(actor=focal, criteria_set=s)
    commune = make_user(tree.bombo, role=Role.REPORTER)
    outsider = make_user(tree.langson, role=Role.FOCAL_POINT)
    assert UnitScore.objects.restrict(commune).get().unit == tree.bombo  # its own score only
    assert UnitScore.objects.restrict(focal).count() == 2
    assert not UnitScore.objects.restrict(outsider).exists()
    assert CriteriaSet.objects.restrict(commune).filter(pk=s.pk).exists()  # the set above it
    assert not CriteriaSet.objects.restrict(outsider).exists()
    with pytest.raises(PermissionDenied):
        services.run_lock(actor=outsider, run=run)
    with pytest.raises(PermissionDenied):
        services.set_create(actor=commune, unit=tree.dongnai, year=YEAR, title="x")
    assert Decimal(0) == sum(us.total for us in UnitScore.objects.filter(run=run))


def test_the_result_as_an_official_document_and_a_sheet(tree, focal):
    import io
    import subprocess

    import docx
    from openpyxl import load_workbook

    from lantoa.evaluation.documents import result_docx, result_pdf, result_xlsx

    trainings(tree.bombo, 5)
    s = build_set(tree, focal)
    run = services.scoring_run(actor=focal, criteria_set=s)
    _review_all(run, focal, points="20")
    document = docx.Document(io.BytesIO(result_docx(run)))
    header = [p.text for cell in document.tables[0].rows[0].cells for p in cell.paragraphs]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    assert "Độc lập - Tự do - Hạnh phúc" in header
    assert "ỦY BAN NHÂN DÂN" in header and "TỈNH ĐỒNG NAI" in header
    texts = [p.text for p in document.paragraphs]
    assert "THÔNG BÁO" in texts
    assert any("Bộ tiêu chí đánh giá cấp xã 2025" in t for t in texts)
    table = [[c.text for c in row.cells] for row in document.tables[1].rows]
    assert table[0] == ["Hạng", "Đơn vị", "1.1", "1.2", "Tổng điểm"]
    assert table[1] == ["1", "Xã Bom Bo", "60", "20", "80"]
    assert table[2] == ["2", "Phường Xuân Lập", "0", "20", "20"]
    signature = [p.text for c in document.tables[-1].rows[0].cells for p in c.paragraphs]
    assert "TM. ỦY BAN NHÂN DÂN" in signature and "CHỦ TỊCH" in signature

    pdf = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=result_pdf(run), capture_output=True, check=True
    ).stdout.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pdf and "Xã Bom Bo" in pdf

    book = load_workbook(io.BytesIO(result_xlsx(run)))
    rows = [[c.value for c in row] for row in book["Kết quả"].iter_rows()]
    assert rows[0] == ["Hạng", "Đơn vị", "1.1", "1.2", "Tổng điểm"]
    assert rows[1][1] == "Xã Bom Bo" and rows[1][-1] == "80"
    assert [r[0] for r in book["Tiêu chí"].iter_rows(values_only=True)] == ["Mã", "1.1", "1.2"]


def test_pages_and_api_are_scoped(tree, focal, make_user, client, api_client):
    trainings(tree.bombo, 3)
    s = build_set(tree, focal)
    run = services.scoring_run(actor=focal, criteria_set=s)
    bombo = scores_by_unit(run)["25405"]
    xuanlap = scores_by_unit(run)["26104"]
    commune = make_user(tree.bombo, role=Role.REPORTER)

    client.force_login(focal)
    page = client.get(f"/evaluation/runs/{run.pk}/").content.decode()
    assert "Xã Bom Bo" in page and "Phường Xuân Lập" in page and "Khóa kết quả" in page
    response = client.post(f"/evaluation/runs/{run.pk}/publish/", follow=True)
    assert "Phải khóa kết quả chấm điểm trước khi công bố." in response.content.decode()
    response = client.get(f"/evaluation/runs/{run.pk}/result.docx")
    assert response.status_code == 200 and response.content[:2] == b"PK"

    client.force_login(commune)
    page = client.get(f"/evaluation/scores/{bombo.pk}/").content.decode()
    assert "Số chương trình đào tạo" in page and "Khiếu nại điểm này" in page
    assert client.get(f"/evaluation/scores/{xuanlap.pk}/").status_code == 404  # a peer's
    assert client.get(f"/evaluation/runs/{run.pk}/result.docx").status_code == 403
    assert client.get("/evaluation/scores/abc/").status_code in (400, 404)

    api_client.force_authenticate(commune)
    rows = api_client.get("/api/v1/unit-scores/").json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert [r["unit"] for r in rows] == ["25405"]
    assert rows[0]["criteria"][0]["code"] == "1.1" and rows[0]["criteria"][0]["points"] == "40.00"
    sets = api_client.get("/api/v1/criteria-sets/").json()
    sets = sets["results"] if isinstance(sets, dict) else sets
    assert [x["title"] for x in sets] == ["Bộ tiêu chí đánh giá cấp xã 2025"]


def test_the_demo_set_and_run(tree):
    from lantoa.portal.demo.evaluation import load_demo_evaluation

    s = load_demo_evaluation()
    assert s.status == "active" and s.run.scores.count() == 2
    assert load_demo_evaluation() == s  # again: nothing doubled


def test_the_score_page_takes_contests_in_the_window_and_the_reviewers_points(
    tree, focal, make_user, client
):
    s = build_set(tree, focal)
    run = services.scoring_run(actor=focal, criteria_set=s)
    bombo = scores_by_unit(run)["25405"]
    indicator = bombo.criteria.get(criterion__code="1.1")
    review = bombo.criteria.get(criterion__code="1.2")
    commune = make_user(tree.bombo, role=Role.REPORTER)
    client.force_login(commune)
    url = f"/evaluation/scores/{bombo.pk}/"
    page = client.post(
        url,
        {"form": "contest", "criterion_score": indicator.pk, "text": "Thiếu lớp tháng 3"},
        follow=True,
    ).content.decode()
    assert "Chỉ nhận minh chứng và khiếu nại từ ngày 10/01/2026 đến ngày 31/01/2026." in page
    indicator.refresh_from_db()
    assert indicator.contest_status == ""
    today = datetime.date.today()
    # The window moved to today (a set with a run is not edited through the services).
    type(s).objects.filter(pk=s.pk).update(contest_from=today, contest_until=today)
    client.post(url, {"form": "contest", "criterion_score": indicator.pk, "text": "Thiếu lớp"})
    indicator.refresh_from_db()
    assert indicator.contest_status == "open" and indicator.contest == "Thiếu lớp"

    client.force_login(focal)
    page = client.get(url).content.decode()
    assert page.count(f'id="id_{review.pk}_points"') == 1
    client.post(
        url, {"form": "review", "criterion_score": review.pk, "points": "35", "note": "Tốt"}
    )
    review.refresh_from_db()
    assert review.points == 35 and review.reviewer == focal and review.note == "Tốt"


def test_a_criterion_is_removed_from_a_draft_set_only(tree, focal, client):
    s = services.set_create(actor=focal, unit=tree.dongnai, year=YEAR, title="Bộ nháp")
    g = services.group_add(actor=focal, criteria_set=s, title="Nhóm")
    c = services.criterion_add(
        actor=focal, group=g, code="9", title="Tạm", max_points="100", method="review"
    )
    client.force_login(focal)
    page = client.post(
        f"/evaluation/sets/{s.pk}/criteria/remove/", {"criterion": c.pk}, follow=True
    )
    assert "Đã xóa tiêu chí." in page.content.decode()
    assert not g.criteria.exists()
    s2 = build_set(tree, focal)
    services.scoring_run(actor=focal, criteria_set=s2)
    c2 = s2.all_criteria()[0]
    page = client.post(
        f"/evaluation/sets/{s2.pk}/criteria/remove/", {"criterion": c2.pk}, follow=True
    )
    assert "Bộ tiêu chí này đã được dùng để chấm điểm" in page.content.decode()
    assert len(s2.all_criteria()) == 2
