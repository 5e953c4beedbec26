"""Publishing checks: everything wrong with a definition, reported at once.

``publish_problems`` reads the raw dict through the tolerant outline, so a
schema error does not hide a bad reference elsewhere. Routing checks
(unreachable pages, dead ends) need a loadable definition and run when the
document loads.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .definition import load_definition, schema_problems, structural_problems
from .expressions import (
    Compare,
    Expr,
    ExpressionError,
    ListLiteral,
    Literal,
    Ref,
    parse_expression,
    walk,
)
from .model import Definition
from .outline import Outline, RawItem, RawSource, describe_item, expressions, outline, texts
from .paths import Exploration, explore
from .piping import BUILTIN_MEMBER_ATTRIBUTES, piped_references
from .problems import DefinitionError, Problem

BACKWARD = "only forward skips are allowed (a backward skip would loop)"


@dataclass(frozen=True)
class Review:
    """What the publishing checks found: problems stop publishing, warnings do not."""

    problems: list[str]
    warnings: list[str]


def publish_review(data: Any, *, found: Exploration | None = None) -> Review:
    """Return every problem that stops ``data`` from being published, and the warnings.

    ``found`` is the path exploration of ``data`` when the caller already has it.
    """
    loading = schema_problems(data) + structural_problems(data)
    shape = outline(data)
    references = list(reference_problems(shape, data))
    problems = loading + references + [*skip_problems(shape), *item_problems(shape)]
    problems += companion_problems(shape)
    warnings: list[str] = []
    if not loading:
        routing, warnings = routing_review(data, found=found)
        problems += [p for p in routing if not _explained(p, references)]
    return Review([str(p) for p in problems], warnings)


def publish_problems(data: Any) -> list[str]:
    """Return every problem that stops ``data`` from being published ([] if none)."""
    return publish_review(data).problems


def _explained(problem: Problem, causes: list[Problem]) -> bool:
    """Return whether a "never shown" problem follows from a faulty show_if."""
    return any(cause.path == f"{problem.path}.show_if" for cause in causes)


# --- references ----------------------------------------------------------------


class _Scope:
    """What a reference may name: items by code (first occurrence) and member attributes."""

    def __init__(self, shape: Outline, data: Any) -> None:
        self.items: dict[str, RawItem] = {}
        for item in shape.items:
            if item.code is not None:
                self.items.setdefault(item.code, item)
        declared = data.get("member_attributes") if isinstance(data, dict) else None
        extra = {a for a in declared if isinstance(a, str)} if isinstance(declared, list) else set()
        self.members = BUILTIN_MEMBER_ATTRIBUTES | extra

    def item_problem(self, code: str, before: int) -> str | None:
        """Return what is wrong with naming ``code`` before position ``before``."""
        item = self.items.get(code)
        if item is None:
            return "which is not an item in this questionnaire"
        if item.position >= before:
            return "which is not earlier in the questionnaire"
        if item.type in ("grid", "info"):
            return f"which is a {item.type} with no answer of its own"
        return None

    def member_problem(self, attr: str) -> str | None:
        if attr in self.members:
            return None
        return "which is neither built in nor declared in member_attributes"


def reference_problems(shape: Outline, data: Any) -> Iterator[Problem]:
    """Yield bad references in expressions and piped texts."""
    scope = _Scope(shape, data)
    for source in expressions(shape):
        try:
            expr = parse_expression(source.src)
        except ExpressionError:
            continue  # reported by the syntax check
        yield from _expression_problems(source, expr, scope)
    for source in texts(shape):
        for name in sorted(piped_references(source.src)):
            yield from _piped_problems(source, name, scope)


def _expression_problems(source: RawSource, expr: Expr, scope: _Scope) -> Iterator[Problem]:
    for code in sorted(expr.refs):
        problem = scope.item_problem(code, source.before)
        if problem:
            yield Problem(source.path, f"{source.where} refers to {code}, {problem}")
    for attr in sorted(expr.member_refs):
        problem = scope.member_problem(attr)
        if problem:
            yield Problem(source.path, f"{source.where} uses member.{attr}, {problem}")
    for code, value in _compared_codes(expr):
        item = scope.items.get(code)
        if item is not None and value not in _offered_codes(item, scope):
            message = (
                f"{source.where} compares {code} with {value!r}, which is not one of its codes"
            )
            yield Problem(source.path, message)


def _compared_codes(expr: Expr) -> Iterator[tuple[str, Any]]:
    """Yield (item code, literal) for each literal a choice answer is compared with."""
    for node in walk(expr.node):
        if not isinstance(node, Compare) or node.op not in ("==", "!=", "in", "not in"):
            continue
        for ref, other in ((node.left, node.right), (node.right, node.left)):
            if isinstance(ref, Ref) and isinstance(other, Literal | ListLiteral):
                values = [other.value] if isinstance(other, Literal) else list(other.values)
                yield from ((ref.code, v) for v in values)


def _offered_codes(item: RawItem, scope: _Scope) -> set[Any] | _Anything:
    """Return the codes a choice item offers; anything goes for other types."""
    if item.type == "row":
        grid = scope.items.get(item.grid or "")
        return _codes(grid.data.get("scale")) if grid else _Anything()
    if item.type == "consent":
        option = item.data.get("option")
        return {option.get("code")} if isinstance(option, dict) else _Anything()
    if item.type in ("single", "multi"):
        return _codes(item.data.get("options"))
    return _Anything()


class _Anything:
    def __contains__(self, value: Any) -> bool:
        return True


def _codes(entries: Any) -> set[Any]:
    return (
        {e.get("code") for e in entries if isinstance(e, dict)}
        if isinstance(entries, list)
        else set()
    )


def _piped_problems(source: RawSource, name: str, scope: _Scope) -> Iterator[Problem]:
    if name.startswith("member."):
        problem = scope.member_problem(name.removeprefix("member."))
    else:
        problem = scope.item_problem(name, source.before)
    if problem:
        yield Problem(source.path, f"{source.where} pipes {{{name}}}, {problem}")


# --- skips and items -------------------------------------------------------------


def skip_problems(shape: Outline) -> Iterator[Problem]:
    """Yield skips to unknown pages and backward skips (cycles)."""
    index = {page.id: page.index for page in shape.pages if page.id}
    for page in shape.pages:
        skips = page.data.get("skip")
        for number, skip in enumerate(skips if isinstance(skips, list) else []):
            target = skip.get("to") if isinstance(skip, dict) else None
            path = f"{page.path}.skip[{number}].to"
            if not isinstance(target, str) or target == "end":
                continue
            if target not in index:
                yield Problem(path, f"page {page.id} skips to {target!r}, which is not a page")
            elif index[target] <= page.index:
                yield Problem(path, f"page {page.id} skips back to {target}: {BACKWARD}")


def item_problems(shape: Outline) -> Iterator[Problem]:
    """Yield contradictory settings on single items."""
    for item in shape.items:
        for message in _item_messages(item.type, item.data):
            yield Problem(item.path, f"{describe_item(item)}: {message}")


def _item_messages(kind: str, data: dict) -> Iterator[str]:
    low, high, options = data.get("min"), data.get("max"), data.get("options")
    count = len(options) if isinstance(options, list) else None
    if _number(low) and _number(high) and low > high:
        yield f"min ({low}) is greater than max ({high})"
    if kind == "multi" and count is not None and _number(low) and low > count:
        yield f"min ({low}) is more than the {count} options offered"
    if "required" in data and "required_if" in data:
        yield "give either required or required_if, not both"
    listed = options if isinstance(options, list) else []
    if kind == "single" and any(isinstance(o, dict) and o.get("exclusive") for o in listed):
        yield "exclusive options only make sense on multi items"


def companion_problems(shape: Outline) -> list[Problem]:
    """Return item codes that clash with where another item's typed-in text is stored."""
    taken: dict[str, str] = {}
    for item in shape.items:
        if item.type == "row" and item.data.get("other") and item.code:
            taken[f"{item.code}.label"] = describe_item(item)
        options = item.data.get("options")
        for option in options if isinstance(options, list) else []:
            if isinstance(option, dict) and option.get("other") and item.code:
                taken[f"{item.code}.other.{option.get('code')}"] = describe_item(item)
    return [
        Problem(
            f"{item.path}.code",
            f"the code {item.code} is where {taken[item.code]} stores typed-in text",
        )
        for item in shape.items
        if item.code in taken
    ]


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# --- routing -----------------------------------------------------------------


def routing_problems(data: Any) -> list[Problem]:
    """Return unreachable pages, items never shown and dead ends."""
    return routing_review(data)[0]


def routing_review(
    data: Any, *, found: Exploration | None = None
) -> tuple[list[Problem], list[str]]:
    """Return (unreachable pages, items never shown and dead ends; warnings).

    "Never shown" and dead ends are reported only when proven, even when the path
    explorer was cut short; what it could not decide becomes a warning.
    """
    try:
        defn = load_definition(data)
    except DefinitionError as exc:
        return exc.problems, []
    found = found or explore(defn)
    problems = [
        Problem(f"$.pages[{index}]", message)
        for index, message in _dead_end_messages(defn, found.dead_ends, proven=True)
    ]
    for page in defn.pages:
        if page.id not in found.pages_shown:
            problems.append(Problem(f"$.pages[{page.index}]", f"page {page.id} can never be shown"))
            continue
        for number, item in enumerate(page.items):
            if item.code not in found.possibly_seen:
                path = f"$.pages[{page.index}].items[{number}]"
                problems.append(Problem(path, f"item {item.code} can never be shown"))
    return problems, exploration_warnings(found, defn)


def exploration_warnings(found: Exploration, defn: Definition) -> list[str]:
    """Return what a cut-short exploration means for this version ([] if it was complete)."""
    if found.complete:
        return []
    undecided = sorted(code for code in defn.items if found.reach(code) == "unknown")
    n = len(undecided)
    undecided_words = (
        "1 item it could not decide is" if n == 1 else f"{n:,} items it could not decide are"
    )
    warnings = [CUT_SHORT.format(steps=found.steps, undecided=undecided_words)]
    warnings += [
        message for _, message in _dead_end_messages(defn, found.possible_dead_ends, proven=False)
    ]
    return warnings


CUT_SHORT = (
    "The routing has more combinations than the path explorer follows exactly, so its"
    " exploration was cut short after {steps:,} steps. What it reports as never shown,"
    ' always shown or a dead end is still proven; {undecided} marked "unknown",'
    " and dead ends it could not rule out are listed as possible."
    " Check those paths by hand, or simplify the conditions, before relying on them."
)


def _dead_end_messages(
    defn: Definition, dead_ends: dict[str, str], *, proven: bool
) -> Iterator[tuple[int, str]]:
    for code, example in dead_ends.items():
        page = defn.page_of(code)
        if proven:
            message = f"the path cannot reach the end: {code} is required but can have no option"
        else:
            message = f"a possible dead end: {code} is required but may have no option"
        yield page.index, f"{message} to choose (for example when {example})"
