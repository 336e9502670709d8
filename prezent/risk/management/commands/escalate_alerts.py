"""Escalate overdue alerts once (idempotent for a date): `manage.py escalate_alerts [--date YYYY-MM-DD]`."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from prezent.risk.alerts.services import alerts_escalate_overdue


class Command(BaseCommand):
    help = "Escaladează alertele cu termenul depășit la pasul următor al scării (o singură dată)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="data de referință (AAAA-LL-ZZ); implicit azi")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = datetime.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"Dată invalidă: {options['date']}") from error
        report = alerts_escalate_overdue(on=on)
        self.stdout.write(
            f"{on.isoformat()}: {report.escalated} alerte escaladate, {report.opened} deschise la pasul următor, "
            f"{report.kept_open} rămase deschise (ultimul pas)"
        )
