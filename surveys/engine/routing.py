"""Routing: which pages and items a respondent is shown, given their answers.

One walk over the definition decides everything. It follows the pages in
order, honouring page ``show_if``, skip rules (forward only: a backward or
unknown target is treated as "next page", the publishing checks refuse
them) and the consent gate (a shown consent item not given ends the path
after its page). Conditions are evaluated against the answers *kept so far*
in questionnaire order, so a stale answer to an item that is no longer
shown can never steer the path. A walk costs O(items), and follows plans worked
out once per version (``plan.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from .expressions import holds
from .model import END, Definition, Item, Page
from .plan import keep_entries

Answers = Mapping[str, Any]
Member = Mapping[str, Any]
Status = Literal["answered", "skipped", "not_asked"]


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
    kept, shown, pages = result.kept, result.shown, defn.pages
    index = 0
    while index < len(pages):
        page = pages[index]
        if page.show_if is not None and not page.show_if.test(kept, member):
            index += 1
            continue
        result.pages.append(page.id)
        shown.update(page.plan.shown)
        keep_entries(page.plan.entries, answers, kept, shown, member)
        if page.consent_items and _consent_refused(page, result):
            result.ending = "consent"
            break
        index = _after_skips(defn, page, member, result) if page.skips else index + 1
    return result


def _after_skips(defn: Definition, page: Page, member: Member, result: Walk) -> int:
    """Return the index of the page a skip rule sends the respondent to (len(pages): end)."""
    for skip in page.skips:
        if holds(skip.condition, result.kept, member):
            if skip.to == END:
                result.ending = "end_skip"
                return len(defn.pages)
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


_MAX_VARIANTS = 64


def with_visible_options(item: Item, answers: Answers, member: Member) -> Item:
    """Return the item with only the options whose show_if holds."""
    if not item.conditional_options:
        return item
    options = tuple(o for o in item.options if holds(o.show_if, answers, member))
    codes = frozenset(o.code for o in options)
    variant = item.variants.get(codes)
    if variant is None:
        variant = replace(item, options=options, option_codes=codes)
        if len(item.variants) < _MAX_VARIANTS:  # a few subsets in practice; bounded anyway
            item.variants[codes] = variant
    return variant


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
    return set(defn.answer_code_set.difference(walked.shown))


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
