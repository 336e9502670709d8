"""Scoring is pure: plain numbers in, points, a level and reasons in words out (no database)."""

import datetime
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from prezent.risk.defaults import DEFAULT_BANDS, DEFAULT_CRITERIA
from prezent.risk.indicators import (
    INDICATORS,
    WINDOWS,
    Hours,
    attendance_indicators,
    full_day_streak,
    indicators_json,
    over_age,
    windows_for,
)
from prezent.risk.scoring import Bands, Criterion, Scorer, level_for, matches, reason_text, score_child, unknown_text
from prezent.schools.calendar import Calendar

BANDS = Bands(low_from=1, medium_from=4, high_from=8)


def test_points_add_up_and_the_level_comes_from_the_bands():
    criteria = [
        Criterion("unexcused_module", ">=", 10, 2),
        Criterion("attendance_30", "<", 90, 1),
        Criterion("social_benefit", "==", 1, 1),
    ]
    result = score_child({"unexcused_module": 14, "attendance_30": 82.5, "social_benefit": 1.0}, criteria, BANDS)
    assert (result.points, result.level) == (4, "medium")
    assert [r.indicator for r in result.reasons] == ["unexcused_module", "attendance_30", "social_benefit"]


def test_each_operator():
    assert matches(10, ">=", 10) and not matches(9.9, ">=", 10)
    assert matches(10.1, ">", 10) and not matches(10, ">", 10)
    assert matches(10, "<=", 10) and not matches(10.1, "<=", 10)
    assert matches(89.9, "<", 90) and not matches(90, "<", 90)
    assert matches(1.0, "==", 1) and not matches(0.0, "==", 1)
    assert not matches(5, "~", 1)


def test_a_value_that_cannot_be_computed_never_matches():
    criteria = [Criterion("attendance_30", "<", 90, 3), Criterion("unexcused_year", "<=", 5, 1)]
    result = score_child({"attendance_30": None, "unexcused_year": None}, criteria, BANDS)
    assert (result.points, result.level, result.reasons) == (0, "none", [])


def test_unknown_is_not_zero_the_result_names_the_unknown_indicators():
    criteria = [
        Criterion("unexcused_year", "<=", 5, 1),  # 0 hours holds; unknown never does
        Criterion("module_average", "<", 5, 2),
        Criterion("module_average", "<", 6, 1),
        Criterion("social_benefit", "==", 1, 1),
    ]
    zero = score_child({"unexcused_year": 0.0, "module_average": 7.5, "social_benefit": 0.0}, criteria, BANDS)
    assert (zero.points, zero.unknown) == (1, ())
    missing = score_child({"unexcused_year": None, "social_benefit": 1.0}, criteria, BANDS)
    assert missing.points == 1  # unknown gives no points
    assert missing.unknown == ("unexcused_year", "module_average")  # once each, in the rule set's order
    assert unknown_text("media generală în ultimul modul").startswith("media generală în ultimul modul: necunoscut")


def test_fired_says_which_criteria_hold_in_order():
    scorer = Scorer([Criterion("unexcused_year", ">=", 20, 2), Criterion("over_age", ">=", 2, 2)], BANDS)
    assert scorer.fired({"unexcused_year": 20.0, "over_age": None}) == [True, False]
    assert [c.indicator for c in scorer.criteria] == ["unexcused_year", "over_age"]


def test_bands():
    assert [level_for(p, BANDS) for p in (0, 1, 3, 4, 7, 8, 20)] == [
        "none",
        "low",
        "low",
        "medium",
        "medium",
        "high",
        "high",
    ]
    assert level_for(0, Bands(0, 0, 0)) == "none"  # no points is never a risk, whatever the bands


def test_reasons_are_romanian_words_with_a_decimal_comma():
    assert reason_text("unexcused_module", 14, ">=", 10) == "14 ore nemotivate în modulul curent (prag: 10)"
    assert (
        reason_text("attendance_30", 82.5, "<", 90)
        == "prezență 82,5 % în ultimele 30 de zile de școală (prag: sub 90 %)"
    )
    assert reason_text("social_benefit", 1, "==", 1) == "familia primește ajutor social"
    assert reason_text("unexcused_year", 24, ">=", 20) == "24 de ore nemotivate în anul școlar (prag: 20)"
    assert reason_text("unexcused_year", 1, ">=", 1) == "1 oră nemotivată în anul școlar (prag: 1)"
    assert reason_text("streak_days", 4, ">=", 3).startswith("absent nemotivat toată ziua, 4 zile de școală")
    assert reason_text("failed_subjects", 1, ">=", 1).startswith("1 disciplină cu medie sub 5")
    assert reason_text("conduct", 7, "<", 8) == "nota la purtare 7 în ultimul modul (prag: sub 8)"
    assert reason_text("module_average", 5.8, "<", 6) == "media generală 5,80 în ultimul modul (prag: sub 6)"
    assert reason_text("distance_km", 7.5, ">=", 5) == "locuiește la 7,5 km de școală (prag: 5 km)"
    assert reason_text("parents_abroad", 1, ">=", 1) == "ambii părinți sau părintele unic sunt plecați în străinătate"
    assert reason_text("trend", 6.2, ">=", 5).startswith("absențele au crescut cu 6,2 puncte procentuale")


def test_every_default_criterion_has_words():
    for criterion in DEFAULT_CRITERIA:
        text = reason_text(criterion.indicator, criterion.threshold, criterion.operator, criterion.threshold)
        assert criterion.indicator not in text


def test_default_rules_keep_a_child_with_only_excused_absences_at_low():
    """A sick child: 20 % of the year missed, all excused, a bad month — never above "low"."""
    worst = {
        "attendance_30": 50.0,
        "attendance_module": 50.0,
        "attendance_year": 80.0,
        "absent_share_year": 20.0,
        "unexcused_share_year": 0.0,
        "unexcused_module": 0.0,
        "unexcused_year": 0.0,
        "streak_days": 0.0,
        "trend": 30.0,
    }
    assert score_child(worst, DEFAULT_CRITERIA, DEFAULT_BANDS).level == "low"
    truant = {**worst, "unexcused_share_year": 20.0, "unexcused_module": 30.0, "unexcused_year": 60.0}
    assert score_child(truant, DEFAULT_CRITERIA, DEFAULT_BANDS).level == "high"


# -- indicators from hours (pure) --------------------------------------------------------------------------------


def test_attendance_indicators_from_hours():
    hours = {
        "recent": Hours(scheduled=120, absent=21, unexcused=15),
        "module": Hours(scheduled=200, absent=30, unexcused=14),
        "year": Hours(scheduled=400, absent=48, unexcused=40),
        "month": Hours(scheduled=80, absent=16, unexcused=10),
        "previous_month": Hours(scheduled=100, absent=10, unexcused=10),
    }
    values = attendance_indicators(hours)
    assert values["attendance_30"] == 82.5
    assert values["attendance_year"] == 88.0
    assert values["absent_share_year"] == 12.0
    assert values["unexcused_share_year"] == 10.0
    assert values["unexcused_module"] == 14.0
    assert values["unexcused_year"] == 40.0
    assert values["trend"] == 10.0  # 20 % this month, 10 % the month before


def test_without_registers_nothing_is_computable():
    values = attendance_indicators({})
    assert set(values.values()) == {None}


def test_streak_stops_at_the_first_present_day_and_at_the_enrolment():
    days = [datetime.date(2026, 11, d) for d in (27, 26, 25, 24, 23)]  # newest first
    full = {datetime.date(2026, 11, d) for d in (27, 26, 24, 23)}
    assert full_day_streak(days, full, datetime.date(2026, 9, 7)) == 2
    assert full_day_streak(days, full | {datetime.date(2026, 11, 25)}, datetime.date(2026, 11, 25)) == 3
    assert full_day_streak([], full, datetime.date(2026, 9, 7)) == 0


def test_over_age_counts_years_over_the_grade_on_the_first_of_september():
    start = datetime.date(2026, 9, 7)
    assert over_age(datetime.date(2020, 3, 1), 0, "primary", start) == 0  # 6 in pregătitoare
    assert over_age(datetime.date(2016, 9, 2), 2, "primary", start) == 1  # 9 (not yet 10) in grade II
    assert over_age(datetime.date(2014, 1, 1), 3, "primary", start) == 3
    assert over_age(datetime.date(2019, 1, 1), 3, "primary", start) == 0  # younger than the grade: 0
    assert over_age(datetime.date(2022, 1, 1), -1, "preschool", start) is None


def test_windows_follow_the_calendar():
    calendar = Calendar(
        modules=[
            (datetime.date(2026, 9, 7), datetime.date(2026, 10, 23)),
            (datetime.date(2026, 11, 2), datetime.date(2026, 12, 22)),
        ],
        days_off=frozenset({datetime.date(2026, 11, 30)}),
    )
    w = windows_for(calendar, datetime.date(2026, 9, 7), datetime.date(2027, 6, 18), datetime.date(2026, 11, 28))
    assert w.module == (datetime.date(2026, 11, 2), datetime.date(2026, 11, 28))
    assert w.year == (datetime.date(2026, 9, 7), datetime.date(2026, 11, 28))
    assert w.month == (datetime.date(2026, 11, 1), datetime.date(2026, 11, 28))
    assert w.previous_month == (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
    assert w.recent is not None and w.recent[0] == datetime.date(2026, 10, 12)  # 20 days in November, 10 in October
    holiday = windows_for(calendar, datetime.date(2026, 9, 7), datetime.date(2027, 6, 18), datetime.date(2026, 10, 28))
    assert holiday.module == (datetime.date(2026, 9, 7), datetime.date(2026, 10, 23))  # the module just ended
    september = windows_for(calendar, datetime.date(2026, 9, 7), datetime.date(2027, 6, 18), datetime.date(2026, 9, 9))
    assert september.previous_month is None


# -- properties --------------------------------------------------------------------------------------------------

window_hours = st.tuples(
    st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=400), st.integers(0, 400)
).map(lambda t: Hours(scheduled=t[0], absent=min(t[1], t[0]), unexcused=min(t[2], t[1], t[0])))
hours_per_window = st.fixed_dictionaries(dict.fromkeys(WINDOWS, window_hours))
other_indicators = st.fixed_dictionaries(
    {
        "streak_days": st.sampled_from([None, 0.0, 1.0, 3.0, 7.0]),
        "repeated_grade": st.sampled_from([None, 0.0, 1.0]),
        "over_age": st.sampled_from([None, 0.0, 2.0]),
        "failed_subjects": st.sampled_from([None, 0.0, 3.0]),
        "conduct": st.sampled_from([None, 7.0, 10.0]),
        "social_benefit": st.sampled_from([None, 0.0, 1.0]),
        "parents_abroad": st.sampled_from([None, 0.0, 0.5, 1.0]),
        "child_works": st.sampled_from([0.0, 1.0]),
        "distance_km": st.sampled_from([None, 1.0, 8.0]),
    }
)

CURRENT_WINDOWS = ("recent", "module", "year", "month")  # the windows that hold today


def _score(hours, others) -> int:
    return score_child({**others, **attendance_indicators(hours)}, DEFAULT_CRITERIA, DEFAULT_BANDS).points


@settings(max_examples=300, deadline=None)
@given(hours=hours_per_window, others=other_indicators, extra=st.integers(min_value=1, max_value=40))
def test_more_unexcused_hours_never_lower_the_score(hours, others, extra):
    """New unexcused hours (today: in every window that holds today) never lower the points."""
    more = {
        name: Hours(h.scheduled, h.absent + extra, h.unexcused + extra) if name in CURRENT_WINDOWS else h
        for name, h in hours.items()
    }
    assert _score(more, others) >= _score(hours, others)


@settings(max_examples=300, deadline=None)
@given(
    hours=hours_per_window,
    others=other_indicators,
    share=st.floats(min_value=0, max_value=1),
    which=st.sets(st.sampled_from(WINDOWS)),
)
def test_an_excuse_never_raises_the_score(hours, others, share, which):
    """Excusing moves hours from unexcused to excused; attendance does not change; the points never rise."""
    excused = {
        name: Hours(h.scheduled, h.absent, h.unexcused - int(h.unexcused * share)) if name in which else h
        for name, h in hours.items()
    }
    assert _score(excused, others) <= _score(hours, others)


@given(
    a=st.integers(0, 50),
    b=st.integers(0, 50),
    bands=st.tuples(st.integers(1, 10), st.integers(0, 10), st.integers(0, 10)),
)
def test_level_is_monotone_in_points(a, b, bands):
    low, step1, step2 = bands
    ordered = Bands(low, low + step1, low + step1 + step2)
    rank = {"none": 0, "low": 1, "medium": 2, "high": 3}
    lo, hi = sorted((a, b))
    assert rank[level_for(lo, ordered)] <= rank[level_for(hi, ordered)]


indicator_values = st.dictionaries(
    st.sampled_from(INDICATORS),
    st.one_of(st.none(), st.floats(min_value=-1000, max_value=1000), st.integers(0, 200).map(float)),
)


@given(values=indicator_values)
def test_a_scorer_adds_the_points_of_exactly_the_criteria_that_match(values):
    result = Scorer(DEFAULT_CRITERIA, DEFAULT_BANDS).score(values)
    held = [c for c in DEFAULT_CRITERIA if matches(values.get(c.indicator), c.operator, c.threshold)]
    assert result.points == sum(c.points for c in held)
    assert result.level == level_for(result.points, DEFAULT_BANDS)
    assert sorted(r.indicator for r in result.reasons) == sorted(c.indicator for c in held)
    assert [r.points for r in result.reasons] == sorted((r.points for r in result.reasons), reverse=True)


@given(values=indicator_values)
def test_the_json_written_with_a_score_is_what_json_dumps_writes(values):
    result = Scorer(DEFAULT_CRITERIA, DEFAULT_BANDS).score(values)
    assert result.reasons_json() == json.dumps([r.as_dict() for r in result.reasons])
    assert json.loads(indicators_json(values)) == values
    assert indicators_json(values) == json.dumps(values) or -0.0 in values.values()


def test_a_reason_met_twice_is_the_same_words():
    scorer = Scorer(DEFAULT_CRITERIA, DEFAULT_BANDS)
    first = scorer.score({"unexcused_year": 24.0}).reasons[0]
    again = scorer.score({"unexcused_year": 24.0, "social_benefit": 0.0}).reasons[0]
    assert first is again
    assert json.loads(again.as_json)["text"] == "24 de ore nemotivate în anul școlar (prag: 20)"
