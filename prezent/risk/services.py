"""Writes of the scoring engine: new rule-set versions, the default rule set, and recomputing scores in bulk."""

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.children.models import Enrolment
from prezent.core.bulk import rows_insert
from prezent.core.services import audit_record
from prezent.risk.alerts.services import AlertSyncReport, alerts_sync
from prezent.risk.defaults import DEFAULT_BANDS, DEFAULT_CRITERIA, DEFAULT_NAME, DEFAULT_NOTE
from prezent.risk.indicators import CHUNK, ChildIndicators, id_list, indicators_json, indicators_with_context
from prezent.risk.models import Indicator, Level, Operator, RiskScore, RuleCriterion, RuleSet
from prezent.risk.retention import keep_days, snapshot_days, thinning_from
from prezent.risk.scoring import Bands, Criterion, Scorer, ScoreResult
from prezent.risk.selectors import rule_set_bands, rule_set_criteria, rule_set_current
from prezent.schools.models import School

MAX_THRESHOLD = Decimal("99999.99")  # RuleCriterion.threshold: 7 digits, 2 decimals


# ---------------------------------------------------------------------------------------------------------------
# Rule sets


def _criteria_check(criteria: Sequence[Criterion], bands: Bands) -> None:
    if not criteria:
        raise ValidationError(_("Un set de reguli are cel puțin un criteriu."))
    for criterion in criteria:
        if criterion.indicator not in Indicator.values:
            raise ValidationError(_("Indicator necunoscut: %(i)s.") % {"i": criterion.indicator})
        if criterion.operator not in Operator.values:
            raise ValidationError(_("Operator necunoscut: %(o)s.") % {"o": criterion.operator})
        if not 1 <= criterion.points <= 100:
            raise ValidationError(_("Punctele unui criteriu sunt între 1 și 100."))
        if abs(Decimal(str(criterion.threshold))) > MAX_THRESHOLD:
            raise ValidationError(_("Pragul este prea mare."))
    if not 1 <= bands.low_from <= bands.medium_from <= bands.high_from:
        raise ValidationError(_("Pragurile trebuie să crească: scăzut ≤ mediu ≤ ridicat."))


@transaction.atomic
def rule_set_new_version(
    *,
    base: RuleSet | None,
    county_code: str,
    name: str,
    criteria: list[Criterion],
    bands: Bands,
    note: str,
    actor: User | None,
    proposed: bool = False,
) -> RuleSet:
    """Save an edit of the county's rules as its next version; earlier versions (and the scores that used them)
    never change. A `proposed` version (fitted weights from a backtest) is kept but not in force."""
    if base is not None and base.county_code != county_code:
        raise ValidationError(_("Versiunea de bază este a altui județ."))
    _criteria_check(criteria, bands)
    latest = RuleSet.objects.select_for_update().filter(county_code=county_code).order_by("-version").first()
    rule_set = RuleSet.objects.create(
        county_code=county_code,
        version=(latest.version if latest else 0) + 1,
        name=name.strip() or (base.name if base else DEFAULT_NAME),
        low_from=bands.low_from,
        medium_from=bands.medium_from,
        high_from=bands.high_from,
        note=note[:300],
        created_by=actor,
        proposed=proposed,
    )
    RuleCriterion.objects.bulk_create(
        RuleCriterion(
            rule_set=rule_set,
            indicator=c.indicator,
            operator=c.operator,
            threshold=Decimal(str(round(float(c.threshold), 2))),
            points=c.points,
        )
        for c in criteria
    )
    audit_record(
        actor=actor,
        action="rule_set.new_version",
        target=rule_set,
        details={
            "county": county_code,
            "version": rule_set.version,
            "base": base.pk if base else None,
            "criteria": len(criteria),
            "proposed": proposed,
        },
    )
    return rule_set


def risk_defaults_load(*, county_code: str) -> RuleSet:
    """The county's rule set in force; if it has none yet, the default rule set (prezent/risk/defaults.py) as
    version 1. Idempotent: a county that has rules keeps them."""
    with transaction.atomic():
        current = rule_set_current(county_code=county_code)
        if current is not None:
            return current
        return rule_set_new_version(
            base=None,
            county_code=county_code,
            name=DEFAULT_NAME,
            criteria=list(DEFAULT_CRITERIA),
            bands=DEFAULT_BANDS,
            note=DEFAULT_NOTE,
            actor=None,
        )


# ---------------------------------------------------------------------------------------------------------------
# Scores


@dataclass(frozen=True)
class _Rules:
    rule_set: RuleSet
    scorer: Scorer


def _rules_for(rule_set: RuleSet) -> _Rules:
    return _Rules(rule_set, Scorer(rule_set_criteria(rule_set=rule_set), rule_set_bands(rule_set=rule_set)))


def risk_scores_compute(*, child_ids: Sequence[int], on: datetime.date, rule_set: RuleSet) -> dict[int, ScoreResult]:
    """Score the children on `on` with one rule set, writing nothing (to preview a rule-set edit, for instance)."""
    scorer = _rules_for(rule_set).scorer
    with translation.override(settings.LANGUAGE_CODE):
        indicators = indicators_with_context(child_ids=child_ids, on=on)
        return {child_id: scorer.score(row.values) for child_id, row in indicators.items()}


@dataclass
class RecomputeReport:
    """What one recompute did: counts and ids only."""

    on: datetime.date
    children: int = 0  # scores written
    skipped: int = 0  # children asked for but not enrolled anywhere on that date
    schools: int = 0
    by_level: dict[str, int] = field(default_factory=dict)
    rule_sets: dict[str, int] = field(default_factory=dict)  # county → rule-set id used
    alerts_opened: int = 0
    alerts_closed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "children": self.children,
            "skipped": self.skipped,
            "schools": self.schools,
            "by_level": dict(self.by_level),
            "rule_sets": dict(self.rule_sets),
            "alerts_opened": self.alerts_opened,
            "alerts_closed": self.alerts_closed,
        }


Progress = Callable[[int, int], None]  # (school id, children scored in it), once per school


def _population(*, on: datetime.date, school: School | None, county_code: str | None = None) -> list[tuple[int, int]]:
    """(child id, school id) of every child enrolled on `on` (in `school`, or in the county), school by school."""
    enrolments = Enrolment.objects.filter(Q(start__lte=on), Q(end__isnull=True) | Q(end__gte=on))
    if school is not None:
        enrolments = enrolments.filter(class_group__school=school)
    if county_code:
        enrolments = enrolments.filter(class_group__school__county_code=county_code)
    rows = enrolments.order_by("class_group__school_id", "class_group_id", "child_id").values_list(
        "child_id", "class_group__school_id"
    )
    seen: set[int] = set()
    population = []
    for child_id, school_id in rows:  # a child in two classes on the same day (a move) is scored once
        if child_id not in seen:
            seen.add(child_id)
            population.append((child_id, school_id))
    return population


def _batches(population: list[tuple[int, int]], size: int) -> Iterator[tuple[list[int], list[tuple[int, int]]]]:
    """Batches of about `size` children made of whole schools (a school bigger than `size` is split), with the
    schools each batch completes and their sizes."""
    batch: list[int] = []
    done: list[tuple[int, int]] = []
    by_school: dict[int, list[int]] = defaultdict(list)
    for child_id, school_id in population:
        by_school[school_id].append(child_id)
    for school_id, children in by_school.items():
        if batch and len(batch) + len(children) > size:
            yield batch, done
            batch, done = [], []
        for start in range(0, len(children), size):
            part = children[start : start + size]
            if batch and len(batch) + len(part) > size:
                yield batch, done
                batch, done = [], []
            batch.extend(part)
        done.append((school_id, len(children)))
    if batch or done:
        yield batch, done


@transaction.atomic
def risk_recompute(
    *,
    on: datetime.date,
    school: School | None = None,
    child_ids: Sequence[int] | None = None,
    county_code: str = "",
    actor: User | None = None,
    progress: Progress | None = None,
) -> RecomputeReport:
    """Score children on `on` with their county's rule set in force (the default one is loaded if the county has
    none) and store one RiskScore per child: the children of `school`, or `child_ids`, or everyone enrolled.
    `county_code` keeps the run inside one county (a county coordinator's recompute never touches another county's
    scores or alerts); the audit event names the actor and the county.

    A second run for the same date replaces that day's score; scores of other dates stay as history, and the
    newest date is the current one. Then the alerts of the ladder follow (alerts_sync). A few queries per 2,000
    children, never one per child (everyone: each table is read once); one audit event per run.
    """
    report = RecomputeReport(on=on)
    everyone = school is None and child_ids is None and not county_code
    if child_ids is not None:
        wanted = list(dict.fromkeys(child_ids))
        batches: list[tuple[list[int], list[tuple[int, int]]]] = [
            (wanted[i : i + CHUNK], []) for i in range(0, len(wanted), CHUNK)
        ]
    else:
        batches = list(_batches(_population(on=on, school=school, county_code=county_code), CHUNK))
    rules_by_county: dict[str, _Rules] = {}
    levels: Counter[str] = Counter()
    schools: set[int] = set()
    ladder_input: dict[str, _LadderInput] = defaultdict(_LadderInput)
    with translation.override(settings.LANGUAGE_CODE):
        read_at_once: dict[int, ChildIndicators] | None = None
        if everyone:
            read_at_once = indicators_with_context(
                child_ids=[c for batch, _done in batches for c in batch], on=on, read_all=True
            )
        for batch, done in batches:
            if read_at_once is not None:
                indicators = {c: read_at_once[c] for c in batch if c in read_at_once}
            else:
                indicators = indicators_with_context(child_ids=batch, on=on)
            _score_batch(
                batch, indicators, rules_by_county, on, report, levels, ladder_input, schools, county_code=county_code
            )
            if progress is not None:
                for school_id, count in done:
                    progress(school_id, count)
        for county_code, data in sorted(ladder_input.items()):  # once per county: each alert is read once
            synced = alerts_sync(
                on=on,
                indicators=data.indicators,
                levels=data.levels,
                school_by_child=data.schools,
                county_code=county_code,
            )
            report.alerts_opened += synced.opened
            report.alerts_closed += synced.closed
    report.by_level = {level: levels.get(level, 0) for level in Level.values}
    report.rule_sets = {county: rules.rule_set.pk for county, rules in sorted(rules_by_county.items())}
    report.schools = len(schools)
    audit_record(
        actor=actor,
        action="risk.recompute",
        target_type="risk.riskscore",
        target_id=on.isoformat(),
        details={
            "school": school.pk if school else None,
            "county": county_code or None,
            "requested": len(child_ids or []),
            **report.as_dict(),
        },
    )
    return report


def _score_batch(
    batch: list[int],
    indicators: dict[int, ChildIndicators],
    rules_by_county: dict[str, _Rules],
    on: datetime.date,
    report: RecomputeReport,
    levels: Counter[str],
    ladder_input: dict[str, "_LadderInput"],
    schools: set[int],
    *,
    county_code: str | None = None,
) -> None:
    """Score and store a batch; with `county_code`, only that county's children (a run never writes another
    county's scores)."""
    scored = [
        row
        for row in indicators.items()
        if row[1].school_id is not None and (not county_code or row[1].county_code == county_code)
    ]
    report.skipped += len(batch) - len(scored)
    for county in {row.county_code for _child, row in scored} - set(rules_by_county):
        rules_by_county[county] = _rules_for(risk_defaults_load(county_code=county))
    _store_batch(scored, rules_by_county, on, report, levels, ladder_input)
    schools.update(row.school_id for _child, row in scored if row.school_id is not None)


# ---------------------------------------------------------------------------------------------------------------
# The nightly run at national scale: per county, batches of whole schools, then the county's ladder once
# (prezent/risk/tasks.py runs them as a Celery chord; docs/architecture.md, decision 49)

NIGHTLY_BATCH = 4 * CHUNK  # children per batch task: about 25 schools, a few seconds of work


def risk_counties_enrolled(*, on: datetime.date) -> list[str]:
    """The county codes of the schools with a child enrolled on `on`: the counties the nightly run covers."""
    return sorted(
        set(
            Enrolment.objects.filter(Q(start__lte=on), Q(end__isnull=True) | Q(end__gte=on)).values_list(
                "class_group__school__county_code", flat=True
            )
        )
    )


def risk_batches_plan(*, on: datetime.date, county_code: str, size: int | None = None) -> list[list[int]]:
    """The children enrolled in the county on `on`, in batches of about `size` (NIGHTLY_BATCH) made of whole
    schools (a school bigger than `size` is split), in a fixed order: the same date gives the same batches."""
    population = _population(on=on, school=None, county_code=county_code)
    return [batch for batch, _done in _batches(population, size or NIGHTLY_BATCH) if batch]


@transaction.atomic
def risk_recompute_batch(
    *, on: datetime.date, child_ids: Sequence[int], county_code: str, actor: User | None = None
) -> RecomputeReport:
    """Score one batch of a county's nightly run and store the scores, without the ladder: risk_ladder_sync
    follows once, when every batch of the county is done. Idempotent: a batch run again for the same date
    replaces that day's scores of its children (one row per child and date), so a retried or twice-delivered
    batch changes nothing. One audit event per batch (counts only)."""
    report = RecomputeReport(on=on)
    wanted = list(dict.fromkeys(int(c) for c in child_ids))
    rules_by_county: dict[str, _Rules] = {}
    levels: Counter[str] = Counter()
    schools: set[int] = set()
    ladder_input: dict[str, _LadderInput] = defaultdict(_LadderInput)
    with translation.override(settings.LANGUAGE_CODE):
        read = indicators_with_context(child_ids=wanted, on=on)  # in chunks, each calendar read once
        for start in range(0, len(wanted), CHUNK):
            batch = wanted[start : start + CHUNK]
            indicators = {c: read[c] for c in batch if c in read}
            _score_batch(batch, indicators, rules_by_county, on, report, levels, ladder_input, schools)
    report.by_level = {level: levels.get(level, 0) for level in Level.values}
    report.rule_sets = {county: rules.rule_set.pk for county, rules in sorted(rules_by_county.items())}
    report.schools = len(schools)
    audit_record(
        actor=actor,
        action="risk.recompute_batch",
        target_type="risk.riskscore",
        target_id=on.isoformat(),
        details={"county": county_code, "requested": len(wanted), **report.as_dict()},
    )
    return report


@transaction.atomic
def risk_ladder_sync(*, on: datetime.date, county_code: str, actor: User | None = None) -> AlertSyncReport:
    """Bring the county's alerts in line with the ladder from the scores of `on` already stored (the current
    ones, of the county's schools): the last step of a county's nightly run, once its batches are done. The same
    alerts as risk_recompute's in-memory sync; idempotent (a second sync opens and closes nothing)."""
    data = _LadderInput()
    rows = (
        RiskScore.objects.filter(computed_on=on, is_current=True, school__county_code=county_code)
        .order_by("child_id")
        .values_list("child_id", "school_id", "level", "indicators")
    )
    for child_id, school_id, level, values in rows.iterator(chunk_size=CHUNK):
        data.indicators[child_id] = values
        data.levels[child_id] = level
        data.schools[child_id] = school_id
    with translation.override(settings.LANGUAGE_CODE):
        synced = alerts_sync(
            on=on,
            indicators=data.indicators,
            levels=data.levels,
            school_by_child=data.schools,
            county_code=county_code,
        )
    audit_record(
        actor=actor,
        action="risk.ladder_sync",
        target_type="risk.alert",
        target_id=on.isoformat(),
        details={"county": county_code, "children": len(data.levels), "opened": synced.opened, "closed": synced.closed},
    )
    return synced


SCORE_COLUMNS = (
    "child_id",
    "school_id",
    "computed_on",
    "rule_set_id",
    "points",
    "level",
    "reasons",
    "indicators",
    "is_current",
    "created_at",
)


@dataclass
class _LadderInput:
    """What the escalation ladder needs of the children whose newest score this run wrote, in one county."""

    indicators: dict[int, dict[str, float | None]] = field(default_factory=dict)
    levels: dict[int, str] = field(default_factory=dict)
    schools: dict[int, int] = field(default_factory=dict)


def _store_batch(
    scored: list[tuple[int, ChildIndicators]],
    rules_by_county: dict[str, _Rules],
    on: datetime.date,
    report: RecomputeReport,
    levels: Counter[str],
    ladder_input: dict[str, _LadderInput],
) -> None:
    if not scored:
        return
    ids = [child_id for child_id, _row in scored]
    RiskScore.objects.filter(child_id__in=id_list(ids), computed_on=on).delete()
    later = set(
        RiskScore.objects.filter(child_id__in=id_list(ids), computed_on__gt=on).values_list("child_id", flat=True)
    )
    RiskScore.objects.filter(child_id__in=id_list(i for i in ids if i not in later), is_current=True).update(
        is_current=False
    )
    ops = connection.ops
    day = ops.adapt_datefield_value(on)
    now = ops.adapt_datetimefield_value(timezone.now())
    rows: list[tuple[Any, ...]] = []
    json_value = _json_adapter()
    language = translation.get_language()
    for child_id, row in scored:
        rules = rules_by_county[row.county_code]
        result = rules.scorer.score(row.values, language)
        levels[result.level] += 1
        current = child_id not in later
        rows.append(
            (
                child_id,
                row.school_id,
                day,
                rules.rule_set.pk,
                result.points,
                result.level,
                json_value(result.reasons_json()),
                json_value(indicators_json(row.values)),
                current,
                now,
            )
        )
        if current and row.school_id is not None:
            county = ladder_input[row.county_code]
            county.indicators[child_id] = row.values
            county.levels[child_id] = result.level
            county.schools[child_id] = row.school_id
    rows_insert(RiskScore, SCORE_COLUMNS, rows)  # a row per pupil: bulk_create would cost ~100 µs a row
    report.children += len(rows)


def _json_adapter() -> Callable[[str], Any]:
    """JSON text as the backend's driver takes it for a JSON column: the text itself (SQLite; PostgreSQL's COPY),
    or psycopg's Jsonb wrapper around the already encoded text for a parameter of an INSERT."""
    if connection.vendor != "postgresql":
        return lambda text: text
    from psycopg.types.json import Jsonb

    return lambda text: Jsonb(text, dumps=lambda already_encoded: already_encoded)


# ---------------------------------------------------------------------------------------------------------------
# Retention


@dataclass
class PruneReport:
    """What one thinning did (counts and dates only)."""

    thinned_before: datetime.date
    days: int = 0  # days older than the limit
    snapshot_days: int = 0  # of them, kept whole
    deleted: int = 0
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "thinned_before": self.thinned_before.isoformat(),
            "days": self.days,
            "snapshot_days": self.snapshot_days,
            "deleted": self.deleted,
            "dry_run": self.dry_run,
        }


def risk_scores_prune(
    *, today: datetime.date, keep: int | None = None, dry_run: bool = False, actor: User | None = None
) -> PruneReport:
    """Thin the scores older than `keep` days (prezent/risk/retention.py): a score stays if it is current, on its
    month's snapshot day, or where the child's level or points changed from the previous score. Day by day, oldest
    first, one transaction a day (the previous score of a child is the one the day before kept); running it again
    deletes nothing more. With `dry_run`, counts what would go and deletes nothing."""
    limit = thinning_from(today, keep_days() if keep is None else keep)
    per_day = dict(
        RiskScore.objects.filter(computed_on__lt=limit)
        .values("computed_on")
        .annotate(n=Count("pk"))
        .values_list("computed_on", "n")
    )
    snapshots = snapshot_days(per_day)
    report = PruneReport(thinned_before=limit, days=len(per_day), snapshot_days=len(snapshots), dry_run=dry_run)
    for day in sorted(set(per_day) - snapshots):
        previous = RiskScore.objects.filter(child_id=OuterRef("child_id"), computed_on__lt=day).order_by(
            "-computed_on", "-pk"
        )
        unchanged = (
            RiskScore.objects.filter(computed_on=day, is_current=False)
            .annotate(
                previous_level=Subquery(previous.values("level")[:1]),
                previous_points=Subquery(previous.values("points")[:1]),
            )
            .filter(previous_level=F("level"), previous_points=F("points"))
        )
        ids = list(unchanged.values_list("pk", flat=True))
        report.deleted += len(ids)
        if dry_run or not ids:
            continue
        with transaction.atomic():
            for start in range(0, len(ids), CHUNK):
                RiskScore.objects.filter(pk__in=id_list(ids[start : start + CHUNK])).delete()
    if not dry_run:
        audit_record(
            actor=actor,
            action="risk.scores_prune",
            target_type="risk.riskscore",
            target_id=limit.isoformat(),
            details=report.as_dict(),
        )
    return report
