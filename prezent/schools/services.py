"""Writes to the registry: school years with their modules and days off, and classes."""

import datetime
from typing import Any

from django.db import transaction

from prezent.accounts.models import User
from prezent.core.services import audit_record
from prezent.schools.defaults import IASI_CALENDARS
from prezent.schools.models import (
    Module,
    NonSchoolDay,
    SchoolYear,
)
from prezent.schools.selectors import school_year_draft


@transaction.atomic
def school_year_upsert(
    *,
    county_code: str,
    name: str,
    start: datetime.date,
    end: datetime.date,
    modules: list[tuple[datetime.date, datetime.date]],
    days_off: list[tuple[datetime.date, str]],
    actor: User | None,
) -> tuple[SchoolYear, bool]:
    """Create or update a county's school year with its five modules and its days off. Idempotent."""
    year, created = SchoolYear.objects.update_or_create(
        county_code=county_code, name=name, defaults={"start": start, "end": end}
    )
    for number, (module_start, module_end) in enumerate(modules, start=1):
        Module.objects.update_or_create(
            school_year=year, number=number, defaults={"start": module_start, "end": module_end}
        )
    year.modules.filter(number__gt=len(modules)).delete()
    for day, reason in days_off:
        NonSchoolDay.objects.update_or_create(school_year=year, date=day, defaults={"reason": reason})
    if created:
        audit_record(actor=actor, action="school_year.create", target=year, details={"county": county_code})
    return year, created


def school_years_load_official(*, actor: User | None = None) -> int:
    """Load the official calendars shipped with Prezent (Iași 2025–2026 and 2026–2027)."""
    created = 0
    for calendar in IASI_CALENDARS:
        _, was_created = school_year_upsert(actor=actor, **calendar)
        created += int(was_created)
    return created


@transaction.atomic
def school_year_calendar_save(
    *, school_year: SchoolYear, module_formset: Any, day_formset: Any, actor: User, assumptions: str | None = None
) -> None:
    """Save the modules and days off edited by the county coordinator (formsets already valid), and what is still
    to be confirmed in the calendar (emptied once the coordinator has checked it)."""
    module_formset.save()
    day_formset.save()
    if assumptions is not None and assumptions != school_year.assumptions:
        school_year.assumptions = assumptions
        school_year.save(update_fields=["assumptions"])
    audit_record(actor=actor, action="school_year.calendar_edit", target=school_year)


@transaction.atomic
def school_year_open(
    *, county_code: str, name: str, february_monday: datetime.date | None = None, actor: User | None
) -> tuple[SchoolYear, bool]:
    """Create the county's school year `name` from the national structure (`school_year_draft`), its assumed parts
    written in `SchoolYear.assumptions` for the coordinator to confirm. A year that exists is left as it is (its
    calendar may have been edited since): the second run changes nothing. Returns the year and whether it is new."""
    draft = school_year_draft(county_code=county_code, name=name, february_monday=february_monday)
    existing = SchoolYear.objects.filter(county_code=county_code, name=name).first()
    if existing is not None:
        return existing, False
    year, _created = school_year_upsert(
        county_code=county_code,
        name=name,
        start=draft.start,
        end=draft.end,
        modules=draft.modules,
        days_off=draft.days_off,
        actor=actor,
    )
    year.assumptions = "\n".join(draft.assumptions)
    year.save(update_fields=["assumptions"])
    audit_record(
        actor=actor,
        action="school_year.open",
        target=year,
        details={
            "county": county_code,
            "february_monday": draft.february_monday.isoformat(),
            "february_assumed": draft.february_assumed,
            "structure_assumed": draft.structure_assumed,
        },
    )
    return year, True
