"""A report table and a trend chart in a real browser, on a phone and on a desktop."""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from tests.surveys.analysis.conftest import make_early_round, make_later_round

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SCREENS = Path(os.environ.get("VAR_DIR", "var")) / "screens"


@pytest.fixture
def rounds(db):
    return make_early_round(), make_later_round()


def _open(new_page, server, user, width):
    client = Client()
    client.force_login(user)
    page = new_page(viewport={"width": width, "height": 900})
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server}]
    )
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return page, errors


def _axe_clean(page):
    results = Axe().run(page)
    assert not results.violations_count, results.generate_report()


def _csp_errors(errors):
    return [e for e in errors if "Refused" in e or "Content Security Policy" in e]


@pytest.mark.parametrize("width", [390, 1280])
def test_a_report_table_reads_with_its_base_and_scrolls_in_its_own_box(
    server, new_page, alice, rounds, width
):
    page, errors = _open(new_page, server, alice, width)
    page.goto(server + reverse("surveys_analysis:report"))
    page.select_option("#id_round", label=rounds[0].name)
    page.get_by_role("button", name="Show the table").click()  # the round's items
    page.select_option("#id_item", "barriers")
    page.select_option("#id_by", "site")
    page.get_by_role("button", name="Show the table").click()
    page.get_by_role("checkbox", name="Very significant").check()
    page.get_by_role("button", name="Show the table").click()
    table = page.get_by_role("table")
    expect(page.locator("#table-title")).to_contain_text("Bases vary from 4 to 5")
    expect(page.get_by_role("region", name="Share answering ‘Very significant’")).to_be_visible()
    first = table.locator("tbody tr").first
    expect(first.locator("th")).to_have_text("Competing demands on time")
    expect(first.locator("td").first).to_have_text("50%*")  # * marks a base under 10
    # Rank by Barnsley's column: financial constraints (1 of 1) comes first.
    table.get_by_role("link", name="Barnsley").click()
    expect(page.locator("tbody tr").first.locator("th")).to_have_text("Financial constraints")
    expect(page.locator('th[aria-sort="descending"]')).to_have_text("Barnsley ▼")
    box = page.locator(".analysis-table")
    wide = box.evaluate("b => b.scrollWidth > b.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert wide == (width < 600)  # on a phone the table scrolls inside its box, not the page
    _axe_clean(page)
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"analysis-report-{width}.png"), full_page=True)
    # A single choice by organisation group: counts beside the shares, the unasked below.
    page.select_option("#id_item", "post")
    page.select_option("#id_by", "group")
    page.get_by_role("button", name="Show the table").click()
    expect(page.locator("#table-title")).to_contain_text("(Base=4)")
    expect(page.locator("tfoot tr").nth(1)).to_have_text(re.compile(r"Not asked \(routing\)\s*1"))
    _axe_clean(page)
    page.screenshot(path=str(SCREENS / f"analysis-frequency-{width}.png"), full_page=True)
    assert not _csp_errors(errors), errors


@pytest.mark.parametrize("width", [390, 1280])
def test_a_trend_chart_is_drawn_from_the_figures_of_its_table(
    server, new_page, alice, rounds, width
):
    page, errors = _open(new_page, server, alice, width)
    page.goto(server + reverse("surveys_analysis:trend") + "?item=barriers&points=1")
    canvas = page.locator("canvas#trend-chart[data-drawn=true]")
    expect(canvas).to_be_visible()
    painted = canvas.evaluate(
        """c => { const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
                  let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; }"""
    )
    assert painted > 1000  # lines, points, axes and legend drawn
    expect(page.get_by_role("table").locator("thead th")).to_have_text(
        ["Statement", "2016 survey", "2020 survey"]
    )
    _axe_clean(page)
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"analysis-trend-{width}.png"), full_page=True)
    assert not _csp_errors(errors), errors
