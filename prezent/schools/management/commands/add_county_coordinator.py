"""`manage.py add_county_coordinator --county VS --email … --first-name … --last-name …`: a county's first
coordinator, who then sets up everything else in the browser (the school network, the programme, the school year,
pupils and staff). The person gets an e-mail invitation to set a password. Where the county already has an active
coordinator, the role waits for a county coordinator of the county or an administrator to confirm it (decision 45).
The output names the account by its id, never a person by name."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils.translation import gettext as _

from prezent.schools.staff.services import CoordinatorOutcome, county_coordinator_add


class Command(BaseCommand):
    help = _(
        "Dă rolul de coordonator județean unei persoane (creează contul și trimite invitația); dacă județul are "
        "deja un coordonator activ, rolul așteaptă confirmarea."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--county", required=True, help=_("județul (ex. VS)"))
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            person, outcome = county_coordinator_add(
                county_code=options["county"],
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                base_url=settings.PREZENT_SITE_URL,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        county = options["county"].strip().upper()
        values = {"id": person.pk, "county": county}
        if outcome == CoordinatorOutcome.BOOTSTRAP:
            self.stdout.write(
                _(
                    "Contul %(id)d este coordonator județean în %(county)s, de acum: județul nu avea niciun "
                    "coordonator activ, deci rolul a fost dat direct, fără confirmare (înregistrat în jurnalul de "
                    "audit)."
                )
                % values
            )
        elif outcome == CoordinatorOutcome.PENDING:
            self.stdout.write(
                _(
                    "Județul %(county)s are deja un coordonator activ: rolul contului %(id)d așteaptă confirmarea "
                    "unui coordonator județean din %(county)s sau a unui administrator, pe pagina %(page)s "
                    "(înregistrat în jurnalul de audit)."
                )
                % {**values, "page": reverse("schools:role_grants")}
            )
        elif outcome == CoordinatorOutcome.WAITING:
            self.stdout.write(
                _("Rolul de coordonator județean al contului %(id)d în %(county)s așteaptă deja confirmarea.") % values
            )
        else:
            self.stdout.write(_("Contul %(id)d era deja coordonator județean în %(county)s.") % values)
        if person.has_usable_password():
            self.stdout.write(_("Persoana are deja o parolă: intră cu ea (sau „Am uitat parola”)."))
        else:
            self.stdout.write(
                _(
                    "Invitația de setare a parolei a fost trimisă pe e-mail; legătura începe cu %(url)s "
                    "(PREZENT_SITE_URL)."
                )
                % {"url": settings.PREZENT_SITE_URL}
            )
