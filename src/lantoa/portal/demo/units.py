"""Demo data shaped like the seed plans, written through the real services.

The units that issued the seed plans (xã Bom Bo and phường Xuân Lập in tỉnh Đồng Nai, tỉnh Lạng
Sơn) get the sub-units their plans name, and every role gets one demo account per level.
Running it again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import translation

from lantoa.orgs import services
from lantoa.orgs.choices import Role, UnitKind
from lantoa.orgs.models import Membership, OrgUnit, User
from lantoa.orgs.national import ROOT_CODE, load_national_tree

DEMO_PASSWORD = "lantoa-demo-2025"  # noqa: S105 - printed on purpose by `make demo`

# (parent code, code, name, kind): parents before children.
DEMO_UNITS = [
    ("75", "75-SKHCN", "Sở Khoa học và Công nghệ tỉnh Đồng Nai", UnitKind.DEPARTMENT),
    ("75", "75-BPTTH", "Báo và Phát thanh, Truyền hình Đồng Nai", UnitKind.PRESS),
    ("25405", "25405-VHXH", "Phòng Văn hóa - Xã hội", UnitKind.OFFICE),
    ("25405", "25405-KT", "Phòng Kinh tế", UnitKind.OFFICE),
    ("25405", "25405-VP", "Văn phòng HĐND và UBND", UnitKind.OFFICE),
    ("25405", "25405-TTDV", "Trung tâm dịch vụ tổng hợp", UnitKind.SERVICE_CENTRE),
    ("25405", "25405-MTTQ", "Ủy ban MTTQ Việt Nam xã Bom Bo", UnitKind.MASS_ORGANISATION),
    ("25405", "25405-THBB", "Trường Tiểu học Bom Bo", UnitKind.SCHOOL),
    ("25405", "25405-THCSBB", "Trường THCS Bom Bo", UnitKind.SCHOOL),
    ("25405", "25405-T1", "Thôn 1", UnitKind.VILLAGE),
    ("26104", "26104-VHXH", "Phòng Văn hóa - Xã hội", UnitKind.OFFICE),
    ("26104", "26104-VP", "Văn phòng HĐND và UBND", UnitKind.OFFICE),
    ("26104", "26104-KTHTDT", "Phòng Kinh tế, Hạ tầng và Đô thị", UnitKind.OFFICE),
    ("26104", "26104-TTDV", "Trung tâm dịch vụ tổng hợp", UnitKind.SERVICE_CENTRE),
    ("26104", "26104-MTTQ", "Ủy ban MTTQ Việt Nam phường Xuân Lập", UnitKind.MASS_ORGANISATION),
    ("26104", "26104-THXL", "Trường Tiểu học Xuân Lập", UnitKind.SCHOOL),
    ("20", "20-SKHCN", "Sở Khoa học và Công nghệ tỉnh Lạng Sơn", UnitKind.DEPARTMENT),
    ("20", "20-SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch tỉnh Lạng Sơn", UnitKind.DEPARTMENT),
    ("20", "20-STC", "Sở Tài chính tỉnh Lạng Sơn", UnitKind.DEPARTMENT),
    ("20", "20-SGDDT", "Sở Giáo dục và Đào tạo tỉnh Lạng Sơn", UnitKind.DEPARTMENT),
    ("20", "20-BPTTH", "Báo và Phát thanh, Truyền hình Lạng Sơn", UnitKind.PRESS),
]

# (username suffix, unit code, display of the level)
DEMO_LEVELS = [
    ("national", ROOT_CODE),
    ("dongnai", "75"),
    ("langson", "20"),
    ("bombo", "25405"),
    ("xuanlap", "26104"),
]
# Units below a commune report too: one reporter for a school.
DEMO_EXTRA = [
    ("reporter.truong-bombo", "25405-THBB", Role.REPORTER, "Giáo viên Trường Tiểu học Bom Bo")
]

ROLE_SLUG = {
    Role.FOCAL_POINT: "focal",
    Role.REPORTER: "reporter",
    Role.EDITOR: "editor",
    Role.APPROVER: "approver",
    Role.VIEWER: "viewer",
    Role.ADMINISTRATOR: "admin",
}


@dataclass
class DemoLogin:
    username: str
    role: str
    unit: str


def _account(username: str, full_name: str, unit: OrgUnit, role: str) -> DemoLogin:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = services.user_create(
            actor=None,
            username=username,
            full_name=full_name,
            email=f"{username}@demo.lantoa.local",
            unit=unit,
            role=role,
            password=DEMO_PASSWORD,
        )
    elif not Membership.objects.filter(user=user, unit=unit, role=role).exists():
        services.membership_grant(actor=None, user=user, unit=unit, role=role)
    return DemoLogin(username=username, role=str(Role(role).label), unit=unit.name)


@transaction.atomic
@translation.override("vi")
def load_demo() -> list[DemoLogin]:
    load_national_tree()
    units = {
        u.code: u for u in OrgUnit.objects.filter(code__in=[code for _suffix, code in DEMO_LEVELS])
    }
    for parent_code, code, name, kind in DEMO_UNITS:
        if code not in units:
            existing = OrgUnit.objects.filter(code=code).first()
            parent = units.get(parent_code) or OrgUnit.objects.get(code=parent_code)
            units[code] = existing or services.unit_create(
                actor=None, parent=parent, code=code, name=name, kind=kind
            )
    logins = []
    for suffix, code in DEMO_LEVELS:
        unit = units[code]
        for role, slug in ROLE_SLUG.items():
            label = str(Role(role).label)
            logins.append(_account(f"{slug}.{suffix}", f"{label} {unit.name}", unit, role))
    for username, code, role, full_name in DEMO_EXTRA:
        logins.append(_account(username, full_name, units[code], role))
    superuser = User.objects.filter(username="superadmin").first()
    if superuser is None:
        User.objects.create_superuser(
            "superadmin",
            "superadmin@demo.lantoa.local",
            DEMO_PASSWORD,
            full_name="Quản trị hệ thống",
        )
    logins.append(DemoLogin(username="superadmin", role="superuser", unit="—"))
    return logins
