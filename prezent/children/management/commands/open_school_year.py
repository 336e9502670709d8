"""`manage.py open_school_year --county VS --year 2027-2028 [--february-week 2028-02-21] [--promote] [--dry-run]`

Opens a county's school year from the national structure shipped with Prezent and, with --promote, moves every
class of the previous year up a grade. Prints counts per school, never a child's name. A second run changes
nothing."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from prezent.children.promotion.selectors import Opening, school_year_opening_preview
from prezent.children.promotion.services import school_year_start


class Command(BaseCommand):
    help = _(
        "Deschide anul școlar al unui județ după structura națională livrată cu Prezent; cu --promote trece "
        "elevii în clasa următoare. Cu --dry-run arată ce s-ar face, fără să scrie nimic."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--county", required=True, help=_("codul județului, de exemplu VS"))
        parser.add_argument("--year", required=True, help=_("anul școlar, de exemplu 2027-2028"))
        parser.add_argument(
            "--february-week",
            type=datetime.date.fromisoformat,
            help=_("ziua de luni a săptămânii de vacanță din februarie a județului (AAAA-LL-ZZ)"),
        )
        parser.add_argument("--promote", action="store_true", help=_("trece elevii în clasa următoare"))
        parser.add_argument("--dry-run", action="store_true", help=_("arată ce s-ar face, fără să scrie nimic"))

    def handle(self, *args: Any, **options: Any) -> None:
        county, name = options["county"].strip().upper(), options["year"].strip()
        monday, promote = options["february_week"], options["promote"]
        try:
            if options["dry_run"]:
                self.stdout.write(_("Simulare: nu se scrie nimic."))
                opening = school_year_opening_preview(
                    county_code=county, name=name, february_monday=monday, promote=promote
                )
            else:
                opening = school_year_start(
                    county_code=county, name=name, february_monday=monday, promote=promote, actor=None
                )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self._calendar(opening, given_monday=monday)
        if promote:
            self._promotion(opening)

    def _calendar(self, opening: Opening, *, given_monday: datetime.date | None) -> None:
        draft = opening.draft
        if opening.created:
            self.stdout.write(
                _("Anul școlar %(name)s (%(county)s): creat, %(start)s – %(end)s.")
                % {
                    "name": draft.name,
                    "county": draft.county_code,
                    "start": f"{draft.start:%d.%m.%Y}",
                    "end": f"{draft.end:%d.%m.%Y}",
                }
            )
            for number, (start, end) in enumerate(draft.modules, start=1):
                self.stdout.write(
                    _("  Modulul %(n)d: %(start)s – %(end)s")
                    % {"n": number, "start": f"{start:%d.%m.%Y}", "end": f"{end:%d.%m.%Y}"}
                )
            for note in draft.assumptions:
                self.stdout.write(_("  De confirmat: %(note)s") % {"note": note})
            return
        self.stdout.write(
            _("Anul școlar %(name)s (%(county)s) există deja: calendarul nu a fost schimbat.")
            % {"name": draft.name, "county": draft.county_code}
        )
        if given_monday is not None:
            self.stdout.write(
                _("  Săptămâna din februarie se schimbă pe pagina anului școlar (Ani școlari → Modifică calendarul).")
            )

    def _promotion(self, opening: Opening) -> None:
        if opening.refusal:
            if opening.plan is None:
                raise CommandError(opening.refusal)
            self.stdout.write(_("Atenție: %(reason)s") % {"reason": opening.refusal})
        plan = opening.plan
        assert plan is not None and opening.previous is not None
        self.stdout.write(
            _(
                "Trecerea în clasa următoare, din %(previous)s (ultima clasă a fiecărei școli: cea mai mare clasă pe "
                "care a avut-o în %(previous)s):"
            )
            % {"previous": opening.previous.name}
        )
        for school in plan.schools:
            line = _(
                "  %(code)s %(name)s: ultima clasă %(last)s; clase noi %(classes)d; promovați %(promoted)d; "
                "absolvenți %(graduating)d; repetenți %(repeating)d"
            ) % {
                "code": school.siiir_code,
                "name": school.name,
                "last": school.last_grade_label,
                "classes": len(school.classes_to_create),
                "promoted": school.promoted,
                "graduating": school.graduating,
                "repeating": school.repeating,
            }
            if school.preschool:
                line += _("; preșcolari rămași în grupe %(n)d") % {"n": school.preschool}
            self.stdout.write(line)
        self.stdout.write(
            _(
                "Total: %(schools)d școli; clase noi %(classes)d; promovați %(promoted)d; absolvenți "
                "%(graduating)d; repetenți %(repeating)d."
            )
            % {
                "schools": len(plan.schools),
                "classes": len(plan.new_classes),
                "promoted": plan.promoted,
                "graduating": plan.graduating,
                "repeating": plan.repeating,
            }
        )
