"""Respondents answering the seed questionnaires in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from panels.models import Disposition, Member
from surveys.models import Response
from tests.browser.conftest import PHONE
from tests.browser.respondent import (
    complete,
    fill_valid,
    next_page,
    open_link,
    page_id,
    press,
    start,
)
from tests.conftest import add_member, make_round

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROLE_CHANGE = "Took on the discharge hub & <b>redeployed</b> staff"


@pytest.fixture
def rounds(seed_versions):
    """An open round on each seed questionnaire: {2016: round, 2020: round}."""
    return {
        2016: make_round("2016 survey", seed_versions[0]),
        2020: make_round("2020 survey", seed_versions[1]),
    }


def _member(round_, site="Barnsley"):
    return add_member(round_, site_name=site, email=f"ki.{round_.year}@example.org")


def test_a_respondent_completes_2020_and_the_stored_response_holds_what_they_gave(
    server, new_page, rounds
):
    member = _member(rounds[2020])
    page = new_page()
    open_link(page, server, member)
    start(page)
    typed = {
        "organisation": {"respondent.org_type": 14, "respondent.org_type.other.14": "Hospice"},
        "post": {
            "covid.role_change": 2,
            "covid.role_change.other.2": ROLE_CHANGE,
            "respondent.time_in_post.years": "4",
            "respondent.time_in_post.months": "6",
            "respondent.time_in_area.years": "12",
            "respondent.time_in_area.months": "0",
        },
    }
    typed["organisation"]["respondent.job_title"] = [3, 7]
    complete(page, typed)

    answers = Response.objects.get(member=member).answers
    assert answers["covid.role_change"] == 2
    assert answers["covid.role_change.other.2"] == ROLE_CHANGE
    assert answers["respondent.org_type"] == 14
    assert answers["respondent.org_type.other.14"] == "Hospice"
    assert answers["respondent.job_title"] == [3, 7]
    assert answers["respondent.time_in_post"] == {"years": 4, "months": 6}
    assert answers["respondent.time_in_area"] == {"years": 12, "months": 0}
    assert answers["progress.quality_of_care"] == 1  # the first point of every scale
    assert "Mozilla" in answers["meta.browser"]  # the hidden item, filled by the browser
    assert Member.objects.get(pk=member.pk).disposition == Disposition.COMPLETE


def _question(page, label):
    """Return the question whose printed number is `label` (its text, or a grid row's)."""
    number = page.locator(".item-label").filter(has_text=re.compile(rf"^{re.escape(label)}$"))
    return page.locator(".question-text, .grid-statement").filter(has=number)


def test_a_respondent_sees_the_site_they_chose_piped_into_2016_q8_q10_and_q21(
    server, new_page, rounds
):
    member = _member(rounds[2016], site="Barnsley")  # on Barnsley's list, answers for Kent
    page = new_page()
    open_link(page, server, member)
    start(page)
    piped = {}

    def read_questions(current):
        for label in ("Q8", "Q10", "Q21"):
            question = _question(page, label)
            if question.count():
                piped[label] = question.first.inner_text()

    complete(page, {"site": {"respondent.site": 11}}, on_page=read_questions)
    assert set(piped) == {"Q8", "Q10", "Q21"}
    for label, text in piped.items():
        assert "Kent" in text, f"{label} reads {text!r}"
        assert "Barnsley" not in text, f"{label} pipes the list's site, not the answer"
        assert "{" not in text, f"{label} shows a pipe unfilled: {text!r}"


def test_a_respondent_stops_halfway_and_resumes_on_another_device_with_answers_in_place(
    server, new_page, rounds
):
    member = _member(rounds[2020])
    laptop = new_page()
    open_link(laptop, server, member)
    start(laptop)
    for _ in range(2):  # consent, then organisation
        fill_valid(laptop, {"respondent.org_type": 6, "respondent.job_title": [2]})
        next_page(laptop)
    assert page_id(laptop) == "post"
    fill_valid(
        laptop,
        {
            "covid.role_change": 2,
            "covid.role_change.other.2": "Ran the vaccination hub",
            "respondent.time_in_post.years": "3",
        },
    )
    press(laptop, "Save and finish later")
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Your answers are saved")

    phone = new_page(**PHONE)
    open_link(phone, server, member)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Welcome back")
    start(phone)
    assert page_id(phone) == "post"
    expect(phone.get_by_role("radio", name="Yes (please type in)")).to_be_checked()
    expect(phone.locator('[name="covid.role_change.other.2"]')).to_have_value(
        "Ran the vaccination hub"
    )
    expect(phone.locator('[name="respondent.time_in_post.years"]')).to_have_value("3")
    press(phone, "Back")
    assert page_id(phone) == "organisation"
    expect(phone.get_by_role("radio", name="NHS Acute Trust")).to_be_checked()
    expect(
        phone.get_by_role("checkbox", name="Chief Executive/ Accountable Officer")
    ).to_be_checked()


def test_a_respondent_opts_out_of_the_study_and_the_member_shows_it(server, new_page, rounds, bob):
    member = _member(rounds[2020])
    page = new_page()
    open_link(page, server, member)
    start(page)
    page.get_by_role("link", name="Stop reminders or leave the study").click()
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("#error-summary")).to_contain_text("Please choose one of the two options")
    page.get_by_label("Take me off the study").check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your choice is recorded")

    member.refresh_from_db()
    assert member.disposition == Disposition.OPTED_OUT
    assert member.opted_out_study_at is not None
    admin = new_page()
    admin.goto(f"{server}/admin/panels/member/?q=ki.2020")
    admin.get_by_label("Username").fill("bob")
    admin.get_by_label("Password").fill("pw-bob")
    admin.get_by_role("button", name="Log in").click()
    expect(admin.locator("#result_list")).to_contain_text("Opted out")


def test_a_phone_sized_screen_completes_a_grid_page(server, new_page, rounds):
    member = _member(rounds[2020])
    page = new_page(**PHONE)
    open_link(page, server, member)
    start(page)
    while page_id(page) != "progress":
        fill_valid(page)
        next_page(page)
    joined = member.panel.site.cohort_year  # piped from the member's site
    question = page.locator(".grid-question > .question-text")
    expect(question).to_contain_text(f"Integrated Care Pioneer in {joined},")
    expect(page.locator("thead")).to_be_hidden()  # one question per row, scale in words
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    rows = page.locator("tbody tr")
    for n in range(rows.count()):
        rows.nth(n).get_by_text("Some progress", exact=True).tap()
    next_page(page)
    assert page_id(page) == "covid_progress"
    answers = Response.objects.get(member=member).answers
    grid = {code: value for code, value in answers.items() if code.startswith("progress.")}
    assert len(grid) == rows.count() == 8
    assert set(grid.values()) == {2}


def test_a_keyboard_user_goes_from_the_error_summary_to_the_field_and_on(server, new_page, rounds):
    member = _member(rounds[2020])
    page = new_page()
    open_link(page, server, member)
    page.keyboard.press("Tab")  # the skip link comes first
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    start(page)
    page.get_by_role("button", name="Next").press("Enter")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()  # a screen reader reads the problems first
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link")).to_be_focused()
    page.keyboard.press("Enter")
    consent = page.get_by_role("checkbox", name="I agree to take part in the survey")
    expect(consent).to_be_focused()
    page.keyboard.press("Space")
    expect(consent).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Next")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/r/page/organisation/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const e = document.activeElement, s = getComputedStyle(e);"
        " return [e.textContent, s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert focused == ["Skip to main content", "solid", 3], "focus shows a strong outline"
