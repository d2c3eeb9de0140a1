import os
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread


class SerialWSGIServer(WSGIServer):
    """The live server answers one request at a time. On SQLite the tests' in-memory database is one
    connection that every request thread shares, so two requests at once (the admin page and its
    icon sprite, say) interleave their transactions (ATOMIC_REQUESTS) and break each other's
    savepoints ("no such savepoint", then TransactionManagementError in the test). Served one by one,
    each request has the connection to itself; Django's non-threaded server closes each connection,
    so the browser's parallel requests simply queue."""

    def __init__(self, *args, connections_override=None, **kwargs):
        # LiveServerThread.run() has already put the shared connections in place in its own thread,
        # which is where a non-threaded server handles the requests.
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = SerialWSGIServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing: CI must run the browser tests")
        pytest.skip("no /usr/bin/chromium here (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 800})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_site(transactional_db):
    """Transactional tests start from a flushed database: load the demo content again."""
    from portal.demo.loader import load_demo

    load_demo(admin_password="demo-admin-password", with_inventory=False)


@pytest.fixture
def shots(tmp_path):
    """Where journeys save their screenshots: $SCREENSHOT_DIR to look at them, else a temporary folder."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
