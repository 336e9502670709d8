"""`manage.py import_school_network FILE [--county IS] [--dry-run]`: the Ministry's school-network export."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from prezent.schools.network_import import ImportReport, NetworkImportError, school_network_import


def report_line(report: ImportReport) -> str:
    return _(
        "Unități: %(rows)d în fișier — %(created)d create, %(updated)d actualizate, %(unchanged)d neschimbate; "
        "%(localities)d localități noi; %(skipped)d rânduri din alte județe omise."
    ) % {
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "localities": report.localities_created,
        "skipped": report.skipped,
    }


class Command(BaseCommand):
    help = _(
        "Importă rețeaua școlară din exportul Ministerului („Export complet rețea școlară”, CSV sau XLSX). "
        "Dacă un rând este greșit, nu scrie nimic și afișează fiecare linie greșită."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("fișierul CSV sau XLSX"))
        parser.add_argument("--county", help=_("păstrează doar unitățile acestui județ (ex. IS)"))
        parser.add_argument("--dry-run", action="store_true", help=_("verifică și numără, fără să scrie"))

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("Fișierul „%(path)s” nu există.") % {"path": path})

        def progress(done: int, total: int) -> None:
            self.stderr.write(_("… %(done)d / %(total)d rânduri citite") % {"done": done, "total": total})

        try:
            report = school_network_import(
                path=path, county=options["county"], dry_run=options["dry_run"], progress=progress
            )
        except NetworkImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("Importul a fost oprit: %(n)d probleme în fișier; nu s-a scris nimic.") % {"n": len(exc.errors)}
            ) from exc
        self.stdout.write(report_line(report))
        if report.dry_run:
            self.stdout.write(_("Simulare (--dry-run): nu s-a scris nimic."))
