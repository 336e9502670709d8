"""Thin old risk scores (prezent/risk/retention.py): `manage.py prune_risk_scores [--keep-days N] [--dry-run]`."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from prezent.risk.services import risk_scores_prune


class Command(BaseCommand):
    help = (
        "Rărește scorurile de risc mai vechi de N zile: rămân scorul curent al fiecărui copil, o zi completă pe lună "
        "și scorurile în care nivelul sau punctele s-au schimbat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--keep-days", type=int, help="zilele păstrate întregi (implicit setarea, 90)")
        parser.add_argument("--dry-run", action="store_true", help="doar numără ce s-ar șterge")

    def handle(self, *args: Any, **options: Any) -> None:
        keep = options["keep_days"]
        if keep is not None and keep < 1:
            raise CommandError("--keep-days trebuie să fie cel puțin 1.")
        report = risk_scores_prune(today=timezone.localdate(), keep=keep, dry_run=options["dry_run"])
        verb = "s-ar șterge" if report.dry_run else "șterse"
        self.stdout.write(
            f"Scoruri dinainte de {report.thinned_before:%d.%m.%Y}: {report.days} zile, din care "
            f"{report.snapshot_days} păstrate întregi (câte una pe lună); "
            f"{report.deleted} scoruri fără schimbare {verb}."
        )
