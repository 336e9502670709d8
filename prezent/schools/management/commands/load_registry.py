"""`manage.py load_registry`: the shipped Iași localities, school network and official school years. Idempotent."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from prezent.schools.management.commands.import_localities import report_line as localities_line
from prezent.schools.management.commands.import_school_network import report_line as schools_line
from prezent.schools.network_import import NetworkImportError, registry_load_iasi
from prezent.schools.services import school_years_load_official


class Command(BaseCommand):
    help = _(
        "Încarcă datele livrate cu Prezent: localitățile SIRUTA și rețeaua școlară a județului Iași, "
        "apoi anii școlari oficiali. Se poate rula de mai multe ori."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int, total: int) -> None:
            self.stderr.write(_("… %(done)d / %(total)d rânduri citite") % {"done": done, "total": total})

        try:
            reports = registry_load_iasi(progress=progress)
        except NetworkImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(_("Datele livrate nu au putut fi încărcate.")) from exc
        self.stdout.write(localities_line(reports["localities"]))
        self.stdout.write(schools_line(reports["schools"]))
        created = school_years_load_official()
        self.stdout.write(_("Ani școlari oficiali: %(n)d creați.") % {"n": created})
