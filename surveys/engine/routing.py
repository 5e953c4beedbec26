"""Routing: which pages and items a respondent is shown, given their answers.

One walk over the definition decides everything. It follows the pages in
order, honouring page ``show_if``, skip rules (forward only: a backward or
unknown target is treated as "next page", the publishing checks refuse
them) and the consent gate (a shown consent item not given ends the path
after its page). Conditions are evaluated against the answers *kept so far*
in questionnaire order, so a stale answer to an item that is no longer
shown can never steer the path. A walk costs O(items).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from .expressions import holds, is_answered, truthy
from .model import ANSWERLESS_TYPES, END, Definition, Item, Page

Answers = Mapping[str, Any]
Member = Mapping[str, Any]
Status = Literal["answered", "skipped", "not_asked"]
_SINGLE_CODE_TYPES = frozenset({"single", "consent", "row"})


@dataclass
class Walk:
    """The outcome of walking the routing once."""

    pages: list[str] = field(default_factory=list)
    shown: set[str] = field(default_factory=set)  # codes of shown items and rows
    kept: dict[str, Any] = field(default_factory=dict)
    ending: str = "last_page"  # or "end_skip" or "consent"


def walk(defn: Definition, answers: Answers, member: Member) -> Walk:
    """Return the path, the shown items and the answers that stand."""
    result = Walk()
    index = 0
    while index < len(defn.pages):
        page = defn.pages[index]
        if not holds(page.show_if, result.kept, member):
            index += 1
            continue
        result.pages.append(page.id)
        _walk_page(page, answers, member, result)
        index = _after_page(defn, page, member, result)
    return result


def _walk_page(page: Page, answers: Answers, member: Member, result: Walk) -> None:
    """Record the page's shown items and keep their valid answers."""
    kept, shown = result.kept, result.shown
    for item in page.items:
        condition = item.show_if
        if condition is not None and not truthy(condition.fn(kept, member)):
            continue
        shown.add(item.code)
        if item.rows:
            for row in item.rows:
                shown.add(row.code)
                if row.code in answers:
                    keep_answer(row, answers, kept)
        # item.holds_answer, inlined on this hot path, and unanswered items passed over
        elif item.type not in ANSWERLESS_TYPES and item.code in answers:
            codes = visible_codes(item, kept, member) if item.conditional_options else None
            keep_answer(item, answers, kept, codes)


def _after_page(defn: Definition, page: Page, member: Member, result: Walk) -> int:
    """Return the index of the next page to consider (len(pages) to stop)."""
    stop = len(defn.pages)
    if _consent_refused(page, result):
        result.ending = "consent"
        return stop
    for skip in page.skips:
        if holds(skip.condition, result.kept, member):
            if skip.to == END:
                result.ending = "end_skip"
                return stop
            target = defn.pages_by_id.get(skip.to)
            if target is not None and target.index > page.index:
                return target.index
    return page.index + 1


def _consent_refused(page: Page, result: Walk) -> bool:
    """Return whether a shown consent item on the page was not given."""
    return any(
        item.code in result.shown and result.kept.get(item.code) != item.options[0].code
        for item in page.consent_items
    )


def visible_codes(item: Item, answers: Answers, member: Member) -> frozenset[int]:
    """Return the codes of the item's options whose show_if holds."""
    if not item.conditional_options:
        return item.option_codes
    shown = [
        code for code, condition in item.option_conditions if truthy(condition.fn(answers, member))
    ]
    return item.fixed_codes.union(shown)


def with_visible_options(item: Item, answers: Answers, member: Member) -> Item:
    """Return the item with only the options whose show_if holds."""
    if not item.conditional_options:
        return item
    options = tuple(o for o in item.options if holds(o.show_if, answers, member))
    return replace(item, options=options, option_codes=frozenset(o.code for o in options))


def keep_answer(
    item: Item, answers: Answers, kept: dict[str, Any], codes: frozenset[int] | None = None
) -> None:
    """Copy the item's answer (and companions) into ``kept`` if it is valid.

    ``codes`` are the option codes a choice answer may hold (default: all).
    """
    value = answers.get(item.code)
    if value is None:
        return
    if item.type in _SINGLE_CODE_TYPES:  # the common case, decided here without a call
        if type(value) is not int or value not in (item.option_codes if codes is None else codes):
            return
    else:
        value = _valid_value(item, value, item.option_codes if codes is None else codes)
        if value is None:
            return
    kept[item.code] = value
    if item.other_codes:
        for code in value if isinstance(value, list) else (value,):
            if code in item.other_codes:
                _keep_if_answered(item.other_field(code), answers, kept)
    elif item.other:
        _keep_if_answered(item.label_field, answers, kept)


def _valid_value(item: Item, value: Any, codes: frozenset[int]) -> Any:
    """Return the part of a stored value that stands (None if nothing does)."""
    if value is None:
        return None
    if item.type in _SINGLE_CODE_TYPES:
        return value if is_code(value, codes) else None
    if item.type == "multi":
        chosen = [c for c in value if is_code(c, codes)] if isinstance(value, list) else []
        return chosen or None
    return value if is_answered(value) else None


def _keep_if_answered(name: str, answers: Answers, kept: dict[str, Any]) -> None:
    value = answers.get(name)
    if is_answered(value):
        kept[name] = value


def is_code(value: Any, codes: frozenset[int]) -> bool:
    """Return whether ``value`` is one of these option codes (an int, not a bool)."""
    return type(value) is int and value in codes


# --- public API -----------------------------------------------------------


def path(defn: Definition, answers: Answers, member: Member) -> list[str]:
    """Return the ids of the pages on the respondent's path, in order."""
    return walk(defn, answers, member).pages


def visible_items(defn: Definition, page_id: str, answers: Answers, member: Member) -> list[Item]:
    """Return the page's shown items, each with only its shown options."""
    return walked_items(defn, page_id, walk(defn, answers, member), member)


def walked_items(defn: Definition, page_id: str, walked: Walk, member: Member) -> list[Item]:
    """Return the page's shown items after a walk already made (a request walks once)."""
    return [
        with_visible_options(item, walked.kept, member)
        for item in defn.page(page_id).items
        if holds(item.show_if, walked.kept, member)
    ]


def walked_not_asked(defn: Definition, walked: Walk) -> set[str]:
    """Return the answer codes a walk did not show."""
    return {code for code in defn.answer_codes() if code not in walked.shown}


def page_after(pages: list[str], defn: Definition, page_id: str) -> str | None:
    """Return the page after ``page_id`` among a path's ``pages``, or None at the end."""
    if page_id in pages:
        position = pages.index(page_id)
        return pages[position + 1] if position + 1 < len(pages) else None
    current = defn.page(page_id).index
    return next((p for p in pages if defn.page(p).index > current), None)


def page_before(pages: list[str], defn: Definition, page_id: str) -> str | None:
    """Return the page before ``page_id`` among a path's ``pages``, or None at the start."""
    current = defn.page(page_id).index
    earlier = [p for p in pages if defn.page(p).index < current]
    return earlier[-1] if earlier else None


def next_page(defn: Definition, page_id: str, answers: Answers, member: Member) -> str | None:
    """Return the page after ``page_id`` on the path, or None at the end."""
    return page_after(path(defn, answers, member), defn, page_id)


def previous_page(defn: Definition, page_id: str, answers: Answers, member: Member) -> str | None:
    """Return the page before ``page_id`` on the path, or None at the start."""
    return page_before(path(defn, answers, member), defn, page_id)


def prune(defn: Definition, answers: Answers, member: Member) -> tuple[dict[str, Any], set[str]]:
    """Return the answers that stand and the answer codes that are not asked."""
    result = walk(defn, answers, member)
    return result.kept, walked_not_asked(defn, result)


def item_status(
    defn: Definition, answers: Answers, member: Member, *, reached: str | None = None
) -> dict[str, Status]:
    """Return each answer code's status: answered, skipped or not_asked.

    With ``reached`` (the furthest page the respondent got to), items on
    later pages of the path count as not asked.
    """
    result = walk(defn, answers, member)
    limit = defn.page(reached).index if reached is not None else len(defn.pages)
    status: dict[str, Status] = {}
    for code in defn.answer_codes():
        asked = code in result.shown and defn.page_of(code).index <= limit
        if not asked:
            status[code] = "not_asked"
        else:
            status[code] = "answered" if code in result.kept else "skipped"
    return status
