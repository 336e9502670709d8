"""The authorization matrix of the module-averages URLs, in the style of prezent/reports/tests/test_authorization.py.

Writers: the class's own teacher and the school coordinator. Readers: also the mediator and the county
coordinator. Anyone else, and anyone outside the class's school, gets 404.
"""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prezent.attendance.marks.forms import ResultsGridForm
from prezent.attendance.marks.urls import urlpatterns
from prezent.attendance.marks.values import uses_qualifiers
from prezent.attendance.models import ModuleResult
from prezent.core.testing import ROLES, _row

MODULE = 2

# (url name, GET or POST, target) → statuses in ROLES order.
#                                                          anon county cw  sc  tch med trn  me adm none
MATRIX: dict[tuple[str, str, str], dict[str, int]] = {
    ("attendance:results_current", "GET", "class_a1"): _row(302, 302, 404, 302, 302, 302, 404, 404, 404, 404),
    ("attendance:results_current", "GET", "class_a2"): _row(302, 302, 404, 302, 404, 302, 404, 404, 404, 404),
    ("attendance:results_current", "GET", "class_b1"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("attendance:results", "GET", "class_a1"): _row(302, 200, 404, 200, 200, 200, 404, 404, 404, 404),
    ("attendance:results", "GET", "class_a2"): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("attendance:results", "GET", "class_b1"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("attendance:results", "POST", "class_a1"): _row(302, 404, 404, 302, 302, 404, 404, 404, 404, 404),
    ("attendance:results", "POST", "class_a2"): _row(302, 404, 404, 302, 404, 404, 404, 404, 404, 404),
    ("attendance:results", "POST", "class_b1"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("attendance:results_import", "POST", "class_a1"): _row(302, 404, 404, 302, 302, 404, 404, 404, 404, 404),
    ("attendance:results_import", "POST", "class_a2"): _row(302, 404, 404, 302, 404, 404, 404, 404, 404, 404),
    ("attendance:results_import", "POST", "class_b1"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("attendance:results_template", "GET", "class_a1"): _row(302, 404, 404, 200, 200, 404, 404, 404, 404, 404),
    ("attendance:results_template", "GET", "class_a2"): _row(302, 404, 404, 200, 404, 404, 404, 404, 404, 404),
    ("attendance:results_template", "GET", "class_b1"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
}

WRITES = {"attendance:results", "attendance:results_import"}


def _kwargs(world, name: str, target: str) -> dict:
    group = getattr(world, target)
    if name == "attendance:results_current":
        return {"pk": group.pk}
    return {"pk": group.pk, "module": MODULE}


def _post_data(world, name: str, target: str) -> dict:
    """A valid write for whoever may make it: one average for the class's first pupil."""
    group = getattr(world, target)
    child = group.enrolments.order_by("pk").first().child
    mark = "FB" if uses_qualifiers(group.grade) else "8,50"
    if name == "attendance:results_import":
        buffer = io.StringIO()
        csv.writer(buffer).writerows([["Nume", "Prenume", "Matematică"], [child.last_name, child.first_name, mark]])
        return {"file": SimpleUploadedFile("medii.csv", buffer.getvalue().encode())}
    return {ResultsGridForm.cell_name(child.pk, "Matematică"): mark}


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_results_authorization_matrix(client, world, name, method, target, role):
    if role != "anon":
        client.force_login(getattr(world.users, role))
    url = reverse(name, kwargs=_kwargs(world, name, target))
    response = client.get(url) if method == "GET" else client.post(url, _post_data(world, name, target))
    expected = MATRIX[(name, method, target)][role]
    assert response.status_code == expected, f"{role} {method} {url}"
    if method == "POST":
        written = ModuleResult.objects.filter(class_group=getattr(world, target)).exists()
        assert written == (expected == 302 and role != "anon"), f"{role} {method} {url}"


def test_every_results_url_is_in_the_matrix():
    assert {f"attendance:{p.name}" for p in urlpatterns} == {name for name, _m, _t in MATRIX}


@pytest.mark.parametrize("name", ["attendance:results_import"])
def test_get_on_post_only_urls_is_refused(client, world, name):
    client.force_login(world.users.teacher)
    url = reverse(name, kwargs={"pk": world.class_a1.pk, "module": MODULE})
    assert client.get(url).status_code == 405
