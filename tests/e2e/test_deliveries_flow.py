"""Issue 14 in a browser: on a phone, the case worker opens the distribution list of hot meals for their school and
today from the menu, ticks every child of the programme at once, changes one quantity, saves, then unticks one
child and saves again: each tick is one delivery with its quantity, saving again adds nothing twice."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.cases.models import Intervention
from prezent.cases.services import intervention_types_load_defaults
from prezent.children.tests.factories import enrol
from prezent.programme.models import Programme
from prezent.programme.services import membership_move
from prezent.schools.tests.factories import ClassGroupFactory

from .conftest import PHONE, login

pytestmark = pytest.mark.e2e

PASSWORD = "parola-test-123"


@pytest.fixture
def school_children(transactional_db):
    worker, county = UserFactory(username="asistent"), UserFactory()
    group = ClassGroupFactory()
    assign(worker, Role.CASE_WORKER, schools=[group.school])
    assign(county, Role.COUNTY_COORDINATOR, county="IS")
    children = enrol(group, 3)
    start = timezone.localdate() - datetime.timedelta(days=30)
    programme = Programme.objects.create(
        code="RO10-0070", name="Împreună pentru copii!", county_code="IS", start=start, end=datetime.date(2027, 7, 31)
    )
    programme.schools.set([group.school])
    for child in children:
        membership_move(
            programme=programme, child=child, to_status="proposed", on=start, reason="evaluare", actor=county
        )
    intervention_types_load_defaults(county_code="IS")
    return group.school, children


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_case_worker_ticks_a_distribution_list_on_a_phone(page, live_server, school_children, screenshot):
    school, children = school_children
    today = timezone.localdate()
    login(page, live_server, "asistent", PASSWORD)
    page.get_by_role("link", name="Distribuiri și grupe").first.click()
    page.wait_for_url("**/cazuri/livrari/")
    page.get_by_label("Școala").select_option(str(school.pk))
    page.get_by_label("Ce se distribuie").select_option(label="Masă caldă")
    page.get_by_label("Data").fill(today.isoformat())
    page.get_by_role("button", name="Deschide", exact=True).click()
    page.wait_for_url(f"**/cazuri/livrari/{school.pk}/hot-meal/{today.isoformat()}/")
    page.get_by_role("button", name="Bifează toți", exact=True).click()
    expect(page.get_by_text("Copii bifați: 3")).to_be_visible()
    page.locator(f"input[name=q{children[0].pk}]").fill("2")
    screenshot("ticked")
    page.get_by_role("button", name="Salvează lista").click()
    expect(page.get_by_text("Lista a fost salvată: 3 copii bifați")).to_be_visible()
    ticks = Intervention.objects.filter(delivery_list__school=school, case=None)
    assert sorted(ticks.values_list("child_id", "quantity")) == sorted(
        [(children[0].pk, 2), (children[1].pk, 1), (children[2].pk, 1)]
    )
    page.locator(f"input[name=c{children[2].pk}]").uncheck()
    page.get_by_role("button", name="Salvează lista").click()
    expect(page.get_by_text("Lista a fost salvată: 2 copii bifați")).to_be_visible()
    assert ticks.count() == 2
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, width
    screenshot("saved")
