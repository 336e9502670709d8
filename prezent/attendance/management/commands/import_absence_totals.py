"""`manage.py import_absence_totals FILE --county IS --year 2025-2026 [--dry-run]`: a previous year's absence
totals per pupil (see prezent/attendance/totals/services.py)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from prezent.attendance.totals.services import AbsenceTotalsImportError, TotalsReport, absence_totals_import
from prezent.schools.models import SchoolYear


def report_line(report: TotalsReport) -> str:
    return _(
        "Rânduri: %(rows)d (elevi: %(pupils)d) — noi: %(created)d, modificate: %(updated)d, "
        "neschimbate: %(unchanged)d, înlocuite: %(replaced)d."
    ) % asdict_report(report)


def asdict_report(report: TotalsReport) -> dict[str, int]:
    return {
        "rows": report.rows,
        "pupils": report.pupils,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "replaced": report.replaced,
    }


class Command(BaseCommand):
    help = _(
        "Importă totalurile de absențe ale elevilor dintr-un an școlar (pe luni sau pe module), dintr-un CSV sau "
        "XLSX. Dacă un rând este greșit, nu scrie nimic și afișează fiecare linie greșită."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("fișierul CSV sau XLSX"))
        parser.add_argument("--county", required=True, help=_("județul (ex. IS)"))
        parser.add_argument("--year", required=True, help=_("anul școlar (ex. 2025-2026)"))
        parser.add_argument("--dry-run", action="store_true", help=_("verifică și numără, fără să scrie"))

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("Fișierul „%(path)s” nu există.") % {"path": path})
        county = options["county"].strip().upper()
        name = options["year"].strip().replace("/", "-").replace("–", "-")
        year = SchoolYear.objects.filter(county_code=county, name=name).first()
        if year is None:
            raise CommandError(
                _("Județul %(county)s nu are anul școlar %(year)s: adăugați-l întâi.")
                % {"county": county, "year": name}
            )
        try:
            report = absence_totals_import(
                file=path, school_year=year, actor=None, filename=path.name, dry_run=options["dry_run"]
            )
        except AbsenceTotalsImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("Importul a fost oprit: %(n)d probleme în fișier; nu s-a scris nimic.") % {"n": len(exc.errors)}
            ) from exc
        self.stdout.write(report_line(report))
        if report.dry_run:
            self.stdout.write(_("Simulare (--dry-run): nu s-a scris nimic."))
