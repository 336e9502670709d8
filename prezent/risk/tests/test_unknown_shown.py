"""Unknown is not zero, shown to people: a child's page names the rule set's indicators that could not be
computed, and the overviews count the children scored on partial data (per indicator), in constant queries."""

import pytest
from django.urls import reverse

from prezent.attendance.models import ModuleResult
from prezent.core.testing import TEST_TODAY
from prezent.risk.alerts.selectors import county_overview, school_overview
from prezent.risk.models import RiskScore, RuleCriterion, RuleSet
from prezent.risk.selectors import partial_data_by_school, risk_score_unknown, unknown_texts
from prezent.risk.services import risk_recompute

pytestmark = pytest.mark.django_db

KNOWN = {"module_average": 7.5, "unexcused_year": 3.0, "social_benefit": 0.0, "attendance_30": 95.0}


def _rule_set(version: int, indicators: list[str]) -> RuleSet:
    rule_set = RuleSet.objects.create(county_code="IS", version=version, name=f"Reguli {version}")
    for indicator in indicators:
        RuleCriterion.objects.create(rule_set=rule_set, indicator=indicator, operator=">=", threshold=1, points=1)
    return rule_set


def _score(child, school, rule_set, indicators, *, current=True):
    return RiskScore.objects.create(
        child=child,
        school=school,
        computed_on=TEST_TODAY,
        rule_set=rule_set,
        points=0,
        level="none",
        indicators=indicators,
        is_current=current,
    )


@pytest.fixture
def partial_world(world):
    """Hand-built current scores under two rule-set versions:
    - v1 looks at module_average, unexcused_year, social_benefit; v2 at attendance_30 only;
    - school A: a1 (v1) misses the marks and the household → partial (2 unknown); a1_other (v1) knows all;
      a2 (v1) has no module_average key at all (an older score) → partial; a stale, not current score of a1_other
      with everything unknown does not count;
    - school B: b1 (v2) misses module_average, which v2 does not look at → not partial."""
    v1 = _rule_set(1, ["module_average", "unexcused_year", "social_benefit"])
    v2 = _rule_set(2, ["attendance_30"])
    w = world
    _score(w.child_a1, w.school_a, v1, {**KNOWN, "module_average": None, "social_benefit": None})
    _score(w.child_a1_other, w.school_a, v1, dict(KNOWN))
    _score(w.child_a1_other, w.school_a, v1, dict.fromkeys(KNOWN), current=False)
    _score(w.child_a2, w.school_a, v1, {k: v for k, v in KNOWN.items() if k != "module_average"})
    _score(w.child_b1, w.school_b, v2, {**KNOWN, "module_average": None})
    return w


def test_partial_data_counts_match_the_fixture_in_two_queries(partial_world, django_assert_num_queries):
    w = partial_world
    with django_assert_num_queries(2):
        found = partial_data_by_school(school_ids=[w.school_a.pk, w.school_b.pk])
    a, b = found[w.school_a.pk], found[w.school_b.pk]
    assert (a.scored, a.partial) == (3, 2)
    assert a.by_indicator == {"module_average": 2, "social_benefit": 1}
    assert (b.scored, b.partial) == (1, 0)
    assert b.by_indicator == {}


def test_the_overviews_carry_the_partial_counts(partial_world, django_assert_max_num_queries):
    w = partial_world
    with django_assert_max_num_queries(7):  # five, and the user's scope
        overview = county_overview(user=w.users.county, on=TEST_TODAY, programme_only=True)
    assert (overview.total.scored, overview.total.partial.scored, overview.total.partial.partial) == (4, 4, 2)
    assert [(code, n) for code, _label, n in overview.total.partial.indicator_rows] == [
        ("module_average", 2),
        ("social_benefit", 1),
    ]
    rows = {row.school.pk: row.partial.partial for row in overview.rows}
    assert rows == {w.school_a.pk: 2, w.school_b.pk: 0}
    with django_assert_max_num_queries(4):
        school = school_overview(school=w.school_a, on=TEST_TODAY)
    assert (school.partial.scored, school.partial.partial) == (3, 2)


def test_the_county_and_school_pages_say_how_many_are_on_partial_data(client, partial_world):
    w = partial_world
    client.force_login(w.users.county)
    county_page = client.get(reverse("risk:alert_county_overview")).content.decode()
    assert "2 din 4 copii au scorul calculat pe date incomplete." in county_page
    assert "media generală în ultimul modul" in county_page
    assert w.child_a1.last_name not in county_page  # counts only
    client.force_login(w.users.school_coord)
    school_page = client.get(reverse("risk:alert_school_overview", kwargs={"pk": w.school_a.pk})).content.decode()
    assert "2 din 3 copii au scorul calculat pe date incomplete." in school_page


def test_no_partial_card_when_every_indicator_is_known(client, world):
    rule_set = _rule_set(1, ["unexcused_year"])
    _score(world.child_a1, world.school_a, rule_set, dict(KNOWN))
    client.force_login(world.users.county)
    page = client.get(reverse("risk:alert_county_overview")).content.decode()
    assert 'data-testid="partial-data"' not in page


def test_unknown_in_words_in_the_rule_sets_order(partial_world):
    score = RiskScore.objects.get(child=partial_world.child_a1, is_current=True)
    assert risk_score_unknown(score=score) == ["module_average", "social_benefit"]
    assert unknown_texts(["module_average", "social_benefit", "child_works"]) == [
        "Necunoscut: media generală în ultimul modul (nicio notă înregistrată)",
        "Necunoscut: familia primește ajutor social (situația familiei nu este completată)",
        "Necunoscut: copilul muncește",
    ]


def test_a_child_without_marks_shows_the_marks_indicator_unknown_on_their_page(client, world):
    """Scored by the nightly run's own code with the default rules: the child with no marks recorded sees the
    marks indicator as unknown, apart from the reasons; a classmate with a mark does not."""
    ModuleResult.objects.create(
        child=world.child_a1_other, class_group=world.class_a1, module=1, subject="Matematică", qualifier="FB"
    )
    risk_recompute(on=TEST_TODAY, child_ids=[world.child_a1.pk, world.child_a1_other.pk])
    client.force_login(world.users.county)
    marks = "Necunoscut: discipline cu medie sub 5 sau calificativ „Insuficient” în ultimul modul"
    page = client.get(reverse("reports:child_detail", kwargs={"pk": world.child_a1.pk})).content.decode()
    unknown = page.split('data-testid="risk-unknown"', 1)[1].split("</ul>", 1)[0]
    assert f"{marks} (nicio notă înregistrată)" in unknown
    reasons = page.split('data-testid="risk"', 1)[1].split('data-testid="risk-unknown"', 1)[0]
    assert "Necunoscut" not in reasons  # apart from the reasons that gave points
    other = client.get(reverse("reports:child_detail", kwargs={"pk": world.child_a1_other.pk})).content.decode()
    assert 'data-testid="risk"' in other
    assert marks not in other
