"""The demo's pupils and their families: households in the schools' villages, children in classes, guardians.

2025-2026 takes each school's real pupil numbers (2024-2025 file) spread over the grades and classes, in
households of one to three siblings; 2026-2027 moves everyone up a grade, keeps a few back, lets grade VIII go
and brings a new pregătitoare. In both years about 1 % of families move away and a few pupils drop out.

Classes, households, guardians, children and enrolments are written after the staff (a class needs its
teacher), as plain rows whose ids are read back in order.
"""

import bisect
import datetime
import math
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from prezent.children.cnp import cnp_make
from prezent.children.models import Child, Enrolment, Guardian, Guardianship, Household, ParentsAbroad, Sex
from prezent.demo.plan import (
    ChildPlan,
    ClassPlan,
    D,
    DemoPlan,
    GuardianPlan,
    HouseholdPlan,
    SchoolPlan,
    Segment,
)
from prezent.demo.rows import db_date, db_datetime, rows_insert, rows_insert_ids
from prezent.programme.models import MembershipStatus
from prezent.schools.models import ClassGroup, Locality, level_for_grade

CNP_COUNTY_IASI = 22

# Class sizes: a class holds at most 28 pupils; two classes of a grade are made only if each keeps at least 10.
MAX_CLASS_SIZE = 28
MIN_CLASS_SIZE = 10
LETTERS = "ABCDEFGH"


# ---------------------------------------------------------------------------------------------------------------
# Classes


def _grade_sizes(plan: DemoPlan, total: int, parts: int) -> list[int]:
    """`total` pupils over `parts` grades, each grade within ±15 % of the mean (largest remainder)."""
    weights = [plan.rng.uniform(0.85, 1.15) for _ in range(parts)]
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    sizes = [int(x) for x in raw]
    order = sorted(range(parts), key=lambda i: (-(raw[i] - sizes[i]), i))
    for i in order[: total - sum(sizes)]:
        sizes[i] += 1
    return sizes


def _class_count(pupils: int) -> int:
    """Classes of a grade: as few as keep each under 28 pupils, never two of fewer than 10."""
    count = max(1, math.ceil(pupils / MAX_CLASS_SIZE))
    while count > 1 and pupils / count < MIN_CLASS_SIZE:
        count -= 1
    return count


def _class(plan: DemoPlan, year: int, school: SchoolPlan, grade: int, letter: str) -> ClassPlan:
    """The class of the school, year, grade and letter, planned on first use."""
    key = (year, school.index, grade, letter)
    klass = plan.class_by_key.get(key)
    if klass is None:
        klass = ClassPlan(index=len(plan.classes), year=year, school=school, grade=grade, letter=letter)
        plan.classes.append(klass)
        plan.class_by_key[key] = klass
        letters = school.letters[year].setdefault(grade, [])
        if letter not in letters:
            letters.append(letter)
    return klass


# ---------------------------------------------------------------------------------------------------------------
# Households, children, guardians


def _home_village(plan: DemoPlan, school: SchoolPlan, roma: bool) -> Locality:
    """Most Roma families live in the school's Roma village; the others half in the school's own village."""
    rng = plan.rng
    if roma and school.roma_village is not None and rng.random() < 0.85:
        return school.roma_village
    if rng.random() < 0.55:
        return school.school.locality
    return rng.choice(school.villages)


def _parents_abroad(plan: DemoPlan) -> tuple[str, datetime.date | None]:
    """About one family in six has a parent working abroad now or until recently, and since when."""
    rng = plan.rng
    draw = rng.random()
    if draw < 0.035:
        abroad = ParentsAbroad.BOTH
    elif draw < 0.12:
        abroad = ParentsAbroad.ONE
    elif draw < 0.135:
        abroad = ParentsAbroad.ONLY_PARENT
    elif draw < 0.16:
        abroad = ParentsAbroad.RETURNED
    else:
        abroad = ParentsAbroad.NONE
    since = None
    if abroad == ParentsAbroad.RETURNED:
        since = D(2023, 1, 1) + datetime.timedelta(days=rng.randrange(0, 900))
    elif abroad != ParentsAbroad.NONE:
        since = D(2017, 1, 1) + datetime.timedelta(days=rng.randrange(0, 3150))
    return abroad, since


def _household_new(plan: DemoPlan, school: SchoolPlan) -> HouseholdPlan:
    """A family of the school: Roma with the school's Roma share, poorer if Roma, further away outside the
    school's village; social benefit and missing papers follow poverty."""
    rng = plan.rng
    roma = rng.random() < school.roma_share
    village = _home_village(plan, school, roma)
    poverty = rng.random() ** 1.8
    if roma:
        poverty = min(1.0, poverty * 0.6 + 0.35)
    abroad, since = _parents_abroad(plan)
    single = abroad == ParentsAbroad.ONLY_PARENT or rng.random() < 0.09 + 0.10 * poverty
    near = village == school.school.locality
    distance = rng.uniform(0.2, 2.5) if near else rng.uniform(2.0, 9.5)
    household = HouseholdPlan(
        index=len(plan.households),
        school=school,
        village=village,
        last_name=plan.fake.last_name(),
        roma=roma,
        poverty=poverty,
        social_benefit=rng.random() < 0.04 + 0.75 * poverty**1.5,
        parents_abroad=abroad,
        parents_abroad_since=since,
        single_parent=single,
        distance_km=round(distance, 1),
        no_papers=rng.random() < (0.005 + (0.08 if roma and poverty > 0.6 else 0.0)),
        number=rng.randint(1, 480),
    )
    plan.households.append(household)
    school.households.append(household)
    return household


def _birth_date(plan: DemoPlan, school_year: int, grade: int, extra_years: int) -> datetime.date:
    """Pregătitoare takes children who turn 6 by 31 August; each repeated or late year adds one."""
    first_year = plan.years[school_year].start.year - 7 - grade - extra_years
    start = D(first_year, 9, 1)
    return start + datetime.timedelta(days=plan.rng.randrange(0, 365))


def _child_new(plan: DemoPlan, household: HouseholdPlan, birth_date: datetime.date, over_age: bool) -> ChildPlan:
    """A child of the household; 60 % of those with papers have a CNP on record (serials unique per birth date
    and sex)."""
    sex = Sex.FEMALE if plan.rng.random() < 0.49 else Sex.MALE
    first = plan.fake.first_name_female() if sex == Sex.FEMALE else plan.fake.first_name_male()
    child = ChildPlan(
        index=len(plan.children),
        household=household,
        sex=sex,
        first_name=first,
        birth_date=birth_date,
        over_age=over_age,
    )
    if not household.no_papers and plan.rng.random() < 0.6:
        key = (birth_date, sex)
        serial = plan.cnp_serials.get(key, plan.rng.randint(1, 400))
        plan.cnp_serials[key] = serial + 1
        child.cnp = cnp_make(sex=sex, birth_date=birth_date, county=CNP_COUNTY_IASI, serial=serial % 1000 or 1)
    plan.children.append(child)
    household.children.append(child)
    return child


def _risk(plan: DemoPlan, child: ChildPlan) -> float:
    """A latent risk that drives the school's proposal and, with it, the absences."""
    h = child.household
    risk = 0.45 * h.poverty + (0.15 if h.roma else 0.0)
    if h.parents_abroad in (ParentsAbroad.BOTH, ParentsAbroad.ONLY_PARENT):
        risk += 0.15
    elif h.parents_abroad == ParentsAbroad.ONE:
        risk += 0.05
    risk += 0.08 * h.single_parent + 0.25 * child.over_age + 0.06 * (h.distance_km > 4) + 0.1 * h.no_papers
    return risk + plan.rng.gauss(0, 0.1)


def _guardians_add(plan: DemoPlan, household: HouseholdPlan) -> None:
    """The household's guardians: a grandmother when the parents are abroad, one parent in single-parent
    families, else mostly both; poorer families more often have no phone number."""
    rng, fake = plan.rng, plan.fake
    name = household.last_name

    def phone() -> str:
        return f"07{rng.randint(20000000, 99999999)}"

    def person(sex: str, relationship: str, primary: bool, works_abroad: bool = False) -> GuardianPlan:
        has_phone = rng.random() < (0.92 - 0.25 * household.poverty)
        return GuardianPlan(
            first_name=fake.first_name_female() if sex == Sex.FEMALE else fake.first_name_male(),
            last_name=name,
            sex=sex,
            relationship=relationship,
            primary=primary,
            phone=phone() if has_phone else "",
            phone_verified=has_phone and rng.random() < 0.35,
            works_abroad=works_abroad,
        )

    mother, father = Guardianship.Relationship.MOTHER, Guardianship.Relationship.FATHER
    grand = Guardianship.Relationship.GRANDPARENT
    abroad = household.parents_abroad
    if abroad == ParentsAbroad.BOTH or abroad == ParentsAbroad.ONLY_PARENT:
        household.guardians = [person(Sex.FEMALE, grand, True), person(Sex.FEMALE, mother, False, True)]
    elif abroad == ParentsAbroad.ONE:
        household.guardians = [person(Sex.FEMALE, mother, True), person(Sex.MALE, father, False, True)]
    elif household.single_parent:
        if rng.random() < 0.85:
            household.guardians = [person(Sex.FEMALE, mother, True)]
        else:
            household.guardians = [person(Sex.MALE, father, True)]
    elif rng.random() < 0.8:
        household.guardians = [person(Sex.FEMALE, mother, True), person(Sex.MALE, father, False)]
    else:
        household.guardians = [person(Sex.FEMALE, mother, True)]


def propensity_assign(plan: DemoPlan, child: ChildPlan) -> None:
    """Most pupils miss 1–6 % of their hours; a minority (more in the target group) 10 % or more."""
    rng = plan.rng
    in_group = child.membership in (MembershipStatus.INCLUDED, MembershipStatus.EXITED)
    chronic_probability = 0.33 if in_group else 0.02 + 0.10 * min(1.0, max(0.0, child.risk))
    child.chronic = rng.random() < chronic_probability
    if child.chronic:
        child.rate = rng.uniform(0.10, 0.22) if rng.random() < 0.85 else rng.uniform(0.22, 0.40)
    elif in_group:
        child.rate = rng.uniform(0.04, 0.09)
    else:
        child.rate = rng.triangular(0.005, 0.065, 0.028)
    h = child.household
    child.farm_work = h.poverty >= 0.45 or h.social_benefit
    path_assign(plan, child)


def path_assign(plan: DemoPlan, child: ChildPlan) -> None:
    """The level the pupil's marks vary around (about 8.7, less 3.2 × their risk and 1.3 for chronic absentees)
    and whether their conduct marks fall under 8 (a few percent of pupils: more among those at risk and the
    chronic absentees, but not all of them). Drawn with `plan.path_rng`."""
    rng = plan.path_rng
    risk = min(1.0, max(0.0, child.risk))
    child.level = 8.7 - 3.2 * child.risk - (1.3 if child.chronic else 0.0) + rng.gauss(0, 0.7)
    child.conduct_low = rng.random() < 0.015 + 0.08 * risk + (0.10 if child.chronic else 0.0)


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def dropout_probability(plan: DemoPlan, child: ChildPlan, grade: int) -> float:
    """The chance that a pupil drops out over a whole year, from their path: the share of hours they miss, how
    far their marks are under 7.5, conduct under 8, being over-age, the grade (rare before grade IV) and noise
    (`plan.path_rng`). The hidden risk enters only through the path, as it does in a real school."""
    x = (
        -7.4
        + 10.0 * child.rate
        + 0.7 * max(0.0, 7.5 - child.level)
        + (1.2 if child.conduct_low else 0.0)
        + (0.6 if child.over_age else 0.0)
        + (0.6 if grade >= 6 else -1.5 if grade < 4 else 0.0)
        + plan.path_rng.gauss(0, 2.0)
    )
    return _logistic(x)


def repeat_probability(plan: DemoPlan, child: ChildPlan) -> float:
    """The chance that the school keeps a pupil back at the year's end, from their path: the share of hours
    missed, how far their marks are under 6.8, and noise (`plan.path_rng`)."""
    x = -5.3 + 14.0 * child.rate + 1.2 * max(0.0, 6.8 - child.level) + plan.path_rng.gauss(0, 0.8)
    return _logistic(x)


# ---------------------------------------------------------------------------------------------------------------
# 2025-2026


def pupils_plan_first_year(plan: DemoPlan) -> None:
    """2025-2026: the real pupil numbers (2024-2025 file) spread over the grades, in households."""
    for school in plan.school_plans:
        seats = _first_year_seats(plan, school)
        taken = [False] * len(seats)
        for i in range(len(seats)):
            if taken[i]:
                continue
            household = _household_new(plan, school)
            for seat, grade, letter in _siblings_seats(plan, seats, taken, i):
                taken[seat] = True
                _first_year_pupil(plan, household, plan.class_by_key[(0, school.index, grade, letter)])
            _guardians_add(plan, household)


def _first_year_seats(plan: DemoPlan, school: SchoolPlan) -> list[tuple[int, str]]:
    """The school's seats as (grade, letter), in a random order: its pupils split over the grades, each grade
    into as few classes as keep them under 28."""
    sizes = _grade_sizes(plan, school.primary, 5) + _grade_sizes(plan, school.lower_secondary, 4)
    seats: list[tuple[int, str]] = []
    for grade, size in enumerate(sizes):
        count = _class_count(size)
        for k in range(count):
            klass = _class(plan, 0, school, grade, LETTERS[k])
            share = size // count + (1 if k < size % count else 0)
            seats.extend((klass.grade, klass.letter) for _ in range(share))
    plan.rng.shuffle(seats)
    return seats


def _siblings_seats(
    plan: DemoPlan, seats: list[tuple[int, str]], taken: list[bool], first: int
) -> list[tuple[int, int, str]]:
    """A family's seats as (seat, grade, letter): the first free seat and, for 38 % of families, one or two
    siblings in other grades among the next 80 seats."""
    draw = plan.rng.random()
    siblings = 0 if draw < 0.62 else 1 if draw < 0.90 else 2
    grade, letter = seats[first]
    members = [(first, grade, letter)]
    grades = {grade}
    j = first + 1
    while siblings and j < min(len(seats), first + 80):
        if not taken[j] and seats[j][0] not in grades:
            members.append((j, *seats[j]))
            grades.add(seats[j][0])
            siblings -= 1
        j += 1
    return members


def _first_year_pupil(plan: DemoPlan, household: HouseholdPlan, klass: ClassPlan) -> None:
    """A pupil of 2025-2026 in `klass` for the whole year: poorer families repeat more, and children without
    papers often started school a year late."""
    rng = plan.rng
    grade = klass.grade
    repeating = grade >= 1 and rng.random() < 0.02 + 0.04 * household.poverty
    late = not repeating and household.no_papers and rng.random() < 0.5
    child = _child_new(plan, household, _birth_date(plan, 0, grade, int(repeating or late)), repeating or late)
    child.segments.append(
        Segment(klass=klass, start=plan.years[0].start, end=plan.class_end(klass), end_reason="year_end")
    )
    child.segments[-1].repeating = repeating
    child.risk = _risk(plan, child)


# ---------------------------------------------------------------------------------------------------------------
# Moving away, dropping out


def _random_day(plan: DemoPlan, year: int, first: datetime.date, last: datetime.date) -> datetime.date | None:
    days = plan.year_days[year]
    lo, hi = bisect.bisect_left(days, first), bisect.bisect_right(days, last)
    return days[plan.rng.randrange(lo, hi)] if hi > lo else None


def _next_school_day(plan: DemoPlan, year: int, day: datetime.date) -> datetime.date | None:
    days = plan.year_days[year]
    index = bisect.bisect_right(days, day)
    return days[index] if index < len(days) else None


def moves_plan(plan: DemoPlan, year: int) -> None:
    """About 1 % of families move in a year: to another programme school, another school, or abroad."""
    last = plan.last_day[year]
    if last is None:
        return
    start = plan.years[year].start
    first = D(2025, 11, 3) if year == 0 else start + datetime.timedelta(days=14)
    window_end = min(last, plan.years[year].end - datetime.timedelta(days=21))
    if window_end < first:
        return
    full = (plan.years[year].end - first).days
    probability = 0.011 * (window_end - first).days / full
    for household in list(plan.households):
        if plan.rng.random() >= probability:
            continue
        if year == 1 and any(c.membership for c in household.children):
            continue  # the target group stays as confirmed; its families are followed, not moved
        day = _random_day(plan, year, first, window_end)
        if day is None:
            continue
        _household_move(plan, household, year, day)


def _household_move(plan: DemoPlan, household: HouseholdPlan, year: int, day: datetime.date) -> None:
    """The family's pupils leave on `day`: a third go to another programme school (from the next school day, in
    the same grade), the others to a school outside the programme or abroad (families with a parent abroad
    more often follow them)."""
    active = [(c, c.segment_on(day)) for c in household.children]
    moving = [(c, s) for c, s in active if s is not None and s.klass.year == year and s.end_reason != "dropped_out"]
    if not moving:
        return
    inside = plan.rng.random() < 0.35 and len(plan.school_plans) > 1
    abroad_family = household.parents_abroad in (ParentsAbroad.BOTH, ParentsAbroad.ONE, ParentsAbroad.ONLY_PARENT)
    reason = "moved_school"
    if not inside and plan.rng.random() < (0.5 if abroad_family else 0.25):
        reason = "moved_abroad"
    destination: SchoolPlan | None = None
    if inside:
        destination = plan.rng.choice([s for s in plan.school_plans if s is not household.school])
    next_day = _next_school_day(plan, year, day)
    for child, segment in moving:
        assert segment is not None
        _pupil_move(plan, child, segment, year, day, reason, destination, next_day)
    if destination is not None:
        household.school.households.remove(household)
        household.school = destination
        destination.households.append(household)
        household.village = destination.school.locality
        household.distance_km = round(plan.rng.uniform(0.2, 2.5), 1)


def _pupil_move(
    plan: DemoPlan,
    child: ChildPlan,
    segment: Segment,
    year: int,
    day: datetime.date,
    reason: str,
    destination: SchoolPlan | None,
    next_day: datetime.date | None,
) -> None:
    """The pupil's enrolment ends on `day`; moving to a programme school that has the grade, a new one starts
    there on `next_day` and runs as the old one would have."""
    old_end, old_reason = segment.end, segment.end_reason
    segment.end, segment.end_reason = day, reason
    if destination is None or next_day is None:
        return
    letters = destination.letters[year].get(segment.klass.grade)
    if not letters:
        return
    klass = plan.class_by_key[(year, destination.index, segment.klass.grade, plan.rng.choice(letters))]
    child.segments.append(
        Segment(
            klass=klass,
            start=next_day,
            end=old_end if old_reason == "year_end" else None,
            end_reason=old_reason if old_reason == "year_end" else "",
            repeating=segment.repeating,
        )
    )


def dropouts_plan(plan: DemoPlan, year: int) -> None:
    """A few pupils stop coming and are written off: drawn from their path (`dropout_probability`), mostly
    chronic absentees with low marks from grade IV up."""
    last = plan.last_day[year]
    if last is None:
        return
    start = plan.years[year].start
    first = D(2026, 1, 12) if year == 0 else start + datetime.timedelta(days=35)
    window_end = min(last, plan.years[year].end - datetime.timedelta(days=21))
    if window_end < first:
        return
    fraction = (window_end - first).days / max(1, (plan.years[year].end - datetime.timedelta(days=21) - first).days)
    for child in plan.children:
        segments = [s for s in child.segments if s.klass.year == year]
        if not segments or segments[-1].end_reason not in ("year_end", ""):
            continue
        probability = dropout_probability(plan, child, segments[-1].klass.grade)
        if plan.rng.random() >= probability * fraction:
            continue
        day = _random_day(plan, year, max(first, segments[-1].start + datetime.timedelta(days=40)), window_end)
        if day is None:
            continue
        segment = segments[-1]
        segment.end, segment.end_reason = day, "dropped_out"


# ---------------------------------------------------------------------------------------------------------------
# 2026-2027


def pupils_plan_second_year(plan: DemoPlan) -> None:
    """2026-2027: everyone moves up a grade; VIII leaves, a new pregătitoare arrives; a few repeat."""
    _second_year_classes(plan)
    for child in list(plan.children):
        _move_up(plan, child)
    _new_first_graders(plan)


def _second_year_classes(plan: DemoPlan) -> None:
    """The classes of 2026-2027 continue the 2025-2026 cohorts, letter by letter."""
    for school in plan.school_plans:
        for grade in range(0, 8):
            for letter in school.letters[0].get(grade, []):
                _class(plan, 1, school, grade + 1, letter)


def _move_up(plan: DemoPlan, child: ChildPlan) -> None:
    """A pupil who finished 2025-2026 goes on to the next grade in the same school and letter (VIII leaves);
    the school keeps back pupils whose path says so (`repeat_probability`: absences and marks), and records it
    on the year's enrolment (`repeats_next_year`)."""
    segments = [s for s in child.segments if s.klass.year == 0]
    if not segments:
        return
    last = segments[-1]
    if last.end_reason != "year_end":
        return
    grade = last.klass.grade
    repeats = grade >= 1 and plan.rng.random() < repeat_probability(plan, child)
    last.repeats_next_year = repeats
    if grade == 8 and not repeats:
        return
    new_grade = grade if repeats else grade + 1
    letters = last.klass.school.letters[1].get(new_grade) or ["A"]
    letter = last.klass.letter if last.klass.letter in letters else letters[0]
    klass = _class(plan, 1, last.klass.school, new_grade, letter)
    child.segments.append(Segment(klass=klass, start=plan.years[1].start, repeating=repeats))


def _new_first_graders(plan: DemoPlan) -> None:
    """The new pregătitoare: about as many as last year's, some of them younger siblings."""
    rng = plan.rng
    start = plan.years[1].start
    first_graders = [0] * len(plan.school_plans)
    for child in plan.children:
        klass = child.segments[0].klass
        if klass.year == 0 and klass.grade == 0:
            first_graders[klass.school.index] += 1
    for school in plan.school_plans:
        previous = first_graders[school.index]
        size = max(1, round(previous * rng.uniform(0.85, 1.1)))
        count = _class_count(size)
        families = [h for h in school.households if any(c.segment_on(start) for c in h.children)]
        for k in range(count):
            klass = _class(plan, 1, school, 0, LETTERS[k])
            for _seat in range(size // count + (1 if k < size % count else 0)):
                if families and rng.random() < 0.3:
                    household = rng.choice(families)
                else:
                    household = _household_new(plan, school)
                    _guardians_add(plan, household)
                child = _child_new(plan, household, _birth_date(plan, 1, 0, 0), False)
                child.segments.append(Segment(klass=klass, start=start))
                child.risk = _risk(plan, child)
                propensity_assign(plan, child)


# ---------------------------------------------------------------------------------------------------------------
# Writing


def classes_write(plan: DemoPlan) -> None:
    """The classes of both years, each with its teacher."""
    groups = [
        ClassGroup(
            school=c.school.school,
            school_year=plan.years[c.year],
            level=level_for_grade(c.grade),
            grade=c.grade,
            letter=c.letter,
            teacher=plan.user(c.teacher),
            hours_per_day=c.hours_per_day,
        )
        for c in plan.classes
    ]
    ClassGroup.objects.bulk_create(groups, batch_size=500)
    for klass, group in zip(plan.classes, groups, strict=True):
        klass.obj = group
    plan.out(_("Clase: %(n)d (2025-2026 și 2026-2027).") % {"n": len(groups)})


def people_write(plan: DemoPlan) -> None:
    """Households, guardians and children, written as plain rows; their ids are read back in order."""
    now = db_datetime(timezone.now())
    _households_write(plan, now)
    guardians = _guardians_write(plan, now)
    _children_write(plan, now)
    links = rows_insert(
        Guardianship,
        ("child", "guardian", "relationship", "is_primary_contact"),
        ((c.pk, g.pk, g.relationship, g.primary) for c in plan.children for g in c.household.guardians),
    )
    enrolments = rows_insert(
        Enrolment,
        ("child", "class_group", "start", "end", "end_reason", "repeating", "repeats_next_year"),
        (
            (c.pk, s.klass.obj.pk, db_date(s.start), db_date(s.end), s.end_reason, s.repeating, s.repeats_next_year)
            for c in plan.children
            for s in c.segments
            if s.klass.obj
        ),
    )
    plan.out(
        _(
            "Copii: %(children)d, gospodării: %(households)d, părinți / tutori: %(guardians)d "
            "(%(links)d legături), înscrieri: %(enrolments)d."
        )
        % {
            "children": len(plan.children),
            "households": len(plan.households),
            "guardians": len(guardians),
            "links": links,
            "enrolments": enrolments,
        }
    )


def _households_write(plan: DemoPlan, now: object) -> None:
    """The households; a household counts its children, its guardians and up to three other members."""
    rows = [
        (
            h.village.pk,
            f"nr. {h.number}",
            h.social_benefit,
            h.parents_abroad,
            db_date(h.parents_abroad_since),
            h.single_parent,
            Decimal(f"{h.distance_km:.1f}"),
            h.no_papers,
            len(h.children) + len(h.guardians) + plan.rng.randint(0, 3),
            now,
            now,
        )
        for h in plan.households
    ]
    fields = (
        "locality",
        "address",
        "social_benefit",
        "parents_abroad",
        "parents_abroad_since",
        "single_parent",
        "distance_to_school_km",
        "no_identity_papers",
        "members",
        "created_at",
        "updated_at",
    )
    _ids_keep(plan.households, rows_insert_ids(Household, fields, rows))


def _guardians_write(plan: DemoPlan, now: object) -> list[GuardianPlan]:
    """The guardians, household by household; returns them in that order."""
    guardians = [g for h in plan.households for g in h.guardians]
    rows = [
        (g.first_name, g.last_name, g.sex, h.pk, g.phone, g.phone_verified, "", g.works_abroad, now, now)
        for h in plan.households
        for g in h.guardians
    ]
    fields = (
        "first_name",
        "last_name",
        "sex",
        "household",
        "phone",
        "phone_verified",
        "email",
        "works_abroad",
        "created_at",
        "updated_at",
    )
    _ids_keep(guardians, rows_insert_ids(Guardian, fields, rows))
    return guardians


def _children_write(plan: DemoPlan, now: object) -> None:
    """The children, with the family's last name; chronic absentees of farming families from grade VI work."""
    rows = [
        (
            c.first_name,
            c.household.last_name,
            c.sex,
            db_date(c.birth_date),
            c.cnp,
            c.household.pk,
            c.farm_work and c.chronic and c.segments[0].klass.grade >= 6,
            now,
            now,
        )
        for c in plan.children
    ]
    fields = ("first_name", "last_name", "sex", "birth_date", "cnp", "household", "works", "created_at", "updated_at")
    _ids_keep(plan.children, rows_insert_ids(Child, fields, rows))


def _ids_keep(plans: Sequence[HouseholdPlan | GuardianPlan | ChildPlan], ids: list[int]) -> None:
    for item, pk in zip(plans, ids, strict=True):
        item.pk = pk
