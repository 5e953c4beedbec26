"""What a respondent does in the browser: open the link, fill pages, move on."""

import re

from playwright.sync_api import Page, expect

from tests.conftest import link_of

PAGE_URL = re.compile(r"/r/page/(?P<page>[\w-]+)/$")
NAMES = "els => [...new Set(els.map(e => e.name))]"


def open_link(page: Page, server: str, member) -> None:
    """Open the member's personal link and land on the welcome page."""
    page.goto(server + link_of(member))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def start(page: Page) -> None:
    """Press the welcome page's start (or continue) button."""
    page.get_by_role("button", name=re.compile(r"^(Start|Continue) the survey$")).click()


def page_id(page: Page) -> str | None:
    """Return the id of the questionnaire page shown, or None off the questionnaire."""
    match = PAGE_URL.search(page.url)
    return match["page"] if match else None


def names(page: Page, selector: str) -> list[str]:
    """Return the distinct field names of the inputs the selector finds in the form."""
    return page.eval_on_selector_all(f"main form {selector}", NAMES)


def has_field(page: Page, name: str) -> bool:
    return page.locator(f'main form [name="{name}"]').count() > 0


def _choose(page: Page, name: str, value: str | None = None) -> None:
    radios = page.locator(f'main form input[type=radio][name="{name}"]')
    target = radios.first if value is None else radios.and_(page.locator(f'[value="{value}"]'))
    target.check()


def fill_valid(page: Page, answers: dict | None = None) -> None:
    """Answer every question on the page validly: the given answers (field name to value,
    a list for checkboxes) and, elsewhere, the first option of each choice and a number in
    each number box. Free text and "other" rows are left empty, and the box of an "other"
    option not chosen (hidden) is not touched."""
    answers = answers or {}
    for name in names(page, "input[type=radio]"):
        if name in answers:
            _choose(page, name, str(answers[name]))
        elif not has_field(page, f"{name}.label"):
            _choose(page, name)
    for name in names(page, "input[type=checkbox]"):
        boxes = page.locator(f'main form input[type=checkbox][name="{name}"]')
        wanted = [str(v) for v in answers.get(name, [])]
        for n in range(boxes.count()):
            box = boxes.nth(n)
            box.set_checked(box.get_attribute("value") in wanted if wanted else n == 0)
    for name in names(page, "input[type=text], input[type=email], textarea"):
        box = page.locator(f'main form [name="{name}"]')
        if not box.is_visible():  # the box of an "other" option not chosen
            continue
        if name in answers:
            box.fill(str(answers[name]))
        elif box.get_attribute("inputmode") in {"numeric", "decimal"}:
            box.fill("2")
        else:
            box.fill("")


FILL = """form => {
  const groups = new Set([...form.querySelectorAll("input[type=radio], input[type=checkbox]")]
    .filter(el => !el.closest("[hidden]")).map(el => el.name));
  for (const name of groups) {
    const inputs = [...form.querySelectorAll(`input[name="${CSS.escape(name)}"]`)];
    if (inputs[0].type === "radio" && form.querySelector(`[name="${CSS.escape(name)}.label"]`))
      continue;  // an "other" grid row, left unnamed and unrated
    inputs.forEach((el, n) => { el.checked = n === 0; });
    inputs[0].dispatchEvent(new Event("change", { bubbles: true }));
  }
  for (const box of form.querySelectorAll("input[type=text], input[type=email], textarea")) {
    if (box.disabled || box.closest("[hidden]")) continue;
    box.value = ["numeric", "decimal"].includes(box.inputMode) ? "2" : "";
  }
}"""


def fill_first_answers(page: Page) -> None:
    """Answer the page as fill_valid does with no answers given, in one step (the page's
    script is told of each choice, as a click would)."""
    page.locator("main form").evaluate(FILL)


def fill_invalid(page: Page) -> None:
    """Answer the page in every wrong way a respondent might: words in number boxes,
    "other" chosen without its text, an "other" grid row named but not rated, every box
    ticked (past "select up to" limits and exclusive options), and a lone consent box left
    unticked."""
    for name in names(page, "input[type=text], input[type=email], textarea"):
        box = page.locator(f'main form [name="{name}"]')
        if not box.is_visible():
            continue
        numeric = box.get_attribute("inputmode") in {"numeric", "decimal"}
        box.fill("several" if numeric else "")
    for name in names(page, "input[type=radio]"):
        others = page.locator(f'main form input[name^="{name}.other."]')
        if others.count():
            _choose(page, name, others.first.get_attribute("name").rsplit(".", 1)[1])
        elif has_field(page, f"{name}.label"):
            page.locator(f'main form [name="{name}.label"]').fill("Something else")
    for name in names(page, "input[type=checkbox]"):
        boxes = page.locator(f'main form input[type=checkbox][name="{name}"]')
        for n in range(boxes.count()):
            boxes.nth(n).set_checked(boxes.count() > 1)


def press(page: Page, button: str) -> None:
    """Press one of the page's buttons (Next, Finish, Back, Save and finish later)."""
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def next_page(page: Page) -> None:
    """Press Next (or Finish on the last page)."""
    page.get_by_role("button", name=re.compile(r"^(Next|Finish)$")).click()
    page.wait_for_load_state()


def error_summary(page: Page) -> list[str]:
    """Return the messages of the error summary at the top of the page (none: [])."""
    summary = page.locator("#error-summary")
    if not summary.count():
        return []
    return summary.locator("li").all_inner_texts()


def complete(page: Page, answers: dict | None = None, on_page=None) -> list[str]:
    """Answer every page until the survey is complete; return the ids of the pages seen.

    `answers` maps page ids to that page's answers; `on_page(page_id)` is called on each
    page as it first shows.
    """
    seen = []
    while (current := page_id(page)) is not None:
        assert current not in seen, f"page {current} came back: {error_summary(page)}"
        seen.append(current)
        if on_page:
            on_page(current)
        fill_valid(page, (answers or {}).get(current))
        next_page(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("your answers are complete")
    return seen
