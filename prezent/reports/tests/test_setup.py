"""The county set-up page: the first day's steps, what each already holds, and the home page's next step."""

import pytest
from django.urls import reverse

from prezent.accounts.models import Role
from prezent.accounts.tests.factories import UserFactory, assign
from prezent.children.tests.factories import enrol
from prezent.core.testing import TEST_TODAY
from prezent.reports.selectors import county_setup
from prezent.schools.tests.factories import ClassGroupFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def vaslui():
    user = UserFactory(first_name="Ana")
    assign(user, Role.COUNTY_COORDINATOR, county="VS")
    return user


def test_a_county_that_ships_nothing_starts_at_the_school_network(client, vaslui):
    setup = county_setup(county_code="VS", today=TEST_TODAY)
    assert [step.done for step in setup.steps[:5]] == [False] * 5
    assert setup.next_step is setup.steps[0]
    client.force_login(vaslui)
    home = client.get(reverse("home")).content.decode()
    assert "Primii pași în județul VS" in home and "Rețeaua școlară" in home
    page = client.get(reverse("reports:setup")).content.decode()
    assert reverse("schools:network_upload") in page
    assert reverse("children:import") in page and reverse("schools:staff_import") in page


def test_each_step_counts_what_the_county_already_has(client, vaslui, django_assert_max_num_queries):
    group = ClassGroupFactory(school=SchoolFactory(county_code="VS"), grade=5, letter="B")
    group.school_year.county_code = "VS"
    group.school_year.save()
    enrol(group, 3)
    teacher = UserFactory()
    assign(teacher, Role.CLASS_TEACHER, schools=[group.school]).__class__.objects.filter(user=teacher).update(
        county_code="VS"
    )
    with django_assert_max_num_queries(14):
        setup = county_setup(county_code="VS", today=TEST_TODAY)
    network, programme, year, pupils, staff = setup.steps[:5]
    assert network.done and "O unitate" in network.status
    assert not programme.done
    assert year.done and pupils.done and "3 elevi înscriși într-o clasă" in pupils.status
    assert staff.done and "O persoană cu rol; 0 nu" in staff.status
    assert setup.next_step is programme


def test_other_roles_do_not_see_the_set_up(client):
    teacher = UserFactory()
    assign(teacher, Role.CLASS_TEACHER, schools=[SchoolFactory()])
    client.force_login(teacher)
    assert client.get(reverse("reports:setup")).status_code == 404
    assert "Primii pași" not in client.get(reverse("home")).content.decode()
