"""Writes to the registry: school years with their modules and days off, and classes; the school-network file a
county coordinator uploads, kept between its preview and its confirmation."""

import datetime
import re
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.core.services import audit_record
from prezent.core.spreadsheets import RowError
from prezent.schools.defaults import IASI_CALENDARS
from prezent.schools.models import (
    Module,
    NonSchoolDay,
    SchoolYear,
)
from prezent.schools.network_import import ImportReport, NetworkImportError, school_network_import
from prezent.schools.permissions import can_manage_network
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


# The school-network file uploaded in the browser ----------------------------------------------------------------
#
# The upload is written under MEDIA_ROOT/network-uploads/ with a random name (the token); the page keeps the token
# in the session, never a path, and a token is checked against its pattern before a path is made from it. The file
# goes when the import is confirmed or cancelled, when the preview refuses it, and, if forgotten, after a few hours.

NETWORK_UPLOAD_DIR = "network-uploads"
NETWORK_UPLOAD_MAX_BYTES = 60 * 1024 * 1024
NETWORK_UPLOAD_MAX_AGE = datetime.timedelta(hours=6)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def _upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / NETWORK_UPLOAD_DIR


def network_upload_path(*, token: str) -> Path | None:
    """The stored upload of `token`, or None when the token is malformed or its file is gone."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    path = _upload_dir() / f"{token}.upload"
    return path if path.is_file() else None


def _stale_uploads_remove() -> None:
    folder = _upload_dir()
    if not folder.is_dir():
        return
    oldest = (timezone.now() - NETWORK_UPLOAD_MAX_AGE).timestamp()
    for path in folder.glob("*.upload"):
        try:
            if path.stat().st_mtime < oldest:
                path.unlink()
        except OSError:
            continue


def network_upload_store(*, chunks: Iterable[bytes]) -> str:
    """Keep an uploaded file until it is confirmed; returns its token. A file over the size limit is refused."""
    _stale_uploads_remove()
    folder = _upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    path = folder / f"{token}.upload"
    size = 0
    with path.open("xb") as handle:
        for chunk in chunks:
            size += len(chunk)
            if size > NETWORK_UPLOAD_MAX_BYTES:
                break
            handle.write(chunk)
    if size > NETWORK_UPLOAD_MAX_BYTES:
        path.unlink()
        message = _("Fișierul are peste %(mb)d MB.") % {"mb": NETWORK_UPLOAD_MAX_BYTES // (1024 * 1024)}
        raise NetworkImportError([RowError(0, message)])
    if size == 0:
        path.unlink()
        raise NetworkImportError([RowError(0, _("Fișierul este gol."))])
    return token


def network_upload_discard(*, token: str) -> None:
    path = network_upload_path(token=token)
    if path is not None:
        path.unlink(missing_ok=True)


def _network_run(*, token: str, county_code: str, actor: User, dry_run: bool) -> ImportReport:
    if not can_manage_network(user=actor, county_code=county_code):
        raise PermissionDenied
    path = network_upload_path(token=token)
    if path is None:
        raise NetworkImportError([RowError(0, _("Fișierul încărcat nu mai este pe server: încărcați-l din nou."))])
    report = school_network_import(path=path, county=county_code, actor=actor, dry_run=True)
    if report.rows == 0:
        raise NetworkImportError(
            [
                RowError(
                    0,
                    _(
                        "Fișierul nu are nicio unitate a județului %(county)s (coloana „Judet PJ”): "
                        "%(skipped)d rânduri sunt ale altor județe și nu pot fi importate de dumneavoastră."
                    )
                    % {"county": county_code, "skipped": report.skipped},
                )
            ]
        )
    if dry_run:
        return report
    return school_network_import(path=path, county=county_code, actor=actor)


def network_upload_preview(*, token: str, county_code: str, actor: User) -> ImportReport:
    """Check the uploaded network file for the county and count what it would change, writing nothing.

    Only the rows of `county_code` are read; those of other counties are counted as skipped. A file with no unit
    of the county, or with any bad row, raises `NetworkImportError` with every bad line."""
    return _network_run(token=token, county_code=county_code, actor=actor, dry_run=True)


def network_upload_import(*, token: str, county_code: str, actor: User) -> ImportReport:
    """Import the county's units of the uploaded file (checked again: all rows or none), then remove the file.
    The import writes its audit event (counts only)."""
    try:
        return _network_run(token=token, county_code=county_code, actor=actor, dry_run=False)
    finally:
        network_upload_discard(token=token)


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
