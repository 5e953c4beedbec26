"""What a respondent sees of each page of both seed questionnaires, on a phone and a desktop.

One browser walks each questionnaire once per screen size and notes, page by page, every
question squeezed into part of the width, any sideways scroll, any option whose target is
small, and any "other" box away from its option; the phone walk runs axe on every page.
"""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.respondent import fill_first_answers, next_page, open_link, page_id, start
from tests.conftest import add_member, make_round
from tests.surveys.follow_ups import follow_up_round

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
# The grid page is photographed at both sizes: into SCREENSHOT_DIR where set (the README's
# are made with SCREENSHOT_DIR=docs/screenshots), else into the test's own directory.
SCREENSHOT_DIR = "SCREENSHOT_DIR"
GRID_PAGE = "progress"  # 2020's first grid: eight statements on a five-point scale

# Measures the page as drawn; returns what a person would find wrong with it.
LAYOUT = """minTarget => {
  const problems = [], form = document.querySelector("main form");
  const width = form.getBoundingClientRect().width;
  const scroll = document.documentElement.scrollWidth - window.innerWidth;
  if (scroll > 0) problems.push(`the page scrolls sideways by ${scroll}px`);
  for (const text of form.querySelectorAll(".question-block:not([hidden]) .question-text")) {
    const w = text.getBoundingClientRect().width;
    if (w < 0.9 * width) problems.push(`question ${text.textContent.slice(0, 40)}... is
      ${Math.round(w)}px wide of ${Math.round(width)}px`);
  }
  for (const block of form.querySelectorAll(".question-block:not([hidden])")) {
    const asks = block.querySelector("input:not([type=hidden]), textarea");
    if (asks && !block.querySelector(".question-text"))
      problems.push(`a question on the page has no text of its own: ${block.dataset.item}`);
  }
  for (const input of form.querySelectorAll("input[type=radio], input[type=checkbox]")) {
    if (!input.closest("label.option, label.grid-option"))
      problems.push(`the ${input.type} ${input.id} is not in an option row`);
  }
  for (const target of form.querySelectorAll("label.option, label.grid-option")) {
    const box = target.getBoundingClientRect();
    if (box.height < minTarget) problems.push(`option ${target.textContent.slice(0, 30)} is
      ${Math.round(box.height)}px high`);
  }
  return problems;
}"""

GRID = """() => [...document.querySelectorAll(".grid-table")].map(table => {
  const statement = table.querySelector("tbody th").getBoundingClientRect().width;
  return statement / table.getBoundingClientRect().width;
})"""


def _other_boxes_sit_with_their_options(page) -> list[str]:
    """Choose each "other" option of the page; its box must show right under it."""
    problems = []
    boxes = page.locator(".option-other")
    for n in range(boxes.count()):
        box = boxes.nth(n)
        option = page.locator(f"label[for='{box.get_attribute('data-option')}']")
        expect(box).to_be_hidden()  # not chosen yet
        option.click()
        expect(box).to_be_visible()
        under, over = box.bounding_box(), option.bounding_box()
        if not (0 <= under["y"] - (over["y"] + over["height"]) <= 16):
            problems.append(f"the box of {option.inner_text()!r} is not under it")
        label = box.locator("label").inner_text()
        if label.lower().count("type in") != 1 or "))" in label:
            problems.append(f"the box of {option.inner_text()!r} is labelled {label!r}")
        option.click()  # a tick box again unticked; a radio is chosen over below
    return problems


def _walk(page, size: str, axe: Axe | None, shot: Path | None) -> tuple[dict, int]:
    """Walk the questionnaire; return the problems found by page, and the grids seen."""
    found, grids, phone = {}, 0, size == "390"
    while (current := page_id(page)) is not None:
        problems = page.evaluate(LAYOUT, 44 if phone else 24)
        if page.locator(".option-other").count():
            problems += _other_boxes_sit_with_their_options(page)
        for share in page.evaluate(GRID):
            grids += 1
            if not phone and share < 0.3:
                problems.append(f"a grid's statements take {share:.0%} of its width")
            if phone:
                expect(page.locator(".grid-option-text").first).to_be_visible()
        if axe is not None and (results := axe.run(page)).violations_count:
            problems.append(results.generate_report())
        if shot is not None and current == GRID_PAGE:
            page.screenshot(path=shot / f"grid-{size}.png", full_page=True)
        if problems:
            found[current] = problems
        fill_first_answers(page)
        next_page(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("your answers are complete")
    return found, grids


def test_every_page_of_both_seed_questionnaires_reads_well_on_a_phone_and_a_desktop(
    server, new_page, seed_versions, tmp_path
):
    shots = Path(os.environ.get(SCREENSHOT_DIR) or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    axe, found = Axe(), {}
    for size, device in (("390", PHONE), ("1280", DESKTOP)):
        page = new_page(**device)
        for year, version in zip((2016, 2020), seed_versions, strict=True):
            round_ = make_round(f"{year} survey ({size})", version)
            open_link(page, server, add_member(round_, email=f"ki.{year}.{size}@example.org"))
            start(page)
            shot = shots if year == 2020 else None
            problems, grids = _walk(page, size, axe if size == "390" else None, shot)
            assert grids >= 5, f"{year}: only {grids} grids seen"
            found |= {f"{year} at {size}px, {where}": p for where, p in problems.items()}
    assert not found, "\n".join(f"--- {where}\n" + "\n".join(p) for where, p in found.items())
    assert (shots / "grid-390.png").exists() and (shots / "grid-1280.png").exists()


def _added_without_script(page, server, member) -> None:
    open_link(page, server, member)
    start(page)
    page.get_by_label("Yes", exact=True).check()
    next_page(page)
    assert page_id(page) == "role"
    expect(page.locator("#revealed")).to_contain_text("A further question on this page")
    expect(page.locator("#error-summary")).to_have_count(0)
    expect(page.locator(".invalid-feedback")).to_have_count(0)
    added = page.locator(".question-added")
    expect(added).to_contain_text("Added because of your answer above")
    expect(added.get_by_label(re.compile("For how many years?"))).to_be_visible()


def _added_at_once(page, server, member) -> None:
    open_link(page, server, member)
    start(page)
    years = page.get_by_label(re.compile("For how many years?"))
    expect(years).to_be_hidden()
    page.get_by_label("Yes", exact=True).check()
    expect(years).to_be_visible()  # without leaving the page
    expect(page.locator("#added-live")).to_have_text(
        "A further question was added below your answer."
    )
    page.get_by_label("No", exact=True).check()
    expect(years).to_be_hidden()
    page.get_by_label("Yes", exact=True).check()
    years.fill("3")
    next_page(page)
    assert page_id(page) == "views"


def test_a_follow_up_brought_up_on_its_page_is_added_never_an_error(server, new_page):
    from surveys.models import Response

    round_ = follow_up_round()
    for size, device in (("390", PHONE), ("1280", DESKTOP)):
        member = add_member(round_, email=f"no.script.{size}@example.org")
        _added_without_script(new_page(**device, java_script_enabled=False), server, member)
        member = add_member(round_, email=f"script.{size}@example.org")
        _added_at_once(new_page(**device), server, member)
        assert Response.objects.get(member=member).answers == {"lead": 1, "lead.years": 3}


def test_without_the_script_an_other_box_shows_under_its_option_and_typing_chooses_it(
    server, new_page, seed_versions
):
    from surveys.models import Response

    member = add_member(make_round("2016 survey", seed_versions[0]))
    page = new_page(**PHONE, java_script_enabled=False)
    open_link(page, server, member)
    start(page)
    page.get_by_label("I agree to take part in the survey").check()
    next_page(page)
    box = page.get_by_label("Please type in your answer for “Private provider”")
    option = page.locator("label.option").filter(has_text="Private provider")
    expect(box).to_be_visible()  # beside its option, whether or not it is chosen
    under = page.locator(".option-other").filter(has=box).bounding_box()  # label and box
    over = option.bounding_box()
    assert 0 <= under["y"] - (over["y"] + over["height"]) <= 16
    box.fill("Bupa")  # the option itself left unchosen
    next_page(page)
    assert page_id(page) == "post"
    answers = Response.objects.get(member=member).answers
    assert answers["respondent.org_type"] == 12
    assert answers["respondent.org_type.other.12"] == "Bupa"
