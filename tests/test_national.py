"""The national tree from vietnam-provinces: counts, codes, types, idempotence, subtree queries."""

from collections import Counter

from django.db import connection

from lantoa.orgs.choices import UnitKind
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.national import ROOT_CODE, load_national_tree


def test_national_tree(db, django_assert_max_num_queries):
    first = load_national_tree()
    assert first.created == 1 + 34 + 3321
    root = OrgUnit.objects.get(code=ROOT_CODE)
    assert root.name == "Bộ Khoa học và Công nghệ" and root.depth == 1
    assert OrgUnit.objects.filter(depth=2).count() == 34
    assert OrgUnit.objects.filter(depth=3).count() == 3321
    kinds = Counter(OrgUnit.objects.filter(depth=3).values_list("kind", flat=True))
    assert kinds == {UnitKind.COMMUNE: 2621, UnitKind.WARD: 687, UnitKind.SPECIAL_ZONE: 13}

    dongnai = OrgUnit.objects.get(code="75")
    assert dongnai.name == "Tỉnh Đồng Nai" and dongnai.kind == UnitKind.PROVINCE
    assert OrgUnit.objects.get(code="01").kind == UnitKind.CITY
    bombo = OrgUnit.objects.get(code="25405")
    assert bombo.name == "Xã Bom Bo" and OrgUnit.objects.get_parent(bombo) == dongnai
    assert OrgUnit.objects.get(code="26104").name == "Phường Xuân Lập"
    assert OrgUnit.objects.get(code="20").name == "Tỉnh Lạng Sơn"
    # treebeard's own consistency check finds nothing wrong with the bulk-built paths
    assert all(not problem for problem in OrgUnit.objects.find_problems())

    # Everything under Đồng Nai is one query on the path.
    with django_assert_max_num_queries(1):
        under = OrgUnit.objects.filter(path__startswith=dongnai.path).count()
    assert under == 1 + OrgUnit.objects.filter(depth=3, path__startswith=dongnai.path).count() > 50

    again = load_national_tree()
    assert again.created == 0 and again.renamed == 0
    assert OrgUnit.objects.count() == 1 + 34 + 3321


def test_renamed_unit_is_restored_not_duplicated(db):
    load_national_tree()
    OrgUnit.objects.filter(code="25405").update(name="Xa Bom Bo cu")
    result = load_national_tree()
    assert result.renamed == 1 and result.created == 0
    assert OrgUnit.objects.get(code="25405").name_folded == "xa bom bo"


def test_subtree_query_uses_the_path_index_on_postgresql(db):
    if connection.vendor != "postgresql":
        return  # SQLite has no planner choice to check; the PostgreSQL run asserts it
    load_national_tree()
    dongnai = OrgUnit.objects.get(code="75")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        sql, params = (
            OrgUnit.objects.filter(path__startswith=dongnai.path)
            .values("pk")
            .query.sql_with_params()
        )
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "Index" in plan and "path" in plan, plan
