"""Browser end-to-end tests: Playwright driving Debian's Chromium against live_server.

Playwright's own browser download does not work here, so the system Chromium is used
(``/usr/bin/chromium`` or $ONESEAL_CHROMIUM). Without it the tests are skipped, unless
ONESEAL_REQUIRE_BROWSER=1 (CI), which makes a missing browser a failure.
"""

from __future__ import annotations

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls in the tests
# themselves are ordinary blocking calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("ONESEAL_CHROMIUM") or shutil.which("chromium") or ""
REQUIRED = os.environ.get("ONESEAL_REQUIRE_BROWSER") == "1"


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    if REQUIRED:
        raise pytest.UsageError("ONESEAL_REQUIRE_BROWSER=1 but Chromium was not found")
    skip = pytest.mark.skip(reason="Chromium not installed (apt-get install chromium)")
    for item in items:
        if "e2e" in item.nodeid:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]}


@pytest.fixture
def site(live_server):
    """The live server's URL; the database is committed (transactional) for the browser."""
    return live_server.url
