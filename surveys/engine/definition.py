"""Loading a definition: schema validation, then typed frozen dataclasses.

``load_definition`` refuses a document it cannot build faithfully (schema
errors, duplicate codes or ids, expression syntax errors) and names every
problem at once. The wider publishing checks (references, routing, piping)
live in ``checks.py``.
"""

from __future__ import annotations

import copy
import functools
import itertools
import json
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .expressions import Expr, ExpressionError, parse_expression
from .model import Definition, Item, Option, Page, Skip, Slot
from .outline import Outline, describe_item, expressions, outline
from .plan import page_plan
from .problems import DefinitionError, Problem
from .textio import canonical_json, content_hash, dump_yaml, parse_text

__all__ = [
    "DefinitionError",
    "Problem",
    "canonical_json",
    "content_hash",
    "dump_yaml",
    "load_definition",
    "parse_text",
    "schema",
    "schema_problems",
    "structural_problems",
]

SCHEMA_PATH = Path(__file__).with_name("definition.schema.json")
_MAX_MESSAGE = 240
_CACHE_SIZE = 32
_LOADED: OrderedDict[str, Definition] = OrderedDict()
_LOCK = threading.Lock()


@functools.cache
def schema() -> dict:
    """Return the JSON Schema of the definition format."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@functools.cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


# --- problems -------------------------------------------------------------


def json_path(parts: Any) -> str:
    """Return ``$.a[0].b`` for the path parts ``["a", 0, "b"]``."""
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def schema_problems(data: Any) -> list[Problem]:
    """Return every schema violation, sorted by path."""
    errors = _validator().iter_errors(data)
    return sorted(Problem(json_path(e.absolute_path), _schema_message(e)) for e in errors)


def _schema_message(error: ValidationError) -> str:
    """Return a readable message for one schema error."""
    defs = schema()["$defs"]
    if error.validator in ("pattern", "not") and error.schema in (defs["code"], defs["page_id"]):
        kind = "code" if error.schema == defs["code"] else "page id"
        return (
            f"{error.instance!r} is not a valid {kind}: use lowercase letters, digits"
            " and _ (codes may have dot-separated parts), not a keyword, 'end' or 'member...'"
        )
    path = list(error.absolute_path)
    if error.validator == "enum" and path and path[-1] == "source":
        return f"{error.instance!r} is not a source the respondent pages fill (only 'browser')"
    message = error.message
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 3] + "..."


def structural_problems(data: Any) -> list[Problem]:
    """Return duplicate ids/codes and expression syntax errors."""
    shape = outline(data)
    return [*_duplicate_problems(shape), *syntax_problems(shape)]


def syntax_problems(shape: Outline) -> Iterator[Problem]:
    """Yield one problem per expression that does not parse."""
    for source in expressions(shape):
        try:
            parse_expression(source.src)
        except ExpressionError as exc:
            yield Problem(source.path, f"{source.where}: {exc}")


def _duplicates(values: list[Any]) -> list[Any]:
    counts = Counter(v for v in values if isinstance(v, str | int))
    return [v for v, n in counts.items() if n > 1]


def _repeats(entries: list[tuple[str, Any]], what: str, key: str) -> Iterator[Problem]:
    """Yield a problem at each repeat of a value, naming where it was first used."""
    first: dict[Any, str] = {}
    for path, value in entries:
        if value is None:
            continue
        if value in first:
            yield Problem(
                f"{path}.{key}", f"the {what} {value!r} is already used at {first[value]}"
            )
        else:
            first[value] = path


def _duplicate_problems(shape: Outline) -> Iterator[Problem]:
    """Yield a problem for each page id, item code or option code used twice."""
    yield from _repeats([(p.path, p.id) for p in shape.pages], "page id", "id")
    yield from _repeats([(i.path, i.code) for i in shape.items], "item code", "code")
    for item in shape.items:
        for key in ("options", "scale", "slots"):
            entries = item.data.get(key)
            codes = (
                [e.get("code") for e in entries if isinstance(e, dict)]
                if isinstance(entries, list)
                else []
            )
            for code in _duplicates(codes):
                message = f"{describe_item(item)}: the {key} code {code!r} is used more than once"
                yield Problem(f"{item.path}.{key}", message)


# --- building -------------------------------------------------------------


def load_definition(data: dict) -> Definition:
    """Return the typed Definition of ``data``; raise DefinitionError listing all problems.

    Definitions are immutable, so one already built for the same content
    (same content hash) is returned again: schema validation of a large
    version takes a noticeable fraction of a second, hashing a few ms.
    """
    key = _hash_or_refuse(data)
    with _LOCK:
        if key in _LOADED:
            _LOADED.move_to_end(key)
            return _LOADED[key]
    problems = schema_problems(data) + structural_problems(data)
    if problems:
        raise DefinitionError(problems)
    defn = _build_definition(copy.deepcopy(data))
    with _LOCK:
        _LOADED[key] = defn
        if len(_LOADED) > _CACHE_SIZE:
            _LOADED.popitem(last=False)
    return defn


def _hash_or_refuse(data: Any) -> str:
    """Return the content hash; raise DefinitionError for data JSON cannot hold."""
    try:
        return content_hash(data)
    except (TypeError, ValueError) as exc:
        raise DefinitionError(
            [Problem("$", f"the document is not plain JSON data: {exc}")]
        ) from None


def _build_definition(data: dict) -> Definition:
    positions = itertools.count()
    pages = tuple(_build_page(raw, index, positions) for index, raw in enumerate(data["pages"]))
    items = {item.code: item for page in pages for item in page.flat_items()}
    return Definition(
        questionnaire=data["questionnaire"],
        title=data.get("title", ""),
        pages=pages,
        items=MappingProxyType(items),
        member_attributes=tuple(data.get("member_attributes", ())),
        format=data["format"],
        content_hash=content_hash(data),
        data=MappingProxyType(data),
        pages_by_id=MappingProxyType({page.id: page for page in pages}),
    )


def _expr(src: str | None) -> Expr | None:
    return None if src is None else parse_expression(src)


def _build_page(raw: dict, index: int, positions: Iterator[int]) -> Page:
    items = tuple(_build_item(item, raw["id"], positions) for item in raw["items"])
    skips = tuple(Skip(parse_expression(s["if"]), s["to"]) for s in raw.get("skip", ()))
    show_if = _expr(raw.get("show_if"))
    return Page(raw["id"], index, raw.get("title", ""), show_if, items, skips, page_plan(items))


def _build_option(raw: dict) -> Option:
    return Option(
        code=raw["code"],
        text=raw["text"],
        other=raw.get("other", False),
        exclusive=raw.get("exclusive", False),
        show_if=_expr(raw.get("show_if")),
    )


def _build_item(raw: dict, page_id: str, positions: Iterator[int]) -> Item:
    position = next(positions)
    options = tuple(_build_option(o) for o in raw.get("options", ()))
    if raw["type"] == "consent":
        options = (_build_option(raw["option"]),)
    scale = tuple(Option(p["code"], p["text"]) for p in raw.get("scale", ()))
    rows = tuple(_build_row(r, raw, page_id, scale, next(positions)) for r in raw.get("rows", ()))
    return Item(
        code=raw["code"],
        type=raw["type"],
        page_id=page_id,
        position=position,
        text=raw.get("text", ""),
        label=raw.get("label"),
        help=raw.get("help"),
        # A consent gate must be agreed to go on unless the author says otherwise.
        required=raw.get("required", raw["type"] == "consent"),
        required_if=_expr(raw.get("required_if")),
        show_if=_expr(raw.get("show_if")),
        options=options,
        scale=scale,
        rows=rows,
        slots=tuple(Slot(s["code"], s["text"]) for s in raw.get("slots", ())),
        min=raw.get("min"),
        max=raw.get("max"),
        integer=raw.get("integer", False),
        max_length=raw.get("max_length"),
        max_years=raw.get("max_years"),
        source=raw.get("source"),
        option_codes=frozenset(o.code for o in options or scale),
        conditional_options=any(o.show_if is not None for o in options),
        fixed_codes=frozenset(o.code for o in options if o.show_if is None),
        option_conditions=tuple((o.code, o.show_if) for o in options if o.show_if is not None),
        other_codes=frozenset(o.code for o in options if o.other),
    )


def _build_row(
    raw: dict, grid: dict, page_id: str, scale: tuple[Option, ...], position: int
) -> Item:
    """Return a grid row as an item; only fixed rows inherit the grid's requiredness."""
    other = raw.get("other", False)
    return Item(
        code=raw["code"],
        type="row",
        page_id=page_id,
        position=position,
        text=raw["text"],
        label=raw.get("label"),
        required=grid.get("required", False) and not other,
        required_if=None if other else _expr(grid.get("required_if")),
        scale=scale,
        grid=grid["code"],
        other=other,
        option_codes=frozenset(p.code for p in scale),
    )
