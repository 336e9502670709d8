"""The backtest on real pupils (UCI Student Performance, Portuguese course, 649 pupils, Cortez & Silva 2008, CC BY
4.0, a copy in tests/data/): its AUC is sklearn's on the scores computed here independently, and the fitted weights
are judged on held-out folds against the rules."""

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from sklearn.metrics import roc_auc_score

from prezent.children.tests.factories import enrol
from prezent.core.models import AuditEvent
from prezent.risk.backtest.fitting import bands_at_same_shares, fit_forward, points_proposed
from prezent.risk.backtest.metrics import top_share, wilson
from prezent.risk.backtest.sample import mapping_parse, sample_read, sample_score
from prezent.risk.backtest.services import rule_set_adopt
from prezent.risk.defaults import DEFAULT_BANDS, DEFAULT_CRITERIA
from prezent.risk.models import BacktestRun, BacktestStatus, RuleSet
from prezent.risk.scoring import Criterion
from prezent.risk.selectors import rule_set_criteria, rule_set_current
from prezent.risk.services import risk_defaults_load, rule_set_new_version
from prezent.risk.tasks import backtest_task

UCI = Path(__file__).parent / "data" / "uci_student_performance_por.csv"
# Honest mapping: UCI "absences" counts school absences (not only unexcused: an upper bound of unexcused_year);
# "failures" is the number of past class failures, i.e. years repeated; G1 is the first period's mark on 0–20,
# halved to the Romanian 1–10 scale. The outcome: failing the year, G3 < 10.
MAP = ["unexcused_year=absences", "repeated_grade=failures"]
OUTCOME = ["--outcome", "G3", "--positive", "<10"]


def _run(*args: str) -> dict:
    out = io.StringIO()
    call_command("risk_backtest", "--csv", str(UCI), *OUTCOME, *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def _uci_rows() -> list[dict[str, str]]:
    with UCI.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_the_auc_is_sklearns_on_the_default_rules_scores_computed_independently():
    rows = _uci_rows()
    assert len(rows) == 649
    failed = np.array([int(r["G3"]) < 10 for r in rows])
    # the default rules that these two columns can fire: unexcused_year ≥ 20 (+2), repeated_grade ≥ 1 (+2)
    points = np.array([2 * (int(r["absences"]) >= 20) + 2 * (int(r["failures"]) >= 1) for r in rows])
    report = _run(*(a for m in MAP for a in ("--map", m)), "--group", "school")
    overall = report["overall"]
    assert (overall["pupils"], overall["outcomes"]) == (649, int(failed.sum()))
    assert overall["auc"]["value"] == pytest.approx(roc_auc_score(failed, points), abs=1e-4)
    assert overall["auc"]["low"] < overall["auc"]["value"] < overall["auc"]["high"]
    by_points = {r["key"]: r for r in overall["by_points"]}
    assert by_points["0"]["n"] == int((points == 0).sum())
    assert by_points["2"]["rate"]["value"] == pytest.approx(failed[points == 2].mean(), abs=1e-4)
    unknown = {r["key"]: r["rate"]["value"] for r in overall["unknown"]}
    assert unknown["unexcused_year"] == 0 and unknown["conduct"] == 1  # no conduct column: unknown, never 0
    groups = report["groups"]["school"]  # Gabriel Pereira: 32 of 423 fail; Mousinho da Silveira: 68 of 226
    assert {school: g["outcomes"] for school, g in groups.items()} == {"GP": 32, "MS": 68}
    assert groups["GP"]["warnings"] and not groups["MS"]["warnings"]  # fewer than 50 outcomes: flagged


@pytest.mark.django_db
def test_fitted_weights_beat_equal_points_on_held_out_folds_and_save_as_a_proposal():
    county = risk_defaults_load(county_code="IS")
    # a county that also scores a module average under 5, each criterion at 2 points
    rules = rule_set_new_version(
        base=county,
        county_code="IS",
        name=county.name,
        criteria=[*DEFAULT_CRITERIA, Criterion("module_average", "<", 5, 2)],
        bands=DEFAULT_BANDS,
        note="medie sub 5",
        actor=None,
    )
    report = _run(
        *(a for m in [*MAP, "module_average=G1/2"] for a in ("--map", m)), "--rule-set", str(rules.pk), "--fit"
    )
    rows = _uci_rows()
    failed = np.array([int(r["G3"]) < 10 for r in rows])
    points = np.array(
        [2 * (int(r["absences"]) >= 20) + 2 * (int(r["failures"]) >= 1) + 2 * (int(r["G1"]) / 2 < 5) for r in rows]
    )
    assert report["overall"]["auc"]["value"] == pytest.approx(roc_auc_score(failed, points), abs=1e-4)
    fitted = report["fit"]
    assert fitted["auc"]["value"] > fitted["rules_auc"]["value"]
    assert fitted["auc"]["value"] > report["overall"]["auc"]["value"]
    assert fitted["gain"]["low"] > 0  # not noise: the fold-by-fold gain's interval is above 0
    proposed = {(c["indicator"], c["operator"]): c["points"] for c in fitted["proposed"]}
    assert proposed[("module_average", "<")] > proposed[("unexcused_year", ">=")]
    assert proposed[("unexcused_module", ">=")] == 2  # never known in the file: kept as it was
    assert rule_set_current(county_code="IS") == rules
    assert report["saved_rule_set"] is None

    saved = _run(
        *(a for m in [*MAP, "module_average=G1/2"] for a in ("--map", m)),
        "--rule-set",
        str(rules.pk),
        "--fit",
        "--save",
    )["saved_rule_set"]
    proposal = RuleSet.objects.get(pk=saved["id"])
    assert proposal.proposed and proposal.version == rules.version + 1
    assert rule_set_current(county_code="IS") == rules  # a proposal is never in force
    assert AuditEvent.objects.filter(action="rule_set.propose", target_id=str(proposal.pk)).exists()
    adopted = rule_set_adopt(proposal=proposal, actor=None)
    assert rule_set_current(county_code="IS") == adopted
    assert rule_set_criteria(rule_set=adopted) == rule_set_criteria(rule_set=proposal)
    assert AuditEvent.objects.filter(action="rule_set.adopt", target_id=str(adopted.pk)).exists()


def test_an_empty_cell_is_unknown_never_zero(tmp_path):
    path = tmp_path / "elevi.csv"
    path.write_text("unexcused_year;conduct;abandon\n25;;da\n;7;nu\n0;9;nu\n5;;\n", encoding="utf-8")
    sample = sample_read(path, outcome="abandon")
    assert sample.skipped == 1  # no outcome: left out
    assert [row["unexcused_year"] for row in sample.indicators] == [25.0, None, 0.0]
    assert [row["conduct"] for row in sample.indicators] == [None, 7.0, 9.0]
    scores = sample_score(sample.indicators, DEFAULT_CRITERIA, DEFAULT_BANDS)
    at = scores.indicators.index("unexcused_year")
    assert scores.unknown[:, at].tolist() == [False, True, False]
    assert scores.points.tolist() == [2, 1, 0]


def test_map_parses_scaling_and_refuses_unknown_indicators():
    assert mapping_parse(["module_average=G1/2"])["module_average"].factor == 0.5
    with pytest.raises(ValueError, match="nu există"):
        mapping_parse(["absences=absences"])
    with pytest.raises(CommandError):
        call_command("risk_backtest", "--csv", str(UCI), *OUTCOME, "--map", "nonsense")


def test_ties_at_the_cut_count_in_proportion_and_wilson_brackets_the_rate():
    outcome = np.array([1, 0, 1, 0, 0, 0, 0, 0, 0, 0])
    score = np.array([2, 2, 2, 2, 0, 0, 0, 0, 0, 0])  # top 20 % = 2 of the 4 tied at 2, half of them positive
    flagged = top_share(outcome, score, 0.2)
    assert flagged.flagged == pytest.approx(2) and flagged.precision.value == pytest.approx(0.5)
    rate = wilson(3, 10)
    assert rate.low is not None and rate.high is not None
    assert rate.low < 0.3 < rate.high


def test_proposed_points_and_bands():
    criteria = [
        Criterion("unexcused_year", ">=", 20, 2),
        Criterion("over_age", ">=", 2, 3),
        Criterion("trend", ">=", 5, 1),
    ]
    kept, removed = points_proposed(criteria, [0.5, 1.5, -0.2], max_points=3)
    assert [(c.indicator, c.points) for c in kept] == [("unexcused_year", 1), ("over_age", 3)]
    assert [c.indicator for c in removed] == ["trend"]
    # current: 50 % at low or above, 20 % at medium or above, 10 % high
    levels = ["none"] * 5 + ["low"] * 3 + ["medium"] + ["high"]
    bands = bands_at_same_shares(levels, np.array([0, 0, 0, 0, 0, 1, 1, 2, 3, 5]))
    assert (bands.low_from, bands.medium_from, bands.high_from) == (1, 3, 4)


@pytest.mark.django_db
def test_the_in_database_backtest_scores_a_past_date_against_what_prezent_recorded_since(world):
    assert world.school_a.county_code == "IS"
    # child_a2 leaves school (drop-out) after the date; child_b1 will repeat the grade
    enrolment = world.child_a2.enrolments.get()
    enrolment.end, enrolment.end_reason = world.monday.replace(day=25), "dropped_out"
    enrolment.save()
    world.child_b1.enrolments.update(repeats_next_year=True)
    out = io.StringIO()
    call_command(
        "risk_backtest", "--county", "IS", "--on", world.monday.isoformat(), "--group", "școala", "--json", stdout=out
    )
    report = json.loads(out.getvalue())
    kinds = report["outcome_kinds"]
    # child_a1's 2 unexcused hours are ≥ 10 % of the one register taken this year
    assert (kinds["abandon"], kinds["repetenție"], kinds["nemotivate ≥ 10 %"]) == (1, 1, 1)
    assert (report["overall"]["pupils"], report["overall"]["outcomes"]) == (4, 3)
    assert set(report["groups"]["școala"]) == {str(world.school_a.pk), str(world.school_b.pk)}
    assert all(group["warnings"] for group in report["groups"]["școala"].values())  # far fewer than 50 outcomes
    with pytest.raises(CommandError, match="Niciun elev"):
        call_command("risk_backtest", "--county", "IS", "--on", "2020-01-15", stdout=io.StringIO())


def test_forward_fit_is_judged_only_on_the_later_pupils():
    rows = _uci_rows()
    sample = sample_read(
        UCI, outcome="G3", positive="<10", mapping=mapping_parse([*MAP, "module_average=G1/2"]), groups=["school"]
    )
    criteria = [*DEFAULT_CRITERIA, Criterion("module_average", "<", 5, 2)]
    scores = sample_score(sample.indicators, criteria, DEFAULT_BANDS)
    first = np.array([r["school"] == "GP" for r in rows])  # "one year" fitted, the other judged
    fitted = fit_forward(scores.subset(first), sample.outcome[first], scores.subset(~first), sample.outcome[~first])
    assert fitted is not None
    assert fitted.rules_auc.value == pytest.approx(roc_auc_score(sample.outcome[~first], scores.points[~first]))
    gain, model, rules = fitted.gain, fitted.auc.value, fitted.rules_auc.value
    assert gain.value is not None and gain.low is not None and gain.high is not None
    assert model is not None and rules is not None
    assert gain.value == pytest.approx(model - rules)
    assert gain.low < gain.value < gain.high


def _ask(client, on, capture) -> tuple[str, BacktestRun, list]:
    """Ask for a backtest through the page's form; the task runs once the request commits (eagerly in tests)."""
    from django.urls import reverse

    with capture(execute=True) as callbacks:
        response = client.post(reverse("risk:backtest"), {"on": on})
    assert response.status_code == 302
    run = BacktestRun.objects.get(pk=int(response["Location"].rsplit("=", 1)[1]))
    return response["Location"], run, callbacks


@pytest.mark.django_db
def test_the_backtest_page_is_the_county_coordinators_and_saves_a_proposal(
    client, world, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    enrolment = world.child_a2.enrolments.get()
    enrolment.end, enrolment.end_reason = world.monday.replace(day=25), "dropped_out"
    enrolment.save()
    world.child_b1.enrolments.update(repeats_next_year=True)
    url = reverse("risk:backtest")
    for user in (world.users.teacher, world.users.school_coord, world.users.caseworker, world.users.norole):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(world.users.county)
    assert client.get(url).status_code == 200
    current = risk_defaults_load(county_code="IS")
    location, run, callbacks = _ask(client, world.monday.isoformat(), django_capture_on_commit_callbacks)
    assert len(callbacks) == 1  # the task is queued after the request's transaction, not inside it
    run.refresh_from_db()
    assert run.status == BacktestStatus.DONE and run.rule_set == current
    assert AuditEvent.objects.filter(action="backtest.request", actor=world.users.county).exists()
    page = client.get(location).content.decode()
    assert "4 elevi, 3 cu un rezultat" in page and "abandon: 1" in page
    assert "AUC" in page and "Regulile în vigoare" in page
    assert "ore nemotivate în anul școlar ≥ 20" in page  # criteria in words, not codes
    assert "unexcused_year" not in page
    # one pupil without an outcome: too few to fit, so nothing to save
    assert "nu pot fi potrivite" in page and "Salvează ca versiune propusă" not in page
    response = client.post(url, {"run": run.pk})
    assert response.status_code == 302 and not RuleSet.objects.filter(proposed=True).exists()

    enrol(world.class_b1, 1)  # a second pupil without an outcome: now the fit can be judged on folds
    location, run, _callbacks = _ask(client, world.monday.isoformat(), django_capture_on_commit_callbacks)
    page = client.get(location).content.decode()
    assert "Salvează ca versiune propusă" in page
    assert client.post(url, {"run": run.pk}).status_code == 302
    proposal = RuleSet.objects.get(county_code="IS", proposed=True)
    assert AuditEvent.objects.filter(
        action="rule_set.propose", actor=world.users.county, target_id=str(proposal.pk)
    ).exists()
    assert rule_set_current(county_code="IS") == current


@pytest.mark.django_db
def test_a_backtest_in_progress_says_so_and_polls_until_it_is_done(client, world, django_capture_on_commit_callbacks):
    """Without the task having run (a worker would take it), the page says "în lucru" and asks again with htmx;
    once the task ran, the same htmx request gets the figures and no more polling."""
    from django.urls import reverse

    risk_defaults_load(county_code="IS")
    client.force_login(world.users.county)
    url = reverse("risk:backtest")
    response = client.post(url, {"on": world.monday.isoformat()})  # on_commit never fires inside the test
    run = BacktestRun.objects.get()
    assert response["Location"].endswith(f"?run={run.pk}") and run.status == BacktestStatus.PENDING
    page = client.get(url, {"run": run.pk}).content.decode()
    assert "În lucru" in page and 'hx-trigger="every 3s"' in page
    # asking the same question again while it is computed gives the same run, not a second computation
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(url, {"on": world.monday.isoformat()})
    assert BacktestRun.objects.count() == 1 and not callbacks

    assert backtest_task.delay(run.pk).get()["status"] == BacktestStatus.DONE
    fragment = client.get(url, {"run": run.pk}, headers={"HX-Request": "true"}).content.decode()
    assert 'id="backtest-run"' in fragment and "<h1>" not in fragment
    assert "elevi," in fragment and "every 3s" not in fragment


@pytest.mark.django_db
def test_a_backtest_run_of_another_county_or_a_bad_date_changes_nothing(client, world):
    from django.urls import reverse

    other = BacktestRun.objects.create(county_code="CJ", on=world.monday, until=world.monday)
    client.force_login(world.users.county)
    url = reverse("risk:backtest")
    assert client.get(url, {"run": other.pk}).status_code == 404
    assert client.get(url, {"run": "x"}).status_code == 404
    assert client.post(url, {"run": other.pk}).status_code == 404
    response = client.post(url, {"on": "31.02.2026"})
    assert response.status_code == 200 and "31.02.2026" in response.content.decode()
    assert BacktestRun.objects.count() == 1


@pytest.mark.django_db
def test_a_backtest_that_fails_is_marked_failed_and_the_page_says_so(client, world, monkeypatch):
    from django.urls import reverse

    from prezent.risk.backtest import services

    def broken(**_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "backtest_result", broken)
    run = BacktestRun.objects.create(county_code="IS", on=world.monday, until=world.monday)
    with pytest.raises(RuntimeError):
        backtest_task.delay(run.pk)
    run.refresh_from_db()
    assert run.status == BacktestStatus.FAILED and run.result == {}
    client.force_login(world.users.county)
    page = client.get(reverse("risk:backtest"), {"run": run.pk}).content.decode()
    assert "s-a oprit din cauza unei erori" in page and "every 3s" not in page
