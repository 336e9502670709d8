"""The retention schedule: how long each kind of record keeps its personal data (GDPR art. 5(1)(e)).

Pure: from the settings and a day, the cut-off days. The defaults, and why (docs/architecture.md, decision 46):

- a closed case, 5 years after it closed and after the child left school: the funder's audits of the programme
  (EEA and Norway Grants keep the right to audit for 3 years after the programme's final report) and the general
  limitation period for claims (3 years, Codul civil art. 2517) both end inside it;
- the access log, 3 years: long enough to answer a complaint about who read a record (the limitation period);
- the audit, 5 years: as long as the cases whose changes it records.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier (28 February for a 29 February that year lacks)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class RetentionSchedule:
    closed_case_years: int
    access_log_years: int
    audit_years: int

    @classmethod
    def from_settings(cls) -> "RetentionSchedule":
        return cls(
            closed_case_years=settings.PREZENT_RETENTION_CLOSED_CASE_YEARS,
            access_log_years=settings.PREZENT_RETENTION_ACCESS_LOG_YEARS,
            audit_years=settings.PREZENT_RETENTION_AUDIT_YEARS,
        )

    def cutoffs(self, today: datetime.date) -> "RetentionCutoffs":
        return RetentionCutoffs(
            closed_case=years_before(today, self.closed_case_years),
            access_log=years_before(today, self.access_log_years),
            audit=years_before(today, self.audit_years),
        )


@dataclass(frozen=True)
class RetentionCutoffs:
    """Records dated before these days are past their time."""

    closed_case: datetime.date
    access_log: datetime.date
    audit: datetime.date
