"""A real Chromium (the Debian package) driven by Playwright against a live server.

Without Chromium or Playwright the browser tests are skipped and the run names them in its
last lines; with REQUIRE_BROWSER=1 (CI) they fail instead.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SKIP_PREFIX = "Browser tests skipped"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed"
    if not shutil.which(CHROMIUM):
        return f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
    return None


@pytest.fixture
def server(live_server, settings):
    """Return the live server's address; the link look-up limit is lifted for the tests."""
    from django.core.cache import cache

    settings.TOKEN_LOOKUPS_PER_WINDOW = 10_000
    cache.clear()
    return live_server.url


@pytest.fixture
def chromium(server, monkeypatch):
    """Return a headless Chromium for one test.

    It is started after the live server and its database and stopped before them: while
    Playwright's sync API runs its event loop in this thread, Django allows the ORM here
    only with DJANGO_ALLOW_ASYNC_UNSAFE, which is set for the test alone.
    """
    missing = _missing()
    if missing:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {missing}", pytrace=False)
        pytest.skip(f"{SKIP_PREFIX}: {missing}")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # The test's own queries ran beside Playwright's event loop, on a connection of
        # their own: close it here, or it keeps the test database from being dropped.
        connections.close_all()


@pytest.fixture
def new_page(chromium):
    """Return a factory of pages, each in a fresh browser context (a new device)."""
    contexts = []

    def make(**options):
        # Bootstrap scrolls smoothly unless motion is reduced: a click on a button below the
        # fold would land while the page still moves, and be lost.
        options.setdefault("reduced_motion", "reduce")
        context = chromium.new_context(**options)
        context.set_default_timeout(15_000)
        # Assertions wait as long as actions do: on a busy 2-core machine a page that
        # sends an email can take more than the default 5 s.
        from playwright.sync_api import expect

        expect.set_options(timeout=15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
