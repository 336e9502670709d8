"""The target group: a child's path screened → proposed → included → exited, one checked transition table; and
setting up a programme (its details and its schools), by the county coordinator of its county."""

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.children.models import Child
from prezent.core.services import audit_record
from prezent.core.spreadsheets import RowError, SpreadsheetError, code_text, sheet_open
from prezent.programme.models import (
    MEMBERSHIP_TRANSITIONS,
    MembershipStatus,
    MembershipStep,
    Programme,
    TargetGroupMembership,
)
from prezent.programme.permissions import can_create_programme, can_manage_programme
from prezent.programme.selectors import school_ids_with_target_group
from prezent.schools.models import School


@transaction.atomic
def membership_move(
    *,
    programme: Programme,
    child: Child,
    to_status: str,
    on: datetime.date,
    reason: str,
    actor: User | None,
) -> TargetGroupMembership:
    """Move a child to `to_status` in the programme's target group, keeping the step with date, reason, actor."""
    if not reason.strip():
        raise ValidationError({"reason": _("Scrieți motivul.")})
    membership = TargetGroupMembership.objects.select_for_update().filter(programme=programme, child=child).first()
    from_status = membership.status if membership else ""
    if membership is None:
        if to_status not in (MembershipStatus.SCREENED, MembershipStatus.PROPOSED):
            raise ValidationError(_("Un copil intră în grupul țintă mai întâi ca evaluat sau propus."))
        membership = TargetGroupMembership.objects.create(programme=programme, child=child, status=to_status, since=on)
    else:
        if to_status not in MEMBERSHIP_TRANSITIONS[membership.status]:
            raise ValidationError(
                _("Trecerea din „%(a)s” în „%(b)s” nu este permisă.")
                % {"a": membership.get_status_display(), "b": MembershipStatus(to_status).label}
            )
        if on < membership.since:
            raise ValidationError({"on": _("Data nu poate fi înaintea pasului anterior.")})
        membership.status = to_status
        membership.since = on
        membership.save(update_fields=["status", "since"])
    MembershipStep.objects.create(
        membership=membership, from_status=from_status, to_status=to_status, date=on, reason=reason, actor=actor
    )
    audit_record(
        actor=actor,
        action="target_group.move",
        target=membership,
        details={"child": child.pk, "from": from_status, "to": to_status},
    )
    return membership


# Setting up a programme -----------------------------------------------------------------------------------------

PROGRAMME_FIELDS = ("code", "name", "funder", "start", "end", "budget_eur")


def _programme_check(*, start: datetime.date, end: datetime.date, budget_eur: Decimal | None) -> None:
    errors: dict[str, str] = {}
    if end <= start:
        errors["end"] = _("Sfârșitul programului trebuie să fie după început.")
    if budget_eur is not None and budget_eur < 0:
        errors["budget_eur"] = _("Bugetul nu poate fi negativ.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def programme_create(
    *,
    county_code: str,
    code: str,
    name: str,
    start: datetime.date,
    end: datetime.date,
    funder: str = "",
    budget_eur: Decimal | None = None,
    actor: User,
) -> Programme:
    """Create a programme in a county the actor coordinates; its schools and targets are chosen afterwards."""
    if not can_create_programme(user=actor, county_code=county_code):
        raise PermissionDenied
    _programme_check(start=start, end=end, budget_eur=budget_eur)
    if Programme.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Există deja un program cu acest cod.")})
    programme = Programme.objects.create(
        county_code=county_code, code=code, name=name, funder=funder, start=start, end=end, budget_eur=budget_eur
    )
    audit_record(actor=actor, action="programme.create", target=programme, details={"county": county_code})
    return programme


@transaction.atomic
def programme_update(
    *,
    programme: Programme,
    code: str,
    name: str,
    start: datetime.date,
    end: datetime.date,
    funder: str = "",
    budget_eur: Decimal | None = None,
    actor: User,
) -> list[str]:
    """Change a programme's details; returns the names of the fields changed (the audit keeps the names only)."""
    if not can_manage_programme(user=actor, programme=programme):
        raise PermissionDenied
    _programme_check(start=start, end=end, budget_eur=budget_eur)
    if Programme.objects.filter(code=code).exclude(pk=programme.pk).exists():
        raise ValidationError({"code": _("Există deja un program cu acest cod.")})
    wanted = {"code": code, "name": name, "funder": funder, "start": start, "end": end, "budget_eur": budget_eur}
    changed = [field for field, value in wanted.items() if getattr(programme, field) != value]
    if changed:
        for field in changed:
            setattr(programme, field, wanted[field])
        programme.save(update_fields=changed)
        audit_record(actor=actor, action="programme.update", target=programme, details={"fields": changed})
    return changed


@transaction.atomic
def programme_documents_set(
    *,
    programme: Programme,
    issuers: str,
    signatories: str,
    funder_mention: str,
    logo: UploadedFile | None = None,
    logo_remove: bool = False,
    actor: User,
) -> list[str]:
    """Set what the programme's certificates carry; returns the names of the fields changed."""
    if not can_manage_programme(user=actor, programme=programme):
        raise PermissionDenied
    wanted = {"issuers": issuers.strip(), "signatories": signatories.strip(), "funder_mention": funder_mention.strip()}
    changed = [field for field, value in wanted.items() if getattr(programme, field) != value]
    for field in changed:
        setattr(programme, field, wanted[field])
    if logo is not None:
        programme.logo.save(f"sigla-{programme.pk}{Path(logo.name or '').suffix.lower()}", logo, save=False)
        changed.append("logo")
    elif logo_remove and programme.logo:
        programme.logo.delete(save=False)
        changed.append("logo")
    if changed:
        programme.save(update_fields=changed)
        audit_record(actor=actor, action="programme.documents", target=programme, details={"fields": changed})
    return changed


@dataclass(frozen=True)
class SchoolsAdded:
    added: int
    already: int


def programme_schools_add(*, programme: Programme, school_ids: Iterable[int], actor: User) -> SchoolsAdded:
    """Add schools of the programme's county to it. Idempotent: a school already chosen is counted, not added
    again. A school of another county, or one that does not exist, refuses the whole request."""
    if not can_manage_programme(user=actor, programme=programme):
        raise PermissionDenied
    wanted = set(school_ids)
    found = set(School.objects.filter(pk__in=wanted, county_code=programme.county_code).values_list("pk", flat=True))
    if found != wanted:
        raise ValidationError(
            _("%(n)d dintre școlile alese nu sunt în rețeaua școlară a județului %(county)s.")
            % {"n": len(wanted - found), "county": programme.county_code}
        )
    return _schools_add(programme=programme, school_ids=found, actor=actor, source="choice")


@transaction.atomic
def _schools_add(*, programme: Programme, school_ids: set[int], actor: User, source: str) -> SchoolsAdded:
    through = Programme.schools.through
    present = set(
        through.objects.filter(programme_id=programme.pk, school_id__in=school_ids).values_list("school_id", flat=True)
    )
    new = sorted(school_ids - present)
    through.objects.bulk_create([through(programme_id=programme.pk, school_id=pk) for pk in new])
    if new:
        audit_record(
            actor=actor,
            action="programme.schools_add",
            target=programme,
            details={"added": len(new), "already": len(present), "source": source},
        )
    return SchoolsAdded(added=len(new), already=len(present))


class SchoolCodesError(SpreadsheetError):
    """The list of SIIIR codes was refused and nothing was added; `errors` names every bad line."""


SIIIR_HEADERS = ("Cod SIIIR", "Cod SIIIR unitate", "SIIIR", "Cod")
_DIGITS = re.compile(r"[0-9]+")
MAX_CODES_FILE_BYTES = 2 * 1024 * 1024


def school_codes_from_text(text: str) -> list[tuple[int, str]]:
    """The pasted codes, one per line, with their line numbers (blank lines skipped, but counted)."""
    return [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]


def school_codes_from_file(data: bytes) -> list[tuple[int, str]]:
    """The codes of a one-column spreadsheet (XLSX or CSV) under a „Cod SIIIR” header, with their line numbers."""
    if len(data) > MAX_CODES_FILE_BYTES:
        raise SchoolCodesError([RowError(0, _("Fișierul are peste 2 MB: o listă de coduri este mult mai mică."))])
    try:
        with sheet_open(data, header_names=SIIIR_HEADERS, header_label="„Cod SIIIR”") as sheet:
            column = sheet.column(*SIIIR_HEADERS)
            return [
                (line, code_text(sheet.cell(row, column), width=10))
                for line, row in sheet.data_rows()
                if code_text(sheet.cell(row, column))
            ]
    except SchoolCodesError:
        raise
    except SpreadsheetError as refused:
        raise SchoolCodesError(refused.errors) from refused


def programme_schools_add_codes(*, programme: Programme, codes: Sequence[tuple[int, str]], actor: User) -> SchoolsAdded:
    """Add the schools named by SIIIR code (each with the line it came from). All or nothing: an unknown code, a
    malformed one or one of another county refuses the list, each named with its line."""
    if not can_manage_programme(user=actor, programme=programme):
        raise PermissionDenied
    errors: list[RowError] = []
    normal: list[tuple[int, str]] = []
    for line, raw in codes:
        code = "".join(raw.split())
        if _DIGITS.fullmatch(code) and len(code) == 9:
            code = "0" + code
        if not _DIGITS.fullmatch(code) or len(code) != 10:
            errors.append(RowError(line, _("„%(code)s” nu este un cod SIIIR (10 cifre)") % {"code": raw}))
        else:
            normal.append((line, code))
    if not codes:
        errors.append(RowError(0, _("Lista nu are niciun cod SIIIR.")))
    known = dict(
        School.objects.filter(siiir_code__in={code for _line, code in normal}).values_list("siiir_code", "county_code")
    )
    for line, code in normal:
        county = known.get(code)
        if county is None:
            errors.append(RowError(line, _("codul SIIIR %(code)s nu este în rețeaua școlară") % {"code": code}))
        elif county != programme.county_code:
            errors.append(
                RowError(
                    line,
                    _("școala cu codul SIIIR %(code)s este din județul %(other)s, nu din %(county)s")
                    % {"code": code, "other": county, "county": programme.county_code},
                )
            )
    if errors:
        raise SchoolCodesError(errors)
    ids = set(
        School.objects.filter(
            siiir_code__in={code for _line, code in normal}, county_code=programme.county_code
        ).values_list("pk", flat=True)
    )
    return _schools_add(programme=programme, school_ids=ids, actor=actor, source="codes")


@transaction.atomic
def programme_schools_remove(*, programme: Programme, school_ids: Iterable[int], actor: User) -> int:
    """Take schools out of the programme; returns how many. A school where children of the programme's target group
    are enrolled stays, and the request is refused naming it."""
    if not can_manage_programme(user=actor, programme=programme):
        raise PermissionDenied
    wanted = set(school_ids)
    with_children = school_ids_with_target_group(programme=programme, school_ids=wanted)
    if with_children:
        names = dict(School.objects.filter(pk__in=with_children).values_list("pk", "name"))
        raise ValidationError(
            [
                _("„%(school)s” are %(n)d copii în grupul țintă al programului: nu poate fi scoasă din program.")
                % {"school": names[pk], "n": n}
                for pk, n in sorted(with_children.items())
            ]
        )
    removed, _rows = Programme.schools.through.objects.filter(programme_id=programme.pk, school_id__in=wanted).delete()
    if removed:
        audit_record(actor=actor, action="programme.schools_remove", target=programme, details={"removed": removed})
    return removed
