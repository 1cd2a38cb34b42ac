"""
Browser tests: Playwright drives Debian's Chromium (`apt-get install chromium`, launched
by its path; never `playwright install`) against the app served by the test server.

Without Chromium they are skipped, with a message saying how to install it; in CI
(E2E_REQUIRE_BROWSER=1, set by .ci/run) a browser that cannot start fails them.
Screenshots of the main pages go to e2e-screenshots/ (git-ignored).
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "e2e-screenshots"
PASSWORD = "mật-khẩu-thử-1"
INSTALL = "Browser tests need Debian's Chromium: sudo apt-get install chromium (or set CHROMIUM to its path)."


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM):
        return
    if os.environ.get("E2E_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"E2E_REQUIRE_BROWSER=1 but {CHROMIUM} is missing. {INSTALL}")
    skip = pytest.mark.skip(reason=INSTALL)
    for item in items:
        # Only the tests that drive a browser need one; the two-server test speaks HTTP itself.
        if "e2e" in item.nodeid.split("/")[0] and "page" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def synchronous_orm_beside_playwright():
    # Playwright's sync API runs an event loop in the test's thread; the ORM calls the
    # tests make around it (and the test database's set-up) are ordinary synchronous
    # ones. Set only while the browser tests run (they come last): the variable must
    # never reach a deployment check.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "vi-VN",
        "viewport": {"width": 1366, "height": 900},
        "accept_downloads": True,
    }


@pytest.fixture
def people(tree):
    """The hand-built quarter, a committee editor (alice) and a bloc administrator (boss)."""
    from activities.tests.reportdata import build_quarter
    from units.models import Role
    from units.services import user_grant

    build_quarter(tree)
    return {
        "alice": user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR, password=PASSWORD)[0],
        "boss": user_grant(username="boss", unit_code="BLOC", role=Role.BLOC_ADMIN, password=PASSWORD)[0],
    }


@pytest.fixture
def shoot(page):
    """Save a full-page screenshot of what the user sees under e2e-screenshots/NAME.png."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


def log_in(page, live_server, username, password=PASSWORD):
    page.goto(f"{live_server.url}/admin/login/?next=/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    submit = page.locator("input[type=submit]")
    assert submit.get_attribute("value") == "Đăng nhập"
    submit.click()
    page.wait_for_url(f"{live_server.url}/")
