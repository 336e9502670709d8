"""Recompute early-warning scores in bulk: `python manage.py recompute_risk [--school ID] [--date YYYY-MM-DD]`."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from prezent.core.dates import day_or_none
from prezent.risk.services import risk_recompute
from prezent.schools.models import School


class Command(BaseCommand):
    help = "Recompute the risk scores of every enrolled child (or one school's) for a date (today by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", type=int, help="only this school (id)")
        parser.add_argument("--date", help="the date to compute for, YYYY-MM-DD (default: today)")

    def handle(self, *args: object, **options: Any) -> None:
        day = timezone.localdate()
        if options.get("date"):
            parsed = day_or_none(str(options["date"]))
            if parsed is None:
                raise CommandError("--date must be YYYY-MM-DD")
            day = parsed
        school = None
        if options.get("school"):
            school = School.objects.filter(pk=options["school"]).first()
            if school is None:
                raise CommandError(f"No school with id {options['school']}.")
        started = time.perf_counter()
        verbosity = int(str(options.get("verbosity", 1)))

        def progress(school_id: int, children: int) -> None:
            if verbosity >= 1:
                self.stdout.write(f"  school #{school_id}: {children} children")

        report = risk_recompute(on=day, school=school, progress=progress)
        levels = ", ".join(f"{level} {count}" for level, count in report.by_level.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Risk recomputed for {report.on:%Y-%m-%d}: {report.children} children in {report.schools} schools "
                f"({levels}); alerts opened {report.alerts_opened}, closed {report.alerts_closed}; "
                f"{time.perf_counter() - started:.1f} s."
            )
        )
