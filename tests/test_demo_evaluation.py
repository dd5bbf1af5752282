import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_scorecards_show_published_scores_and_ranks(client):
    from lantoa.evaluation.choices import RunStatus
    from lantoa.evaluation.models import ScoringRun, UnitScore
    from lantoa.portal.demo.evaluation import load_demo_evaluation
    from lantoa.portal.demo.units import load_demo

    load_demo()
    criteria_set = load_demo_evaluation()
    run = ScoringRun.objects.get(criteria_set=criteria_set)
    assert run.status == RunStatus.PUBLISHED
    assert load_demo_evaluation().pk == criteria_set.pk  # run again: nothing changes
    assert ScoringRun.objects.get(pk=run.pk).status == RunStatus.PUBLISHED

    best = UnitScore.objects.filter(run=run).order_by("rank").first()
    assert best.rank == 1
    page = client.get(f"/u/{best.unit.code}/scorecard/").content.decode()
    assert "Chất lượng chuyên mục Nghị quyết 57" in page  # the review criterion, scored
    review = best.criteria.get(criterion__code="2.2")
    assert review.points is not None
    points = f"{review.points:.2f}".replace(".", ",")
    assert f'">{points} / 20,00</td>' in page
    assert f"xếp hạng {best.rank}/" in page  # its rank among its peers
    assert "Chưa có kết quả chấm điểm được công bố." not in page
    province = client.get("/u/75/scorecard/").content.decode()
    assert best.unit.name in province  # the communes ranked below the province
    national = client.get("/scorecard/").content.decode()
    assert "Đồng Nai" in national and "Lạng Sơn" in national  # the provinces ranked
    assert "Chưa có kết quả chấm điểm được công bố." not in national
