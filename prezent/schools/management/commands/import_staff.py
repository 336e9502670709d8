"""`manage.py import_staff FILE [--county IS] [--by USERNAME] [--dry-run]`: a county's staff file (form teachers
and their classes, school coordinators, mediators, case workers, trainers); new people get an invitation e-mail."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.schools.staff.permissions import can_manage_staff
from prezent.schools.staff.services import StaffImportError, StaffImportPlan, staff_import


def report_line(plan: StaffImportPlan) -> str:
    return (
        _(
            "Rânduri: %(rows)d; persoane: %(people)d, dintre care %(new_people)d noi (invitate); roluri date: "
            "%(roles_given)d; roluri schimbate: %(roles_changed)d; clase cu diriginte nou: %(classes_set)d."
        )
        % plan.counts()
    )


class Command(BaseCommand):
    help = _(
        "Importă personalul unui județ dintr-un fișier XLSX sau CSV (Nume, Prenume, E-mail, Telefon, Rol, "
        "Cod SIIIR unitate, Clasa, Valabil până la). Dacă un rând este greșit, nu scrie nimic."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("fișierul CSV sau XLSX"))
        parser.add_argument("--county", default=settings.PREZENT_DEFAULT_COUNTY, help=_("județul (ex. IS)"))
        parser.add_argument("--by", help=_("utilizatorul coordonator județean în numele căruia se importă"))
        parser.add_argument("--dry-run", action="store_true", help=_("verifică și numără, fără să scrie"))

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        county: str = options["county"].upper()
        if not path.is_file():
            raise CommandError(_("Fișierul „%(path)s” nu există.") % {"path": path})
        actor = None
        if options["by"]:
            actor = User.objects.filter(username=options["by"]).first()
            if actor is None or not can_manage_staff(user=actor, county_code=county):
                raise CommandError(
                    _("„%(name)s” nu este coordonator județean în %(county)s.")
                    % {"name": options["by"], "county": county}
                )
        try:
            plan = staff_import(
                source=path,
                county_code=county,
                actor=actor,
                base_url=settings.PREZENT_SITE_URL,
                dry_run=options["dry_run"],
            )
        except StaffImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("Importul a fost oprit: %(n)d probleme în fișier; nu s-a scris nimic.") % {"n": len(exc.errors)}
            ) from exc
        self.stdout.write(report_line(plan))
        if options["dry_run"]:
            self.stdout.write(_("Simulare (--dry-run): nu s-a scris nimic."))
