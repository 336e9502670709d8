"""Issue 6 in a browser: the county coordinator opens the results from the home page, reads target vs actual and
the attendance against the baseline year, approves and locks a period (its figures freeze), and opens the map;
the evaluator reads the same dashboard on a phone, the Roma aggregate suppressed as for the coordinator, and no
child's name."""

import pytest
from playwright.sync_api import expect

from prezent.conftest import world  # noqa: F401 - the shared world, used by results_world
from prezent.results.models import PeriodStatus
from prezent.results.tests.conftest import results_world  # noqa: F401

from .conftest import PHONE, login

pytestmark = pytest.mark.e2e

PASSWORD = "parola-test-123"


def test_coordinator_reads_the_dashboard_and_locks_a_period(page, live_server, results_world, screenshot):  # noqa: F811
    w = results_world
    login(page, live_server, "county", PASSWORD)
    page.get_by_test_id("results-link").click()
    page.wait_for_url("**/rezultate/**")
    expect(page.get_by_test_id("actual-children")).to_have_text("8")
    expect(page.get_by_test_id("actual-children_roma")).to_have_text("<5")
    expect(page.get_by_test_id("actual-attendance_improved")).to_have_text("7")
    trend = page.get_by_test_id("attendance-trend")
    expect(trend).to_contain_text("nov. 2026")
    expect(trend).to_contain_text("%")
    screenshot("dashboard")

    page.get_by_test_id(f"lock-{w.p1.pk}").click()
    expect(page.get_by_text("Perioada a fost aprobată și blocată.")).to_be_visible()
    w.p1.refresh_from_db()
    assert w.p1.status == PeriodStatus.LOCKED
    expect(page.get_by_text("Perioadă aprobată și blocată: cifrele sunt cele de la blocare.")).to_be_visible()

    page.get_by_role("link", name="Harta").click()
    expect(page.get_by_test_id("county-map").locator("circle")).to_have_count(2)
    screenshot("map")

    page.get_by_role("link", name="Pe școli").click()
    table = page.get_by_test_id("places-table")
    expect(table).to_contain_text(w.school_a.name)
    expect(table).to_contain_text("<5")
    screenshot("schools")


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_evaluator_reads_the_dashboard_on_a_phone(page, live_server, results_world, screenshot):  # noqa: F811
    login(page, live_server, "me_viewer", PASSWORD)
    page.get_by_test_id("results-link").click()
    page.wait_for_url("**/rezultate/**")
    expect(page.get_by_test_id("actual-children")).to_have_text("8")
    expect(page.get_by_test_id("actual-children_roma")).to_have_text("<5")  # the same report as the coordinator's
    content = page.content()
    for child in [*results_world.group, results_world.child_b1]:
        assert f"{child.last_name} {child.first_name}" not in content
    expect(page.get_by_test_id("periods")).to_have_count(0)  # no locking for the evaluator
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, width
    screenshot("dashboard")
    with page.expect_download() as download:
        page.get_by_role("link", name="Raportul către finanțator (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
