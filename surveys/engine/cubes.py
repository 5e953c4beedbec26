"""Cubes of answer states, for the path explorer (``paths``).

A cube is a set of states written as, for every variable a later condition still
reads, the set of values it may hold. Here: what the conditions of a definition
read (``usage``), the values an answer can take that make a difference to them
(its *domain*), the cube itself, and deciding a condition over a cube, splitting it
only as far as the decision needs.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from .expressions import (
    BoolOp,
    Call,
    Compare,
    Expr,
    ListLiteral,
    MemberRef,
    Not,
    Ref,
    walk,
)
from .expressions import (
    Literal as Lit,
)
from .model import Definition, Item
from .values import OPERATORS, count_of, is_answered, truthy

Values = frozenset[Any]
OTHER_VALUE = "\x00something else"
MEMBER = "member."

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
class Usage:
    last_use: dict[str, int] = field(default_factory=dict)
    constants: dict[str, set[Any]] = field(default_factory=lambda: defaultdict(set))
    counts: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))


def usage_of(defn: Definition) -> Usage:
    """Return where each variable is last read and the constants it meets."""
    usage = Usage()
    for page_index, expr in _expressions(defn):
        for name in [*expr.refs, *(MEMBER + a for a in expr.member_refs)]:
            usage.last_use[name] = max(usage.last_use.get(name, -1), page_index)
        for node in walk(expr.node):
            if isinstance(node, Compare):
                _note_comparison(node, usage)
    return usage


def _note_comparison(node: Compare, usage: Usage) -> None:
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


def domain_of(item: Item, options: list[int], usage: Usage) -> list[Any]:
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


def member_domain(values: set[Any]) -> list[Any]:
    numbers = sorted(
        v for v in _around(values) if isinstance(v, int | float) and not isinstance(v, bool)
    )
    strings = sorted(v for v in values if isinstance(v, str))
    if not values:
        return [OTHER_VALUE, None]
    return [*numbers, *strings, OTHER_VALUE] if strings else numbers


# --- cubes ---------------------------------------------------------------------

UNANSWERED: Values = frozenset({None})


class Cube:
    """A set of states: every combination of the values each variable may hold.

    A variable not listed holds None (unanswered). ``exact`` means every state in the
    cube is on a real path; an over-approximated cube may hold states that are not.
    """

    __slots__ = ("domains", "exact", "_key")

    def __init__(self, domains: Mapping[str, Values], exact: bool = True) -> None:
        self.domains = {k: v for k, v in domains.items() if v != UNANSWERED}
        self.exact = exact
        self._key: tuple | None = None

    def get(self, name: str) -> Values:
        return self.domains.get(name, UNANSWERED)

    def with_values(self, name: str, values: Values) -> Cube:
        return Cube({**self.domains, name: values}, self.exact)

    def only(self, names: Iterable[str]) -> Cube:
        return Cube({k: self.domains[k] for k in names if k in self.domains}, self.exact)

    def key(self) -> tuple:
        if self._key is None:
            self._key = tuple(sorted(self.domains.items(), key=lambda kv: kv[0]))
        return self._key

    def key_without(self, name: str) -> tuple:
        return tuple(kv for kv in self.key() if kv[0] != name)

    def example(self) -> str:
        """Return one state of the cube, such as "org.type = 1, member.site = 'x'"."""
        parts = []
        for name, values in self.key():
            answered = [v for v in values if v is not None and v != OTHER_VALUE]
            if answered:
                parts.append(f"{name} = {min(answered, key=repr)!r}")
        return ", ".join(parts[:4]) or "on every path"


def dedup(cubes: Iterable[Cube]) -> list[Cube]:
    """Return the distinct cubes; of two equal ones the exact one stays."""
    unique: dict[tuple, Cube] = {}
    for cube in cubes:
        kept = unique.get(cube.key())
        if kept is None or (cube.exact and not kept.exact):
            unique[cube.key()] = cube
    return list(unique.values())


def merge_on(cubes: list[Cube], name: str) -> list[Cube]:
    """Return the cubes with those differing only in ``name`` merged (an exact union)."""
    groups: dict[tuple, list[Cube]] = defaultdict(list)
    for cube in cubes:
        groups[(cube.exact, cube.key_without(name))].append(cube)
    merged = []
    for group in groups.values():
        if len(group) == 1:
            merged.append(group[0])
        else:
            values = frozenset().union(*(c.get(name) for c in group))
            merged.append(group[0].with_values(name, values))
    return merged


def hull(cubes: list[Cube]) -> Cube:
    """Return one cube holding every state of ``cubes`` (and maybe more)."""
    names = {name for cube in cubes for name in cube.domains}
    domains = {n: frozenset().union(*(c.get(n) for c in cubes)) for n in names}
    return Cube(domains, exact=len(cubes) == 1 and cubes[0].exact)


# --- deciding a condition over a cube -------------------------------------------

UNKNOWN = object()


@functools.lru_cache(maxsize=4096)
def names_in(expr: Expr) -> frozenset[str]:
    return expr.refs | frozenset(MEMBER + attr for attr in expr.member_refs)


@functools.lru_cache(maxsize=4096)
def cost(expr: Expr) -> int:
    """Return the steps one evaluation of ``expr`` counts for: its number of nodes."""
    return sum(1 for _ in walk(expr.node))


def partial(node: Any, env: Mapping[str, Any], pending: frozenset[str], hits: list[str]) -> Any:
    """Return the value of ``node`` with the ``pending`` variables not yet known.

    Gives UNKNOWN when the value depends on a pending variable, and appends the
    variables it needed to ``hits``. Means the same as the compiled expression.
    """
    if isinstance(node, Lit):
        return node.value
    if isinstance(node, ListLiteral):
        return node.values
    if isinstance(node, Ref | MemberRef):
        name = node.code if isinstance(node, Ref) else MEMBER + node.attr
        if name in pending:
            hits.append(name)
            return UNKNOWN
        return env.get(name)
    if isinstance(node, Call):
        inner = partial(node.arg, env, pending, hits)
        if inner is UNKNOWN:
            return UNKNOWN
        return count_of(inner) if node.name == "count" else is_answered(inner)
    if isinstance(node, Compare):
        left = partial(node.left, env, pending, hits)
        right = partial(node.right, env, pending, hits)
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        return OPERATORS[node.op](left, right)
    if isinstance(node, Not):
        inner = partial(node.operand, env, pending, hits)
        return UNKNOWN if inner is UNKNOWN else not truthy(inner)
    return _partial_boolop(node, env, pending, hits)


def _partial_boolop(
    node: BoolOp, env: Mapping[str, Any], pending: frozenset[str], hits: list[str]
) -> Any:
    decisive = node.op == "or"  # the operand value that decides the whole
    unknown = False
    for operand in node.operands:
        value = partial(operand, env, pending, hits)
        if value is UNKNOWN:
            unknown = True
        elif truthy(value) == decisive:
            return decisive
    return UNKNOWN if unknown else not decisive
