"""The authorization matrix of the pupils import pages (found on disk by prezent/reports/tests/test_authorization.py).

The county coordinator and the school coordinator import; anyone else gets 404. Without a file kept in the session
the preview sends back to the upload page (302)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prezent.children.models import Child
from prezent.core.testing import ROLES, _row

# (url name, GET or POST, target) → statuses in ROLES order.
#                                                         anon county cw  sc  tch med trn  me adm none
MATRIX: dict[tuple[str, str, str], dict[str, int]] = {
    ("children:import", "GET", "-"): _row(302, 200, 404, 200, 404, 404, 404, 404, 404, 404),
    ("children:import", "POST", "-"): _row(302, 302, 404, 302, 404, 404, 404, 404, 404, 404),
    ("children:import_preview", "GET", "-"): _row(302, 302, 404, 302, 404, 404, 404, 404, 404, 404),
    ("children:import_preview", "POST", "-"): _row(302, 302, 404, 302, 404, 404, 404, 404, 404, 404),
}


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_pupil_import_authorization_matrix(client, world, settings, tmp_path, name, method, target, role):
    settings.PREZENT_IMPORT_DIR = str(tmp_path)
    if role != "anon":
        client.force_login(getattr(world.users, role))
    url = reverse(name)
    children = Child.objects.count()
    if method == "GET":
        response = client.get(url)
    elif name == "children:import":
        upload = SimpleUploadedFile("elevi.csv", b"CNP;Nume;Prenume;Cod unitate;Formatiune\n")
        response = client.post(url, {"year": world.school_year.pk, "file": upload})
    else:
        response = client.post(url, {"confirm": "1"})
    assert response.status_code == MATRIX[(name, method, target)][role], f"{role} {method} {url}"
    assert Child.objects.count() == children
    if response.status_code == 302 and role != "anon":
        expected = reverse("children:import_preview") if method == "POST" and name == "children:import" else url
        assert response.url in (expected, reverse("children:import"))
