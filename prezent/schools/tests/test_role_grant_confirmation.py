"""A role that sees children, given by someone who holds the administrator role, waits with no effect until a
second administrator or the county's coordinator confirms it; every step is an audit event with its actor
(decision 45)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from prezent.accounts.models import Role, RoleAssignment
from prezent.accounts.scope import scope_for
from prezent.accounts.tests.factories import UserFactory, assign
from prezent.core.models import AuditEvent
from prezent.schools.staff.services import role_give, role_grant_decide
from prezent.schools.tests.factories import SchoolFactory


@pytest.fixture
def people(db):
    """An administrator who also holds a county coordinator role (so the staff pages let them give roles), a second
    administrator, Iași's coordinator and Cluj's."""
    admin = UserFactory(username="admin-coord")
    assign(admin, Role.ADMINISTRATOR)
    assign(admin, Role.COUNTY_COORDINATOR, county="IS")
    second_admin = UserFactory(username="admin2")
    assign(second_admin, Role.ADMINISTRATOR)
    coordinator = UserFactory(username="coord-is")
    assign(coordinator, Role.COUNTY_COORDINATOR, county="IS")
    far = UserFactory(username="coord-cj")
    assign(far, Role.COUNTY_COORDINATOR, county="CJ")
    return admin, second_admin, coordinator, far


def test_an_administrator_giving_themself_a_role_that_sees_children_waits_for_confirmation(client, people):
    admin, _second, coordinator, _far = people
    school = SchoolFactory()
    client.force_login(admin)
    response = client.post(
        reverse("schools:staff_role_give", args=[admin.pk]),
        {"role": Role.SCHOOL_MEDIATOR, "county": "IS", "schools": [school.pk]},
        follow=True,
    )
    assert "așteaptă confirmarea" in response.content.decode()
    person_page = client.get(reverse("schools:staff_person", args=[admin.pk])).content.decode()
    assert '<span class="badge">așteaptă confirmarea</span>' in person_page
    grant = admin.role_assignments.get(role=Role.SCHOOL_MEDIATOR)
    assert grant.pending and grant.requested_by == admin
    assert not scope_for(admin).has(Role.SCHOOL_MEDIATOR)  # no effect yet
    assert AuditEvent.objects.get(action="role.request").actor == admin
    # the asker does not see it on their own list and cannot confirm it
    assert grant.pk not in [g.pk for g in client.get(reverse("schools:role_grants")).context["waiting"]]
    assert (
        client.post(reverse("schools:role_grant_decide", args=[grant.pk]), {"decision": "confirm"}).status_code == 404
    )
    with pytest.raises(PermissionDenied):
        role_grant_decide(actor=admin, assignment=grant, confirm=True)
    grant.refresh_from_db()
    assert grant.pending
    # the county's coordinator confirms it
    client.force_login(coordinator)
    page = client.get(reverse("schools:role_grants")).content.decode()
    assert admin.email in page
    client.post(reverse("schools:role_grant_decide", args=[grant.pk]), {"decision": "confirm"})
    grant.refresh_from_db()
    assert not grant.pending
    assert RoleAssignment.objects.active().filter(pk=grant.pk).exists()
    event = AuditEvent.objects.get(action="role.confirm")
    assert event.actor == coordinator and event.details["requested_by"] == admin.pk


def test_a_second_administrator_refuses_and_another_countys_coordinator_cannot_decide(client, people):
    admin, second, _coordinator, far = people
    other = UserFactory()
    grant = role_give(actor=admin, person=other, role=Role.COUNTY_COORDINATOR, county_code="IS")
    assert grant.pending
    client.force_login(far)
    assert (
        client.post(reverse("schools:role_grant_decide", args=[grant.pk]), {"decision": "confirm"}).status_code == 404
    )
    assert RoleAssignment.objects.get(pk=grant.pk).pending
    client.force_login(second)
    client.post(reverse("schools:role_grant_decide", args=[grant.pk]), {"decision": "refuse"})
    assert not RoleAssignment.objects.filter(pk=grant.pk).exists()
    event = AuditEvent.objects.get(action="role.refuse")
    assert event.actor == second
    assert event.details["role"] == Role.COUNTY_COORDINATOR and event.details["user_id"] == other.pk


def test_a_role_that_sees_no_child_and_a_coordinators_grant_take_effect_at_once(people):
    admin, _second, coordinator, _far = people
    trainer = role_give(actor=admin, person=UserFactory(), role=Role.TRAINER, county_code="IS")
    assert not trainer.pending
    school = SchoolFactory()
    mediator = role_give(
        actor=coordinator, person=UserFactory(), role=Role.SCHOOL_MEDIATOR, county_code="IS", schools=[school]
    )
    assert not mediator.pending
    assert AuditEvent.objects.filter(action="role.give").count() == 2
    assert not AuditEvent.objects.filter(action="role.request").exists()
