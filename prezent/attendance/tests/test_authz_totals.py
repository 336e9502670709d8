"""The authorization matrix of the absence-totals import (upload with preview, confirmation).

Importers: the county coordinator (the county's pupils) and the school coordinator (their schools' pupils).
Anyone else gets 404; anonymous users are sent to log in.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prezent.attendance.models import AbsenceTotal
from prezent.attendance.totals.urls import urlpatterns
from prezent.core.testing import ROLES, _row
from prezent.schools.tests.factories import school_year_2025_2026

# (url name, GET or POST, target) → statuses in ROLES order.
#                                                          anon county cw  sc  tch med trn  me adm none
MATRIX: dict[tuple[str, str, str], dict[str, int]] = {
    ("attendance:totals_import", "GET", "-"): _row(302, 200, 404, 200, 404, 404, 404, 404, 404, 404),
    ("attendance:totals_import", "POST", "child_a1"): _row(302, 200, 404, 200, 404, 404, 404, 404, 404, 404),
    ("attendance:totals_import", "POST", "child_b1"): _row(302, 200, 404, 400, 404, 404, 404, 404, 404, 404),
    ("attendance:totals_import_confirm", "POST", "child_a1"): _row(302, 302, 404, 302, 404, 404, 404, 404, 404, 404),
}


def _upload(child) -> SimpleUploadedFile:
    child.cnp = f"5160517{child.pk:06d}"
    child.save(update_fields=["cnp"])
    text = f"CNP,Luna,Absențe motivate,Absențe nemotivate\n{child.cnp},septembrie,2,3\n"
    return SimpleUploadedFile("absente.csv", text.encode())


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_totals_authorization_matrix(client, world, name, method, target, role):
    year = school_year_2025_2026()
    if role != "anon":
        client.force_login(getattr(world.users, role))
    expected = MATRIX[(name, method, target)][role]
    if method == "GET":
        response = client.get(reverse(name))
    else:
        child = getattr(world, target)
        data = {"school_year": year.pk, "file": _upload(child)}
        response = client.post(reverse("attendance:totals_import"), data)
        if name == "attendance:totals_import_confirm":
            response = client.post(reverse(name))
    assert response.status_code == expected, f"{role} {method} {name}"
    written = AbsenceTotal.objects.filter(month=datetime.date(2025, 9, 1)).exists()
    assert written == (name == "attendance:totals_import_confirm" and expected == 302 and role != "anon")


def test_every_totals_url_is_in_the_matrix():
    assert {f"attendance:{p.name}" for p in urlpatterns} == {name for name, _m, _t in MATRIX}


def test_get_on_the_confirmation_is_refused(client, world):
    client.force_login(world.users.county)
    assert client.get(reverse("attendance:totals_import_confirm")).status_code == 405
