"""Each indicator on small factory data (the real Iași 2026–2027 calendar; today is Saturday 28 November 2026)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prezent.accounts.tests.factories import UserFactory
from prezent.attendance.models import Absence, ModuleResult
from prezent.attendance.services import absences_excuse, register_save
from prezent.children.models import Enrolment, ParentsAbroad
from prezent.children.tests.factories import HouseholdFactory, enrol
from prezent.risk.indicators import indicators_for_children, indicators_with_context
from prezent.schools.tests.factories import ClassGroupFactory

ON = datetime.date(2026, 11, 28)
WEEK = [datetime.date(2026, 11, d) for d in (23, 24, 25, 26, 27)]
EARLIER_WEEK = [datetime.date(2026, 11, d) for d in (16, 17, 18, 19, 20)]
OCTOBER_WEEK = [datetime.date(2026, 10, d) for d in (19, 20, 21, 22, 23)]


@pytest.fixture
def teacher(db):
    return UserFactory()


@pytest.fixture
def group(db):
    return ClassGroupFactory(grade=3, hours_per_day=4)


def _registers(group, teacher, days, absences_by_day):
    for day in days:
        register_save(class_group=group, day=day, absences=absences_by_day.get(day, {}), actor=teacher)


def _excuse(child, teacher, day):
    absence = Absence.objects.select_related("register_entry__class_group__school_year").get(child=child, date=day)
    absences_excuse(absences=[absence], reason="medical", document_date=ON, actor=teacher)


def test_attendance_and_unexcused_hours_count_only_days_with_a_register(group, teacher):
    a, b = enrol(group, 2)
    _registers(group, teacher, WEEK, {WEEK[0]: {a.pk: 4}, WEEK[1]: {a.pk: 2}})
    values = indicators_for_children(child_ids=[a.pk, b.pk], on=ON)
    # 5 register days × 4 hours = 20 scheduled; a missed 6.
    assert values[a.pk]["attendance_year"] == 70.0
    assert values[a.pk]["attendance_30"] == 70.0
    assert values[a.pk]["attendance_module"] == 70.0
    assert values[a.pk]["absent_share_year"] == 30.0
    assert values[a.pk]["unexcused_share_year"] == 30.0
    assert values[a.pk]["unexcused_module"] == 6.0
    assert values[a.pk]["unexcused_year"] == 6.0
    assert values[b.pk]["attendance_year"] == 100.0
    assert values[b.pk]["unexcused_year"] == 0.0
    assert values[b.pk]["streak_days"] == 0.0


def test_excused_hours_count_for_attendance_but_not_as_unexcused(group, teacher):
    child = enrol(group, 1)[0]
    _registers(group, teacher, WEEK, {WEEK[0]: {child.pk: 4}, WEEK[1]: {child.pk: 2}})
    _excuse(child, teacher, WEEK[0])
    values = indicators_for_children(child_ids=[child.pk], on=ON)[child.pk]
    assert values["attendance_year"] == 70.0
    assert values["absent_share_year"] == 30.0
    assert values["unexcused_year"] == 2.0
    assert values["unexcused_share_year"] == 10.0


def test_without_a_register_nothing_is_computable(group):
    household = HouseholdFactory(social_benefit=True, parents_abroad=ParentsAbroad.ONE, distance_to_school_km=6)
    child = enrol(group, 1, household=household)[0]
    values = indicators_for_children(child_ids=[child.pk], on=ON)[child.pk]
    for name in ("attendance_30", "attendance_year", "unexcused_year", "unexcused_module", "streak_days", "trend"):
        assert values[name] is None, name
    assert values["social_benefit"] == 1.0
    assert values["parents_abroad"] == 0.5
    assert values["distance_km"] == 6.0
    assert values["no_papers"] == 0.0
    assert values["child_works"] == 0.0


def test_household_flags_are_unknown_without_a_household(group):
    child = enrol(group, 1, household=None, works=True)[0]
    values = indicators_for_children(child_ids=[child.pk], on=ON)[child.pk]
    assert values["social_benefit"] is None
    assert values["parents_abroad"] is None
    assert values["distance_km"] is None
    assert values["child_works"] == 1.0


@pytest.mark.parametrize(
    ("abroad", "value"),
    [
        (ParentsAbroad.BOTH, 1.0),
        (ParentsAbroad.ONLY_PARENT, 1.0),
        (ParentsAbroad.ONE, 0.5),
        (ParentsAbroad.RETURNED, 0.0),
        (ParentsAbroad.NONE, 0.0),
    ],
)
def test_parents_abroad(group, abroad, value):
    child = enrol(group, 1, household=HouseholdFactory(parents_abroad=abroad, single_parent=True))[0]
    values = indicators_for_children(child_ids=[child.pk], on=ON)[child.pk]
    assert values["parents_abroad"] == value
    assert values["single_parent"] == 1.0


def test_streak_counts_the_latest_full_days_and_stops_at_a_present_day(group, teacher):
    child, other = enrol(group, 2)
    full = {child.pk: 4}
    _registers(
        group, teacher, WEEK, {WEEK[0]: full, WEEK[1]: {other.pk: 1}, WEEK[2]: full, WEEK[3]: full, WEEK[4]: full}
    )
    assert indicators_for_children(child_ids=[child.pk], on=ON)[child.pk]["streak_days"] == 3.0


def test_streak_skips_days_without_a_register_and_stops_at_a_partial_or_excused_day(group, teacher):
    child = enrol(group, 1)[0]
    # Registers on Mon, Wed and Fri only: Tue and Thu are not recorded, so they neither break nor extend it.
    _registers(group, teacher, [WEEK[0], WEEK[2], WEEK[4]], {d: {child.pk: 4} for d in (WEEK[0], WEEK[2], WEEK[4])})
    _registers(group, teacher, [EARLIER_WEEK[4]], {EARLIER_WEEK[4]: {child.pk: 2}})
    assert indicators_for_children(child_ids=[child.pk], on=ON)[child.pk]["streak_days"] == 3.0
    _excuse(child, teacher, WEEK[2])
    assert indicators_for_children(child_ids=[child.pk], on=ON)[child.pk]["streak_days"] == 1.0


def test_streak_is_measured_on_the_date_asked(group, teacher):
    child = enrol(group, 1)[0]
    _registers(group, teacher, WEEK, {d: {child.pk: 4} for d in WEEK[:3]})
    assert indicators_for_children(child_ids=[child.pk], on=WEEK[2])[child.pk]["streak_days"] == 3.0
    assert indicators_for_children(child_ids=[child.pk], on=ON)[child.pk]["streak_days"] == 0.0


def test_trend_compares_this_month_with_the_previous_one(group, teacher):
    child = enrol(group, 1)[0]
    _registers(group, teacher, OCTOBER_WEEK, {OCTOBER_WEEK[0]: {child.pk: 2}})  # 2 of 20 h: 10 %
    _registers(group, teacher, WEEK, {WEEK[0]: {child.pk: 4}, WEEK[1]: {child.pk: 2}})  # 6 of 20 h: 30 %
    values = indicators_for_children(child_ids=[child.pk], on=ON)[child.pk]
    assert values["trend"] == 20.0
    assert values["attendance_year"] == 80.0  # 8 of 40
    assert values["unexcused_module"] == 6.0  # October is module 1; November module 2


def test_over_age_and_repetition(group, teacher):
    older = enrol(group, 1, birth_date=datetime.date(2014, 1, 1))[0]  # 12 on 1 Sept 2026, in grade III (9)
    on_time = enrol(group, 1, birth_date=datetime.date(2017, 6, 1))[0]
    last_year = ClassGroupFactory(grade=3, school=group.school, school_year=_year_2025_2026())
    Enrolment.objects.create(
        child=older, class_group=last_year, start=datetime.date(2025, 9, 8), end=datetime.date(2026, 6, 19)
    )
    Enrolment.objects.filter(child=older, class_group=group).update(repeating=True)
    values = indicators_for_children(child_ids=[older.pk, on_time.pk], on=ON)
    assert values[older.pk]["over_age"] == 3.0
    assert values[older.pk]["repeated_grade"] == 1.0
    assert values[on_time.pk]["over_age"] == 0.0
    assert values[on_time.pk]["repeated_grade"] == 0.0


def test_preschool_has_no_over_age(db):
    group = ClassGroupFactory(grade=-1, level="preschool")
    child = enrol(group, 1, birth_date=datetime.date(2021, 1, 1))[0]
    assert indicators_for_children(child_ids=[child.pk], on=ON)[child.pk]["over_age"] is None


def _result(child, group, module, subject, average):
    ModuleResult.objects.create(
        child=child, class_group=group, module=module, subject=subject, average=Decimal(str(average))
    )


def test_results_of_the_latest_module_failed_subjects_average_and_conduct(group):
    child, other = enrol(group, 2)
    for subject, average in (("Matematică", 4), ("Limba română", 3), ("Științe", 9), ("Purtare", 10)):
        _result(child, group, 1, subject, average)
    for subject, average in (("Matematică", 4.5), ("Limba română", 6), ("Științe", 7), ("Purtare", 7)):
        _result(child, group, 2, subject, average)
    values = indicators_for_children(child_ids=[child.pk, other.pk], on=ON)
    assert values[child.pk]["failed_subjects"] == 1.0  # module 2 only
    assert values[child.pk]["module_average"] == 5.83
    assert values[child.pk]["conduct"] == 7.0
    assert values[other.pk]["failed_subjects"] is None
    assert values[other.pk]["conduct"] is None


def test_a_child_who_moved_class_counts_both_classes_while_enrolled(group, teacher):
    second = ClassGroupFactory(school=group.school, grade=3, letter="Z", hours_per_day=5)
    child, stayer = enrol(group, 2)
    _registers(group, teacher, EARLIER_WEEK, {EARLIER_WEEK[0]: {child.pk: 4}})
    Enrolment.objects.filter(child=child).update(end=EARLIER_WEEK[-1], end_reason="moved_class")
    Enrolment.objects.create(child=child, class_group=second, start=WEEK[0])
    _registers(group, teacher, WEEK, {})
    _registers(second, teacher, WEEK, {WEEK[4]: {child.pk: 5}})
    rows = indicators_with_context(child_ids=[child.pk, stayer.pk], on=ON)
    # 5 days × 4 h in the first class, 5 days × 5 h in the second: 45 h; missed 4 + 5.
    assert rows[child.pk].values["attendance_year"] == 80.0
    assert rows[child.pk].values["streak_days"] == 1.0
    assert rows[child.pk].class_id == second.pk
    assert rows[stayer.pk].values["attendance_year"] == 100.0  # 40 h, none missed


def test_a_fixed_number_of_queries_whatever_the_number_of_children(group, teacher):
    few = enrol(group, 3)
    _registers(group, teacher, WEEK, {WEEK[4]: {few[0].pk: 4}})
    with CaptureQueriesContext(connection) as small:
        indicators_for_children(child_ids=[c.pk for c in few], on=ON)
    more = few + enrol(group, 27)
    _registers(group, teacher, WEEK, {WEEK[4]: {c.pk: 4 for c in more[:10]}})
    with CaptureQueriesContext(connection) as large:
        indicators_for_children(child_ids=[c.pk for c in more], on=ON)
    assert len(large.captured_queries) == len(small.captured_queries) <= 12


def _year_2025_2026():
    from prezent.schools.tests.factories import school_year_2025_2026

    return school_year_2025_2026()


def test_reading_everyone_at_once_gives_the_same_indicators_as_chunks(group, teacher):
    second = ClassGroupFactory(school=group.school, grade=4, letter="Z", hours_per_day=5)
    children = enrol(group, 4, household=HouseholdFactory(social_benefit=True)) + enrol(second, 2)
    mover = children[0]
    _registers(group, teacher, EARLIER_WEEK, {EARLIER_WEEK[0]: {mover.pk: 4}, EARLIER_WEEK[2]: {children[1].pk: 2}})
    Enrolment.objects.filter(child=mover).update(end=EARLIER_WEEK[-1], end_reason="moved_class")
    Enrolment.objects.create(child=mover, class_group=second, start=WEEK[0])
    _registers(group, teacher, WEEK, {d: {children[2].pk: 4} for d in WEEK})
    _registers(second, teacher, WEEK, {WEEK[4]: {mover.pk: 5, children[4].pk: 1}})
    _result(children[3], group, 1, "Matematică", 4)
    _result(children[3], group, 1, "Purtare", 9)
    outsider = enrol(ClassGroupFactory(), 1)[0]
    ids = [c.pk for c in children]
    chunked = indicators_with_context(child_ids=ids, on=ON, chunk_size=2)
    at_once = indicators_with_context(child_ids=ids, on=ON, read_all=True)
    assert outsider.pk not in at_once
    assert {k: v.values for k, v in at_once.items()} == {k: v.values for k, v in chunked.items()}
    assert at_once[children[2].pk].values["streak_days"] == 5.0
    assert at_once[children[3].pk].values["failed_subjects"] == 1.0
