"""The authorization matrix of the staff pages (found on disk by prezent/reports/tests/test_authorization.py).

Only the county coordinator of the county opens them; a person or a role of another county is 404 to them too,
and a refused write changes nothing."""

import pytest
from django.urls import reverse

from prezent.accounts.models import Role, RoleAssignment, User
from prezent.accounts.tests.factories import UserFactory, assign
from prezent.core.testing import ROLES, _row
from prezent.schools.models import ClassGroup
from prezent.schools.tests.factories import ClassGroupFactory, SchoolFactory

# (url name, GET or POST, target) → statuses in ROLES order.
#                                                                    anon county cw  sc  tch med trn  me adm none
MATRIX: dict[tuple[str, str, str], dict[str, int]] = {
    ("schools:staff_list", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("schools:staff_import", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("schools:staff_import", "POST", ""): _row(302, 400, 404, 404, 404, 404, 404, 404, 404, 404),
    ("schools:staff_school_search", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("schools:staff_class_choices", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("schools:staff_person_add", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("schools:staff_person_add", "POST", ""): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("schools:staff_class_set", "POST", "person_teacher"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("schools:staff_class_set", "POST", "person_far"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("schools:staff_person", "GET", "person_a"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("schools:staff_person", "GET", "person_far"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("schools:staff_role_give", "POST", "person_a"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("schools:staff_role_give", "POST", "person_far"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("schools:staff_invite", "POST", "person_a"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("schools:staff_invite", "POST", "person_far"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("schools:staff_role_end", "POST", "role_a"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("schools:staff_role_end", "POST", "role_far"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("schools:staff_role_extend", "POST", "role_a"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("schools:staff_role_extend", "POST", "role_far"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    # waiting grants: a second administrator or the county's coordinator decides
    ("schools:role_grants", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 404, 200, 404),
    ("schools:role_grant_decide", "POST", "grant_a"): _row(302, 302, 404, 404, 404, 404, 404, 404, 302, 404),
    ("schools:role_grant_decide", "POST", "grant_far"): _row(302, 404, 404, 404, 404, 404, 404, 404, 302, 404),
}


@pytest.fixture
def targets(world) -> dict[str, object]:
    far_person = UserFactory(email="far@example.ro")
    role_far = assign(far_person, Role.SCHOOL_MEDIATOR, schools=[SchoolFactory(county_code="CJ")])
    person_a = world.users.mediator
    return {
        "person_a": person_a,
        "person_far": far_person,
        "person_teacher": world.users.teacher,
        "role_a": RoleAssignment.objects.get(user=person_a),
        "role_far": role_far,
        "class_far": ClassGroupFactory(school=role_far.schools.get(), grade=5, letter="A"),
        "grant_a": _waiting_grant("IS"),
        "grant_far": _waiting_grant("CJ"),
    }


def _waiting_grant(county: str) -> RoleAssignment:
    """A county coordinator role asked for by another administrator, waiting for confirmation."""
    asker = UserFactory()
    assign(asker, Role.ADMINISTRATOR)
    return RoleAssignment.objects.create(
        user=UserFactory(),
        role=Role.COUNTY_COORDINATOR,
        scope_kind=RoleAssignment.ScopeKind.COUNTY,
        county_code=county,
        pending=True,
        requested_by=asker,
    )


def _post_data(name: str, target: str, world, targets) -> dict:
    if name == "schools:staff_role_give":
        return {"role": Role.TRAINER, "county": "IS"}
    if name == "schools:staff_role_extend":
        return {"valid_until": "2027-06-30"}
    if name == "schools:staff_person_add":
        return {
            "last_name": "Nou",
            "first_name": "Ion",
            "email": "ion.nou@example.ro",
            "role": Role.SCHOOL_MEDIATOR,
            "county": "IS",
            "schools": [world.school_a.pk],
        }
    if name == "schools:role_grant_decide":
        return {"decision": "confirm"}
    if name == "schools:staff_class_set":
        # the teacher's other class at their role's school; to the far person, a class of their county
        return {"class_group": (targets["class_far"] if target == "person_far" else world.class_a2).pk}
    return {}


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_staff_authorization_matrix(client, world, targets, name, method, target, role):
    if role != "anon":
        client.force_login(getattr(world.users, role))
    url = reverse(name, kwargs={"pk": targets[target].pk} if target else {})  # type: ignore[attr-defined]
    roles_before = RoleAssignment.objects.count()
    users_before = User.objects.count()
    teachers_before = dict(ClassGroup.objects.values_list("pk", "teacher_id"))
    response = client.get(url) if method == "GET" else client.post(url, _post_data(name, target, world, targets))
    expected = MATRIX[(name, method, target)][role]
    assert response.status_code == expected, f"{role} {method} {url}"
    if method == "POST" and expected != 302:
        assert RoleAssignment.objects.filter(pending=True).count() == 2
        assert RoleAssignment.objects.count() == roles_before
        assert not RoleAssignment.objects.filter(valid_until__isnull=False).exists()
        assert User.objects.count() == users_before
        assert dict(ClassGroup.objects.values_list("pk", "teacher_id")) == teachers_before
    if role == "county" and method == "POST" and expected == 302 and name == "schools:staff_person_add":
        assert User.objects.get(email="ion.nou@example.ro").role_assignments.get().role == Role.SCHOOL_MEDIATOR
    if role == "county" and method == "POST" and expected == 302 and name == "schools:staff_class_set":
        assert ClassGroup.objects.get(pk=world.class_a2.pk).teacher == world.users.teacher
