"""Synthetic questionnaires and simulated respondents.

For benchmarks, property tests and demo data: ``synthetic_definition`` builds
a large version mixing every item type with routing and piping, and
``simulate_response`` answers any definition page by page the way a
respondent would, through ``validate_page`` and ``next_page``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

from .expressions import holds
from .model import Definition, Item
from .routing import next_page, path, with_visible_options
from .validation import is_required, validate_page

FormData = dict[str, list[str]]
WORDS = ["joint", "plan", "care", "hub", "team", "budget", "housing", "data", "trust", "pilot"]
SCALE = [{"code": c, "text": t} for c, t in ((1, "A lot"), (2, "A little"), (3, "Not at all"))]


# --- a synthetic version --------------------------------------------------------


def _choice(code: str, kind: str, number: int, previous: str | None) -> dict:
    options = [{"code": c, "text": f"Answer {c}"} for c in range(1, 6)]
    options.append({"code": 9, "text": "Other (please type in)", "other": True})
    if previous:
        options[3]["show_if"] = f"{previous} != 2"
    item = {"code": code, "type": kind, "label": f"Q{number}", "text": f"Question {number}?"}
    if kind == "multi":
        options.append({"code": 99, "text": "None of these", "exclusive": True})
        item["max"] = 3
    return {**item, "options": options}


def _grid(code: str, number: int) -> dict:
    rows = [{"code": f"{code}.r{n}", "text": f"Aspect {n}"} for n in range(1, 4)]
    rows.append({"code": f"{code}.other", "text": "Something else", "other": True})
    text = f"Rate each ({number})"
    return {"code": code, "type": "grid", "text": text, "scale": SCALE, "rows": rows}


def _plain(code: str, kind: str, number: int, single: str | None) -> dict:
    text = f"Tell us more about {{{single}}} in {{member.site}}" if single else f"Question {number}"
    item: dict[str, Any] = {"code": code, "type": kind, "text": text}
    extra = {
        "number": {"min": 0, "max": 1000, "integer": True},
        "duration": {"max_years": 40},
        "ranked": {"slots": [{"code": n, "text": f"Choice {n}"} for n in (1, 2, 3)]},
        "nominations": {"max": 3},
        "text": {"max_length": 200},
    }
    return {**item, **extra.get(kind, {})}


KINDS = ["single", "multi", "grid", "text", "number", "single", "duration", "ranked", "longtext"]


def _page_items(page_number: int, first: int, size: int, last_single: str | None) -> list[dict]:
    items: list[dict] = []
    single = None
    for offset in range(size):
        number = first + offset
        code = f"p{page_number}.q{offset}"
        kind = KINDS[number % len(KINDS)]
        if kind in ("single", "multi"):
            items.append(_choice(code, kind, number, last_single))
            single = code if kind == "single" else single
        elif kind == "grid":
            items.append(_grid(code, number))
        else:
            items.append(_plain(code, kind, number, single))
            if single and kind == "longtext":
                items[-1]["show_if"] = f"answered({single})"
    items[0]["required"] = True
    return items


def synthetic_definition(n_items: int = 300, per_page: int = 8) -> dict:
    """Return a definition dict with about ``n_items`` answer codes and routing."""
    pages: list[dict] = [_consent_page()]
    last_single: str | None = None
    total = 0
    while total < n_items:
        number = len(pages)
        items = _page_items(number, total, per_page, last_single)
        page: dict[str, Any] = {"id": f"page{number}", "title": f"Part {number}", "items": items}
        if last_single and number % 3 == 0:
            page["show_if"] = f"{last_single} != 5 or member.cohort_year >= 2015"
        if number % 5 == 0:
            page["skip"] = [{"if": f"count(p{number}.q1) >= 3", "to": f"page{number + 2}"}]
        pages.append(page)
        total += sum(len(i.get("rows", ())) or 1 for i in items)
        singles = [i["code"] for i in items if i["type"] == "single"]
        last_single = singles[-1] if singles else last_single
    pages[-1].pop("skip", None)
    pages[-2].pop("skip", None)
    pages[-1]["items"].append(_plain("browser", "hidden", 0, None) | {"source": "browser"})
    return {"format": 1, "questionnaire": "synthetic", "title": "Synthetic", "pages": pages}


def _consent_page() -> dict:
    option = {"code": 1, "text": "I agree to take part"}
    consent = {"code": "consent", "type": "consent", "text": "Do you agree?", "option": option}
    return {"id": "intro", "title": "Welcome to {member.site}", "items": [consent]}


# --- a simulated respondent -------------------------------------------------------


def _words(rng: random.Random, limit: int | None = None) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
    return text[: limit or None]


def fill_page(
    defn: Definition,
    page_id: str,
    answers: Mapping[str, Any],
    member: Mapping[str, Any],
    rng: random.Random,
    *,
    skip_rate: float = 0.2,
) -> FormData:
    """Return form data a respondent could submit for the page, valid by design."""
    current = dict(answers)
    data: FormData = {}
    for item in defn.page(page_id).items:
        if not holds(item.show_if, current, member):
            continue
        item = with_visible_options(item, current, member)
        must = any(is_required(part, current, member) for part in item.rows or (item,))
        if must or rng.random() >= skip_rate:
            _FILLERS[item.type](item, data, current, rng)
    return data


def _fill_consent(item: Item, data: FormData, current: dict, rng: random.Random) -> None:
    data[item.code] = [str(item.options[0].code)]
    current[item.code] = item.options[0].code


def _fill_single(item: Item, data: FormData, current: dict, rng: random.Random) -> None:
    if not item.options:
        return
    option = rng.choice(item.options)
    data[item.code] = [str(option.code)]
    current[item.code] = option.code
    if option.other:
        data[item.other_field(option.code)] = [_words(rng)]


def _fill_multi(item: Item, data: FormData, current: dict, rng: random.Random) -> None:
    plain = [o for o in item.options if not o.exclusive]
    exclusive = [o for o in item.options if o.exclusive]
    low = max(1, int(item.min or 1))
    high = min(len(plain), int(item.max if item.max is not None else len(plain)))
    if exclusive and (rng.random() < 0.1 or high < low):
        chosen = [rng.choice(exclusive)]
    elif high >= low:
        chosen = rng.sample(plain, rng.randint(low, high))
    else:
        return
    data[item.code] = [str(o.code) for o in chosen]
    current[item.code] = sorted(o.code for o in chosen)
    for option in chosen:
        if option.other:
            data[item.other_field(option.code)] = [_words(rng)]


def _fill_grid(item: Item, data: FormData, current: dict, rng: random.Random) -> None:
    for row in item.rows:
        if row.other and rng.random() < 0.7:
            continue
        point = rng.choice(row.scale)
        data[row.code] = [str(point.code)]
        current[row.code] = point.code
        if row.other:
            data[row.label_field] = [_words(rng)]


def _fill_text(item: Item, data: FormData, current: dict, rng: random.Random) -> None:
    text = _words(rng, item.max_length)
    data[item.code] = [text]
    current[item.code] = text.strip()


def _fill_number(item: Item, data: FormData, current: dict, rng: random.Random) -> None:
    low = int(item.min) if item.min is not None else 0
    high = int(item.max) if item.max is not None else low + 100
    if low > high:
        return
    value = rng.randint(low, high)
    data[item.code] = [str(value)]
    current[item.code] = value


def _fill_duration(item: Item, data: FormData, current: dict, rng: random.Random) -> None:
    years = rng.randint(0, min(item.max_years if item.max_years is not None else 30, 30))
    months = rng.randint(0, 11)
    data[f"{item.code}.years"], data[f"{item.code}.months"] = [str(years)], [str(months)]
    current[item.code] = {"years": years, "months": months}


def _fill_ranked(item: Item, data: FormData, current: dict, rng: random.Random) -> None:
    texts = [_words(rng, item.max_length) for _ in range(rng.randint(1, len(item.slots)))]
    for number, text in enumerate(texts, start=1):
        data[f"{item.code}.{number}"] = [text]
    current[item.code] = texts


def _fill_nominations(item: Item, data: FormData, current: dict, rng: random.Random) -> None:
    people = []
    for number in range(1, rng.randint(1, int(item.max or 1)) + 1):
        name, email = f"Person {number}", f"person{number}@example.org"
        data[f"{item.code}.{number}.name"], data[f"{item.code}.{number}.email"] = [name], [email]
        people.append({"name": name, "email": email})
    current[item.code] = people


def _fill_hidden(item: Item, data: FormData, current: dict, rng: random.Random) -> None:
    data[item.code] = ["Mozilla/5.0 (synthetic)"]
    current[item.code] = data[item.code][0]


_FILLERS: dict[str, Callable[[Item, FormData, dict, random.Random], None]] = {
    "consent": _fill_consent,
    "info": lambda item, data, current, rng: None,
    "single": _fill_single,
    "multi": _fill_multi,
    "grid": _fill_grid,
    "text": _fill_text,
    "longtext": _fill_text,
    "number": _fill_number,
    "duration": _fill_duration,
    "ranked": _fill_ranked,
    "nominations": _fill_nominations,
    "hidden": _fill_hidden,
}


def simulate_response(
    defn: Definition, member: Mapping[str, Any], rng: random.Random, *, skip_rate: float = 0.2
) -> tuple[dict[str, Any], list[str], dict[str, dict[str, str]]]:
    """Return (answers, pages visited, errors by page) for one simulated respondent."""
    answers: dict[str, Any] = {}
    visited: list[str] = []
    errors: dict[str, dict[str, str]] = {}
    page_id: str | None = path(defn, answers, member)[0]
    while page_id is not None and len(visited) <= len(defn.pages):
        visited.append(page_id)
        data = fill_page(defn, page_id, answers, member, rng, skip_rate=skip_rate)
        result = validate_page(defn, page_id, data, answers, member)
        answers = result.answers
        if result.errors:
            errors[page_id] = result.errors
        page_id = next_page(defn, page_id, answers, member)
    return answers, visited, errors
