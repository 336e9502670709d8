"""The in-database backtest's sample: the county's pupils on a past date, their indicators on that date (the same
`indicators_with_context` the nightly run reads), and what Prezent recorded for each by the end of that school year.

The outcome is any of:
- left school: an enrolment of the child ended after the date, within the school year, as a drop-out;
- repeated the year: the school decided the child repeats the grade (`Enrolment.repeats_next_year`);
- unexcused hours at the year's end (or today, if the year is not over) of 10 % or more of the scheduled hours
  (`unexcused_share_year`: the referral threshold in DOMAIN.md).

Counts only leave this module (no names): the command and the page print aggregates.
"""

import datetime
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Q

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for
from prezent.children.models import Enrolment
from prezent.risk.backtest.sample import Sample
from prezent.risk.indicators import indicators_with_context
from prezent.risk.models import BacktestRun, Indicator
from prezent.schools.models import SchoolYear

UNEXCUSED_SHARE_OUTCOME = 10.0


@dataclass
class History:
    """The sample, and how many pupils had each kind of outcome."""

    sample: Sample
    year: SchoolYear
    until: datetime.date
    kinds: dict[str, int] = field(default_factory=dict)


def school_year_of(*, county_code: str, on: datetime.date) -> SchoolYear | None:
    return SchoolYear.objects.filter(county_code=county_code, start__lte=on, end__gte=on).first()


def backtest_history(*, county_code: str, on: datetime.date, today: datetime.date) -> History | None:
    """The county's pupils enrolled on `on` with their indicators then and their outcomes by the year's end (or by
    `today`); None when `on` is in no school year of the county or nobody was enrolled."""
    year = school_year_of(county_code=county_code, on=on)
    if year is None:
        return None
    until = min(year.end, today)
    rows = (
        Enrolment.objects.filter(Q(start__lte=on), Q(end__isnull=True) | Q(end__gte=on))
        .filter(class_group__school__county_code=county_code)
        .order_by("child_id")
        .values_list("child_id", "class_group__school_id")
    )
    school_of: dict[int, int] = {}
    for child_id, school_id in rows:
        school_of.setdefault(child_id, school_id)
    children = list(school_of)
    if not children:
        return None
    dropped = set(
        Enrolment.objects.filter(
            child_id__in=children, end__gt=on, end__lte=until, end_reason=Enrolment.EndReason.DROPPED_OUT
        ).values_list("child_id", flat=True)
    )
    repeated = set(
        Enrolment.objects.filter(child_id__in=children, repeats_next_year=True)
        .filter(Q(start__lte=year.end), Q(end__isnull=True) | Q(end__gte=year.start))
        .values_list("child_id", flat=True)
    )
    then = indicators_with_context(child_ids=children, on=on)
    later = indicators_with_context(child_ids=children, on=until)
    unexcused = {
        child_id
        for child_id, row in later.items()
        if (share := row.values.get(Indicator.UNEXCUSED_SHARE_YEAR)) is not None and share >= UNEXCUSED_SHARE_OUTCOME
    }
    kept = [child_id for child_id in children if child_id in then]
    outcome = np.array([c in dropped or c in repeated or c in unexcused for c in kept], dtype=bool)
    sample = Sample(
        indicators=[then[c].values for c in kept],
        outcome=outcome,
        groups={"școala": [str(school_of[c]) for c in kept]},
    )
    kinds = {
        "abandon": len(dropped & set(kept)),
        "repetenție": len(repeated & set(kept)),
        "nemotivate ≥ 10 %": len(unexcused & set(kept)),
    }
    return History(sample=sample, year=year, until=until, kinds=kinds)


def backtest_run_visible_to(*, user: User, pk: int) -> BacktestRun | None:
    """A backtest run of a county the user coordinates (None otherwise: the page answers 404)."""
    counties = scope_for(user).counties(Role.COUNTY_COORDINATOR)
    return BacktestRun.objects.filter(pk=pk, county_code__in=sorted(counties)).select_related("rule_set").first()
