"""The default rule set (version 1) a county starts from, before its coordinator edits it.

Why these criteria and points:
- MATE (the national early-warning mechanism, OME 6000/2021, 6447/2022) screens on four signals — school
  results, absences, grade repetition and behaviour — and any "yes" puts a pupil under observation. Its exact
  thresholds are not public, so each signal is one or more criteria here, with points the coordinator can change.
- Absences weigh most (ABC indicators: attendance predicts dropout best) and follow DOMAIN.md's thresholds:
  10 unexcused hours in a module (the ladder's first step), 20 unexcused hours in the year (the written notice;
  conduct drops one point per 20), 10 % of the year's hours unexcused (the referral to SPAS / DGASPC) weighs
  most. Chronic absence (≥ 10 % of scheduled hours for ANY reason, the international definition), attendance
  under 90 % in the last 30 school days and a worse month add one point each: a long illness deserves attention,
  but excused hours never count as unexcused, so a child whose absences are all excused stays at "low" (at most
  3 points from absences) and is never scored as a truant.
- Three consecutive school days fully absent (unexcused) is the ladder's first step; a month worse than the one
  before by 5 percentage points catches a child who is starting to slip.
- Repetition and being two or more years over-age for the grade are strong signals (DOMAIN "Early warning").
- Results: two or more subjects under 5 in the latest module; behaviour: a conduct grade under 8.
- Family circumstances (the programme's target: poverty first) add one point each — social benefit, parents
  abroad (both, or the only parent), no identity papers, living 5 km or more from school — and two for a child
  who works. One circumstance alone gives "low", never more: background alone predicts less than ABC.
  Single parent is an indicator but not a default criterion: it is common and, alone, a weak signal.
- Bands: low from 1 point (any signal: under observation, as MATE does), medium from 4, high from 8 — e.g. 10 %
  of the year unexcused (3 + 2 + 2 + 1 + 1, with the module's hours) is high.
"""

from prezent.risk.scoring import Bands, Criterion

DEFAULT_NAME = "Reguli implicite (semnalele MATE, pragurile din regulament)"
DEFAULT_NOTE = "Versiunea inițială, încărcată automat."

DEFAULT_CRITERIA: tuple[Criterion, ...] = (
    Criterion("unexcused_module", ">=", 10, 2),
    Criterion("unexcused_year", ">=", 20, 2),
    Criterion("unexcused_share_year", ">=", 10, 3),
    Criterion("absent_share_year", ">=", 10, 1),
    Criterion("attendance_30", "<", 90, 1),
    Criterion("streak_days", ">=", 3, 2),
    Criterion("trend", ">=", 5, 1),
    Criterion("repeated_grade", ">=", 1, 2),
    Criterion("over_age", ">=", 2, 2),
    Criterion("failed_subjects", ">=", 2, 2),
    Criterion("conduct", "<", 8, 1),
    Criterion("social_benefit", "==", 1, 1),
    Criterion("parents_abroad", ">=", 1, 1),
    Criterion("no_papers", "==", 1, 1),
    Criterion("child_works", "==", 1, 2),
    Criterion("distance_km", ">=", 5, 1),
)

DEFAULT_BANDS = Bands(low_from=1, medium_from=4, high_from=8)
