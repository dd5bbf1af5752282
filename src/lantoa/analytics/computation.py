"""How each standard indicator's value is computed for any subtree and period: the one
computation behind a report's figures, the national roll-up and the dashboard. What each
indicator counts is its ``Method`` in the catalogue (``catalogue.DEFINITIONS``).

Every source is read in one grouped query per unit (activities, attendance, people lists, facts,
typed figures) over the path prefix of the subtree; each unit's own contribution is settled
(a typed figure stands for what is computed for that unit; a unit without a people list counts
its largest single attendance, never attendances added up), then added up into the levels
asked for. Ratios add numerators and denominators and divide once, never averaging percentages.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Substr
from django.http import QueryDict

from lantoa.activities.models import Activity
from lantoa.indicators.catalogue import DEFINITIONS, MEETING_KINDS, Method, name_of
from lantoa.indicators.models import IndicatorEntry, UnitFact
from lantoa.orgs.choices import SUBNATIONAL_KINDS
from lantoa.orgs.models import OrgUnit, Person
from lantoa.plans.models import in_force_q

__all__ = ["MEETING_KINDS", "METHODS", "Method", "Value", "compute", "compute_all", "values_all"]

METHODS: dict[str, Method] = {code: s.method for code, s in DEFINITIONS.items()}
STEP = OrgUnit.steplen
ADMINISTRATIVE = SUBNATIONAL_KINDS


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
        return name_of(self.code)

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
        """A share above 100 % cannot be true: it is never printed, it is flagged to the unit."""
        return self.unit == "%" and self.value is not None and self.value > 100


def display_unit(code: str) -> str:
    return DEFINITIONS[code].display_unit


def evidence_query(code: str, *, unit: OrgUnit, start: datetime.date, end: datetime.date):
    """The filter of the activities list that shows the activities behind an indicator's value
    (None when the value does not come from activities), so every figure can be traced."""
    method = METHODS.get(code)
    if method is None or not method.from_activities:
        return None
    query = QueryDict(mutable=True)
    query["unit"] = str(unit.pk)
    query["from"], query["to"] = start.isoformat(), end.isoformat()
    query.setlist("kind", list(method.activity_kinds))
    if method.field:
        query["field"] = method.field
    return query.urlencode()


def _counted_activities(start, end, scope: str, kinds: tuple[str, ...] = ()):
    """The activities every figure counts: in the period, in the subtree, of the kinds (the
    one place withdrawn activities are left out)."""
    activities = _in_scope(Activity.objects.counted().filter(date__gte=start, date__lte=end), scope)
    return activities.filter(kind__in=kinds) if kinds else activities


def _in_scope(queryset, scope: str):
    """Within the subtree at ``scope`` (no join at all for the whole country)."""
    return queryset.filter(unit__path__startswith=scope) if scope else queryset


def _plus(a, b):
    """Add two optional numbers: None means nothing to add, not zero."""
    if a is None:
        return b
    return a if b is None else a + b


def _levels(depths) -> list[int]:
    return list(range(1, depths + 1)) if isinstance(depths, int) else sorted(depths)


def _spread(per_unit: dict[str, tuple], levels: list[int]) -> dict[str, tuple]:
    """Add each unit's (numerator, denominator) into every requested level at or above it:
    first into the deepest level's prefixes (one pass over the units), then level by level up
    from those few totals."""
    deepest = STEP * levels[-1]
    buckets: dict[str, tuple] = {}
    for path, (num, den) in per_unit.items():
        key = path[:deepest]
        old = buckets.get(key)
        buckets[key] = (num, den) if old is None else (_plus(old[0], num), _plus(old[1], den))
    totals: dict[str, tuple] = {}
    for depth in levels:
        width = STEP * depth
        for key, (num, den) in buckets.items():
            if len(key) < width:
                continue
            prefix = key[:width]
            old = totals.get(prefix)
            totals[prefix] = (num, den) if old is None else (_plus(old[0], num), _plus(old[1], den))
    return totals


def _by_unit(queryset, paths: dict[int, str], aggregates: dict, extra: tuple[str, ...] = ()):
    """Rows grouped by unit (on the unit's id, no join), each with its unit's path."""
    for row in queryset.values("unit_id", *extra).annotate(**aggregates).order_by():
        path = paths.get(row.pop("unit_id"))
        if path is not None:  # None: a unit added while this ran, counted next time
            row["unit__path"] = path
            yield row


def _people_contributions(
    codes: dict[str, Method], start, end, scope: str, paths: dict, largest: dict, facts: dict
) -> dict[str, dict[str, tuple]]:
    """Per unit: distinct people reached over the people on its list; for a unit without a
    list, its largest single attendance (``largest``) over the figure it states (``facts``)."""
    result: dict[str, dict[str, tuple]] = {code: {} for code in codes}
    on_lists = _by_unit(
        _in_scope(Person.objects.filter(is_active=True), scope),
        paths,
        {"n": Count("pk")},
        ("kind",),
    )
    listed: dict[str, dict[str, int]] = defaultdict(dict)  # path → kind → people
    for row in on_lists:
        listed[row["unit__path"]][row["kind"]] = row["n"]
    for code, method in codes.items():
        numerators: dict[str, int] = defaultdict(int)
        former: dict[str, int] = defaultdict(int)  # left the list since, counted in this period
        if listed:
            people = _in_scope(Person.objects.all(), scope)
            if method.person_kinds:
                people = people.filter(kind__in=method.person_kinds)
            # Any session counts, wherever it was held (a teacher at the commune's meeting).
            sessions = _counted_activities(start, end, "", method.activity_kinds)
            attended = _by_unit(
                people.filter(attendances__activity__in=sessions),
                paths,
                {"n": Count("pk", distinct=True)},
                ("is_active",),
            )
            for row in attended:
                numerators[row["unit__path"]] += row["n"]
                if not row["is_active"]:
                    former[row["unit__path"]] += row["n"]
        for path, kinds in listed.items():
            on_list = sum(
                n
                for kind, n in kinds.items()
                if not method.person_kinds or kind in method.person_kinds
            )
            result[code][path] = (Decimal(numerators[path]), Decimal(on_list + former[path]))
        for path, n in largest.get(code, {}).items():
            if path not in listed and n is not None:
                result[code][path] = (Decimal(n), None)
        for path, value in facts.get(method.fact, {}).items():
            if path not in listed:
                result[code][path] = (result[code].get(path, (Decimal(0), None))[0], value)
    return result


def _contributions(codes: dict[str, Method], start, end, scope: str) -> dict[str, dict]:
    """{code: {unit path: (numerator, denominator)}}: each unit's own part, before adding up."""
    result: dict[str, dict[str, tuple]] = {code: {} for code in codes}
    paths = dict(OrgUnit.objects.filter(path__startswith=scope).values_list("pk", "path"))

    # One grouped query over the activities serves every activity-based indicator.
    from_activities = {
        c: m for c, m in codes.items() if m.kind in ("count", "sum", "ratio", "people")
    }
    largest: dict[str, dict[str, int]] = defaultdict(dict)
    if from_activities:
        aggregates = {}
        for code, method in from_activities.items():
            where = Q(kind__in=method.activity_kinds) if method.activity_kinds else Q()
            if method.kind == "count":
                aggregates[code] = Count("pk", filter=where)
            elif method.kind == "people":
                aggregates[code] = Max(method.field, filter=where)
            else:
                aggregates[code] = Sum(method.field, filter=where)
        for row in _by_unit(_counted_activities(start, end, scope), paths, aggregates):
            path = row["unit__path"]
            for code, method in from_activities.items():
                if method.kind == "people":
                    largest[code][path] = row[code]
                else:
                    result[code][path] = (Decimal(row[code] or 0), None)

    facts: dict[str, dict[str, Decimal]] = defaultdict(dict)
    fact_keys = {m.fact for m in codes.values() if m.kind in ("ratio", "yesno", "people")}
    if fact_keys:
        rows = _in_scope(UnitFact.objects.filter(key__in=fact_keys), scope)
        for unit_id, key, value in rows.values_list("unit_id", "key", "value"):
            if unit_id in paths:
                facts[key][paths[unit_id]] = value
    for code, method in codes.items():
        if method.kind == "ratio":
            for path, value in facts[method.fact].items():
                result[code][path] = (result[code].get(path, (Decimal(0), None))[0], value)
        elif method.kind == "yesno":
            for path, value in facts[method.fact].items():
                result[code][path] = (Decimal(1 if value > 0 else 0), Decimal(1))

    people = {c: m for c, m in codes.items() if m.kind == "people"}
    if people:
        result.update(_people_contributions(people, start, end, scope, paths, largest, facts))

    typed = [c for c, m in codes.items() if m.typed_wins]
    if typed:
        entries = _in_scope(
            IndicatorEntry.objects.filter(
                indicator__code__in=typed, period_start=start, period_end=end
            ),
            scope,
        ).values_list("indicator__code", "unit_id", "numerator", "denominator")
        for code, unit_id, num, den in entries:
            # The figure a unit states with its source stands for what is computed for it.
            if unit_id in paths:
                result[code][paths[unit_id]] = (num, den)
    return result


def values_all(
    codes, start: datetime.date, end: datetime.date, depths, under: OrgUnit | None = None
) -> dict[str, dict[str, tuple]]:
    """(numerator, denominator) of every indicator in ``codes`` for every unit path at
    ``depths`` (every depth up to it when a number), within ``under``'s subtree when given."""
    levels = _levels(depths)
    scope = under.path if under is not None else ""
    methods = {code: METHODS[code] for code in codes}
    parts = _contributions(methods, start, end, scope)
    result = {code: _spread(parts[code], levels) for code in codes}

    for code in (c for c, m in methods.items() if m.kind == "plans"):
        # A unit's value counts the administrative units one level below it: not additive up
        # the tree, so one small query per level over the administrative units only.
        below = OrgUnit.objects.filter(kind__in=ADMINISTRATIVE, path__startswith=scope)
        for depth in levels:
            rows = (
                below.filter(depth=depth + 1)
                .annotate(prefix=Substr("path", 1, STEP * depth))
                .values("prefix")
                .annotate(
                    all=Count("pk", distinct=True),
                    yes=Count("pk", filter=in_force_q("plans__"), distinct=True),
                )
                .order_by()
            )
            for row in rows:
                result[code][row["prefix"]] = (Decimal(row["yes"]), Decimal(row["all"]))
    return result


def value_of(code: str, found: tuple | None) -> Value:
    """The Value of a (numerator, denominator) pair as stored or computed; activities counted
    over nothing are zero, not unknown."""
    num, den = found or (None, None)
    if num is None and METHODS[code].from_activities:
        num = Decimal(0)
    return Value(code, num, den, display_unit(code))


def compute_all(
    *, unit: OrgUnit, start: datetime.date, end: datetime.date, codes=None
) -> list[Value]:
    """The value of every indicator (or of ``codes``) for ``unit``'s whole subtree."""
    codes = list(codes or METHODS)
    found = values_all(codes, start, end, [unit.depth], under=unit)
    return [value_of(code, found[code].get(unit.path)) for code in codes]


def compute(code: str, *, unit: OrgUnit, start: datetime.date, end: datetime.date) -> Value:
    """The value of indicator ``code`` for ``unit``'s whole subtree over [start, end]."""
    return compute_all(unit=unit, start=start, end=end, codes=[code])[0]
