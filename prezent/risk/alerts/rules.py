"""Pure rules of the escalation ladder: does a step's trigger hold for a child, and the cause in words.

No database here: plain values in (the child's indicators and risk level, a step's conditions), a verdict out.
A step triggers when ANY of its conditions holds, or when the child's risk level reaches the step's level.
An indicator that cannot be computed yet (None: no register taken) neither opens nor closes an alert.
"""

import functools
import math
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

LEVEL_RANK = {"none": 0, "low": 1, "medium": 2, "high": 3}

OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": math.isclose,
}


@dataclass(frozen=True)
class StepRule:
    """A ladder step reduced to what the verdict needs."""

    conditions: tuple[tuple[str, str, float], ...]
    trigger_level: str = ""


@dataclass(frozen=True)
class Verdict:
    """`holds` is True (triggered), False (certainly not) or None (unknown: an indicator is missing).
    `causes` are the conditions that hold, in words."""

    holds: bool | None
    causes: tuple[str, ...] = ()


def step_rule_from(conditions: Sequence[Sequence[object]], trigger_level: str = "") -> StepRule:
    """Read the JSON conditions of an EscalationStep ([[indicator, operator, threshold], …])."""
    parsed = tuple((str(c[0]), str(c[1]), float(str(c[2]))) for c in conditions if len(c) == 3)
    return StepRule(conditions=parsed, trigger_level=trigger_level or "")


def number_ro(value: float) -> str:
    """12 → "12", 12.5 → "12,5" (Romanian decimal comma)."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}".replace(".", ",")


def cause_text(indicator: str, value: float, threshold: float) -> str:
    """The cause in the words a teacher uses: "12 ore nemotivate în modulul curent (prag: 10)"."""
    return _cause_text(indicator, value, threshold, get_language())


@functools.lru_cache(maxsize=8192)
def _cause_text(indicator: str, value: float, threshold: float, language: str | None) -> str:
    """cause_text, remembered per language: the nightly run meets the same few hundred causes for 100,000
    children."""
    params = {"value": number_ro(value), "threshold": number_ro(threshold)}
    templates = {
        "unexcused_module": _("%(value)s ore nemotivate în modulul curent (prag: %(threshold)s)"),
        "unexcused_year": _("%(value)s ore nemotivate în anul școlar (prag: %(threshold)s)"),
        "streak_days": _("%(value)s zile de școală consecutive absent (prag: %(threshold)s)"),
        "unexcused_share_year": _("%(value)s%% din orele anului școlar sunt nemotivate (prag: %(threshold)s%%)"),
        "absent_share_year": _("%(value)s%% din orele anului școlar sunt absențe (prag: %(threshold)s%%)"),
    }
    template = templates.get(indicator)
    if template is None:
        return _("%(indicator)s: %(value)s (prag: %(threshold)s)") % {"indicator": indicator, **params}
    return template % params


def level_cause_text(level_label: str) -> str:
    return _("nivel de risc: %(level)s") % {"level": level_label}


def step_holds(rule: StepRule, indicators: Mapping[str, float | None], level: str | None) -> bool | None:
    """`step_verdict(...).holds` without the words: the nightly run asks it for every child and every step, and
    needs the causes only for the few alerts it opens or keeps."""
    unknown = False
    for indicator, operator_, threshold in rule.conditions:
        value = indicators.get(indicator)
        compare = OPERATORS.get(operator_)
        if value is None or compare is None:
            unknown = True
        elif compare(float(value), threshold):
            return True
    if rule.trigger_level:
        if level is None:
            unknown = True
        elif LEVEL_RANK.get(level, 0) >= LEVEL_RANK.get(rule.trigger_level, 99):
            return True
    return None if unknown else False


def step_verdict(
    rule: StepRule,
    indicators: Mapping[str, float | None],
    level: str | None,
    level_labels: Mapping[str, str] | None = None,
    language: str | None = None,
) -> Verdict:
    """Whether the step's trigger holds for a child with these indicators and this risk level; the causes in
    `language` (default: the active one)."""
    causes: list[str] = []
    unknown = False
    language = language or get_language()
    for indicator, operator_, threshold in rule.conditions:
        value = indicators.get(indicator)
        compare = OPERATORS.get(operator_)
        if value is None or compare is None:
            unknown = True
            continue
        if compare(float(value), threshold):
            causes.append(_cause_text(indicator, float(value), threshold, language))
    if rule.trigger_level:
        if level is None:
            unknown = True
        elif LEVEL_RANK.get(level, 0) >= LEVEL_RANK.get(rule.trigger_level, 99):
            label = (level_labels or {}).get(level, level)
            causes.append(level_cause_text(label))
    if causes:
        return Verdict(holds=True, causes=tuple(causes))
    return Verdict(holds=None if unknown else False)


def join_causes(causes: Sequence[str], limit: int = 300) -> str:
    """Causes joined for the alert's `cause` field (at most `limit` characters)."""
    text = "; ".join(causes)
    return text if len(text) <= limit else text[: limit - 1] + "…"
