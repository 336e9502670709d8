"""`manage.py import_localities FILE [--county IS]`: a county's SIRUTA localities."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from prezent.schools.network_import import ImportReport, NetworkImportError, localities_import


def report_line(report: ImportReport) -> str:
    return _(
        "Localități: %(rows)d în fișier — %(created)d create, %(updated)d actualizate, %(unchanged)d neschimbate."
    ) % {"rows": report.rows, "created": report.created, "updated": report.updated, "unchanged": report.unchanged}


class Command(BaseCommand):
    help = _(
        "Importă localitățile unui județ din nomenclatorul SIRUTA (CSV). "
        "Dacă un rând este greșit, nu scrie nimic și afișează fiecare linie greșită."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("fișierul CSV în formatul SIRUTA"))
        parser.add_argument("--county", default="IS", help=_("codul județului din fișier (implicit IS)"))

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("Fișierul „%(path)s” nu există.") % {"path": path})

        def progress(done: int, total: int) -> None:
            self.stderr.write(_("… %(done)d / %(total)d rânduri citite") % {"done": done, "total": total})

        try:
            report = localities_import(path=path, county_code=options["county"], progress=progress)
        except NetworkImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("Importul a fost oprit: %(n)d probleme în fișier; nu s-a scris nimic.") % {"n": len(exc.errors)}
            ) from exc
        self.stdout.write(report_line(report))
