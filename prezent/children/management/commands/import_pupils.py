"""`manage.py import_pupils FILE --county IS --year 2026-2027 [--dry-run]`: pupils, classes and enrolments from a
county's SIIIR export. Prints counts per school and the bad lines (line and reason), never a name or a CNP."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from prezent.children.imports.services import PupilImportError, PupilImportReport, pupils_import


def report_lines(report: PupilImportReport) -> list[str]:
    lines = [
        _(
            "Elevi: %(rows)d în fișier — %(new)d noi, %(changed)d modificați (din care %(moved)d mutați), "
            "%(unchanged)d neschimbați; %(classes)d clase create; %(without)d fără CNP; "
            "%(high)d rânduri de liceu omise."
        )
        % {
            "rows": report.rows,
            "new": report.new,
            "changed": report.changed,
            "moved": report.moved,
            "unchanged": report.unchanged,
            "classes": report.classes_created,
            "without": report.without_cnp,
            "high": report.skipped_high_school,
        }
    ]
    for code, counts in sorted(report.schools.items()):
        lines.append(
            _("  unitatea %(code)s: %(rows)d elevi, %(new)d noi, %(moved)d mutați")
            % {"code": code, "rows": counts.rows, "new": counts.new, "moved": counts.moved}
        )
    return lines


class Command(BaseCommand):
    help = _(
        "Importă elevii, clasele și înscrierile din exportul SIIIR al unui județ (CSV sau XLSX). "
        "Dacă un rând este greșit, nu scrie nimic și afișează fiecare linie greșită."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("fișierul CSV sau XLSX"))
        parser.add_argument("--county", required=True, help=_("județul (ex. IS)"))
        parser.add_argument("--year", required=True, help=_("anul școlar (ex. 2026-2027), deschis deja"))
        parser.add_argument("--dry-run", action="store_true", help=_("verifică și numără, fără să scrie"))

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("Fișierul „%(path)s” nu există.") % {"path": path})
        try:
            report = pupils_import(
                source=path,
                county_code=options["county"],
                year_name=options["year"],
                actor=None,
                dry_run=options["dry_run"],
            )
        except PupilImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("Importul a fost oprit: %(n)d probleme în fișier; nu s-a scris nimic.") % {"n": len(exc.errors)}
            ) from exc
        for line in report_lines(report):
            self.stdout.write(line)
        if report.dry_run:
            self.stdout.write(_("Simulare (--dry-run): nu s-a scris nimic."))
