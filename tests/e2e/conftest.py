"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

Playwright cannot download its own browsers here, so the tests use /usr/bin/chromium (`apt-get install
chromium`) and are skipped, each with the reason, when it is missing. Screenshots of the key pages are saved to
test-results/screenshots/<test>-<step>.png (git-ignored) for a human to look at.
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse ORM calls there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SKIP_REASON = "Chromium not installed (/usr/bin/chromium): browser tests skipped — apt-get install chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Without Chromium every browser test is skipped, each with the reason and the command that fixes it — except
    where the browser is required (CI sets PREZENT_REQUIRE_BROWSER=1): there a missing Chromium is an error, so a
    green run always includes the browser tests."""
    if CHROMIUM.exists():
        return
    if os.environ.get("PREZENT_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"PREZENT_REQUIRE_BROWSER=1 but {SKIP_REASON}")
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents or item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def viewport() -> dict[str, int]:
    """Desktop by default; a test overrides it with `@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])`."""
    return DESKTOP


@pytest.fixture
def page(browser, viewport, live_server, transactional_db) -> Iterator:
    """A fresh browser context (no cookies, no session) per test, Romanian like the users."""
    is_phone = viewport["width"] < 600
    context = browser.new_context(
        viewport=viewport,
        locale="ro-RO",
        timezone_id="Europe/Bucharest",
        is_mobile=is_phone,
        has_touch=is_phone,
        device_scale_factor=2 if is_phone else 1,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page, request) -> Callable[[str], Path]:
    """`screenshot("step")` saves the whole page to test-results/screenshots/<test>-<step>.png."""
    test_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name).strip("_")

    def take(step: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{test_name}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def login(page, live_server, username: str, password: str) -> None:
    """Sign in through the login form, as a person would; waits until the app has left the login page."""
    page.goto(f"{live_server.url}/autentificare/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Intră").click()
    page.wait_for_url(lambda url: "/autentificare/" not in url)
