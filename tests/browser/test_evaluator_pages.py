"""The version page, its preview and the comparison, as an evaluator sees them."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.pages import logged_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}
SHOTS = os.environ.get("SCREENSHOT_DIR")


def _check(page, name, size):
    """Assert what anyone notices first: no sideways scrolling, nothing axe objects to."""
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


@pytest.mark.parametrize("size", SIZES)
def test_the_version_page_and_its_preview_read_well_and_pass_axe(
    server, new_page, alice, seed_versions, size
):
    version = seed_versions[0]
    page = logged_in(new_page, server, *SIZES[size])
    page.goto(server + reverse("surveys_admin:version_detail", args=[version.pk]))
    heading = page.get_by_role("heading", name="Page 1:")
    table = page.locator("section", has=heading).locator("table")
    assert heading.bounding_box()["y"] < table.bounding_box()["y"]
    _check(page, "version", size)
    page.get_by_role("link", name="Preview as a respondent").click()
    expect(page.get_by_text("Nothing you enter is saved")).to_be_visible()
    page.get_by_role("link", name="Next page").click()
    expect(page.get_by_text("Page 2 of")).to_be_visible()
    _check(page, "preview", size)


@pytest.mark.parametrize("size", SIZES)
def test_the_comparison_reads_in_words_and_passes_axe(server, new_page, alice, seed_versions, size):
    old, new = seed_versions
    page = logged_in(new_page, server, *SIZES[size])
    page.goto(server + reverse("surveys_admin:version_diff"))
    page.get_by_label("Earlier version").select_option(str(old.pk))
    page.get_by_label("Later version").select_option(str(new.pk))
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_text("are safe for trends")).to_be_visible()
    assert page.get_by_role("cell", name="options changed", exact=True).first.is_visible()
    assert page.get_by_role("cell", name="options_changed").count() == 0
    _check(page, "comparison", size)


def _round_with_lists(seed_versions):
    from panels.models import Disposition, Member
    from tests.conftest import add_member, make_round

    round_ = make_round("2016 survey", seed_versions[0])
    for n, disposition in enumerate([Disposition.COMPLETE, Disposition.PARTIAL, "not_started"]):
        member = add_member(round_, email=f"person{n}@example.org")
        Member.objects.filter(pk=member.pk).update(
            disposition=disposition, job_titles=["Director of Integration", "Chief Nurse"]
        )
    add_member(round_, site_name="Kent", email="kent@example.org")
    return round_


def _barnsley_list(round_):
    from panels.models import Site

    return reverse("panels:panel_detail", args=[round_.pk, Site.objects.get(name="Barnsley").code])


@pytest.mark.parametrize("size", SIZES)
def test_the_round_page_and_a_sites_list_read_well_and_pass_axe(
    server, new_page, alice, seed_versions, size
):
    round_ = _round_with_lists(seed_versions)
    page = logged_in(new_page, server, *SIZES[size])
    page.goto(server + reverse("panels:round_detail", args=[round_.pk]))
    barnsley = page.get_by_role("row", name="Barnsley")
    assert barnsley.get_by_role("cell").nth(1).inner_text() == "1"  # complete
    assert barnsley.get_by_role("cell").nth(2).inner_text() == "1"  # started
    assert page.get_by_text("There is no earlier round to copy panels from").count() == 0
    _check(page, "round", size)
    page.get_by_role("link", name="Barnsley", exact=True).click()
    expect(page.get_by_role("heading", name="Barnsley: the list for 2016 survey")).to_be_visible()
    expect(page.get_by_role("cell", name="Started or partial")).to_be_visible()
    _check(page, "site-list", size)


def test_a_personal_link_is_copied_with_its_button(
    server, new_page, alice, seed_versions, settings
):
    settings.SITE_URL = server
    round_ = _round_with_lists(seed_versions)
    page = logged_in(new_page, server, 1280, 900)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page.goto(server + _barnsley_list(round_))
    button = page.get_by_role("button", name="Copy the personal link of Ann Ashworth").first
    shown = page.locator("code.personal-link").first.inner_text()
    button.click()
    expect(page.get_by_role("status")).to_have_text("Link copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()") == shown
    assert shown.startswith(server + "/r/")


def test_without_javascript_the_link_is_shown_to_copy_by_hand(
    server, new_page, alice, seed_versions
):
    round_ = _round_with_lists(seed_versions)
    page = new_page(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page.goto(server + reverse("admin:login"))
    page.fill("#id_username", "alice")
    page.fill("#id_password", "pw-alice")
    page.click("input[type=submit]")
    page.goto(server + _barnsley_list(round_))
    assert page.locator("button.copy-link").first.is_hidden()
    link = page.locator("code.personal-link").first
    assert link.is_visible() and "/r/" in link.inner_text()


@pytest.mark.parametrize("size", SIZES)
def test_the_round_form_shows_errors_by_their_fields_and_passes_axe(server, new_page, alice, size):
    page = logged_in(new_page, server, *SIZES[size])
    page.goto(server + reverse("panels:round_list"))
    _check(page, "round-list", size)
    page.get_by_role("link", name="Create a round").click()
    page.get_by_label("Year").fill("2021")
    page.get_by_label("Fieldwork start").fill("2021-06-01")
    page.get_by_label("Fieldwork end").fill("2021-04-01")
    page.get_by_role("button", name="Create the round").click()
    expect(page.get_by_text("Not saved: 2 fields to correct")).to_be_visible()
    expect(page.get_by_text("The fieldwork ends before it starts.")).to_be_visible()
    _check(page, "round-form", size)
    page.get_by_label("Name").fill("2021 survey")
    page.get_by_label("Fieldwork end").fill("2021-07-01")
    page.get_by_role("button", name="Create the round").click()
    expect(page.get_by_role("heading", name="2021 survey")).to_be_visible()
    expect(page.get_by_text("There is no earlier round to copy panels from")).to_be_visible()


@pytest.mark.parametrize("size", SIZES)
def test_the_preview_says_which_questions_wait_for_an_answer_and_passes_axe(
    server, new_page, alice, size
):
    from surveys.services import version_store
    from tests.surveys.test_version_preview import ROUTED

    draft, _ = version_store(data=ROUTED)
    page = logged_in(new_page, server, *SIZES[size])
    page.goto(server + reverse("surveys_admin:version_preview", args=[draft.pk]))
    notice = page.get_by_role("note").filter(has_text="only after an earlier answer")
    assert notice.get_by_text("What made it work?").is_visible()
    assert page.get_by_label("What made it work?").count() == 0
    _check(page, "preview-routed", size)
