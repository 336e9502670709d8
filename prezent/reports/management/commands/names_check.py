"""`manage.py names_check`: which records hold a name with a control or direction character, stored before names
refused them. Prints model labels and ids only, never a name; a child's is corrected on its rectification page."""

from typing import Any

from django.core.management.base import BaseCommand

from prezent.reports.privacy.selectors import names_with_control_characters

SHOWN = 50


class Command(BaseCommand):
    help = (
        "Arată înregistrările ale căror nume conțin caractere invizibile sau de control, salvate înainte ca numele "
        "să le refuze: doar tipul înregistrării și id-urile, niciodată numele."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        found = names_with_control_characters()
        if not found:
            self.stdout.write("Niciun nume cu caractere invizibile sau de control.")
            return
        for label, ids in found.items():
            shown = ", ".join(str(pk) for pk in ids[:SHOWN])
            more = f" și încă {len(ids) - SHOWN}" if len(ids) > SHOWN else ""
            self.stdout.write(f"{label}: {len(ids)} (id {shown}{more})")
        self.stdout.write(
            "Corectați-le cu motivul corectării: un copil la /copii/<id>/date/, un părinte din pagina copilului "
            "(/copii/<id>/parinte/<n>/), o persoană din personal în pagina personalului școlii."
        )
