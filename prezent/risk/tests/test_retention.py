"""Old daily scores are thinned: each child's current score, one whole day a month and every change stay; the
"risk levels over time" chart counts only whole days."""

import datetime

import pytest
from django.core.management import call_command

from prezent.children.tests.factories import enrol
from prezent.core.models import AuditEvent
from prezent.risk.models import RiskScore
from prezent.risk.retention import complete_days, snapshot_days
from prezent.risk.services import risk_defaults_load, risk_scores_prune
from prezent.schools.tests.factories import ClassGroupFactory

TODAY = datetime.date(2026, 11, 29)
D = datetime.date


def test_the_snapshot_day_of_a_month_is_the_day_with_the_most_scores_the_earliest_of_equals():
    counts = {D(2026, 3, 2): 90, D(2026, 3, 3): 100, D(2026, 3, 4): 100, D(2026, 4, 1): 5, D(2026, 4, 2): 4}
    assert snapshot_days(counts) == {D(2026, 3, 3), D(2026, 4, 1)}


def test_complete_days_are_the_recent_ones_and_one_a_month_before():
    counts = {D(2026, 5, 4): 10, D(2026, 5, 5): 3, D(2026, 8, 28): 6, D(2026, 8, 31): 4, D(2026, 9, 1): 2}
    # 90 days before 29.11.2026 is 31.08.2026: from that day on every day is whole
    assert complete_days(counts, TODAY, keep=90) == {D(2026, 5, 4), D(2026, 8, 28), D(2026, 8, 31), D(2026, 9, 1)}


@pytest.fixture
def history(db):
    """Two children scored on five old days (May 2026) and today; child one changes level once."""
    group = ClassGroupFactory(grade=3)
    one, two = enrol(group, 2)
    rule_set = risk_defaults_load(county_code=group.school.county_code)
    days = [D(2026, 5, 4), D(2026, 5, 5), D(2026, 5, 6), D(2026, 5, 7), D(2026, 6, 1)]
    levels_one = ["low", "low", "medium", "medium", "medium"]
    rows = []
    for child, levels in ((one, levels_one), (two, ["none"] * 5)):
        for day, level in zip(days, levels, strict=True):
            points = {"none": 0, "low": 1, "medium": 4}[level]
            rows.append(RiskScore(child=child, school=group.school, computed_on=day, rule_set=rule_set,
                                  points=points, level=level, is_current=False))  # fmt: skip
        rows.append(RiskScore(child=child, school=group.school, computed_on=TODAY, rule_set=rule_set,
                              points=0, level="none", is_current=True))  # fmt: skip
    RiskScore.objects.bulk_create(rows)
    return one, two


def _kept(child):
    return list(RiskScore.objects.filter(child=child).order_by("computed_on").values_list("computed_on", "level"))


def test_thinning_keeps_the_current_score_a_whole_day_a_month_and_every_change(history):
    one, two = history
    report = risk_scores_prune(today=TODAY, keep=90)
    # May: the 4th is the snapshot (equal counts, the earliest); June 1st is June's snapshot
    assert _kept(one) == [(D(2026, 5, 4), "low"), (D(2026, 5, 6), "medium"), (D(2026, 6, 1), "medium"),
                          (TODAY, "none")]  # fmt: skip
    assert _kept(two) == [(D(2026, 5, 4), "none"), (D(2026, 6, 1), "none"), (TODAY, "none")]
    assert (report.days, report.snapshot_days, report.deleted) == (5, 2, 5)
    event = AuditEvent.objects.get(action="risk.scores_prune")
    assert event.details["deleted"] == 5 and event.target_id == "2026-08-31"
    assert risk_scores_prune(today=TODAY, keep=90).deleted == 0  # again: nothing more goes


def test_a_dry_run_counts_and_deletes_nothing(history):
    before = RiskScore.objects.count()
    assert risk_scores_prune(today=TODAY, keep=90, dry_run=True).deleted == 5
    assert RiskScore.objects.count() == before
    assert not AuditEvent.objects.filter(action="risk.scores_prune").exists()


def test_recent_scores_are_never_thinned(history):
    before = RiskScore.objects.count()
    assert risk_scores_prune(today=TODAY, keep=400).deleted == 0
    assert RiskScore.objects.count() == before


def test_the_command_prints_counts_and_refuses_a_bad_limit(history, capsys):
    call_command("prune_risk_scores", "--dry-run", "--keep-days", "90")
    assert "5 scoruri fără schimbare s-ar șterge" in capsys.readouterr().out
    with pytest.raises(Exception, match="cel puțin 1"):
        call_command("prune_risk_scores", "--keep-days", "0")


def test_the_weekly_job_is_scheduled():
    from django.conf import settings

    from prezent.risk.tasks import prune_scores_task

    assert settings.CELERY_BEAT_SCHEDULE["risk-scores-prune-weekly"]["task"] == prune_scores_task.name
