"""A province criteria set for the demo (tỉnh Đồng Nai scoring its communes and wards) and
one scoring run, through the services: safe to run again."""

from __future__ import annotations

import datetime

from django.utils import timezone

from lantoa.evaluation import services
from lantoa.evaluation.choices import RunStatus, Scale, ScoringMethod, TieRule
from lantoa.evaluation.models import CriteriaSet, CriterionScore, ScoringRun
from lantoa.orgs.choices import UnitKind
from lantoa.orgs.models import OrgUnit

REVIEW_POINTS = (18, 15, 12, 20, 9, 16)  # out of 20, by unit code order
TITLE = "Bộ tiêu chí đánh giá công tác truyền thông Nghị quyết 57 cấp xã"


NATIONAL_TITLE = "Bộ tiêu chí đánh giá công tác truyền thông Nghị quyết 57 cấp tỉnh"


def load_demo_national_evaluation() -> CriteriaSet | None:
    """The national set ranking the provinces (one review criterion), published: the national
    scorecard ``/scorecard/`` shows the provinces ranked."""
    national = OrgUnit.objects.filter(kind=UnitKind.NATIONAL).order_by("path").first()
    if national is None or not services.peer_units(national).exists():
        return None
    year = timezone.localdate().year
    existing = CriteriaSet.objects.filter(unit=national, year=year, title=NATIONAL_TITLE).first()
    if existing is not None:
        _publish(existing)
        return existing
    criteria_set = services.set_create(
        actor=None, unit=national, year=year, title=NATIONAL_TITLE, total_points="100"
    )
    group = services.group_add(
        actor=None, criteria_set=criteria_set, title="Tổ chức triển khai", order=1
    )
    services.criterion_add(
        actor=None, group=group, code="1", title="Kết quả triển khai Nghị quyết 57 của tỉnh",
        max_points="100", method=ScoringMethod.REVIEW,
        guidance="Kế hoạch của tỉnh, báo cáo đúng hạn, kết quả truyền thông đến cấp xã.",
    )  # fmt: skip
    services.set_activate(actor=None, criteria_set=criteria_set)
    services.scoring_run(actor=None, criteria_set=criteria_set)
    _publish(criteria_set)
    return CriteriaSet.objects.get(pk=criteria_set.pk)


def load_demo_evaluation() -> CriteriaSet | None:
    load_demo_national_evaluation()
    province = OrgUnit.objects.filter(code="75").first()
    if province is None:
        return None
    year = timezone.localdate().year
    existing = CriteriaSet.objects.filter(unit=province, year=year, title=TITLE).first()
    if existing is not None:
        _publish(existing)
        return existing
    today = timezone.localdate()
    criteria_set = services.set_create(
        actor=None,
        unit=province,
        year=year,
        title=TITLE,
        tie_rule=TieRule.BY_CRITERIA,
        tie_breakers=["1.1"],
        contest_from=today,
        contest_until=today + datetime.timedelta(days=14),
    )
    training = services.group_add(
        actor=None, criteria_set=criteria_set, title="Đào tạo, bồi dưỡng", order=1
    )
    services.criterion_add(
        actor=None, group=training, code="1.1", title="Số chương trình đào tạo, bồi dưỡng",
        max_points="30", method=ScoringMethod.INDICATOR, indicator="training_programs",
        indicator_year=year, scale=Scale.BANDS, bands=[["1", "10"], ["2", "20"], ["3", "30"]],
    )  # fmt: skip
    services.criterion_add(
        actor=None, group=training, code="1.2", title="Cán bộ được tuyên truyền về Nghị quyết 57",
        max_points="30", method=ScoringMethod.INDICATOR, indicator="officials_informed",
        indicator_year=year, scale=Scale.LINEAR, target="100",
    )  # fmt: skip
    outreach = services.group_add(
        actor=None, criteria_set=criteria_set, title="Truyền thông đến người dân", order=2
    )
    services.criterion_add(
        actor=None, group=outreach, code="2.1", title="Thời lượng phát trên hệ thống truyền thanh",
        max_points="20", method=ScoringMethod.INDICATOR, indicator="broadcast_minutes",
        indicator_year=year, scale=Scale.LINEAR, target="600",
    )  # fmt: skip
    services.criterion_add(
        actor=None, group=outreach, code="2.2",
        title="Chất lượng chuyên mục Nghị quyết 57 trên trang thông tin điện tử",
        max_points="20", method=ScoringMethod.REVIEW,
        guidance="Minh chứng: đường dẫn chuyên mục, số bài đăng trong năm.",
    )  # fmt: skip
    services.set_activate(actor=None, criteria_set=criteria_set)
    services.scoring_run(actor=None, criteria_set=criteria_set)
    _publish(criteria_set)
    return CriteriaSet.objects.get(pk=criteria_set.pk)


def _publish(criteria_set: CriteriaSet) -> None:
    """The focal point scores the review criterion (points varied by unit so the ranking reads
    like a real one), then locks and publishes the run: the public scorecards show it."""
    run = ScoringRun.objects.filter(criteria_set=criteria_set).first()
    if run is None or run.status == RunStatus.PUBLISHED:
        return
    if run.status == RunStatus.DRAFT:
        pending = CriterionScore.objects.filter(
            unit_score__run=run, criterion__method=ScoringMethod.REVIEW, points=None
        ).select_related("criterion", "unit_score__unit")
        for index, criterion_score in enumerate(pending.order_by("unit_score__unit__code")):
            maximum = int(criterion_score.criterion.max_points)
            services.criterion_review(
                actor=None,
                criterion_score=criterion_score,
                points=REVIEW_POINTS[index % len(REVIEW_POINTS)] * maximum // 20,
                note="Chuyên mục cập nhật đều, có minh chứng đường dẫn.",
            )
        run = services.run_lock(actor=None, run=run)
    services.run_publish(actor=None, run=run)
