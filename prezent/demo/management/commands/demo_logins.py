"""`manage.py demo_logins`: the demo accounts, their roles and what each one sees."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from prezent.accounts.models import Role
from prezent.demo.generator import demo_school
from prezent.demo.staff import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = _("Afișează conturile demo (utilizator, rol, ce vede) și parola lor.")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = [(_("Utilizator"), _("Rol"), _("Ce vede"))]
        rows += [(login.username, str(Role(login.role).label), str(login.sees)) for login in DEMO_LOGINS]
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        self.stdout.write(_("Conturi demo"))
        for n, (username, role, sees) in enumerate(rows):
            self.stdout.write(f"  {username.ljust(widths[0])}  {role.ljust(widths[1])}  {sees}")
            if n == 0:
                self.stdout.write(f"  {'-' * widths[0]}  {'-' * widths[1]}  {'-' * 20}")
        self.stdout.write(_("Parola tuturor conturilor demo: %(password)s") % {"password": DEMO_PASSWORD})
        school = demo_school()
        if school is not None:
            self.stdout.write(
                _("Școala demo: %(name)s (cod SIIIR %(code)s)") % {"name": school.name, "code": school.siiir_code}
            )
