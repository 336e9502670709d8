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
def school_year_calendar_save(*, school_year: SchoolYear, module_formset: Any, day_formset: Any, actor: User) -> None:
    """Save the modules and days off edited by the county coordinator (formsets already valid)."""
    module_formset.save()
    day_formset.save()
    audit_record(actor=actor, action="school_year.calendar_edit", target=school_year)
