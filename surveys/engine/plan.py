"""What walking a page does, worked out once per loaded version.

The routing walk (``routing.walk``) runs on every page view and save, over
every page on the respondent's path, so each page is turned at load time
into a plan the walk follows without looking at item types:

* ``shown``: the codes shown whenever the page is (items with no ``show_if``,
  and their grid rows);
* ``entries``, in questionnaire order: ``(code, offered, companions, special)``.
  The answer under ``code`` is kept when it is one of the ``offered`` option
  codes (those offered whatever the answers), or, when ``offered`` is None,
  when it is answered at all; a chosen code's companion field (the text of an
  "other" option, or the typed-in label of an "other" grid row) is kept
  beside it. Any other answer goes to ``special(value, answers, kept,
  member)`` when there is one: an option offered only when its ``show_if``
  holds, or a multiple choice. An item with a ``show_if`` has ``code`` None
  and ``special(answers, kept, shown, member)``, which shows and keeps it
  when its condition holds.

Conditions are read on the answers kept so far, entry by entry, exactly as
the rules in ``routing`` say; a property test compares the walk with a plain
item-by-item reading of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .expressions import is_answered
from .model import ANSWERLESS_TYPES, Item

Answers = Mapping[str, Any]
Member = Mapping[str, Any]
Choice = Callable[[Any, Answers, dict[str, Any], Member], None]
Conditional = Callable[[Answers, dict[str, Any], set[str], Member], None]
Companions = dict[int, str]
Entry = (
    tuple[str, frozenset[int] | None, Companions | None, Choice | None]
    | tuple[None, None, None, Conditional]
)
NOTHING_FIXED: frozenset[int] = frozenset()
SINGLE_CODE_TYPES = frozenset({"single", "consent", "row"})


@dataclass(frozen=True)
class PagePlan:
    """The codes a shown page always shows, and the entries that keep its answers."""

    shown: tuple[str, ...]
    entries: tuple[Entry, ...]


def page_plan(items: tuple[Item, ...]) -> PagePlan:
    """Return the plan of walking a page with these items."""
    shown: list[str] = []
    entries: list[Entry] = []
    for item in items:
        if item.show_if is None:
            shown.extend(_codes(item))
            entries.extend(_entries(item))
        else:
            entries.append((None, None, None, _shown_when(item)))
    return PagePlan(tuple(shown), tuple(entries))


def keep_entries(
    entries: tuple[Entry, ...],
    answers: Answers,
    kept: dict[str, Any],
    shown: set[str],
    member: Member,
) -> None:
    """Copy into ``kept`` the answers these entries find valid, in order."""
    for code, offered, companions, special in entries:
        if code is None:  # an item with a show_if
            special(answers, kept, shown, member)
            continue
        value = answers.get(code)
        if value is None:
            continue
        if offered is None:
            if value != "" and value != [] and value != ():  # is_answered, inlined
                kept[code] = value
        elif type(value) is int and value in offered:  # not a bool, a float or a string
            kept[code] = value
            if companions is not None and value in companions:
                _keep_if_answered(companions[value], answers, kept)
        elif special is not None:
            special(value, answers, kept, member)


def _codes(item: Item) -> tuple[str, ...]:
    return (item.code, *(row.code for row in item.rows))


def _entries(item: Item) -> list[Entry]:
    """Return the entries keeping the answers of an item that is shown."""
    if item.rows:
        return [(row.code, row.option_codes, _label(row), None) for row in item.rows]
    if item.type in ANSWERLESS_TYPES:
        return []
    others = {code: item.other_field(code) for code in item.other_codes} or None
    if item.type == "multi":
        return [(item.code, NOTHING_FIXED, None, _multi(item))]
    if item.type in SINGLE_CODE_TYPES:
        special = _conditional_option(item) if item.conditional_options else None
        return [(item.code, item.fixed_codes, others, special)]
    return [(item.code, None, None, None)]


def _label(row: Item) -> Companions | None:
    """Return the field of the row's typed-in label, for each code ("other" rows only)."""
    return dict.fromkeys(row.option_codes, row.label_field) if row.other else None


def _shown_when(item: Item) -> Conditional:
    """Return what walks an item with a show_if: shown, and kept, when it holds."""
    condition, codes, entries = item.show_if.test, _codes(item), tuple(_entries(item))

    def keep_when_shown(answers: Answers, kept: dict[str, Any], shown: set[str], member: Member):
        if condition(kept, member):
            shown.update(codes)
            keep_entries(entries, answers, kept, shown, member)

    return keep_when_shown


def _conditional_option(item: Item) -> Choice:
    """Return what keeps a single choice's option offered only when its show_if holds."""
    code, _, conditions, others = item.code, *_options(item)

    def keep_option(value: Any, answers: Answers, kept: dict[str, Any], member: Member):
        condition = conditions.get(value) if type(value) is int else None
        if condition is None or not condition(kept, member):
            return
        kept[code] = value
        if value in others:
            _keep_if_answered(others[value], answers, kept)

    return keep_option


def _multi(item: Item) -> Choice:
    """Return what keeps a multiple choice: the chosen codes offered now, in order."""
    code, fixed, conditions, others = item.code, *_options(item)

    def keep_multi(value: Any, answers: Answers, kept: dict[str, Any], member: Member):
        if not isinstance(value, list):
            return
        chosen = [
            c
            for c in value
            if type(c) is int and (c in fixed or (c in conditions and conditions[c](kept, member)))
        ]
        if chosen:
            kept[code] = chosen
            for c in chosen:
                if c in others:
                    _keep_if_answered(others[c], answers, kept)

    return keep_multi


def _options(item: Item) -> tuple[frozenset[int], dict[int, Callable[..., Any]], dict[int, str]]:
    """Return the codes always offered, the conditions of the others by code, and the
    fields of "other" texts by code."""
    conditions = {code: expr.test for code, expr in item.option_conditions}
    others = {code: item.other_field(code) for code in item.other_codes}
    return item.fixed_codes, conditions, others


def _keep_if_answered(name: str, answers: Answers, kept: dict[str, Any]) -> None:
    value = answers.get(name)
    if is_answered(value):
        kept[name] = value
