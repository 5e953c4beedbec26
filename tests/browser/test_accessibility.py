"""An axe-core scan of every kind of respondent page, with errors showing and without."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import PHONE
from tests.browser.respondent import (
    error_summary,
    fill_invalid,
    fill_valid,
    next_page,
    open_link,
    page_id,
    start,
)
from tests.conftest import add_member, make_round

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Scanner:
    """Runs axe-core on pages and keeps every violation it finds, by page."""

    def __init__(self):
        self.axe, self.scanned, self.found = Axe(), [], []

    def __call__(self, page, where: str) -> None:
        results = self.axe.run(page)
        self.scanned.append(where)
        if results.violations_count:
            self.found.append(f"--- {where} ({page.url})\n{results.generate_report()}")

    def report(self) -> str:
        return f"{len(self.found)} of {len(self.scanned)} pages fail:\n" + "\n".join(self.found)


def _walk_with_errors(page, scan) -> int:
    """Scan every page of the questionnaire, then again after a wrong answer where the
    page has one; return how many pages showed errors."""
    with_errors = 0
    while (current := page_id(page)) is not None:
        scan(page, current)
        fill_invalid(page)
        next_page(page)
        if page_id(page) == current and error_summary(page):
            with_errors += 1
            scan(page, f"{current}, with errors")
            fill_valid(page)
            next_page(page)
    return with_errors


@pytest.mark.parametrize(("year", "index"), [(2016, 0), (2020, 1)])
def test_every_page_of_a_seed_questionnaire_passes_axe_with_and_without_errors(
    server, new_page, seed_versions, year, index
):
    member = add_member(make_round(f"{year} survey", seed_versions[index]))
    page, scan = new_page(), Scanner()
    open_link(page, server, member)
    scan(page, "welcome")
    start(page)
    with_errors = _walk_with_errors(page, scan)
    scan(page, "complete")
    assert with_errors >= 3, scan.scanned  # consent, choices with "other", durations at least
    assert not scan.found, scan.report()


def test_a_grid_page_on_a_phone_passes_axe_with_and_without_errors(server, new_page, seed_versions):
    member = add_member(make_round("2016 survey", seed_versions[0]))
    page, scan = new_page(**PHONE), Scanner()
    open_link(page, server, member)
    start(page)
    while page_id(page) != "involvement_commissioners":  # a grid with an "other" row
        fill_valid(page)
        next_page(page)
    scan(page, "grid on a phone")
    fill_invalid(page)
    next_page(page)
    assert error_summary(page), "naming an 'other' row without rating it shows an error"
    scan(page, "grid on a phone, with errors")
    assert not scan.found, scan.report()


def test_the_other_respondent_pages_pass_axe(server, new_page, seed_versions):
    round_ = make_round("2020 survey", seed_versions[1])
    member = add_member(round_)
    page, scan = new_page(), Scanner()
    page.goto(f"{server}/r/{'B' * 43}/")
    scan(page, "link that cannot be used")
    open_link(page, server, member)
    start(page)
    fill_valid(page)
    page.get_by_role("button", name="Save and finish later").click()
    scan(page, "answers saved")
    page.get_by_role("button", name="Carry on now").click()
    page.get_by_role("link", name="Stop reminders or leave the study").click()
    scan(page, "opt-out")
    page.get_by_role("button", name="Confirm").click()
    scan(page, "opt-out, with errors")
    page.get_by_label("Stop reminding me").check()
    page.get_by_role("button", name="Confirm").click()
    scan(page, "opt-out recorded")
    round_.status = "closed"
    round_.save()
    page.goto(f"{server}/r/")
    scan(page, "survey closed")
    assert len(scan.scanned) == 6
    assert not scan.found, scan.report()
