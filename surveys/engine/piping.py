"""Piped text: ``{member.site}`` and ``{item.code}`` inside question wording.

Templates are plain text, never HTML and never a Django template: the whole
result is HTML-escaped, literal text and inserted values alike. Substitution
is a single pass over the template, so an inserted value that itself looks
like ``{member.x}`` is shown as typed and never expanded.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from .expressions import MEMBER_PREFIX, is_answered
from .model import Definition, Item

TOKEN = re.compile(r"\{\{|\}\}|\{([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)\}")
BUILTIN_MEMBER_ATTRIBUTES = frozenset(
    {"site", "site_short", "cohort", "cohort_year", "organisation", "first_name", "last_name"}
)


def piped_references(text: str) -> set[str]:
    """Return the names piped into ``text`` (item codes and ``member.<attr>``)."""
    return {match.group(1) for match in TOKEN.finditer(text) if match.group(1)}


def pipe(text: str, defn: Definition, answers: Mapping[str, Any], member: Mapping[str, Any]) -> str:
    """Return ``text`` as HTML-safe text with every piped name filled in."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return match.group(0)[0]  # "{{" -> "{", "}}" -> "}"
        return display_value(name, defn, answers, member)

    pieces: list[str] = []
    last = 0
    for match in TOKEN.finditer(text):
        pieces.append(html.escape(text[last : match.start()]))
        pieces.append(html.escape(replace(match)))
        last = match.end()
    pieces.append(html.escape(text[last:]))
    return "".join(pieces)


def display_value(
    name: str, defn: Definition, answers: Mapping[str, Any], member: Mapping[str, Any]
) -> str:
    """Return the plain (unescaped) text shown for a piped name; "" if none."""
    if name.startswith(MEMBER_PREFIX):
        value = member.get(name[len(MEMBER_PREFIX) :])
        return "" if value is None else str(value)
    item = defn.items.get(name)
    value = answers.get(name)
    if item is None or not is_answered(value):
        return ""
    return answer_text(item, value, answers)


def answer_text(item: Item, value: Any, answers: Mapping[str, Any]) -> str:
    """Return an answer as a respondent would read it (labels, not codes)."""
    if item.type in ("single", "consent", "row", "multi"):
        chosen = value if isinstance(value, list) else [value]
        return ", ".join(_choice_text(item, code, answers) for code in chosen)
    if item.type == "number":
        return _number_text(value)
    if item.type == "duration" and isinstance(value, dict):
        return _duration_text(value)
    if item.type == "ranked" and isinstance(value, list):
        return ", ".join(str(v) for v in value if v)
    if item.type == "nominations" and isinstance(value, list):
        return ", ".join(str(n.get("name", "")) for n in value if isinstance(n, dict))
    return str(value)


def _choice_text(item: Item, code: Any, answers: Mapping[str, Any]) -> str:
    """Return an option's label, or the typed-in text of an "other" option."""
    option = item.option(code)
    if option is None:
        return str(code)
    typed = answers.get(item.other_field(option.code)) if option.other else None
    return str(typed) if is_answered(typed) else option.text


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _plural(count: Any, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _duration_text(value: Mapping[str, Any]) -> str:
    """Return e.g. "2 years, 3 months" (a zero part is left out)."""
    years, months = value.get("years", 0), value.get("months", 0)
    parts = [_plural(years, "year") if years else "", _plural(months, "month") if months else ""]
    return ", ".join(p for p in parts if p) or "0 months"
