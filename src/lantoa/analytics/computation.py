"""How each standard indicator's value is computed for any subtree and period: the one
computation behind a report's figures, the national roll-up and the dashboard. What each
indicator counts is its ``Method`` in the catalogue (``catalogue.DEFINITIONS``).

Every source is read in one grouped query per unit (activities, attendance, people lists, facts,
typed figures) over the path prefix of the subtree; each unit's own contribution is settled
(a unit without a people list counts its largest single attendance, never attendances added
up), then added up into the levels asked for. A typed figure stands for its unit's whole
subtree: the units below it count in the levels below it only. Ratios add numerators and
denominators and divide once, never averaging percentages; a unit without a denominator is
left out of a share altogether.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, Q, Sum
from django.db.models.functions import Substr
from django.http import QueryDict

from lantoa.activities.models import Activity, Attendance
from lantoa.channels.models import Engagement
from lantoa.indicators.catalogue import DEFINITIONS, MEETING_KINDS, Method, name_of
from lantoa.indicators.models import IndicatorEntry, UnitFact
from lantoa.orgs.choices import SUBNATIONAL_KINDS
from lantoa.orgs.models import OrgUnit, Person
from lantoa.plans.models import in_force_q
from lantoa.programme import sttasks_selectors
from lantoa.programme.models import TrainingProgramme

__all__ = ["MEETING_KINDS", "METHODS", "Method", "Value", "compute", "compute_all", "values_all"]

METHODS: dict[str, Method] = {code: s.method for code, s in DEFINITIONS.items()}
STEP = OrgUnit.steplen
SHARE = "%"  # the display unit of the indicators that are a numerator over a denominator
LARGEST = ("people", "largest")  # methods counting the largest single figure, never a sum


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


def _covered(paths, typed: set[str]) -> dict[str, int]:
    """{path: depth of its deepest strict ancestor with a typed figure} for the units under
    one: that figure stands for them in its level and above."""
    covered: dict[str, int] = {}
    if typed:
        for path in paths:
            for depth in range(len(path) // STEP - 1, 0, -1):
                if path[: STEP * depth] in typed:
                    covered[path] = depth
                    break
    return covered


def _spread(
    per_unit: dict[str, tuple],
    levels: list[int],
    covered: dict[str, int] | None = None,
    share: bool = False,
) -> dict[str, tuple]:
    """Add each unit's (numerator, denominator) into every requested level at or above it
    (only below the unit's ``covered`` depth, where a typed figure stands for it): first into
    the deepest level's prefixes (one pass over the units), then level by level up from those
    few totals. In a ``share``, a unit without a denominator adds nothing: its numerator shows
    for itself alone, when nothing below it has a denominator."""
    covered = covered or {}
    deepest = STEP * levels[-1]
    buckets: dict[tuple[str, int, int], tuple] = {}
    for path, (num, den) in per_unit.items():
        alone = len(path) // STEP if share and den is None else 0  # its own level only
        key = (path[:deepest], covered.get(path, 0), alone)
        old = buckets.get(key)
        buckets[key] = (num, den) if old is None else (_plus(old[0], num), _plus(old[1], den))
    totals: dict[str, tuple] = {}
    bare: dict[str, tuple] = {}
    for depth in levels:
        width = STEP * depth
        for (key, floor, alone), (num, den) in buckets.items():
            if len(key) < width or depth <= floor or alone not in (0, depth):
                continue
            prefix = key[:width]
            into = bare if alone else totals
            old = into.get(prefix)
            into[prefix] = (num, den) if old is None else (_plus(old[0], num), _plus(old[1], den))
    for prefix, found in bare.items():
        totals.setdefault(prefix, found)
    return totals


def _by_unit(queryset, paths: dict[int, str], aggregates: dict, extra: tuple[str, ...] = ()):
    """Rows grouped by unit (on the unit's id, no join), each with its unit's path."""
    for row in queryset.values("unit_id", *extra).annotate(**aggregates).order_by():
        path = paths.get(row.pop("unit_id"))
        if path is not None:  # None: a unit added while this ran, counted next time
            row["unit__path"] = path
            yield row


def _people_contributions(
    codes: dict[str, Method],
    start,
    end,
    scope: str,
    paths: dict,
    largest: dict,
    unsigned: dict,
    facts: dict,
) -> dict[str, dict[str, tuple]]:
    """Per unit: distinct people reached over the people on its list, or its largest single
    attendance without a sign-in sheet (``unsigned``) when more; for a unit without a list, its
    largest single attendance (``largest``) over the figure it states (``facts``)."""
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
            reached = Q(attendances__activity__in=sessions)
            if method.register == "trainings":
                # Trainees of the register's sessions in the period (any unit's programme),
                # the same Person as on a sign-in sheet: counted once (distinct below).
                reached |= Q(
                    trainings__session__date__gte=start,
                    trainings__session__date__lte=end,
                    trainings__attended=True,
                )
            attended = _by_unit(
                people.filter(reached),
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
            reached = max(numerators[path], unsigned.get(code, {}).get(path) or 0)
            result[code][path] = (Decimal(reached), Decimal(on_list + former[path]))
        for path, n in largest.get(code, {}).items():
            if path not in listed and n is not None:
                result[code][path] = (Decimal(n), None)
        for path, value in facts.get(method.fact, {}).items():
            if path not in listed:
                result[code][path] = (result[code].get(path, (Decimal(0), None))[0], value)
    return result


def _register_programmes(start, end, scope: str, paths: dict) -> dict[str, Decimal]:
    """{unit path: programmes of the trainings register with a session in the period}."""
    programmes = TrainingProgramme.objects.filter(
        sessions__date__gte=start, sessions__date__lte=end
    )
    if scope:
        programmes = programmes.filter(unit__path__startswith=scope)
    result = {}
    for row in _by_unit(programmes, paths, {"n": Count("pk", distinct=True)}):
        result[row["unit__path"]] = Decimal(row["n"])
    return result


def _typed(codes: dict[str, Method], start, end, scope: str, paths: dict) -> dict[str, dict]:
    """{code: {unit path: (numerator, denominator)}} the units typed for periods inside the
    span: a share the latest (people are not added up across periods), a count the sum of the
    periods not inside another one typed."""
    found: dict[tuple[str, str], list] = defaultdict(list)
    entries = _in_scope(
        IndicatorEntry.objects.filter(
            indicator__code__in=list(codes), period_start__gte=start, period_end__lte=end
        ),
        scope,
    ).order_by("period_end", "-period_start")  # the latest, then the longest, last
    rows = entries.values_list(
        "indicator__code", "unit_id", "period_start", "period_end", "numerator", "denominator"
    )
    for code, unit_id, first, last, num, den in rows:
        if unit_id in paths:
            found[code, paths[unit_id]].append((first, last, num, den))
    result: dict[str, dict[str, tuple]] = {code: {} for code in codes}
    for (code, path), typed in found.items():
        if DEFINITIONS[code].display_unit == SHARE:
            result[code][path] = typed[-1][2:]
            continue
        outermost = [
            e for e in typed if not any(o is not e and o[0] <= e[0] and e[1] <= o[1] for o in typed)
        ]
        result[code][path] = (sum(e[2] for e in outermost), None)
    return result


def _platform_contributions(method: Method, start, end, scope: str, paths: dict) -> dict:
    """{unit path: (sum, None)} of what the platforms report of the unit's posts: each post at
    its largest (latest: platforms report running totals) reading in the period, added up over
    the posts of the unit's accounts. Nothing (not zero) for a unit without readings."""
    readings = Engagement.objects.filter(date__gte=start, date__lte=end)
    if scope:
        readings = readings.filter(entry__account__unit__path__startswith=scope)
    totals: dict[str, Decimal] = {}
    rows = (
        readings.values("entry_id", "entry__account__unit_id")
        .annotate(value=Max(method.field))
        .order_by()
    )
    for row in rows:
        path = paths.get(row["entry__account__unit_id"])
        if path is not None and row["value"] is not None:
            totals[path] = totals.get(path, Decimal(0)) + Decimal(row["value"])
    return {path: (value, None) for path, value in totals.items()}


def _contributions(codes: dict[str, Method], start, end, scope: str) -> tuple[dict, dict]:
    """{code: {unit path: (numerator, denominator)}}: each unit's own part, before adding up,
    and {code: paths of the units whose typed figure stands for their subtree}."""
    result: dict[str, dict[str, tuple]] = {code: {} for code in codes}
    paths = dict(OrgUnit.objects.filter(path__startswith=scope).values_list("pk", "path"))

    # One grouped query over the activities serves every activity-based indicator.
    from_activities = {c: m for c, m in codes.items() if m.from_activities}
    largest: dict[str, dict[str, int]] = defaultdict(dict)
    unsigned: dict[str, dict[str, int]] = defaultdict(dict)  # without a sign-in sheet
    no_sheet = ~Exists(Attendance.objects.filter(activity=OuterRef("pk")))
    if from_activities:
        aggregates = {}
        for code, method in from_activities.items():
            where = Q(kind__in=method.activity_kinds) if method.activity_kinds else Q()
            if method.kind == "count":
                if method.register == "trainings":
                    where &= Q(training_session__isnull=True)  # counted from the register
                aggregates[f"all_{code}"] = Count("pk", filter=where)
            elif method.kind in LARGEST:
                aggregates[f"all_{code}"] = Max(method.field, filter=where)
                if method.kind == "people":
                    aggregates[f"unsigned_{code}"] = Max(method.field, filter=where & no_sheet)
            else:
                aggregates[f"all_{code}"] = Sum(method.field, filter=where)
        for row in _by_unit(_counted_activities(start, end, scope), paths, aggregates):
            path = row["unit__path"]
            for code, method in from_activities.items():
                if method.kind == "people":
                    largest[code][path] = row[f"all_{code}"]
                    unsigned[code][path] = row[f"unsigned_{code}"]
                else:
                    result[code][path] = (Decimal(row[f"all_{code}"] or 0), None)

    for code, method in from_activities.items():
        if method.kind == "count" and method.register == "trainings":
            for path, n in _register_programmes(start, end, scope, paths).items():
                before = result[code].get(path, (Decimal(0), None))[0]
                result[code][path] = (before + n, None)

    facts: dict[str, dict[str, Decimal]] = defaultdict(dict)
    fact_keys = {m.fact for m in codes.values() if m.fact}
    if fact_keys:
        rows = _in_scope(UnitFact.objects.filter(key__in=fact_keys), scope)
        for unit_id, key, value in rows.values_list("unit_id", "key", "value"):
            if unit_id in paths:
                facts[key][paths[unit_id]] = value
    for code, method in codes.items():
        if method.kind in ("ratio", "largest"):
            for path, value in facts[method.fact].items():
                result[code][path] = (result[code].get(path, (Decimal(0), None))[0], value)
        elif method.kind == "yesno":
            for path, value in facts[method.fact].items():
                result[code][path] = (Decimal(1 if value > 0 else 0), Decimal(1))

    people = {c: m for c, m in codes.items() if m.kind == "people"}
    if people:
        result.update(
            _people_contributions(people, start, end, scope, paths, largest, unsigned, facts)
        )

    for code, method in codes.items():
        if method.kind == "platform":
            result[code].update(_platform_contributions(method, start, end, scope, paths))
        elif method.kind == "sttasks":
            # The programme's register: secret tasks are out of both sides of the share.
            result[code].update(
                sttasks_selectors.indicator_parts(method.field, start, end, scope, paths)
            )

    typed = _typed({c: m for c, m in codes.items() if m.typed_wins}, start, end, scope, paths)
    for code, figures in typed.items():
        # The figure a unit states with its source stands for what is computed for it.
        result[code].update(figures)
    return result, {code: set(typed.get(code, ())) for code in codes}


def values_all(
    codes, start: datetime.date, end: datetime.date, depths, under: OrgUnit | None = None
) -> dict[str, dict[str, tuple]]:
    """(numerator, denominator) of every indicator in ``codes`` for every unit path at
    ``depths`` (every depth up to it when a number), within ``under``'s subtree when given."""
    levels = _levels(depths)
    scope = under.path if under is not None else ""
    methods = {code: METHODS[code] for code in codes}
    parts, typed = _contributions(methods, start, end, scope)
    result = {
        code: _spread(
            parts[code],
            levels,
            _covered(parts[code], typed[code]),
            share=DEFINITIONS[code].display_unit == SHARE,  # a share counts no one out of nothing
        )
        for code in codes
    }

    for code in (c for c, m in methods.items() if m.kind == "plans"):
        # A unit's value counts the administrative units one level below it: not additive up
        # the tree, so one small query per level over the administrative units only.
        below = OrgUnit.objects.filter(kind__in=SUBNATIONAL_KINDS, path__startswith=scope)
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
    return Value(code, num, den, DEFINITIONS[code].display_unit)


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
