"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

Playwright may not download a browser here, so it launches `/usr/bin/chromium` (override with
CHROMIUM_PATH). Screenshots go to `test-artifacts/screenshots/` (git-ignored).
"""

import os
import re
import uuid
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

# Playwright's sync API runs an event loop in this thread; the ORM calls that tests make
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Count rate limits from zero in each test (they may live in a Redis that outlives the run)."""
    settings.RATELIMIT_CACHE_PREFIX = f"rl:test:{uuid.uuid4().hex}:"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test does this as root).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page (390×844, touch) whose console errors are collected in `page.console_errors`."""
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, locale="id-ID", bypass_csp=False)
    page = context.new_page()
    page.set_default_timeout(30_000)  # the CI machine is shared; be patient
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser, live_server):
    """A desktop-sized page (1366×900) for staff and officials."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(30_000)  # the CI machine is shared; be patient
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def screenshot(request):
    """`screenshot(page, "name")` saves test-artifacts/screenshots/<test>-<name>.png."""

    def take(page, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        test_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        path = ARTIFACTS / f"{test_name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def assert_accessible():
    """Run axe-core on the page; fail on serious or critical violations, listing them."""
    axe = Axe()

    def check(page) -> None:
        results = axe.run(page)
        bad = [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]
        details = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in bad
        )
        assert not bad, f"axe found serious/critical accessibility violations on {page.url}:\n{details}"

    return check


def open_menu(page) -> None:
    """Open the phone layout's collapsed navbar and wait until Bootstrap's transition is over
    (`.show`), so that a click on a menu item cannot land while the menu is still growing."""
    page.locator(".navbar-toggler").click()
    page.locator("#main-nav.show").wait_for(state="visible")
