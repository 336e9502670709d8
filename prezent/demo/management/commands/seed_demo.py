"""`manage.py seed_demo [--seed N] [--schools N] [--today YYYY-MM-DD] [--if-empty]`: the Iași demo."""

import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from prezent.demo.activities import demo_activities_line
from prezent.demo.cases import demo_cases_seed
from prezent.demo.generator import (
    FULL_SCHOOLS,
    DemoError,
    demo_exists,
    demo_seed,
    in_production,
    production_refusal,
)
from prezent.demo.results import demo_results_seed
from prezent.risk.alerts.services import alerts_settle_done, escalation_ladder_load_defaults
from prezent.risk.services import risk_defaults_load, risk_recompute


def parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(_("Data „%(value)s” nu are forma AAAA-LL-ZZ.") % {"value": value}) from exc


class Command(BaseCommand):
    help = _(
        "Generează demo-ul: școlile reale din Iași, programul „Împreună pentru copii!”, elevi, părinți, "
        "personal și absențe inventate, aceleași pentru aceeași sămânță. Nu rulează în producție."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help=_("sămânța generatorului (implicit 2026)"))
        parser.add_argument("--schools", type=int, default=FULL_SCHOOLS, help=_("numărul de școli (implicit 80)"))
        parser.add_argument(
            "--today", type=parse_day, default=None, help=_("data de referință AAAA-LL-ZZ (implicit azi)")
        )
        parser.add_argument("--if-empty", action="store_true", help=_("nu face nimic dacă există deja un program"))

    def handle(self, *args: Any, **options: Any) -> None:
        if in_production():
            raise CommandError(production_refusal())
        if options["if_empty"] and demo_exists():
            self.stdout.write(_("Există deja un program în baza de date: demo-ul nu a fost generat din nou."))
            return
        try:
            report = demo_seed(
                seed=options["seed"], schools=options["schools"], today=options["today"], out=self.stdout.write
            )
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        self._score(today=options["today"])
        self.stdout.write(str(demo_cases_seed(seed=options["seed"], today=options["today"] or timezone.localdate())))
        self._settle(today=options["today"] or timezone.localdate())
        self.stdout.write(demo_activities_line(seed=options["seed"], today=options["today"] or timezone.localdate()))
        demo_results_seed(today=options["today"], out=self.stdout.write)
        counts = report.counts
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo gata în %(seconds).1f s: %(schools)d școli, %(children)d copii, %(included)d în grupul "
                    "țintă (%(roma)d romi), %(absences)d absențe."
                )
                % {
                    "seconds": report.seconds,
                    "schools": counts["schools_in_programme"],
                    "children": counts["children"],
                    "included": counts["target_group_included"],
                    "roma": counts["target_group_roma"],
                    "absences": counts["absences"],
                }
            )
        )

    def _settle(self, *, today: datetime.date) -> None:
        """The casework is written after the scores: the alerts whose step it already did (a case opened, a
        referral sent) close now, as the next night's run would close them, so no alert asks for what is done."""
        closed = alerts_settle_done(on=today, county_code="IS")
        self.stdout.write(
            _("Alerte închise pentru pași deja făcuți în dosare: %(n)d.") % {"n": sum(map(len, closed.values()))}
        )

    def _score(self, *, today: datetime.date | None) -> None:
        """Load the default rules and ladder, then score everyone at the end of module 1 and today, so the
        dashboards, alerts and the children's score histories have something to show."""
        day = today or timezone.localdate()
        risk_defaults_load(county_code="IS")
        escalation_ladder_load_defaults(county_code="IS")
        for on in (datetime.date(2026, 10, 23), day):
            if on > day:
                continue
            started = time.monotonic()
            report = risk_recompute(on=on)
            self.stdout.write(
                _("Scoruri de risc la %(day)s: %(n)d copii, %(alerts)d alerte deschise (%(s).1f s).")
                % {
                    "day": on.isoformat(),
                    "n": report.children,
                    "alerts": report.alerts_opened,
                    "s": time.monotonic() - started,
                }
            )
