"""Fixtures: a small org tree shaped like the seeds, people with roles, clients."""

import datetime
import itertools
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from lantoa.activities import services as activity_services
from lantoa.activities.models import Activity, Evidence
from lantoa.assistant.models import Document, Question
from lantoa.channels.models import (
    Broadcast,
    Bulletin,
    ChannelAccount,
    LoudspeakerCluster,
    OutboxEntry,
)
from lantoa.content.models import ContentItem
from lantoa.core.testing import register_scoped_factory
from lantoa.media import services as media_services
from lantoa.media.choices import Licence
from lantoa.media.models import Asset, Collection
from lantoa.orgs import services
from lantoa.orgs.choices import Role, UnitKind
from lantoa.orgs.models import Membership, OrgUnit, User
from lantoa.plans import services as plan_services
from lantoa.plans.importer import ExtractedPlan, extract_plan, read_document
from lantoa.plans.models import Plan, PlanImport, ReportDeadline, ResponsibleUnit, Task
from lantoa.reports import services as report_services
from lantoa.reports.models import ReportingPeriod, Submission
from lantoa.reports.periods import periods_ensure

PASSWORD = "Mat-khau-2025!"
_serial = itertools.count(1)


def _unit_factory(unit):
    n = next(_serial)
    return services.unit_create(
        actor=None,
        parent=unit,
        code=f"{unit.code}-F{n}",
        name=f"Tổ công nghệ số {n}",
        kind=UnitKind.OTHER,
    )


def _membership_factory(unit):
    n = next(_serial)
    user = User.objects.create_user(f"member{n}", password=PASSWORD, full_name=f"Cán bộ {n}")
    return services.membership_grant(actor=None, user=user, unit=unit, role=Role.VIEWER)


def _plan_factory(unit):
    n = next(_serial)
    return plan_services.plan_create(
        actor=None, unit=unit, number=f"{n}/KH-UBND", title=f"Kế hoạch {n}"
    )


def _plan_import_factory(unit):
    n = next(_serial)
    staged = PlanImport(
        unit=unit,
        filename=f"ke-hoach-{n}.txt",
        source_kind="txt",
        source_text="KẾ HOẠCH",
        extracted=ExtractedPlan().as_dict(),
    )
    staged.file.save(staged.filename, ContentFile(b"KE HOACH"), save=False)
    staged.save()
    return staged


def _activity_factory(unit):
    return activity_services.activity_record(
        actor=None,
        unit=unit,
        kind="meeting",
        date=datetime.date(2025, 9, 1),
        title=f"Hội nghị {next(_serial)}",
    )


def _evidence_factory(unit):
    from .documents import png_bytes

    activity = activity_services.activity_record(
        actor=None,
        unit=unit,
        kind="meeting",
        date=datetime.date(2025, 9, 1),
        title=f"Hội nghị {next(_serial)}",
        files=[activity_services.UploadedEvidence(name="ảnh hội nghị.png", data=png_bytes())],
    )
    return activity.evidence.get()


def _period_factory(unit):
    plan = _plan_factory(unit)
    ReportDeadline.objects.create(plan=plan, day=10, month=12)
    return periods_ensure(plan, 2025)[0]


def _submission_factory(unit):
    # A report the unit owes to the plan of the unit above it.
    parent = OrgUnit.objects.get_parent(unit)
    plan = _plan_factory(parent)
    ReportDeadline.objects.create(plan=plan, day=10, month=12)
    ResponsibleUnit.objects.create(plan=plan, unit=unit, name=unit.name)
    return report_services.submission_draft(
        actor=None, period=periods_ensure(plan, 2025)[0], unit=unit
    )


def _asset_factory(unit):
    import io

    from PIL import Image

    n = next(_serial)
    out = io.BytesIO()
    Image.new("RGB", (48, 32), (n * 37 % 256, n * 91 % 256, n * 13 % 256)).save(out, "PNG")
    return media_services.asset_upload(
        actor=None,
        unit=unit,
        name=f"anh-{n}.png",
        data=out.getvalue(),
        title=f"Ảnh tư liệu {n}",
        licence=Licence.OWN,
        allow_duplicate=True,
    )


def _collection_factory(unit):
    return media_services.collection_create(
        actor=None, unit=unit, title=f"Bộ sưu tập {next(_serial)}"
    )


register_scoped_factory(Asset, _asset_factory)
register_scoped_factory(Collection, _collection_factory)
register_scoped_factory(OrgUnit, _unit_factory)
register_scoped_factory(ReportingPeriod, _period_factory)
register_scoped_factory(Submission, _submission_factory)
register_scoped_factory(Activity, _activity_factory)
register_scoped_factory(Membership, _membership_factory)
register_scoped_factory(Evidence, _evidence_factory)
register_scoped_factory(Plan, _plan_factory)
register_scoped_factory(PlanImport, _plan_import_factory)
register_scoped_factory(
    Question,
    lambda unit: Question.objects.create(
        unit=unit, text="Xã nộp báo cáo khi nào?", channel="web", status="waiting"
    ),
)
register_scoped_factory(
    Document,
    lambda unit: Document.objects.create(
        unit=unit, name=f"huong-dan-{next(_serial)}.txt", kind="text", review="pending"
    ),
)


def _content_item_factory(unit):
    from lantoa.content import services as content_services

    author = User.objects.create_user(f"editor{next(_serial)}", password=PASSWORD)
    services.membership_grant(actor=None, user=author, unit=unit, role=Role.EDITOR)
    return content_services.item_create(
        actor=author, unit=unit, kind="news", title=f"Tin chuyển đổi số {next(_serial)}"
    )


register_scoped_factory(ContentItem, _content_item_factory)


def _bulletin_factory(unit):
    from lantoa.content import services as content_services

    author = User.objects.create_user(f"editor{next(_serial)}", password=PASSWORD)
    services.membership_grant(actor=None, user=author, unit=unit, role=Role.EDITOR)
    item = content_services.item_create(
        actor=author, unit=unit, kind="loudspeaker", title=f"Bản tin {next(_serial)}"
    )
    return Bulletin.objects.get(pk=item.pk)


def _cluster_factory(unit):
    return LoudspeakerCluster.objects.create(unit=unit, name=f"Cụm loa {next(_serial)}")


def _broadcast_factory(unit):
    from django.utils import timezone

    broadcast = Broadcast.objects.create(
        unit=unit,
        item=_bulletin_factory(unit),
        starts_at=timezone.now() - datetime.timedelta(hours=1),
    )
    broadcast.clusters.set([_cluster_factory(unit)])
    return broadcast


register_scoped_factory(Bulletin, _bulletin_factory)


def _channel_account_factory(unit):
    from lantoa.channels.choices import Platform

    n = next(_serial)
    return ChannelAccount.objects.create(
        unit=unit, platform=Platform.FACEBOOK, name=f"Trang {n}", remote_id=f"page-{n}"
    )


register_scoped_factory(ChannelAccount, _channel_account_factory)
register_scoped_factory(LoudspeakerCluster, _cluster_factory)
register_scoped_factory(Broadcast, _broadcast_factory)


def _outbox_entry_factory(unit):
    """An outbox entry of a Facebook account of ``unit`` (not sent: no channel is called)."""
    from lantoa.channels.models import ChannelAccount, OutboxEntry

    n = next(_serial)
    item = _content_item_factory(unit)
    account = ChannelAccount.objects.create(
        unit=unit, platform="facebook", name=f"Trang {n}", remote_id=f"page-{n}"
    )
    return OutboxEntry.objects.create(
        item=item, revision=item.latest_revision, account=account, text=item.title, key=f"k-{n}"
    )


register_scoped_factory(OutboxEntry, _outbox_entry_factory)
register_scoped_factory(
    Task,
    lambda unit: Task.objects.create(plan=_plan_factory(unit), text="Duy trì chuyên mục", order=0),
)


@pytest.fixture
def tree(db):
    """Nation → Đồng Nai (Bom Bo, Xuân Lập) and Lạng Sơn, with the units the seed plans name."""

    def division(parent, code, name, kind):
        """Administrative units come from the national list, never from the services."""
        kwargs = {"code": code, "name": name, "kind": kind}
        if parent is None:
            return OrgUnit.objects.add_root(create_kwargs=kwargs)
        return OrgUnit.objects.add_child(parent, create_kwargs=kwargs)

    root = division(None, "BKHCN", "Bộ Khoa học và Công nghệ", UnitKind.NATIONAL)
    dongnai = division(root, "75", "Tỉnh Đồng Nai", UnitKind.PROVINCE)
    langson = division(root, "20", "Tỉnh Lạng Sơn", UnitKind.PROVINCE)
    bombo = division(dongnai, "25405", "Xã Bom Bo", UnitKind.COMMUNE)
    xuanlap = division(dongnai, "26104", "Phường Xuân Lập", UnitKind.WARD)

    def sub(parent, code, name, kind):
        return services.unit_create(actor=None, parent=parent, code=code, name=name, kind=kind)

    return SimpleNamespace(
        root=root,
        dongnai=dongnai,
        langson=langson,
        bombo=bombo,
        xuanlap=xuanlap,
        vhxh=sub(bombo, "25405-VHXH", "Phòng Văn hóa - Xã hội", UnitKind.OFFICE),
        school=sub(bombo, "25405-THBB", "Trường Tiểu học Bom Bo", UnitKind.SCHOOL),
        xl_school=sub(xuanlap, "26104-THXL", "Trường Tiểu học Xuân Lập", UnitKind.SCHOOL),
        skhcn=sub(
            langson, "20-SKHCN", "Sở Khoa học và Công nghệ tỉnh Lạng Sơn", UnitKind.DEPARTMENT
        ),
    )


@pytest.fixture
def make_user(db):
    def make(unit=None, role=Role.REPORTER, username=None, **extra):
        username = username or f"user{next(_serial)}"
        user = User.objects.create_user(
            username, password=PASSWORD, email=f"{username}@example.vn", **extra
        )
        if unit is not None:
            services.membership_grant(actor=None, user=user, unit=unit, role=role)
        return user

    return make


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.utils import translation

    # A request in another language (a visitor's cookie) leaves it active in the thread: each
    # test starts in the site's language.
    translation.deactivate()
    from django.core.cache import cache

    cache.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def import_plan_text():
    """Import a plan written as text for a unit, read and understood as an uploaded file is."""

    def make(unit, text: str, filename: str = "k.txt"):
        source = read_document(text.encode())
        return plan_services.plan_import(
            actor=None,
            unit=unit,
            source=source,
            extracted=extract_plan(source.text),
            filename=filename,
        )

    return make


# The calendar (channels): a campaign of the unit, a private calendar address on it.
def _campaign_factory(unit):
    from lantoa.content.models import Campaign

    return Campaign.objects.create(
        unit=unit,
        title=f"Chiến dịch {next(_serial)}",
        starts_on=datetime.date(2026, 5, 1),
        ends_on=datetime.date(2026, 5, 31),
    )


def _calendar_feed_factory(unit):
    from lantoa.channels.calendar_services import calendar_feed_create

    user = User.objects.create_user(f"lich{next(_serial)}", password=PASSWORD)
    services.membership_grant(actor=None, user=user, unit=unit, role=Role.VIEWER)
    return calendar_feed_create(actor=user, unit=unit)[0]


def _register_calendar_factories():
    from lantoa.channels.models import CalendarFeed
    from lantoa.content.models import Campaign

    register_scoped_factory(Campaign, _campaign_factory)
    register_scoped_factory(CalendarFeed, _calendar_feed_factory)


_register_calendar_factories()


def _register_programme_trainings_factories():
    """Trainings and communication network registers (programme app)."""
    import datetime

    from lantoa.programme.models import NetworkMember, TrainingProgramme

    register_scoped_factory(
        TrainingProgramme,
        lambda unit: TrainingProgramme.objects.create(
            unit=unit,
            title="Bồi dưỡng truyền thông",
            starts_on=datetime.date(2025, 3, 1),
            ends_on=datetime.date(2025, 3, 5),
        ),
    )
    register_scoped_factory(
        NetworkMember,
        lambda unit: NetworkMember.objects.create(unit=unit, kind="expert", name="TS. An"),
    )


_register_programme_trainings_factories()


def _award_nomination_factory(unit):
    from lantoa.programme.awards_services import award_nominate
    from lantoa.programme.models.awards import AwardLevel, NominationKind

    return award_nominate(
        actor=None,
        unit=unit,
        kind=NominationKind.COLLECTIVE,
        year=datetime.date.today().year,
        achievement="Hoàn thành tốt nhiệm vụ truyền thông",
        proposed_level=AwardLevel.COMMUNE_CHAIR,
    )


def _award_decision_factory(unit):
    from lantoa.programme.awards_services import award_decide, award_review
    from lantoa.programme.models.awards import AwardLevel

    nomination = award_review(actor=None, nomination=_award_nomination_factory(unit), accept=True)
    return award_decide(
        actor=None,
        nomination=nomination,
        number="1/QĐ-UBND",
        date=datetime.date.today(),
        level=AwardLevel.COMMUNE_CHAIR,
        record_activity=False,
    )


def _register_award_factories():
    from lantoa.programme.models.awards import AwardDecision, AwardNomination

    register_scoped_factory(AwardNomination, _award_nomination_factory)
    register_scoped_factory(AwardDecision, _award_decision_factory)


_register_award_factories()


def _criteria_set_factory(unit):
    from lantoa.evaluation.models import CriteriaSet

    return CriteriaSet.objects.create(unit=unit, year=2025, title=f"Bộ tiêu chí {next(_serial)}")


def _scoring_run_factory(unit):
    from lantoa.evaluation.models import ScoringRun

    return ScoringRun.objects.create(criteria_set=_criteria_set_factory(unit))


def _unit_score_factory(unit):
    from lantoa.evaluation.models import UnitScore

    return UnitScore.objects.create(run=_scoring_run_factory(unit), unit=unit)


def _register_evaluation_factories():
    from lantoa.evaluation.models import CriteriaSet, ScoringRun, UnitScore

    register_scoped_factory(CriteriaSet, _criteria_set_factory)
    register_scoped_factory(ScoringRun, _scoring_run_factory)
    register_scoped_factory(UnitScore, _unit_score_factory)


_register_evaluation_factories()


def _register_programme_sttask_budget_factories():
    """The S&T tasks and budget registers (helper sttasks): one object of each per unit."""
    from lantoa.programme import budget_services, sttasks_services
    from lantoa.programme.models import BudgetEstimate, BudgetSpending, STTask

    def task(unit):
        n = next(_serial)
        return sttasks_services.sttask_create(
            actor=None,
            unit=unit,
            values={
                "code": f"NV-{n}",
                "title": f"Đề tài ứng dụng {n}",
                "level": "provincial",
                "host_organisation": "Viện nghiên cứu",
                "start_year": 2025,
                "end_year": 2026,
                "registered": False,
            },
        )

    def estimate(unit):
        plan_task = Task.objects.create(plan=_plan_factory(unit), text="Hội nghị", order=0)
        return budget_services.estimate_save(
            actor=None, unit=unit, task=plan_task, year=2026, amount=1000
        )

    def spending(unit):
        return budget_services.spending_add(
            actor=None,
            estimate=estimate(unit),
            date=datetime.date(2026, 1, 5),
            amount=10,
            description="In tài liệu",
            document_number="HĐ 01",
            document_date=datetime.date(2026, 1, 5),
            file=budget_services.UploadedDocument("chung-tu.pdf", b"%PDF-1.4\n%%EOF\n"),
        )

    register_scoped_factory(STTask, task)
    register_scoped_factory(BudgetEstimate, estimate)
    register_scoped_factory(BudgetSpending, spending)


_register_programme_sttask_budget_factories()
