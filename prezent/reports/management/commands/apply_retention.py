"""Apply the retention schedule (prezent/reports/privacy/retention.py): `manage.py apply_retention [--dry-run]`.
Prints counts only, never a name."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from prezent.reports.privacy.services import retention_apply


class Command(BaseCommand):
    help = (
        "Aplică termenele de păstrare: anonimizează copiii cu cazuri închise care au plecat de mult, șterge "
        "jurnalul de acces vechi și scoate legăturile personale din auditul vechi. Afișează doar numere."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="doar numără ce s-ar schimba")

    def handle(self, *args: Any, **options: Any) -> None:
        report = retention_apply(today=timezone.localdate(), dry_run=options["dry_run"])
        head = "Simulare (nu s-a schimbat nimic)" if report.dry_run else "Termene de păstrare aplicate"
        self.stdout.write(
            f"{head}: copii anonimizați {report.children}, părinți {report.guardians}, gospodării "
            f"{report.households}, cazuri {report.cases}, texte golite {report.texts_blanked}, etnii declarate "
            f"șterse {report.ethnicity_declarations}, citiri șterse din jurnalul de acces "
            f"{report.access_logs_deleted}, evenimente de audit fără legături personale {report.audit_events_stripped}."
        )
