"""Fixtures of the screening tests: a stand-in for the scoring engine, a rule set, and the authorization world
with screenings at each edge of the scope rules."""

from types import SimpleNamespace

import pytest

from prezent.programme.models import ScreeningDecision
from prezent.programme.tests.screening_fixtures import MONDAY, FakeEngine, make_result, make_screening
from prezent.risk.models import RuleSet


@pytest.fixture
def engine(monkeypatch) -> FakeEngine:
    fake = FakeEngine()
    monkeypatch.setattr("prezent.programme.screening.services.risk_scores_compute", fake)
    return fake


@pytest.fixture
def rule_set(db) -> RuleSet:
    return RuleSet.objects.create(county_code="IS", version=1, name="Reguli de test")


@pytest.fixture
def screening_world(world, rule_set) -> SimpleNamespace:
    """The authorization world plus three screenings: one of both programme schools (delegated), one of
    school B only, one of school A that the county coordinator kept for themself (not delegated)."""
    w = world
    w.rule_set = rule_set
    w.screening = make_screening(w, rule_set, [w.school_a, w.school_b], run_on=MONDAY)
    w.result_a1 = make_result(w.screening, w.child_a1, w.school_a)
    w.result_a2 = make_result(w.screening, w.child_a2, w.school_a, level="low", decision=ScreeningDecision.NOT_PROPOSED)
    w.result_b1 = make_result(w.screening, w.child_b1, w.school_b, level="high")
    w.screening_b = make_screening(w, rule_set, [w.school_b])
    make_result(w.screening_b, w.child_b1, w.school_b, level="high")
    w.screening_kept = make_screening(w, rule_set, [w.school_a], delegate=False)
    w.result_kept_a1 = make_result(w.screening_kept, w.child_a1, w.school_a)
    return w
