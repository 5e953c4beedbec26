"""Path explorer: which items can a respondent ever see?

The routing only depends on the answers that conditions read, so instead of
enumerating every answer set the explorer walks the pages in order with a set
of *states*, each an assignment of the variables that some later condition
still reads. When it meets a shown item that is read later, it branches over
the values that can make a difference: the option codes named in comparisons
plus one unnamed code, counts around each threshold, numbers around each
constant, member attributes' compared values plus "something else", and
"unanswered" when the item is not required. A variable leaves the state after
its last use, so states merge again; the number of states per page is bounded
(``max_states``), which keeps a 300-item questionnaire fast.

A respondent who refuses consent sees nothing after it: such paths end
correctly and are left out of "always"/"sometimes".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import combinations, product
from typing import Any, Literal

from .expressions import (
    Call,
    Compare,
    Expr,
    ListLiteral,
    MemberRef,
    Ref,
    holds,
    walk,
)
from .expressions import (
    Literal as Lit,
)
from .model import END, Definition, Item, Page

Reach = Literal["always", "sometimes", "never"]
State = tuple[tuple[str, Any], ...]
OTHER_VALUE = "\x00something else"
MEMBER = "member."


@dataclass
class Exploration:
    """What the explorer found."""

    seen: set[str] = field(default_factory=set)  # item codes shown on some path
    missed: set[str] = field(default_factory=set)  # item codes not shown on some path
    pages_shown: set[str] = field(default_factory=set)
    dead_ends: dict[str, str] = field(default_factory=dict)  # item code -> example
    complete: bool = True  # False when the state bound cut the exploration

    def reach(self, code: str) -> Reach:
        """Return whether the item is shown on every, some or no path."""
        if code not in self.seen:
            return "never"
        return "sometimes" if code in self.missed else "always"


class _MemberView:
    """Member attributes read from the state, where they live as ``member.<attr>``."""

    def __init__(self, state: Mapping[str, Any]) -> None:
        self.state = state

    def get(self, attr: str, default: Any = None) -> Any:
        return self.state.get(MEMBER + attr, default)


# --- what conditions read --------------------------------------------------


def _expressions(defn: Definition) -> Iterator[tuple[int, Expr]]:
    """Yield (page index, expression) for every condition in the definition."""
    for page in defn.pages:
        for expr in [page.show_if, *(s.condition for s in page.skips)]:
            if expr is not None:
                yield page.index, expr
        for item in page.items:
            for expr in [item.show_if, item.required_if, *(o.show_if for o in item.options)]:
                if expr is not None:
                    yield page.index, expr


def _variable(node: Any) -> tuple[str, bool] | None:
    """Return (variable name, is a count) for a reference node, else None."""
    if isinstance(node, Ref):
        return node.code, False
    if isinstance(node, MemberRef):
        return MEMBER + node.attr, False
    if isinstance(node, Call) and node.name == "count":
        inner = _variable(node.arg)
        return (inner[0], True) if inner else None
    return None


@dataclass
class _Usage:
    last_use: dict[str, int] = field(default_factory=dict)
    constants: dict[str, set[Any]] = field(default_factory=lambda: defaultdict(set))
    counts: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))


def _usage(defn: Definition) -> _Usage:
    """Return where each variable is last read and the constants it meets."""
    usage = _Usage()
    for page_index, expr in _expressions(defn):
        for name in [*expr.refs, *(MEMBER + a for a in expr.member_refs)]:
            usage.last_use[name] = max(usage.last_use.get(name, -1), page_index)
        for node in walk(expr.node):
            if isinstance(node, Compare):
                _note_comparison(node, usage)
    return usage


def _note_comparison(node: Compare, usage: _Usage) -> None:
    """Record the literals a variable (or its count) is compared with."""
    for side, other in ((node.left, node.right), (node.right, node.left)):
        variable = _variable(side)
        if variable is None or not isinstance(other, Lit | ListLiteral):
            continue
        values = [other.value] if isinstance(other, Lit) else list(other.values)
        name, is_count = variable
        if is_count:
            usage.counts[name].update(v for v in values if isinstance(v, int | float))
        else:
            usage.constants[name].update(values)


# --- value domains -----------------------------------------------------------


def _around(values: Iterable[Any]) -> set[Any]:
    """Return each number with its neighbours, strings unchanged."""
    out: set[Any] = set()
    for value in values:
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        out.update({value - 1, value, value + 1} if is_number else {value})
    return out


def _choice_domain(codes: list[int], named: set[Any], counts: set[int], item: Item) -> list[Any]:
    """Return the selections worth trying for a multiple choice item."""
    key = [c for c in codes if c in named] + [c for c in codes if c not in named][:1]
    subsets: set[tuple[int, ...]] = {(c,) for c in key} | {tuple(codes)}
    if len(key) <= 4:
        subsets |= {s for n in range(2, len(key) + 1) for s in combinations(key, n)}
    subsets |= {
        tuple(codes[:n]) for n in _around(counts) if isinstance(n, int) and 0 < n <= len(codes)
    }
    exclusive = {o.code for o in item.options if o.exclusive}
    low, high = item.min or 0, item.max if item.max is not None else len(codes)
    fits = [s for s in subsets if low <= len(s) <= high and (len(s) == 1 or not exclusive & set(s))]
    return sorted(fits, key=lambda s: (len(s), s))


def _values(item: Item, options: list[int], usage: _Usage) -> list[Any]:
    """Return the answers worth trying for a shown item (before "unanswered")."""
    named, counts = usage.constants.get(item.code, set()), usage.counts.get(item.code, set())
    if item.type == "multi":
        return _choice_domain(options, named, counts, item)
    if item.type in ("single", "row"):
        picked = [c for c in options if c in named] + [c for c in options if c not in named][:1]
        return picked
    if item.type == "number":
        return _number_domain(item, named)
    if item.type in ("ranked", "nominations"):
        lengths = {1} | {n for n in _around(counts) if isinstance(n, int) and n > 0}
        return [tuple("x" for _ in range(n)) for n in sorted(lengths)]
    if item.type == "duration":
        return ["1 year"]
    return sorted({"some text", *(v for v in named if isinstance(v, str))})


def _number_domain(item: Item, named: set[Any]) -> list[Any]:
    numbers = [v for v in _around(named) if isinstance(v, int | float) and not isinstance(v, bool)]
    low = item.min if item.min is not None else float("-inf")
    high = item.max if item.max is not None else float("inf")
    fitting = sorted(
        {v for v in numbers if low <= v <= high and (not item.integer or float(v).is_integer())}
    )
    default = item.min if item.min is not None else (item.max if item.max is not None else 0)
    return fitting or [default]


def _member_domain(values: set[Any]) -> list[Any]:
    numbers = sorted(
        v for v in _around(values) if isinstance(v, int | float) and not isinstance(v, bool)
    )
    strings = sorted(v for v in values if isinstance(v, str))
    if not values:
        return [OTHER_VALUE, None]
    return [*numbers, *strings, OTHER_VALUE] if strings else numbers


# --- the walk ------------------------------------------------------------------


class _Explorer:
    def __init__(self, defn: Definition, max_states: int) -> None:
        self.defn, self.max_states = defn, max_states
        self.usage = _usage(defn)
        self.result = Exploration()
        self.queue: dict[int, set[State]] = defaultdict(set)

    def run(self) -> Exploration:
        self.queue[0] = self._initial_states()
        for page in self.defn.pages:
            states = self._bounded(self.queue.pop(page.index, set()))
            if states:
                self._visit_page(page, states)
        return self.result

    def _initial_states(self) -> set[State]:
        names = sorted(n for n in self.usage.last_use if n.startswith(MEMBER))
        domains = [_member_domain(self.usage.constants.get(n, set())) for n in names]
        return {tuple(zip(names, values, strict=True)) for values in product(*domains)}

    def _bounded(self, states: set[State]) -> list[dict[str, Any]]:
        ordered = sorted(states, key=repr)
        if len(ordered) > self.max_states:
            self.result.complete = False
            ordered = ordered[: self.max_states]
        return [dict(s) for s in ordered]

    def _visit_page(self, page: Page, states: list[dict[str, Any]]) -> None:
        shown, hidden = [], []
        for state in states:
            (shown if holds(page.show_if, state, _MemberView(state)) else hidden).append(state)
        if hidden:
            self._miss_pages(page.index, page.index + 1)
            self._send(page.index + 1, hidden)
        if not shown:
            return
        self.result.pages_shown.add(page.id)
        for item in page.items:
            shown = self._visit_item(page, item, shown)
        self._leave_page(page, shown)

    def _visit_item(
        self, page: Page, item: Item, states: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for state in states:
            view = _MemberView(state)
            if not holds(item.show_if, state, view):
                self.result.missed.update([item.code, *(r.code for r in item.rows)])
                out.append(state)
                continue
            self.result.seen.update([item.code, *(r.code for r in item.rows)])
            out.extend(self._branch(page, item, state, view))
        return _dedup(out)

    def _branch(
        self, page: Page, item: Item, state: dict[str, Any], view: _MemberView
    ) -> list[dict[str, Any]]:
        """Return the states after answering the item (none at a dead end)."""
        branches = [state]
        for target in item.rows or (item,):
            domain = self._domain(page, target, state, view)
            if domain is None:
                self.result.dead_ends.setdefault(target.code, _describe(state))
                return []
            if self.usage.last_use.get(target.code, -1) >= page.index and target.holds_answer:
                branches = [
                    {**b, target.code: v} if v is not None else b for b in branches for v in domain
                ]
        return branches

    def _domain(
        self, page: Page, item: Item, state: dict[str, Any], view: _MemberView
    ) -> list[Any] | None:
        """Return the values to try (None in it for "unanswered"); None at a dead end."""
        if not item.holds_answer:
            return [None]
        if item.type == "consent":
            return [item.options[0].code]  # refusing ends the path correctly
        options = [o.code for o in item.options or item.scale if holds(o.show_if, state, view)]
        required = item.required or (
            item.required_if is not None and holds(item.required_if, state, view)
        )
        if (
            item.type in ("single", "multi", "row")
            and required
            and len(options) < max(1, item.min or 0)
        ):
            return None
        values = _values(item, options, self.usage)
        return values if required and values else [None, *values]

    def _leave_page(self, page: Page, states: list[dict[str, Any]]) -> None:
        for state in states:
            target = next(
                (s.to for s in page.skips if holds(s.condition, state, _MemberView(state))), None
            )
            index = self._target_index(page, target)
            if index is None:
                self._miss_pages(page.index + 1, len(self.defn.pages))
            else:
                self._miss_pages(page.index + 1, index)
                self._send(index, [state])

    def _target_index(self, page: Page, target: str | None) -> int | None:
        """Return the index of the next page, None for the end."""
        if target == END:
            return None
        found = self.defn.pages_by_id.get(target) if target else None
        return found.index if found is not None and found.index > page.index else page.index + 1

    def _send(self, index: int, states: list[dict[str, Any]]) -> None:
        if index >= len(self.defn.pages):
            return
        for state in states:
            live = {k: v for k, v in state.items() if self.usage.last_use.get(k, -1) >= index}
            self.queue[index].add(tuple(sorted(live.items())))

    def _miss_pages(self, start: int, stop: int) -> None:
        for page in self.defn.pages[start:stop]:
            self.result.missed.update(i.code for i in page.flat_items())


def _dedup(states: list[dict[str, Any]]) -> list[dict[str, Any]]:
    unique = {tuple(sorted(s.items())): s for s in states}
    return list(unique.values())


def _describe(state: Mapping[str, Any]) -> str:
    """Return an example assignment such as "org.type = 1, member.site = 'x'"."""
    parts = [f"{k} = {v!r}" for k, v in sorted(state.items()) if v != OTHER_VALUE]
    return ", ".join(parts[:4]) or "on every path"


# --- public API ----------------------------------------------------------------


def explore(defn: Definition, *, max_states: int = 1000) -> Exploration:
    """Return what the explorer found about ``defn``'s paths."""
    return _Explorer(defn, max_states).run()


def reachable_items(defn: Definition, *, max_states: int = 1000) -> dict[str, Reach]:
    """Return, for every item code (grid rows included), always/sometimes/never."""
    found = explore(defn, max_states=max_states)
    return {code: found.reach(code) for code in defn.items}


def trend_items_lost(old: Definition, new: Definition) -> list[str]:
    """Return codes reachable in ``old`` that still exist but are never shown in ``new``."""
    before, after = reachable_items(old), reachable_items(new)
    return [
        code
        for code, reach in after.items()
        if reach == "never" and before.get(code, "never") != "never"
    ]
