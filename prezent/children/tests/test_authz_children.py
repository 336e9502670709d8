"""The authorization matrix of the pages that change a child's record, in the style of
prezent/reports/tests/test_authorization.py (which finds this MATRIX on disk).

Writers: the county coordinator, the school coordinator and the mediator, for the children of the schools their
role reaches. Anyone else, anyone outside the child's school, and a consent asked for through another child's
address gets 404; a refused write changes nothing.
"""

import datetime

import pytest
from django.urls import reverse

from prezent.children.models import Child, Consent, Guardianship
from prezent.children.tests.factories import GuardianFactory
from prezent.core.testing import ROLES, _row

# (url name, GET or POST, target) → statuses in ROLES order.
#                                                                 anon county cw  sc  tch med trn  me adm none
MATRIX: dict[tuple[str, str, str], dict[str, int]] = {
    ("children:edit", "GET", "child_a1"): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("children:edit", "GET", "child_a2"): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("children:edit", "GET", "child_b1"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("children:edit", "POST", "child_a1"): _row(302, 302, 404, 302, 404, 302, 404, 404, 404, 404),
    ("children:edit", "POST", "child_b1"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("children:consent_withdraw", "GET", "consent_a1"): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("children:consent_withdraw", "GET", "consent_b1"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("children:consent_withdraw", "GET", "consent_b1_via_a1"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("children:consent_withdraw", "POST", "consent_a1"): _row(302, 302, 404, 302, 404, 302, 404, 404, 404, 404),
    ("children:consent_withdraw", "POST", "consent_b1"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("children:consent_withdraw", "POST", "consent_b1_via_a1"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("children:guardian_edit", "GET", "guardian_a1"): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("children:guardian_edit", "GET", "guardian_b1"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("children:guardian_edit", "GET", "guardian_b1_via_a1"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("children:guardian_edit", "POST", "guardian_a1"): _row(302, 302, 404, 302, 404, 302, 404, 404, 404, 404),
    ("children:guardian_edit", "POST", "guardian_b1"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("children:guardian_edit", "POST", "guardian_b1_via_a1"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
}

NEW_LAST_NAME = "Nume-Corectat"


@pytest.fixture
def consents(world) -> dict[str, Consent]:
    def consent(child: Child) -> Consent:
        return Consent.objects.create(
            child=child,
            purpose=Consent.Purpose.PROGRAMME,
            legal_basis=Consent.LegalBasis.CONSENT,
            given_on=datetime.date(2026, 9, 10),
            recorded_by=world.users.county,
        )

    return {"consent_a1": consent(world.child_a1), "consent_b1": consent(world.child_b1)}


@pytest.fixture
def guardianships(world) -> dict[str, Guardianship]:
    def guardianship(child: Child) -> Guardianship:
        guardian = GuardianFactory(household=child.household)
        return Guardianship.objects.create(child=child, guardian=guardian, relationship="mother")

    return {"guardian_a1": guardianship(world.child_a1), "guardian_b1": guardianship(world.child_b1)}


def _target(world, consents, target: str):  # type: ignore[no-untyped-def]
    """The child of the address and the consent or guardianship in it (or None)."""
    if target == "consent_b1_via_a1":
        return world.child_a1, consents["consent_b1"]
    if target == "guardian_b1_via_a1":
        return world.child_a1, consents["guardian_b1"]
    if target in consents:
        return consents[target].child, consents[target]
    return getattr(world, target), None


def _post_data(child: Child, name: str) -> dict:
    if name == "children:edit":
        return {
            "last_name": NEW_LAST_NAME,
            "first_name": child.first_name,
            "sex": child.sex,
            "birth_date": child.birth_date.isoformat(),
            "reason": "typing",
        }
    if name == "children:guardian_edit":
        return {"last_name": NEW_LAST_NAME, "first_name": "Maria", "relationship": "mother", "reason": "typing"}
    return {"on": "2026-11-27"}


def _written(name: str, child: Child, consent) -> bool:  # type: ignore[no-untyped-def]
    if name == "children:edit":
        child.refresh_from_db()
        return child.last_name == NEW_LAST_NAME
    if name == "children:guardian_edit":
        consent.guardian.refresh_from_db()
        return consent.guardian.last_name == NEW_LAST_NAME
    assert consent is not None
    consent.refresh_from_db()
    return consent.withdrawn_on is not None


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_children_authorization_matrix(client, world, consents, guardianships, name, method, target, role):
    if role != "anon":
        client.force_login(getattr(world.users, role))
    child, consent = _target(world, {**consents, **guardianships}, target)
    if consent is None:
        kwargs = {"pk": child.pk}
    elif isinstance(consent, Guardianship):
        kwargs = {"pk": child.pk, "guardianship_id": consent.pk}
    else:
        kwargs = {"pk": child.pk, "consent_id": consent.pk}
    url = reverse(name, kwargs=kwargs)
    response = client.get(url) if method == "GET" else client.post(url, _post_data(child, name))
    expected = MATRIX[(name, method, target)][role]
    assert response.status_code == expected, f"{role} {method} {url}"
    if method == "POST":
        assert _written(name, child, consent) == (expected == 302 and role != "anon"), f"{role} {method} {url}"
