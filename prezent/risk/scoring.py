"""Scoring a child against a county's rule set: pure functions, no database.

A rule set is additive (the OpenEMIS-style rule sets DOMAIN.md describes): each criterion is an indicator, an
operator, a threshold and points; the points of the criteria that hold are summed and the sum falls in a band
(low / medium / high). An indicator that could not be computed (None: no register taken yet, no household
record) never matches, so missing data never raises a score; it is not "no risk" either: the result names the
rule set's indicators that were unknown (`ScoreResult.unknown`), so a reason can say "necunoscut" and a backtest
can count them. Every point comes with its reason in words, in the
language active when the score is computed (services compute in Romanian, the catalogue's source language).
"""

import functools
import json
import math
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from prezent.core.counting import count_form


def _equal(value: float, threshold: float) -> bool:
    return math.isclose(value, threshold, abs_tol=1e-9)


OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": _equal,
}

LEVEL_NONE, LEVEL_LOW, LEVEL_MEDIUM, LEVEL_HIGH = "none", "low", "medium", "high"
LEVEL_RANK = {LEVEL_NONE: 0, LEVEL_LOW: 1, LEVEL_MEDIUM: 2, LEVEL_HIGH: 3}


@dataclass(frozen=True)
class Criterion:
    """When `indicator operator threshold` holds, add `points`."""

    indicator: str
    operator: str
    threshold: float
    points: int


@dataclass(frozen=True)
class Bands:
    """The points from which a child is at low, medium and high risk (low_from ≤ medium_from ≤ high_from)."""

    low_from: int
    medium_from: int
    high_from: int


@dataclass(frozen=True)
class Reason:
    """One criterion that held: what was measured, the rule, the points it added, and all of it in words."""

    indicator: str
    value: float
    operator: str
    threshold: float
    points: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "value": self.value,
            "operator": self.operator,
            "threshold": self.threshold,
            "points": self.points,
            "text": self.text,
        }

    @functools.cached_property
    def as_json(self) -> str:
        """as_dict() as JSON, kept with the reason: the same few thousand reasons recur in a county's scores."""
        return json.dumps(self.as_dict())


@dataclass(frozen=True)
class ScoreResult:
    """The points, the level, the reasons (criteria that held) and the rule set's indicators that could not be
    computed for this child (None, in the rule set's order): unknown gives no points, but it is not 0."""

    points: int
    level: str
    reasons: list[Reason] = field(default_factory=list)
    unknown: tuple[str, ...] = ()

    def reasons_json(self) -> str:
        """The reasons as a JSON list, exactly as json.dumps([r.as_dict() for r in reasons]) writes it."""
        return "[" + ", ".join(reason.as_json for reason in self.reasons) + "]"


def matches(value: float | None, operator: str, threshold: float) -> bool:
    """Whether `value operator threshold` holds. None (not computable) and unknown operators never match."""
    if value is None:
        return False
    compare = OPERATORS.get(operator)
    return compare is not None and compare(float(value), float(threshold))


def level_for(points: int, bands: Bands) -> str:
    """The band of a sum of points. No points is never a risk level, whatever the bands say."""
    if points <= 0:
        return LEVEL_NONE
    if points >= bands.high_from:
        return LEVEL_HIGH
    if points >= bands.medium_from:
        return LEVEL_MEDIUM
    if points >= bands.low_from:
        return LEVEL_LOW
    return LEVEL_NONE


class Scorer:
    """A rule set ready to score many children: each criterion's comparison is looked up once, and a reason met
    before (same indicator, value, rule and language) is the same Reason object, its words and JSON made once."""

    def __init__(self, criteria: Sequence[Criterion], bands: Bands) -> None:
        self.bands = bands
        self._checks = tuple(
            (c.indicator, OPERATORS[c.operator], float(c.threshold), c.points, c.operator)
            for c in criteria
            if c.operator in OPERATORS  # an unknown operator never matches
        )

    def score(self, indicators: Mapping[str, float | None], language: str | None = None) -> ScoreResult:
        """Sum the points of the criteria that hold for these indicators; the level from the bands; the reasons,
        strongest first (then in the rule set's order), in `language` (default: the active one)."""
        reasons: list[Reason] = []
        unknown: list[str] = []
        for indicator, compare, threshold, points, operator_ in self._checks:
            value = indicators.get(indicator)
            if value is None:
                if indicator not in unknown:
                    unknown.append(indicator)
                continue
            if not compare(value, threshold):
                continue
            if language is None:
                language = get_language()
            reasons.append(_reason(indicator, float(value), operator_, threshold, points, language))
        points_sum = sum(r.points for r in reasons)
        if len(reasons) > 1:
            reasons.sort(key=lambda r: -r.points)
        return ScoreResult(
            points=points_sum, level=level_for(points_sum, self.bands), reasons=reasons, unknown=tuple(unknown)
        )

    def fired(self, indicators: Mapping[str, float | None]) -> list[bool]:
        """Whether each criterion (in the rule set's order, unknown operators left out) holds: no words, for a
        backtest that counts how often each one fires."""
        fired = []
        for indicator, compare, threshold, _points, _operator in self._checks:
            value = indicators.get(indicator)
            fired.append(value is not None and bool(compare(value, threshold)))
        return fired

    @property
    def criteria(self) -> list[Criterion]:
        """The criteria this scorer checks, in order (those with an unknown operator left out)."""
        return [
            Criterion(indicator, operator_, threshold, points)
            for indicator, _c, threshold, points, operator_ in self._checks
        ]


def score_child(indicators: Mapping[str, float | None], criteria: Sequence[Criterion], bands: Bands) -> ScoreResult:
    """Sum the points of the criteria that hold for these indicators; the level from the bands; the reasons,
    strongest first (then in the rule set's order)."""
    return Scorer(criteria, bands).score(indicators)


@functools.lru_cache(maxsize=16384)
def _reason(
    indicator: str, value: float, operator_: str, threshold: float, points: int, language: str | None
) -> Reason:
    return Reason(
        indicator=indicator,
        value=value,
        operator=operator_,
        threshold=threshold,
        points=points,
        text=_reason_text(indicator, value, operator_, threshold, language),
    )


# ---------------------------------------------------------------------------------------------------------------
# Reasons in words


def number_ro(value: float, decimals: int = 1) -> str:
    """12 → "12", 82.5 → "82,5", 5.8 with 2 decimals → "5,80" (Romanian decimal comma)."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.{decimals}f}".replace(".", ",")


_count_form = count_form  # Romanian count forms (prezent.core.counting)


def _counted(n: float, forms: tuple[str, str, str]) -> str:
    """Translate only the form the number needs (the three are marked for the catalogue with gettext_noop)."""
    return _(forms[_count_form(n)]) % {"n": number_ro(n)}


UNEXCUSED_HOURS = (N_("%(n)s oră nemotivată"), N_("%(n)s ore nemotivate"), N_("%(n)s de ore nemotivate"))
DAYS = (N_("%(n)s zi"), N_("%(n)s zile"), N_("%(n)s de zile"))
YEARS = (N_("%(n)s an"), N_("%(n)s ani"), N_("%(n)s de ani"))
SUBJECTS = (N_("%(n)s disciplină"), N_("%(n)s discipline"), N_("%(n)s de discipline"))
THRESHOLDS = {
    ">=": N_("prag: %(t)s"),
    ">": N_("prag: peste %(t)s"),
    "<=": N_("prag: cel mult %(t)s"),
    "<": N_("prag: sub %(t)s"),
    "==": N_("prag: %(t)s"),
}


UNKNOWN_TEXT = N_("%(indicator)s: necunoscut (nu se poate calcula încă, nu adaugă puncte)")


def unknown_text(label: str) -> str:
    """An indicator of the rule set that could not be computed, in words: "media generală în ultimul modul:
    necunoscut (…)". `label` is the indicator's name (prezent.risk.models.Indicator's label)."""
    return _(UNKNOWN_TEXT) % {"indicator": label}


NO_REGISTER = N_("nicio condică completată în perioadă")
NO_MARKS = N_("nicio notă înregistrată")
NO_HOUSEHOLD = N_("situația familiei nu este completată")
UNKNOWN_CAUSES: dict[str, str] = {
    # why an indicator can be None (prezent/risk/indicators.py)
    "attendance_30": NO_REGISTER,
    "attendance_module": NO_REGISTER,
    "attendance_year": NO_REGISTER,
    "absent_share_year": NO_REGISTER,
    "unexcused_share_year": NO_REGISTER,
    "unexcused_module": NO_REGISTER,
    "unexcused_year": NO_REGISTER,
    "streak_days": NO_REGISTER,
    "trend": N_("nicio condică în luna aceasta sau în cea trecută"),
    "failed_subjects": NO_MARKS,
    "module_average": NO_MARKS,
    "conduct": NO_MARKS,
    "over_age": N_("nu se aplică la grădiniță"),
    "social_benefit": NO_HOUSEHOLD,
    "parents_abroad": NO_HOUSEHOLD,
    "single_parent": NO_HOUSEHOLD,
    "distance_km": NO_HOUSEHOLD,
    "no_papers": NO_HOUSEHOLD,
}
UNKNOWN_WHY_TEXT = N_("Necunoscut: %(indicator)s (%(cause)s)")
UNKNOWN_SHORT_TEXT = N_("Necunoscut: %(indicator)s")


def unknown_why_text(indicator: str, label: str) -> str:
    """An unknown indicator on a child's page, with why it is unknown where that is known: "Necunoscut: media
    generală în ultimul modul (nicio notă înregistrată)". `label` is the indicator's name."""
    cause = UNKNOWN_CAUSES.get(indicator)
    if cause is None:
        return _(UNKNOWN_SHORT_TEXT) % {"indicator": label}
    return _(UNKNOWN_WHY_TEXT) % {"indicator": label, "cause": _(cause)}


def threshold_text(operator: str, threshold: str) -> str:
    """ "(prag: 10)" for ≥, "(prag: sub 90 %)" for <, and so on."""
    template = THRESHOLDS.get(operator)
    return "(" + (_(template) if template else "%(t)s") % {"t": threshold} + ")"


FLAG_TEXTS: dict[str, tuple[Callable[[], str], Callable[[], str]]] = {
    # indicator: (text when the flag is set, text when it is not)
    "social_benefit": (lambda: _("familia primește ajutor social"), lambda: _("familia nu primește ajutor social")),
    "single_parent": (lambda: _("familie monoparentală"), lambda: _("familia nu este monoparentală")),
    "no_papers": (lambda: _("copilul nu are acte de identitate"), lambda: _("copilul are acte de identitate")),
    "child_works": (lambda: _("copilul muncește"), lambda: _("copilul nu muncește")),
}


def _parents_abroad_text(value: float) -> str:
    if value >= 1:
        return _("ambii părinți sau părintele unic sunt plecați în străinătate")
    if value > 0:
        return _("un părinte este plecat în străinătate")
    return _("niciun părinte plecat în străinătate")


def reason_text(indicator: str, value: float, operator: str, threshold: float) -> str:
    """A criterion that held, in the words a teacher uses: "14 ore nemotivate în modulul curent (prag: 10)"."""
    return _reason_text(indicator, value, operator, threshold, get_language())


@functools.lru_cache(maxsize=8192)
def _reason_text(indicator: str, value: float, operator: str, threshold: float, language: str | None) -> str:
    """reason_text, remembered per language: a county's 100,000 scores share a few thousand distinct reasons."""
    if indicator in FLAG_TEXTS:
        when_set, when_not = FLAG_TEXTS[indicator]
        return when_set() if value >= 0.5 else when_not()
    if indicator == "parents_abroad":
        return _parents_abroad_text(value)
    percent = indicator.startswith(("attendance_", "absent_share", "unexcused_share"))
    if percent:
        limit = f"{number_ro(threshold)} %"
    elif indicator == "distance_km":
        limit = f"{number_ro(threshold)} km"
    else:
        limit = number_ro(threshold, 2)
    rule = threshold_text(operator, limit)
    v = {"v": number_ro(value)}
    texts: dict[str, Callable[[], str]] = {
        "attendance_30": lambda: _("prezență %(v)s %% în ultimele 30 de zile de școală") % v,
        "attendance_module": lambda: _("prezență %(v)s %% în modulul curent") % v,
        "attendance_year": lambda: _("prezență %(v)s %% în anul școlar") % v,
        "absent_share_year": lambda: _("a lipsit %(v)s %% din orele anului școlar, din orice motiv") % v,
        "unexcused_share_year": lambda: _("%(v)s %% din orele anului școlar sunt absențe nemotivate") % v,
        "unexcused_module": lambda: _("%(hours)s în modulul curent") % {"hours": _counted(value, UNEXCUSED_HOURS)},
        "unexcused_year": lambda: _("%(hours)s în anul școlar") % {"hours": _counted(value, UNEXCUSED_HOURS)},
        "streak_days": lambda: (
            _("absent nemotivat toată ziua, %(days)s de școală la rând până acum") % {"days": _counted(value, DAYS)}
        ),
        "trend": lambda: (
            _("absențele au crescut cu %(v)s puncte procentuale față de luna trecută") % v
            if value >= 0
            else _("absențele au scăzut cu %(v)s puncte procentuale față de luna trecută") % {"v": number_ro(-value)}
        ),
        "repeated_grade": lambda: (
            _("a repetat de %(v)s ori un an școlar") % v if value >= 2 else _("a repetat un an școlar")
        ),
        "over_age": lambda: _("are %(years)s peste vârsta clasei") % {"years": _counted(value, YEARS)},
        "failed_subjects": lambda: (
            _("%(subjects)s cu medie sub 5 sau calificativ „Insuficient” în ultimul modul")
            % {"subjects": _counted(value, SUBJECTS)}
        ),
        "module_average": lambda: _("media generală %(avg)s în ultimul modul") % {"avg": number_ro(value, 2)},
        "conduct": lambda: _("nota la purtare %(avg)s în ultimul modul") % {"avg": number_ro(value, 2)},
        "distance_km": lambda: _("locuiește la %(v)s km de școală") % v,
    }
    make = texts.get(indicator)
    if make is None:
        return f"{indicator}: {v['v']} {rule}"
    return f"{make()} {rule}"
