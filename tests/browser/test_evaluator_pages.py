"""The version page, its preview and the comparison, as an evaluator sees them."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}
SHOTS = os.environ.get("SCREENSHOT_DIR")


def _logged_in(new_page, server, width, height):
    page = new_page(viewport={"width": width, "height": height})
    page.goto(server + reverse("admin:login"))
    page.fill("#id_username", "alice")
    page.fill("#id_password", "pw-alice")
    page.click("input[type=submit]")
    page.wait_for_url(lambda url: "login" not in url)
    return page


def _check(page, name, size):
    """Assert what anyone notices first: no sideways scrolling, nothing axe objects to."""
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}-{size}.png")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        " > document.documentElement.clientWidth).slice(0, 8).map(e => e.tagName + '.' +"
        " e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
    )
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {size}: {wide}"
    results = Axe().run(page)
    assert not results.violations_count, results.generate_report()


@pytest.mark.parametrize("size", SIZES)
def test_the_version_page_and_its_preview_read_well_and_pass_axe(
    server, new_page, alice, seed_versions, size
):
    version = seed_versions[0]
    page = _logged_in(new_page, server, *SIZES[size])
    page.goto(server + reverse("surveys_admin:version_detail", args=[version.pk]))
    heading = page.get_by_role("heading", name="Page 1:")
    table = page.locator("section", has=heading).locator("table")
    assert heading.bounding_box()["y"] < table.bounding_box()["y"]
    _check(page, "version", size)
    page.get_by_role("link", name="Preview as a respondent").click()
    assert page.get_by_text("Nothing you enter is saved").is_visible()
    page.get_by_role("link", name="Next page").click()
    assert page.get_by_text("Page 2 of").is_visible()
    _check(page, "preview", size)


@pytest.mark.parametrize("size", SIZES)
def test_the_comparison_reads_in_words_and_passes_axe(server, new_page, alice, seed_versions, size):
    old, new = seed_versions
    page = _logged_in(new_page, server, *SIZES[size])
    page.goto(server + reverse("surveys_admin:version_diff"))
    page.get_by_label("Earlier version").select_option(str(old.pk))
    page.get_by_label("Later version").select_option(str(new.pk))
    page.get_by_role("button", name="Compare").click()
    assert page.get_by_text("are safe for trends").is_visible()
    assert page.get_by_role("cell", name="options changed", exact=True).first.is_visible()
    assert page.get_by_role("cell", name="options_changed").count() == 0
    _check(page, "comparison", size)
