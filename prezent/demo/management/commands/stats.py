"""`manage.py stats [--json]`: counts of the main records. Counts only, nothing personal."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from prezent.demo.generator import STATS_LABELS, demo_stats


class Command(BaseCommand):
    help = _("Afișează numărul înregistrărilor principale (școli, copii, grup țintă, absențe), fără date personale.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help=_("ieșire JSON"))

    def handle(self, *args: Any, **options: Any) -> None:
        stats = demo_stats()
        if options["json"]:
            self.stdout.write(json.dumps(stats, indent=2))
            return
        labels = {key: str(STATS_LABELS.get(key, key)) for key in stats}
        width = max(len(label) for label in labels.values())
        for key, value in stats.items():
            self.stdout.write(f"{labels[key].ljust(width)}  {value:>10,}".replace(",", "."))
