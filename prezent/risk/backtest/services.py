"""Writes of the backtest: ask for a backtest and compute it (in the background, prezent/risk/tasks.py), save
fitted weights as a proposed rule-set version, and adopt a proposal.

A backtest run stores the figures the page shows (`BacktestRun.result`): counts, rates and AUC, the criteria as
(indicator, operator, threshold, points), and the fitted proposal's points and bands, so saving the proposal
needs no second computation. Never a child's name or id.

Both go through the engine's `rule_set_new_version` (audited, `rule_set.new_version`) and add their own audit
event. A proposal is never in force; adopting it saves its criteria and bands again as the county's next version,
so the versions in force stay a line and the proposal itself never changes. The reasons' words come from the
indicators and thresholds, which a proposal keeps: only the points and the bands change.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.core.services import audit_record
from prezent.risk.backtest.fitting import Fit, fit
from prezent.risk.backtest.metrics import Estimate, Section, section
from prezent.risk.backtest.sample import sample_score
from prezent.risk.backtest.selectors import backtest_history, school_year_of
from prezent.risk.defaults import DEFAULT_BANDS, DEFAULT_CRITERIA
from prezent.risk.models import BacktestRun, BacktestStatus, RuleSet
from prezent.risk.scoring import Bands, Criterion
from prezent.risk.selectors import rule_set_bands, rule_set_criteria, rule_set_current
from prezent.risk.services import rule_set_new_version

PAGE_BOOTSTRAP = 200  # the page's intervals: fewer bootstrap draws than the command (1,000)


@transaction.atomic
def backtest_request(
    *, county_code: str, on: datetime.date, today: datetime.date, actor: User | None
) -> tuple[BacktestRun, bool]:
    """A backtest of the county's rules in force on `on`, to be computed in the background (`backtest_execute`).
    The same question asked again while its run is still being computed (same county, date, rules and end of the
    outcomes, asked today) gets that run, not a second computation; a finished one is computed afresh (the
    registers may have changed since). Returns the run and whether it is new (only a new one is handed to the
    task)."""
    year = school_year_of(county_code=county_code, on=on)
    until = min(year.end, today) if year is not None else today
    base = rule_set_current(county_code=county_code)
    same = (
        BacktestRun.objects.filter(
            county_code=county_code, on=on, until=until, rule_set=base, status=BacktestStatus.PENDING
        )
        .filter(created_at__date=timezone.localdate())
        .first()
    )
    if same is not None:
        return same, False
    run = BacktestRun.objects.create(county_code=county_code, on=on, until=until, rule_set=base, created_by=actor)
    audit_record(
        actor=actor,
        action="backtest.request",
        target=run,
        details={"county": county_code, "on": on.isoformat(), "rule_set": base.pk if base else None},
    )
    return run, True


def backtest_execute(*, run: BacktestRun, today: datetime.date) -> BacktestRun:
    """Compute a requested backtest and store its figures (status "done"), or mark it failed and re-raise."""
    if run.status != BacktestStatus.PENDING:
        return run
    base = run.rule_set
    criteria = rule_set_criteria(rule_set=base) if base else list(DEFAULT_CRITERIA)
    bands = rule_set_bands(rule_set=base) if base else DEFAULT_BANDS
    try:
        result = backtest_result(county_code=run.county_code, on=run.on, today=today, criteria=criteria, bands=bands)
    except Exception:
        _finish(run, BacktestStatus.FAILED, {})
        raise
    _finish(run, BacktestStatus.DONE, result)
    return run


@transaction.atomic
def _finish(run: BacktestRun, status: str, result: dict[str, Any]) -> None:
    run.status, run.result, run.finished_at = status, result, timezone.now()
    run.save(update_fields=["status", "result", "finished_at"])
    audit_record(
        actor=None,
        action=f"backtest.{status}",
        target=run,
        details={"county": run.county_code, "pupils": result.get("pupils", 0), "outcomes": result.get("outcomes", 0)},
    )


def _criterion(c: Criterion) -> list[Any]:
    return [c.indicator, c.operator, c.threshold, c.points]


def backtest_result(
    *, county_code: str, on: datetime.date, today: datetime.date, criteria: Sequence[Criterion], bands: Bands
) -> dict[str, Any]:
    """The figures of a backtest as plain JSON values: counts, estimates as text ("0.812 [0.780–0.840]"),
    criteria as [indicator, operator, threshold, points]; {"empty": true} when nobody was enrolled on `on`."""
    history = backtest_history(county_code=county_code, on=on, today=today)
    if history is None:
        return {"empty": True}
    scores = sample_score(history.sample.indicators, list(criteria), bands)
    fitted = fit(scores, history.sample.outcome)
    rules = section(history.sample.outcome, scores, bootstrap=PAGE_BOOTSTRAP)
    return {
        "empty": False,
        "until": history.until.isoformat(),
        "pupils": rules.pupils,
        "outcomes": rules.outcomes,
        "kinds": history.kinds,
        "warnings": list(rules.warnings),
        "auc": str(rules.auc),
        "top": _top_rows(rules, fitted),
        "levels": [[f.label, round(f.flagged), str(f.precision), str(f.recall)] for f in rules.levels],
        "firing": [
            [*_criterion(c), str(f.with_outcome), str(f.without_outcome)]
            for c, f in zip(scores.criteria, rules.firing, strict=True)
        ],
        "fit": _fit_result(fitted) if fitted else None,
    }


def _top_rows(rules: Section, fitted: Fit | None) -> list[list[str]]:
    fit_top: list[Estimate | None] = list(fitted.top.values()) if fitted else [None] * len(rules.top)
    return [
        [f.label, str(f.precision), str(e) if e is not None else ""] for f, e in zip(rules.top, fit_top, strict=True)
    ]


def _fit_result(fitted: Fit) -> dict[str, Any]:
    return {
        "auc": str(fitted.auc),
        "rules_auc": str(fitted.rules_auc),
        "gain": str(fitted.gain),
        "proposed": [_criterion(c) for c in fitted.proposed],
        "removed": [_criterion(c) for c in fitted.removed],
        "bands": [fitted.bands.low_from, fitted.bands.medium_from, fitted.bands.high_from],
    }


def backtest_propose(*, run: BacktestRun, actor: User | None) -> RuleSet:
    """Save a finished run's fitted points as a proposed version of the rules it was computed with. Refused
    (ValidationError) when the run has no fit or the county's rules in force changed since."""
    fitted = run.result.get("fit") if run.status == BacktestStatus.DONE else None
    base = run.rule_set
    if not fitted or base is None:
        raise ValidationError(_("Această verificare nu are puncte potrivite de salvat."))
    if rule_set_current(county_code=run.county_code) != base:
        raise ValidationError(_("Regulile în vigoare s-au schimbat de la această verificare; rulați-o din nou."))
    low, medium, high = fitted["bands"]
    return rule_set_propose(
        base=base,
        criteria=[Criterion(i, o, float(t), int(p)) for i, o, t, p in fitted["proposed"]],
        bands=Bands(low_from=low, medium_from=medium, high_from=high),
        note=_("Puncte potrivite pe elevii din %(on)s (%(n)s elevi).")
        % {"on": run.on.strftime("%d.%m.%Y"), "n": run.result["pupils"]},
        actor=actor,
    )


@transaction.atomic
def rule_set_propose(
    *, base: RuleSet, criteria: Sequence[Criterion], bands: Bands, note: str, actor: User | None
) -> RuleSet:
    """Save fitted points and bands as a new, proposed (not in force) version of `base`'s county rules."""
    proposal = rule_set_new_version(
        base=base,
        county_code=base.county_code,
        name=base.name,
        criteria=list(criteria),
        bands=bands,
        note=note,
        actor=actor,
        proposed=True,
    )
    audit_record(
        actor=actor,
        action="rule_set.propose",
        target=proposal,
        details={"county": base.county_code, "version": proposal.version, "base": base.pk},
    )
    return proposal


@transaction.atomic
def rule_set_adopt(*, proposal: RuleSet, actor: User | None) -> RuleSet:
    """Put a proposed version in force: its criteria and bands saved as the county's next version."""
    if not proposal.proposed:
        raise ValidationError(_("Această versiune nu este o propunere."))
    adopted = rule_set_new_version(
        base=proposal,
        county_code=proposal.county_code,
        name=proposal.name,
        criteria=rule_set_criteria(rule_set=proposal),
        bands=rule_set_bands(rule_set=proposal),
        note=_("Adoptată din propunerea v%(v)s (puncte potrivite pe date).") % {"v": proposal.version},
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="rule_set.adopt",
        target=adopted,
        details={"county": proposal.county_code, "version": adopted.version, "proposal": proposal.pk},
    )
    return adopted
