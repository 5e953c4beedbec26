"""Validating one submitted page.

``validate_page`` reads the fields of the page's shown items (in order, so an
item can depend on an earlier item of the same page), applies required /
required_if, and returns the respondent's whole answer set with this page's
answers replaced, plus the errors keyed by field. Answers of items that are
hidden, left empty or invalid are not in the result; answers to other pages
are passed through unchanged (``routing.prune`` tidies those).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .expressions import holds, is_answered
from .fields import ONE_VALUE, READERS, Data, RepeatedField, first_field
from .model import Definition, Item, Page
from .routing import with_visible_options

REQUIRED_MESSAGES = {
    "consent": "Please tick this box to continue.",
    "single": "Please choose an answer.",
    "multi": "Please choose at least one answer.",
    "row": "Please choose an answer for this row.",
    "nominations": "Please give at least one name and email address.",
}
REQUIRED_MESSAGE = "Please answer this question."


@dataclass
class PageResult:
    """The answers after this page (all pages) and the errors by field."""

    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Return whether the page can be accepted (no errors)."""
        return not self.errors


def page_fields(page: Page) -> frozenset[str]:
    """Return every answer key a page can hold (codes and companion fields)."""
    return page.fields


def validate_page(
    defn: Definition,
    page_id: str,
    data: Data,
    answers: Mapping[str, Any],
    member: Mapping[str, Any],
) -> PageResult:
    """Return the answers with this page's submission applied, and the errors."""
    page = defn.page(page_id)
    result = PageResult(dict(answers))
    for key in page.fields:  # this page's answers are replaced by the submission
        result.answers.pop(key, None)
    for item in page.items:
        if holds(item.show_if, result.answers, member):
            _validate_item(with_visible_options(item, result.answers, member), data, member, result)
    return result


def _validate_item(item: Item, data: Data, member: Mapping[str, Any], result: PageResult) -> None:
    """Read one shown item into ``result``, adding required errors."""
    try:
        reading = READERS[item.type](item, data)
    except RepeatedField as repeated:
        result.errors[repeated.name] = ONE_VALUE
        return
    result.answers.update(reading.values)
    result.errors.update(reading.errors)
    targets = item.rows if item.type == "grid" else (item,)
    for target in targets:
        if _has_error(target, reading.errors) or is_answered(reading.values.get(target.code)):
            continue
        if is_required(target, result.answers, member):
            result.errors[first_field(target)] = REQUIRED_MESSAGES.get(
                target.type, REQUIRED_MESSAGE
            )


def _has_error(item: Item, errors: Mapping[str, str]) -> bool:
    """Return whether any of the item's fields already has an error."""
    if item.type == "row":
        return item.code in errors or item.label_field in errors
    return bool(errors)


def is_required(item: Item, answers: Mapping[str, Any], member: Mapping[str, Any]) -> bool:
    """Return whether the item must be answered, given the answers so far."""
    if item.type in ("info", "hidden", "grid"):
        return False
    if item.required:
        return True
    return item.required_if is not None and holds(item.required_if, answers, member)
