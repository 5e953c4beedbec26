"""A tolerant outline of a raw definition dict.

The publishing checks must report every problem at once, including on a
document the schema rejects, so they read the raw dict through this outline,
which skips what is malformed instead of failing. Every entry carries its
JSON path and its position in the flat item order (grid rows included), so
a reference can be checked against "earlier in the questionnaire".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RawPage:
    path: str
    index: int
    data: dict
    first: int  # position of its first item
    after: int  # position after its last item (rows included)

    @property
    def id(self) -> str | None:
        value = self.data.get("id")
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class RawItem:
    path: str
    page_index: int
    position: int
    data: dict
    grid: str | None = None  # for a grid row: the grid's code

    @property
    def code(self) -> str | None:
        value = self.data.get("code")
        return value if isinstance(value, str) else None

    @property
    def type(self) -> str:
        return "row" if self.grid is not None else str(self.data.get("type", ""))


@dataclass(frozen=True)
class RawSource:
    """An expression or a piped text, with the position its references must precede."""

    path: str
    where: str
    src: str
    before: int


@dataclass(frozen=True)
class Outline:
    pages: tuple[RawPage, ...]
    items: tuple[RawItem, ...]


def _dicts(value: Any, path: str) -> Iterator[tuple[str, dict]]:
    """Yield ``(path[i], element)`` for the dict elements of a list."""
    if isinstance(value, list):
        for index, element in enumerate(value):
            if isinstance(element, dict):
                yield f"{path}[{index}]", element


def outline(data: Any) -> Outline:
    """Return the pages and flat items of a raw definition, skipping junk."""
    pages: list[RawPage] = []
    items: list[RawItem] = []
    if not isinstance(data, dict):
        return Outline((), ())
    for index, (path, page) in enumerate(_dicts(data.get("pages"), "$.pages")):
        first = len(items)
        items.extend(_page_items(page, path, index, first))
        pages.append(RawPage(path, index, page, first, len(items)))
    return Outline(tuple(pages), tuple(items))


def _page_items(page: dict, path: str, page_index: int, start: int) -> list[RawItem]:
    """Return the flat items of one page: each question, then its grid rows."""
    found: list[RawItem] = []
    for item_path, item in _dicts(page.get("items"), f"{path}.items"):
        found.append(RawItem(item_path, page_index, start + len(found), item))
        if item.get("type") == "grid":
            grid = item.get("code") if isinstance(item.get("code"), str) else ""
            for row_path, row in _dicts(item.get("rows"), f"{item_path}.rows"):
                found.append(RawItem(row_path, page_index, start + len(found), row, grid))
    return found


def describe_item(item: RawItem) -> str:
    """Return "item <code>" or "row <code> of grid <grid>" for messages."""
    if item.grid is not None:
        return f"row {item.code} of grid {item.grid}"
    return f"item {item.code}"


def expressions(shape: Outline) -> Iterator[RawSource]:
    """Yield every expression string with where it sits."""
    for page in shape.pages:
        yield from _page_expressions(page)
    for item in shape.items:
        yield from _item_expressions(item)


def _page_expressions(page: RawPage) -> Iterator[RawSource]:
    where = f"page {page.id}"
    if isinstance(page.data.get("show_if"), str):
        yield RawSource(
            f"{page.path}.show_if", f"{where} show_if", page.data["show_if"], page.first
        )
    for path, skip in _dicts(page.data.get("skip"), f"{page.path}.skip"):
        if isinstance(skip.get("if"), str):
            yield RawSource(f"{path}.if", f"{where} skip", skip["if"], page.after)


def _item_expressions(item: RawItem) -> Iterator[RawSource]:
    where = describe_item(item)
    for key in ("show_if", "required_if"):
        if isinstance(item.data.get(key), str):
            yield RawSource(f"{item.path}.{key}", f"{where} {key}", item.data[key], item.position)
    for path, option in _dicts(item.data.get("options"), f"{item.path}.options"):
        if isinstance(option.get("show_if"), str):
            label = f"{where} option {option.get('code')} show_if"
            yield RawSource(f"{path}.show_if", label, option["show_if"], item.position)


def texts(shape: Outline) -> Iterator[RawSource]:
    """Yield every text that may pipe (titles, texts, help, option labels)."""
    for page in shape.pages:
        if isinstance(page.data.get("title"), str):
            yield RawSource(
                f"{page.path}.title", f"page {page.id} title", page.data["title"], page.first
            )
    by_code = {item.code: item for item in shape.items if item.grid is None}
    for item in shape.items:
        before = by_code[item.grid].position if item.grid in by_code else item.position
        yield from _item_texts(item, before)


def _item_texts(item: RawItem, before: int) -> Iterator[RawSource]:
    where = describe_item(item)
    for key in ("text", "help"):
        if isinstance(item.data.get(key), str):
            yield RawSource(f"{item.path}.{key}", f"{where} {key}", item.data[key], before)
    for key in ("options", "scale", "slots"):
        for path, option in _dicts(item.data.get(key), f"{item.path}.{key}"):
            if isinstance(option.get("text"), str):
                yield RawSource(f"{path}.text", f"{where} {key} text", option["text"], before)
    option = item.data.get("option")
    if isinstance(option, dict) and isinstance(option.get("text"), str):
        yield RawSource(f"{item.path}.option.text", f"{where} option text", option["text"], before)
