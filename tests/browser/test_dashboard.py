"""The fieldwork dashboard in a real browser: the headline, a sortable site table, the
chart drawn from the page's data, and the trends page; all axe clean at phone and desktop
widths."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests.browser.pages import logged_in
from tests.reminders.fieldwork import fieldwork_round

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}
SHOTS = os.environ.get("SCREENSHOT_DIR")


def _check(page, name, size):
    page.wait_for_load_state("load")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}-{size}.png", full_page=True)
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


def _site_order(page) -> list[str]:
    table = page.locator("table[data-sortable]")
    return table.locator("tbody th[scope=row]").all_inner_texts()


@pytest.mark.parametrize("size", SIZES)
def test_the_dashboard_shows_the_headline_sorts_sites_and_draws_the_chart(
    server, new_page, alice, size
):
    fieldwork_round(size=30, name="2019 survey", year=2019)
    round_ = fieldwork_round(size=40, name="2020 survey", year=2020, emails="q", shift=3)
    page = logged_in(new_page, server, *SIZES[size])
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server + reverse("panels:round_detail", args=[round_.pk]))
    page.get_by_role("link", name="Fieldwork dashboard").click()

    headline = page.get_by_test_id("headline")
    assert "Sample frame" in headline.inner_text() and "40" in headline.inner_text()
    assert page.get_by_text("(proportional allocation)").is_visible()

    # The chart is drawn from the page's data: one point a day, the messages marked. Its
    # script runs after the page has loaded, so wait for it on a slow machine.
    page.wait_for_function("document.getElementById('progress-chart').chart !== undefined")
    points = page.evaluate("document.getElementById('progress-chart').chart.data.datasets[0].data")
    assert len(points) == 7 and points[-1] > 0
    drawn = page.evaluate(
        "(() => { const c = document.getElementById('progress-chart');"
        " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " return d.some((v, i) => i % 4 === 3 && v > 0); })()"
    )
    assert drawn

    before = _site_order(page)
    complete = page.locator("table[data-sortable] thead th").nth(5)
    complete.get_by_role("button").click()
    assert complete.get_attribute("aria-sort") == "ascending"
    complete.get_by_role("button").click()
    assert complete.get_attribute("aria-sort") == "descending"
    after = _site_order(page)
    assert sorted(after) == sorted(before) and after != before
    counts = page.locator("table[data-sortable] tbody tr td:nth-of-type(5)").all_inner_texts()
    assert [int(c) for c in counts] == sorted((int(c) for c in counts), reverse=True)
    _check(page, "dashboard", size)
    assert not errors, errors

    page.get_by_role("link", name="Trends across rounds").click()
    assert page.get_by_role("heading", name="Retention from round to round").is_visible()
    _check(page, "trends", size)
