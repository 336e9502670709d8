"""The built-in indicators: a registry from code to computation, each computed with aggregate queries over the whole
target group (a fixed number of queries, whatever the number of children or schools).

The target group of a period is every child included in the programme's target group on or before the period's
end (the programme's reach is cumulative). Attendance is compared with the baseline school year over the same
span: from the start of the school year up to the period's end, and the same number of days from the start of
the baseline year. Rates count only school days with a register (prezent/attendance); in the baseline, a child
with no register there counts with the absence totals imported for the year's whole months or modules in the span
(scheduled hours from the file, else the calendar's school days times the class's daily hours).

Children who received a service come from case management (prezent/cases); the indicators of activities (parents
reached and parents who completed a course, teachers trained, schools with activities, schools reached by the
campaign) come from prezent/activities.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import DateField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from prezent.activities.selectors import (
    activity_kinds_held,
    localities_with_activities,
    parents_completed_course,
    parents_reached,
    schools_reached_by_campaign,
    schools_with_activities,
    teachers_trained,
)
from prezent.attendance.models import Absence
from prezent.attendance.rates import AttendanceTotals
from prezent.attendance.selectors import attendance_by_child
from prezent.attendance.totals.selectors import attendance_by_child_or_imported
from prezent.cases.selectors import children_served, localities_served, parents_reached_by_services
from prezent.children.models import Child, Enrolment, EthnicityDeclaration, Guardianship, ParentsAbroad, Sex
from prezent.programme.models import MembershipStatus, MembershipStep, Programme
from prezent.results.budget.selectors import spent_total
from prezent.results.disaggregation import (
    DIMENSIONS,
    ROMA_DIMENSION,
    Breakdown,
    Placement,
    breakdown,
    mean,
    placement_keys,
)
from prezent.results.models import Unit
from prezent.schools.models import GRADE_LABELS, Environment, Level, SchoolYear

COUNT, MEAN, AMOUNT = "count", "mean", "amount"


@dataclass(frozen=True)
class Span:
    """What a period's figures are computed over."""

    programme: Programme
    start: datetime.date
    end: datetime.date
    year: SchoolYear | None  # the county's school year holding (or last started before) `end`
    baseline_year: SchoolYear | None
    as_of: datetime.date | None = None  # data recorded up to this day (an open period may end in the future)

    @property
    def year_end(self) -> datetime.date | None:
        if self.year is None:
            return None
        return min(self.end, self.year.end, self.as_of or self.end)

    @property
    def comparable(self) -> bool:
        return bool(self.year and self.baseline_year and self.baseline_year.start < self.year.start)

    @property
    def baseline_end(self) -> datetime.date | None:
        """The day of the baseline year as far into it as `end` is into the current year."""
        if not self.comparable or self.year is None or self.baseline_year is None or self.year_end is None:
            return None
        return min(self.baseline_year.start + (self.year_end - self.year.start), self.baseline_year.end)


@dataclass
class Measure:
    """An indicator's raw result: the children it counts and, for a mean, each child's value (and baseline)."""

    kind: str  # COUNT, MEAN or AMOUNT (a sum of money, about no child: `amount`)
    child_ids: frozenset[int]
    per_child: dict[int, float] | None = None
    per_child_baseline: dict[int, float] | None = None
    available: bool = True  # False: nothing to compare with (the period lies in the baseline year)
    amount: float | None = None

    def restrict(self, allowed: Iterable[int]) -> "Measure":
        ids = self.child_ids & frozenset(allowed)
        return Measure(self.kind, ids, self.per_child, self.per_child_baseline, self.available)

    @property
    def value(self) -> float | None:
        if not self.available:
            return None
        if self.kind == AMOUNT:
            return self.amount
        if self.kind == COUNT:
            return float(len(self.child_ids))
        return mean(self.per_child[i] for i in self.child_ids if self.per_child and i in self.per_child)

    @property
    def baseline(self) -> float | None:
        if self.per_child_baseline is None:
            return None
        return mean(self.per_child_baseline[i] for i in self.child_ids if i in self.per_child_baseline)


class Data:
    """The records one computation reads, each loaded once with an aggregate query and shared by the indicators."""

    def __init__(self, span: Span) -> None:
        self.span = span

    @property
    def target_group_q(self) -> QuerySet:
        """The target group as a subquery (child ids): included on or before the end of the period."""
        return (
            MembershipStep.objects.filter(
                membership__programme=self.span.programme,
                to_status=MembershipStatus.INCLUDED,
                date__lte=self.span.end,
            )
            .values("membership__child_id")
            .distinct()
        )

    @cached_property
    def target_group(self) -> frozenset[int]:
        return frozenset(self.target_group_q.values_list("membership__child_id", flat=True))

    @cached_property
    def target_group_parents(self) -> frozenset[int]:
        """Guardians of the target group's children (the programme's parents: 1,070 planned for 1,070 children)."""
        return frozenset(
            Guardianship.objects.filter(child_id__in=self.target_group_q).values_list("guardian_id", flat=True)
        )

    @cached_property
    def programme_school_ids(self) -> frozenset[int]:
        return frozenset(self.span.programme.schools.values_list("pk", flat=True))

    @cached_property
    def attendance_now(self) -> dict[int, AttendanceTotals]:
        span = self.span
        if span.year is None or span.year_end is None or span.year_end < span.year.start:
            return {}
        return attendance_by_child(child_ids=sorted(self.target_group), start=span.year.start, end=span.year_end)

    @cached_property
    def attendance_baseline(self) -> dict[int, AttendanceTotals]:
        span = self.span
        if span.baseline_year is None or span.baseline_end is None:
            return {}
        # A child with no register in the baseline span counts with the totals imported for that year.
        return attendance_by_child_or_imported(
            child_ids=sorted(self.target_group),
            school_year=span.baseline_year,
            start=span.baseline_year.start,
            end=span.baseline_end,
        )

    @cached_property
    def parents_reached(self) -> frozenset[int]:
        """The target group's parents reached, once each, however: by name in an activity, a course or a campaign
        meeting, or by casework (a service to the family, on a case, a distribution list or a group, or a home visit
        where the parent was found: `cases.selectors.parents_reached_by_services`)."""
        span = _programme_span(self)
        reached = parents_reached(**span) | parents_reached_by_services(**span)
        return frozenset(reached) & self.target_group_parents

    @cached_property
    def roma_parents(self) -> frozenset[int]:
        """Guardians of the target group's children who declared Roma ethnicity."""
        return frozenset(
            Guardianship.objects.filter(
                child_id__in=self.target_group_q,
                child__ethnicity_declaration__ethnicity=EthnicityDeclaration.Ethnicity.ROMA,
            ).values_list("guardian_id", flat=True)
        )

    @cached_property
    def roma(self) -> frozenset[int]:
        return frozenset(
            EthnicityDeclaration.objects.filter(
                child_id__in=self.target_group_q, ethnicity=EthnicityDeclaration.Ethnicity.ROMA
            ).values_list("child_id", flat=True)
        )


def _rates(totals: dict[int, AttendanceTotals]) -> dict[int, float]:
    return {child_id: t.rate * 100 for child_id, t in totals.items() if t.rate is not None}


def _children(data: Data) -> Measure:
    return Measure(COUNT, data.target_group)


def _children_girls(data: Data) -> Measure:
    girls = Child.objects.filter(pk__in=data.target_group_q, sex=Sex.FEMALE).values_list("pk", flat=True)
    return Measure(COUNT, frozenset(girls))


def _children_roma(data: Data) -> Measure:
    return Measure(COUNT, data.roma)


def _attendance_rate(data: Data) -> Measure:
    now = _rates(data.attendance_now)
    baseline = _rates(data.attendance_baseline)
    return Measure(MEAN, frozenset(now), now, baseline if data.span.comparable else None)


def _attendance_change(data: Data) -> dict[int, float]:
    now, baseline = _rates(data.attendance_now), _rates(data.attendance_baseline)
    return {child_id: now[child_id] - baseline[child_id] for child_id in now if child_id in baseline}


def _attendance_improved(data: Data) -> Measure:
    change = _attendance_change(data)
    improved = frozenset(i for i, delta in change.items() if delta > 0)
    return Measure(COUNT, improved, change, available=data.span.comparable)


def _attendance_change_points(data: Data) -> Measure:
    change = _attendance_change(data)
    return Measure(MEAN, frozenset(change), change, available=data.span.comparable)


def _unexcused_per_child(data: Data) -> Measure:
    """Unexcused hours this year; the baseline is the same child's unexcused hours in the baseline year scaled to
    the hours recorded for them this year, so a year whose registers cover fewer days is compared fairly."""
    now_totals = {i: t for i, t in data.attendance_now.items() if t.scheduled_hours > 0}
    now = {i: float(t.unexcused_hours) for i, t in now_totals.items()}
    baseline = {
        i: t.unexcused_hours * now_totals[i].scheduled_hours / t.scheduled_hours
        for i, t in data.attendance_baseline.items()
        if t.scheduled_hours > 0 and i in now_totals
    }
    return Measure(MEAN, frozenset(now), now, baseline if data.span.comparable else None)


def _dropped_out(data: Data) -> Measure:
    ids = Enrolment.objects.filter(
        child_id__in=data.target_group_q,
        end_reason=Enrolment.EndReason.DROPPED_OUT,
        end__gte=data.span.programme.start,
        end__lte=data.span.end,
    ).values_list("child_id", flat=True)
    return Measure(COUNT, frozenset(ids))


ABROAD = (ParentsAbroad.ONE, ParentsAbroad.BOTH, ParentsAbroad.ONLY_PARENT)


def _parents_abroad(data: Data) -> Measure:
    ids = Child.objects.filter(pk__in=data.target_group_q, household__parents_abroad__in=ABROAD).values_list(
        "pk", flat=True
    )
    return Measure(COUNT, frozenset(ids))


def _children_served(data: Data) -> Measure:
    """Children of the target group who received at least one intervention (to them or to their family) from the
    programme's start to the period's end."""
    served = children_served(start=data.span.programme.start, end=data.span.end)
    return Measure(COUNT, frozenset(served) & data.target_group)


def _programme_span(data: Data) -> dict[str, datetime.date]:
    """The programme's reach is cumulative: from its start to the period's end."""
    return {"start": data.span.programme.start, "end": data.span.end}


def _parents(data: Data) -> Measure:
    return Measure(COUNT, data.parents_reached)


def _roma_parents(data: Data) -> Measure:
    return Measure(COUNT, data.parents_reached & data.roma_parents)


def _communities_reached(data: Data) -> Measure:
    span = _programme_span(data)
    return Measure(COUNT, frozenset(localities_served(**span) | localities_with_activities(**span)))


def _activity_types(data: Data) -> Measure:
    return Measure(COUNT, frozenset(activity_kinds_held(**_programme_span(data))))


def _parents_completed_course(data: Data) -> Measure:
    completed = parents_completed_course(**_programme_span(data))
    return Measure(COUNT, frozenset(completed) & data.target_group_parents)


def _teachers(data: Data) -> Measure:
    return Measure(COUNT, frozenset(teachers_trained(**_programme_span(data))))


def _schools_with_activities(data: Data) -> Measure:
    return Measure(COUNT, frozenset(schools_with_activities(**_programme_span(data))) & data.programme_school_ids)


def _schools_reached_by_campaign(data: Data) -> Measure:
    reached = schools_reached_by_campaign(**_programme_span(data))
    return Measure(COUNT, frozenset(reached) & data.programme_school_ids)


def _spent_eur(data: Data) -> Measure:
    """Money spent from the programme's start to the period's end (EUR): the services delivered priced with their
    unit costs, and the costs recorded (prezent/results/budget)."""
    spent = spent_total(programme=data.span.programme, start=data.span.programme.start, end=data.span.end)
    return Measure(AMOUNT, frozenset(), amount=float(spent))


@dataclass(frozen=True)
class Spec:
    code: str
    name: Promise
    definition: Promise
    unit: str
    compute: Callable[[Data], Measure]
    restricted: bool = False  # special-category data (ethnicity): only for the roles in ETHNICITY_ROLES
    decimals: int = 0
    # False for counts of parents, teachers or schools: their ids are not children, so they are neither broken
    # down by the children's dimensions nor shown for one school or commune.
    about_children: bool = True
    # An "of which" figure: the code of the group it is part of. It is hidden with that group, and when the rest
    # of the group (the group minus it) is under 5 (`selectors._suppress_rows`).
    part_of: str | None = None


REGISTRY: dict[str, Spec] = {
    spec.code: spec
    for spec in (
        Spec(
            "children",
            _("Copii în grupul țintă"),
            _(
                "Copiii incluși în grupul țintă al programului până la sfârșitul perioadei (cumulat de la începutul "
                "programului), din pașii grupului țintă."
            ),
            Unit.CHILDREN,
            _children,
        ),
        Spec(
            "children_girls",
            _("din care fete"),
            _("Fetele dintre copiii din grupul țintă (sexul din fișa copilului)."),
            Unit.CHILDREN,
            _children_girls,
            part_of="children",
        ),
        Spec(
            "children_roma",
            _("din care romi"),
            _(
                "Copiii din grupul țintă care și-au declarat etnia romă (declarație separată, cu temeiul ei legal). "
                "Doar agregat, cu celulele sub 5 ascunse."
            ),
            Unit.CHILDREN,
            _children_roma,
            restricted=True,
            part_of="children",
        ),
        Spec(
            "children_served",
            _("Copii care au primit cel puțin un serviciu"),
            _(
                "Copiii din grupul țintă cu cel puțin o intervenție înregistrată în dosarul de caz (lor sau "
                "familiei lor: masă caldă, rechizite, after-school, consiliere, vizită la domiciliu etc.), de la "
                "începutul programului până la sfârșitul perioadei."
            ),
            Unit.CHILDREN,
            _children_served,
        ),
        Spec(
            "attendance_rate",
            _("Rata de prezență a copiilor din grupul țintă (%)"),
            _(
                "Media ratelor de prezență ale copiilor din grupul țintă în anul școlar curent, până la sfârșitul "
                "perioadei, din condică (doar zilele cu condică); referința: aceiași copii, în aceeași parte a "
                "anului școlar de referință."
            ),
            Unit.POINTS,
            _attendance_rate,
            decimals=1,
        ),
        Spec(
            "attendance_improved",
            _("Copii cu prezența îmbunătățită față de anul de referință"),
            _(
                "Copiii din grupul țintă a căror rată de prezență în anul curent (până la sfârșitul perioadei) e mai "
                "mare decât în aceeași parte a anului de referință; doar copiii cu condică în ambii ani."
            ),
            Unit.CHILDREN,
            _attendance_improved,
        ),
        Spec(
            "attendance_change",
            _("Schimbarea medie a prezenței față de anul de referință"),
            _(
                "Media diferențelor (în puncte procentuale) dintre rata de prezență a fiecărui copil în anul "
                "curent și în anul de referință, pe aceeași parte a anului; doar copiii cu condică în ambii ani."
            ),
            Unit.POINTS,
            _attendance_change_points,
            decimals=1,
        ),
        Spec(
            "unexcused_per_child",
            _("Ore nemotivate pe copil"),
            _(
                "Media orelor nemotivate ale copiilor din grupul țintă în anul curent, până la sfârșitul perioadei; "
                "referința: aceiași copii, în aceeași parte a anului de referință, raportat la același număr de ore "
                "înregistrate în condică."
            ),
            Unit.HOURS,
            _unexcused_per_child,
            decimals=1,
        ),
        Spec(
            "dropped_out",
            _("Copii care au abandonat școala"),
            _(
                "Copiii din grupul țintă a căror înscriere s-a încheiat cu motivul „abandon școlar” între începutul "
                "programului și sfârșitul perioadei."
            ),
            Unit.CHILDREN,
            _dropped_out,
        ),
        Spec(
            "parents_abroad",
            _("Copii cu părinți plecați în străinătate"),
            _(
                "Copiii din grupul țintă din gospodării cu unul sau ambii părinți (sau părintele unic) plecați în "
                "străinătate, din fișa gospodăriei."
            ),
            Unit.CHILDREN,
            _parents_abroad,
        ),
        Spec(
            "parents",
            _("Părinți sprijiniți"),
            _(
                "Părinții și tutorii copiilor din grupul țintă atinși de program, fiecare o singură dată: au "
                "participat, cu numele, la o activitate, o sesiune de curs sau o întâlnire a campaniei, ori au "
                "primit un serviciu pentru familie sau o vizită la domiciliu în care au fost găsiți acasă, de la "
                "începutul programului până la sfârșitul perioadei."
            ),
            Unit.PEOPLE,
            _parents,
            about_children=False,
        ),
        Spec(
            "roma_parents",
            _("din care părinți ai copiilor romi"),
            _(
                "Părinții sprijiniți ai copiilor din grupul țintă care și-au declarat etnia romă. Doar agregat, cu "
                "celulele sub 5 ascunse."
            ),
            Unit.PEOPLE,
            _roma_parents,
            restricted=True,
            part_of="parents",
            about_children=False,
        ),
        Spec(
            "parents_completed_course",
            _("Părinți care au absolvit un curs"),
            _(
                "Părinții și tutorii copiilor din grupul țintă care au îndeplinit regula de absolvire (implicit 80 % "
                "din sesiuni) a unui curs pentru părinți încheiat de la începutul programului până la sfârșitul "
                "perioadei."
            ),
            Unit.PEOPLE,
            _parents_completed_course,
            about_children=False,
        ),
        Spec(
            "teachers",
            _("Cadre didactice formate"),
            _(
                "Cadrele didactice care au absolvit un curs pentru profesori încheiat de la începutul programului "
                "până la sfârșitul perioadei, fiecare o singură dată: cu cont în Prezent sau doar pe lista de "
                "cursanți (nume și școală)."
            ),
            Unit.PEOPLE,
            _teachers,
            about_children=False,
        ),
        Spec(
            "communities_reached",
            _("Comunități atinse"),
            _(
                "Localitățile (SIRUTA) în care locuiește un copil care a primit un serviciu (localitatea "
                "gospodăriei, altfel a școlii) sau în care s-a ținut o activitate ori un eveniment al campaniei, de "
                "la începutul programului până la sfârșitul perioadei."
            ),
            Unit.LOCALITIES,
            _communities_reached,
            about_children=False,
        ),
        Spec(
            "activity_types",
            _("Tipuri de activități desfășurate"),
            _(
                "Tipurile de activități nonformale ținute, plus cursurile pentru părinți, cursurile pentru profesori "
                "și campania de informare, fiecare socotit o dată dacă a avut loc, de la începutul programului până "
                "la sfârșitul perioadei."
            ),
            Unit.KINDS,
            _activity_types,
            about_children=False,
        ),
        Spec(
            "schools_with_activities",
            _("Școli cu activități ale programului"),
            _(
                "Școlile programului în care s-a ținut cel puțin o activitate nonformală, de la începutul "
                "programului până la sfârșitul perioadei."
            ),
            Unit.SCHOOLS,
            _schools_with_activities,
            about_children=False,
        ),
        Spec(
            "schools_reached_by_campaign",
            _("Școli atinse de campania de informare"),
            _(
                "Școlile programului în care s-a ținut cel puțin un eveniment al campaniei de informare, de la "
                "începutul programului până la sfârșitul perioadei."
            ),
            Unit.SCHOOLS,
            _schools_reached_by_campaign,
            about_children=False,
        ),
        Spec(
            "spent_eur",
            _("Cheltuieli (EUR)"),
            _(
                "Suma cheltuită de la începutul programului până la sfârșitul perioadei, în euro: serviciile "
                "acordate (cantitatea sau 1 pe livrare, înmulțită cu costul unitar în vigoare în ziua livrării) și "
                "cheltuielile înregistrate pentru activități, cursuri, campanie și altele. Ținta: bugetul "
                "planificat."
            ),
            Unit.EUR,
            _spent_eur,
            decimals=2,
            about_children=False,
        ),
    )
}

# The built-in indicators whose records are kept by case management and activities; not computed here yet.


@dataclass
class Figure:
    spec: Spec
    measure: Measure
    breakdowns: dict[str, Breakdown] = field(default_factory=dict)

    @property
    def value(self) -> float | None:
        return self.measure.value

    @property
    def baseline(self) -> float | None:
        return self.measure.baseline


def placements_for(*, child_ids: QuerySet | frozenset[int], end: datetime.date) -> tuple[dict[int, Placement], dict]:
    """Each child's sex and last class enrolled in on or before `end`, in one query, with the labels of the
    schools and communes met."""
    rows = (
        Enrolment.objects.filter(child_id__in=child_ids, start__lte=end)
        .annotate(commune_id=Coalesce("class_group__school__locality__uat_id", "class_group__school__locality_id"))
        .annotate(
            commune_name=Coalesce("class_group__school__locality__uat__name", "class_group__school__locality__name")
        )
        .values_list(
            "child_id",
            "start",
            "child__sex",
            "class_group__level",
            "class_group__grade",
            "class_group__school_id",
            "class_group__school__name",
            "class_group__school__environment",
            "commune_id",
            "commune_name",
        )
        .order_by("child_id", "start", "pk")
    )
    placements: dict[int, Placement] = {}
    schools: dict[str, str] = {}
    communes: dict[str, str] = {}
    for child_id, _start, sex, level, grade, school_id, school_name, env, commune_id, commune_name in rows:
        placements[child_id] = Placement(sex, level, grade, school_id, commune_id, env)  # the latest start wins
        schools[str(school_id)] = school_name
        communes[str(commune_id)] = commune_name
    labels = {
        "sex": {k: str(v) for k, v in Sex.choices},
        "level": {k: str(v) for k, v in Level.choices},
        "grade": {str(k): v for k, v in GRADE_LABELS.items()},
        "environment": {k: str(v) for k, v in Environment.choices},
        "school": schools,
        "commune": communes,
        ROMA_DIMENSION: {"roma": str(_("romi")), "other": str(_("ceilalți (inclusiv fără declarație)"))},
    }
    return placements, labels


def evaluate(
    *,
    span: Span,
    codes: Iterable[str] | None = None,
    with_breakdowns: bool = True,
    with_roma: bool = False,
    school_ids: frozenset[int] | None = None,
    commune_ids: frozenset[int] | None = None,
) -> dict[str, Figure]:
    """Compute the indicators (all of the registry by default) for the span. `with_roma` adds the Roma split to
    every breakdown (the caller decides by role); `school_ids` / `commune_ids` keep only the children placed in
    those schools / communes. Breakdowns hold real counts: suppress them with `for_display` before showing."""
    data = Data(span)
    wanted = [REGISTRY[c] for c in (codes if codes is not None else REGISTRY) if c in REGISTRY]
    if not with_roma:
        wanted = [s for s in wanted if not s.restricted]
    figures = {spec.code: Figure(spec, spec.compute(data)) for spec in wanted}
    placements: dict[int, Placement] = {}
    labels: dict = {}
    if with_breakdowns or school_ids is not None or commune_ids is not None:
        placements, labels = placements_for(child_ids=data.target_group_q, end=span.end)
    if school_ids is not None or commune_ids is not None:
        allowed = [
            i
            for i, p in placements.items()
            if (school_ids is None or p.school_id in school_ids)
            and (commune_ids is None or p.commune_id in commune_ids)
        ]
        for figure in figures.values():
            if figure.spec.about_children:
                figure.measure = figure.measure.restrict(allowed)
            else:
                figure.measure = Measure(figure.measure.kind, frozenset(), available=False)
    if with_breakdowns:
        roma = data.roma if with_roma else None
        # each child's cell in each dimension, worked out once for all the figures
        keys = {
            dimension: placement_keys(placements, dimension)
            for dimension, _label in DIMENSIONS
            if dimension != ROMA_DIMENSION
        }
        for figure in figures.values():
            if not figure.spec.about_children:
                continue
            per_child = figure.measure.per_child if figure.measure.kind == MEAN else None
            child_ids = sorted(figure.measure.child_ids)
            for dimension, _label in DIMENSIONS:
                if dimension == ROMA_DIMENSION and (not with_roma or figure.spec.restricted):
                    continue
                figure.breakdowns[dimension] = breakdown(
                    dimension=dimension,
                    child_ids=child_ids,
                    placements=placements,
                    labels=labels.get(dimension, {}),
                    per_child=per_child,
                    roma_ids=roma,
                    keys=keys.get(dimension),
                )
    return figures


def register_day_while_enrolled(start: datetime.date, end: datetime.date) -> Q:
    """On Enrolment: the class's register entries in [start, end] that fall inside the enrolment."""
    day = "class_group__register_entries__date"
    return (
        Q(**{f"{day}__gte": start})
        & Q(**{f"{day}__lte": end})
        & Q(**{f"{day}__gte": F("start")})
        & Q(**{f"{day}__lte": Coalesce(F("end"), Value(end, output_field=DateField()))})
    )


def attendance_by_month(
    *, child_ids: QuerySet, start: datetime.date, end: datetime.date
) -> dict[datetime.date, AttendanceTotals]:
    """The children's pooled attendance per calendar month of [start, end]: two aggregate queries grouped by
    school day (a few hundred rows), summed into months here (a month function in SQL would run per row)."""
    if end < start:
        return {}
    scheduled_rows = (
        Enrolment.objects.filter(register_day_while_enrolled(start, end), child_id__in=child_ids)
        .values_list("class_group__register_entries__date")
        .annotate(scheduled=Sum("class_group__register_entries__hours"))
        .order_by()
    )
    absent_rows = (
        Absence.objects.filter(child_id__in=child_ids, date__gte=start, date__lte=end)
        .values_list("date")
        .annotate(total=Sum("hours"), excused=Sum("hours", filter=Q(excused=True)))
        .order_by()
    )
    months: dict[datetime.date, list[int]] = {}
    for day, scheduled in scheduled_rows:
        months.setdefault(day.replace(day=1), [0, 0, 0])[0] += scheduled or 0
    for day, total, excused in absent_rows:
        bucket = months.setdefault(day.replace(day=1), [0, 0, 0])
        bucket[1] += total or 0
        bucket[2] += excused or 0
    return {month: AttendanceTotals(*months[month]) for month in sorted(months)}
