"""The authorization matrix of the access export (found on disk by test_authorization.py): the county coordinator
alone, acting for the data-protection officer, for a child of their county; everyone else, and a coordinator of
another county, gets 404."""

import pytest
from django.urls import reverse

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.core.models import AccessLog
from prezent.core.testing import ROLES, _row

# (url name, GET or POST, target) → statuses in ROLES order.
#                                                                    anon county cw  sc  tch med trn  me adm none
MATRIX: dict[tuple[str, str, str], dict[str, int]] = {
    ("reports:subject_export_json", "GET", "child_a1"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("reports:subject_export_json", "GET", "child_b1"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("reports:subject_export_pdf", "GET", "child_a1"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
}


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_subject_export_authorization_matrix(client, world, name, method, target, role):
    if role != "anon":
        client.force_login(getattr(world.users, role))
    child = getattr(world, target)
    url = reverse(name, kwargs={"pk": child.pk})
    response = client.get(url)
    assert response.status_code == MATRIX[(name, method, target)][role], f"{role} {method} {url}"
    logged = AccessLog.objects.filter(child_id=child.pk, view__startswith="reports:subject_export").exists()
    assert logged == (response.status_code == 200)


@pytest.mark.parametrize("name", ["reports:subject_export_json", "reports:subject_export_pdf"])
def test_a_coordinator_of_another_county_gets_404(client, world, name):
    other = UserFactory(username="county_vs")
    assign(other, Role.COUNTY_COORDINATOR, county="VS")
    client.force_login(other)
    assert client.get(reverse(name, kwargs={"pk": world.child_a1.pk})).status_code == 404


def test_a_post_is_refused(client, world):
    client.force_login(world.users.county)
    assert client.post(reverse("reports:subject_export_json", kwargs={"pk": world.child_a1.pk})).status_code == 405
