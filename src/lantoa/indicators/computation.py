"""How each standard indicator's value is computed for a unit's subtree and a period, and how it
rolls up the tree.

- count / sum: activities of some kinds in the period, counted or summed over one count field;
- ratio: such a sum over a fact the units keep (officials in the unit, communication staff,
  population); rolling up adds numerators and denominators and divides once, never averaging
  percentages;
- yes/no: a fact each unit states (the NQ57 section on its website); rolled up as "n of m units";
- share of units with a plan in force below the unit (the 2025 "100% units issue a plan");
- typed: a value a unit enters with its source when nothing in Lantoa can compute it.

Every value for a subtree is one aggregate query on the path prefix, whatever the tree's size.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.http import QueryDict

from lantoa.activities.models import Activity
from lantoa.orgs.models import OrgUnit
from lantoa.plans.models import in_force_q

from .models import IndicatorEntry, UnitFact

MEETING_KINDS = ("meeting", "training", "event")


@dataclass(frozen=True)
class Method:
    kind: str  # count | sum | ratio | yesno | plans | typed
    activity_kinds: tuple[str, ...] = ()
    field: str | None = None
    fact: str | None = None


METHODS: dict[str, Method] = {
    "officials_informed": Method("ratio", MEETING_KINDS, "officials", "officials_total"),
    "staff_trained": Method("ratio", ("training",), "staff_trained", "communication_staff_total"),
    "citizens_reached": Method("ratio", (), "audience", "population"),
    "training_programs": Method("count", ("training",)),
    "central_trainings": Method("typed"),
    "website_section": Method("yesno", fact="website_section"),
    "network_formed": Method("yesno", fact="network_formed"),
    "units_with_plan": Method("plans"),
    "press_sections": Method("typed"),
    "directive_documents": Method("typed"),
    "st_tasks_communicated": Method("typed"),
}


@dataclass
class Value:
    code: str
    numerator: Decimal | None
    denominator: Decimal | None
    unit: str  # "%", "count", "n_of_m"

    @property
    def value(self) -> Decimal | None:
        if self.unit == "count":
            return self.numerator
        if not self.denominator:
            return None
        return (Decimal(100) * (self.numerator or 0) / self.denominator).quantize(Decimal("0.1"))

    @property
    def name(self):
        from .catalogue import STANDARD_INDICATORS

        return next((s.name for s in STANDARD_INDICATORS if s.code == self.code), self.code)

    @property
    def display(self) -> str:
        value = self.value
        if value is None:
            return "—"
        text = format(value.normalize(), "f").replace(".", ",")
        if self.unit == "n_of_m":
            return f"{self.numerator:g}/{self.denominator:g} ({text}%)"
        return text + ("%" if self.unit == "%" else "")

    @property
    def over_100(self) -> bool:
        return self.unit == "%" and self.value is not None and self.value > 100


def _activities(unit: OrgUnit, start: datetime.date, end: datetime.date, kinds: tuple[str, ...]):
    activities = Activity.objects.filter(
        unit__path__startswith=unit.path, date__gte=start, date__lte=end
    )
    return activities.filter(kind__in=kinds) if kinds else activities


def evidence_query(code: str, *, unit: OrgUnit, start: datetime.date, end: datetime.date):
    """The filter of the activities list that shows the activities behind an indicator's value
    (None when the value does not come from activities), so every figure can be traced."""
    method = METHODS.get(code)
    if method is None or method.kind not in ("count", "sum", "ratio"):
        return None
    query = QueryDict(mutable=True)
    query["unit"] = str(unit.pk)
    query["from"], query["to"] = start.isoformat(), end.isoformat()
    query.setlist("kind", list(method.activity_kinds))
    if method.field:
        query["field"] = method.field
    return query.urlencode()


def _fact_sum(unit: OrgUnit, key: str) -> Decimal | None:
    return UnitFact.objects.filter(unit__path__startswith=unit.path, key=key).aggregate(
        s=Sum("value")
    )["s"]


def compute(code: str, *, unit: OrgUnit, start: datetime.date, end: datetime.date) -> Value:
    """The value of indicator ``code`` for ``unit``'s whole subtree over [start, end]."""
    method = METHODS[code]
    if method.kind == "count":
        n = _activities(unit, start, end, method.activity_kinds).count()
        return Value(code, Decimal(n), None, "count")
    if method.kind == "sum":
        total = (
            _activities(unit, start, end, method.activity_kinds).aggregate(s=Sum(method.field))["s"]
            or 0
        )
        return Value(code, Decimal(total), None, "count")
    if method.kind == "ratio":
        total = (
            _activities(unit, start, end, method.activity_kinds).aggregate(s=Sum(method.field))["s"]
            or 0
        )
        return Value(code, Decimal(total), _fact_sum(unit, method.fact), "%")
    if method.kind == "yesno":
        facts = UnitFact.objects.filter(
            unit__path__startswith=unit.path, key=method.fact
        ).aggregate(yes=Count("pk", filter=Q(value__gt=0)), all=Count("pk"))
        return Value(code, Decimal(facts["yes"]), Decimal(facts["all"]), "n_of_m")
    if method.kind == "plans":
        below = OrgUnit.objects.filter(
            path__startswith=unit.path,
            depth=unit.depth + 1,
            kind__in=("province", "city", "commune", "ward", "special_zone"),
        )
        counts = below.aggregate(
            all=Count("pk", distinct=True),
            yes=Count("pk", filter=in_force_q("plans__"), distinct=True),
        )
        return Value(code, Decimal(counts["yes"]), Decimal(counts["all"]), "n_of_m")
    entries = IndicatorEntry.objects.filter(
        unit__path__startswith=unit.path, indicator__code=code, period_start=start, period_end=end
    ).aggregate(num=Sum("numerator"), den=Sum("denominator"))
    unit_kind = "%" if entries["den"] is not None else "count"
    return Value(code, entries["num"], entries["den"], unit_kind)


def compute_all(*, unit: OrgUnit, start: datetime.date, end: datetime.date) -> list[Value]:
    return [compute(code, unit=unit, start=start, end=end) for code in METHODS]
