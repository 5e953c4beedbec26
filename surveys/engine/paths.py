"""Path explorer: which items can a respondent ever see?

The routing only depends on the answers that conditions read, so instead of
enumerating every answer set the explorer walks the pages in order with a few
*cubes*: each cube is a set of states written as, for every variable some later
condition still reads, the set of values it may hold (every combination is in
the cube). Answering an item that is read later widens its variable to the
values that can make a difference: the option codes named in comparisons plus
one unnamed code, counts around each threshold, numbers around each constant,
member attributes' compared values plus "something else", and "unanswered"
when the item is not required. Only a condition splits a cube, one variable
at a time and only as far as it needs to decide (``a == 1 and b == 2`` with
``a`` unanswered is false whatever ``b`` is). A variable leaves the cubes after
its last use, so cubes merge again; twelve yes/no questions each gating a
later page stay one or two cubes instead of 3**12 states.

The work is bounded (``budget`` steps in all, ``max_states`` cubes at a time).
Past a bound the explorer keeps going cheaply with an over-approximation (the
union of the cubes; a condition it cannot afford to split counts as both true
and false) and says so (``complete`` is False). The result stays honest:

- "never" and "always" are claimed only when proven, since the
  over-approximation holds every real path;
- "sometimes" needs a real path that shows the item and one that does not;
- anything else is "unknown", which only a cut-short exploration returns.

A respondent who refuses consent sees nothing after it: such paths end
correctly and are left out of "always"/"sometimes".
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Literal

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
from .model import END, Definition, Item, Page
from .values import OPERATORS, count_of, is_answered, truthy

Reach = Literal["always", "sometimes", "never", "unknown"]
Values = frozenset[Any]
OTHER_VALUE = "\x00something else"
MEMBER = "member."


@dataclass
class Exploration:
    """What the explorer found.

    ``seen``/``missed`` are proven by a real path; ``possibly_seen``/``possibly_missed``
    hold every real path (and, when the exploration was cut short, maybe more). They
    are the same sets when ``complete``.
    """

    seen: set[str] = field(default_factory=set)  # item codes shown on some real path
    missed: set[str] = field(default_factory=set)  # item codes not shown on some real path
    possibly_seen: set[str] = field(default_factory=set)
    possibly_missed: set[str] = field(default_factory=set)
    pages_shown: set[str] = field(default_factory=set)  # pages shown on some possible path
    dead_ends: dict[str, str] = field(default_factory=dict)  # item code -> example (proven)
    possible_dead_ends: dict[str, str] = field(default_factory=dict)  # not ruled out
    complete: bool = True  # False when a bound cut the exploration short
    steps: int = 0  # the work done, in condition evaluations and cube operations

    def reach(self, code: str) -> Reach:
        """Return whether the item is shown on every, some or no path ("unknown": undecided)."""
        if code not in self.possibly_seen:
            return "never"
        if code not in self.possibly_missed:
            return "always"
        if code in self.seen and code in self.missed:
            return "sometimes"
        return "unknown"

    def reach_all(self, defn: Definition) -> dict[str, Reach]:
        """Return the reach of every item code of ``defn`` (grid rows included)."""
        return {code: self.reach(code) for code in defn.items}

    def note(self, codes: Iterable[str], *, shown: bool, proven: bool) -> None:
        """Record that these items are shown (or not) on the paths of one cube."""
        codes = list(codes)
        (self.possibly_seen if shown else self.possibly_missed).update(codes)
        if proven:
            (self.seen if shown else self.missed).update(codes)


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


# --- cubes ---------------------------------------------------------------------

UNANSWERED: Values = frozenset({None})


class _Cube:
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

    def with_values(self, name: str, values: Values) -> _Cube:
        return _Cube({**self.domains, name: values}, self.exact)

    def only(self, names: Iterable[str]) -> _Cube:
        return _Cube({k: self.domains[k] for k in names if k in self.domains}, self.exact)

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


def _dedup(cubes: Iterable[_Cube]) -> list[_Cube]:
    """Return the distinct cubes; of two equal ones the exact one stays."""
    unique: dict[tuple, _Cube] = {}
    for cube in cubes:
        kept = unique.get(cube.key())
        if kept is None or (cube.exact and not kept.exact):
            unique[cube.key()] = cube
    return list(unique.values())


def _merge_on(cubes: list[_Cube], name: str) -> list[_Cube]:
    """Return the cubes with those differing only in ``name`` merged (an exact union)."""
    groups: dict[tuple, list[_Cube]] = defaultdict(list)
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


def _hull(cubes: list[_Cube]) -> _Cube:
    """Return one cube holding every state of ``cubes`` (and maybe more)."""
    names = {name for cube in cubes for name in cube.domains}
    domains = {n: frozenset().union(*(c.get(n) for c in cubes)) for n in names}
    return _Cube(domains, exact=len(cubes) == 1 and cubes[0].exact)


# --- deciding a condition over a cube -------------------------------------------

UNKNOWN = object()


@functools.lru_cache(maxsize=4096)
def _names(expr: Expr) -> frozenset[str]:
    return expr.refs | frozenset(MEMBER + attr for attr in expr.member_refs)


@functools.lru_cache(maxsize=4096)
def _cost(expr: Expr) -> int:
    """Return the steps one evaluation of ``expr`` counts for: its number of nodes."""
    return sum(1 for _ in walk(expr.node))


def _partial(node: Any, env: Mapping[str, Any], pending: frozenset[str], hits: list[str]) -> Any:
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
        inner = _partial(node.arg, env, pending, hits)
        if inner is UNKNOWN:
            return UNKNOWN
        return count_of(inner) if node.name == "count" else is_answered(inner)
    if isinstance(node, Compare):
        left = _partial(node.left, env, pending, hits)
        right = _partial(node.right, env, pending, hits)
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        return OPERATORS[node.op](left, right)
    if isinstance(node, Not):
        inner = _partial(node.operand, env, pending, hits)
        return UNKNOWN if inner is UNKNOWN else not truthy(inner)
    return _partial_boolop(node, env, pending, hits)


def _partial_boolop(
    node: BoolOp, env: Mapping[str, Any], pending: frozenset[str], hits: list[str]
) -> Any:
    decisive = node.op == "or"  # the operand value that decides the whole
    unknown = False
    for operand in node.operands:
        value = _partial(operand, env, pending, hits)
        if value is UNKNOWN:
            unknown = True
        elif truthy(value) == decisive:
            return decisive
    return UNKNOWN if unknown else not decisive


# --- the walk ------------------------------------------------------------------

GRACE = 300  # steps each condition may take once the budget is spent
PARTS = 64  # parts of one cube an item may split it into before they are merged
TRUE, FALSE = frozenset([True]), frozenset([False])


def _merge_parts(
    parts: list[tuple[_Cube, tuple[frozenset[bool], ...]]],
) -> tuple[_Cube, tuple[frozenset[bool], ...]]:
    """Return one part holding all of ``parts``: the union of cubes and of outcomes."""
    columns = zip(*(outcomes for _, outcomes in parts), strict=True)
    outcomes = tuple(frozenset().union(*column) for column in columns)
    merged = _hull([cube for cube, _ in parts])
    return _Cube(merged.domains, exact=False), outcomes


class _Explorer:
    def __init__(self, defn: Definition, max_states: int, budget: int) -> None:
        self.defn, self.max_states, self.budget = defn, max_states, budget
        self.usage = _usage(defn)
        self.result = Exploration()
        self.queue: dict[int, list[_Cube]] = defaultdict(list)
        self.stop_at = budget

    @property
    def exhausted(self) -> bool:
        """Past the budget the cubes are merged into one after every item, and each
        condition may still split it for a few steps (up to half the budget more)."""
        return self.result.steps >= self.budget

    def run(self) -> Exploration:
        self.queue[0] = [self._initial_cube()]
        for page in self.defn.pages:
            cubes = self._tidy(self.queue.pop(page.index, []))
            if cubes:
                self._visit_page(page, cubes)
        return self.result

    def _initial_cube(self) -> _Cube:
        names = sorted(n for n in self.usage.last_use if n.startswith(MEMBER))
        return _Cube(
            {n: frozenset(_member_domain(self.usage.constants.get(n, set()))) for n in names}
        )

    # -- bounding the work

    def _tidy(self, cubes: list[_Cube]) -> list[_Cube]:
        """Return fewer cubes for the same states; past a bound, their union (cut short)."""
        cubes = _dedup(cubes)
        if len(cubes) > 1 and not self.exhausted:
            cubes = self._compact(cubes)
        if len(cubes) > self.max_states or (self.exhausted and len(cubes) > 1):
            self.result.complete = False
            cubes = [_hull(cubes)]
        return cubes

    def _compact(self, cubes: list[_Cube]) -> list[_Cube]:
        """Return the cubes with every pair that differs in one variable merged."""
        changed = True
        while changed and len(cubes) > 1 and not self.exhausted:
            changed = False
            for name in sorted({n for cube in cubes for n in cube.domains}):
                self.result.steps += len(cubes) * (1 + len(cubes[0].domains))
                merged = _merge_on(cubes, name)
                changed, cubes = changed or len(merged) < len(cubes), merged
        return cubes

    def _split(self, cube: _Cube, expr: Expr | None) -> tuple[list[_Cube], list[_Cube]]:
        """Return (the parts of ``cube`` where ``expr`` holds, the parts where it does not)."""
        if expr is None:
            return [cube], []
        names = _names(expr)
        env = {n: next(iter(cube.get(n))) for n in names if len(cube.get(n)) == 1}
        pending = frozenset(n for n in names if n not in env)
        self.stop_at = self.budget
        if self.exhausted:  # a little for each condition, so that simple ones are decided
            self.stop_at = min(self.result.steps + GRACE, self.budget * 3 // 2)
        parts = self._decide(expr, cube, env, pending)
        return [c for c, ok in parts if ok], [c for c, ok in parts if not ok]

    def _decide(
        self, expr: Expr, cube: _Cube, env: dict[str, Any], pending: frozenset[str]
    ) -> list[tuple[_Cube, bool]]:
        """Return the parts of ``cube`` with the value ``expr`` takes on each."""
        self.result.steps += _cost(expr)
        hits: list[str] = []
        value = _partial(expr.node, env, pending, hits)
        if value is not UNKNOWN:
            return [(cube, truthy(value))]
        if self.result.steps >= self.stop_at:  # cannot afford to split: goes both ways
            self.result.complete = False
            approximate = _Cube(cube.domains, exact=False)
            return [(approximate, True), (approximate, False)]
        name, rest = hits[0], pending - {hits[0]}
        parts: list[tuple[_Cube, bool]] = []
        self.result.steps += len(cube.domains) * len(cube.get(name))  # the copies made
        for value in sorted(cube.get(name), key=repr):
            single = cube.with_values(name, frozenset([value]))
            parts.extend(self._decide(expr, single, {**env, name: value}, rest))
        self.result.steps += len(parts) * (1 + len(cube.domains))
        merged = {
            outcome: _merge_on([c for c, ok in parts if ok == outcome], name)
            for outcome in (True, False)
        }
        return [(c, outcome) for outcome, cubes in merged.items() for c in cubes]

    # -- pages and items

    def _visit_page(self, page: Page, cubes: list[_Cube]) -> None:
        shown: list[_Cube] = []
        for cube in cubes:
            yes, no = self._split(cube, page.show_if)
            shown.extend(yes)
            for hidden in no:
                self._miss_pages(page.index, page.index + 1, hidden)
                self._send(page.index + 1, hidden)
        if not shown:
            return
        self.result.pages_shown.add(page.id)
        for item in page.items:
            shown = self._visit_item(page, item, shown)
            if not shown:
                return
        for cube in shown:
            self._leave_page(page, cube)

    def _visit_item(self, page: Page, item: Item, cubes: list[_Cube]) -> list[_Cube]:
        codes = [item.code, *(r.code for r in item.rows)]
        self.result.steps += len(cubes)
        out: list[_Cube] = []
        for cube in cubes:
            yes, no = self._split(cube, item.show_if)
            for hidden in no:
                self.result.note(codes, shown=False, proven=hidden.exact)
            out.extend(no)
            for shown in yes:
                self.result.note(codes, shown=True, proven=shown.exact)
                out.extend(self._answer(page, item, shown))
        return self._tidy(out) if len(out) > 1 else out

    def _answer(self, page: Page, item: Item, cube: _Cube) -> list[_Cube]:
        """Return the cubes after answering the item (none at a dead end)."""
        cubes = [cube]
        for target in item.rows or (item,):
            if not target.holds_answer:
                continue
            read_later = self.usage.last_use.get(target.code, -1) >= page.index
            answered = []
            for part, domain in (p for c in cubes for p in self._domains(target, c)):
                if domain is None:
                    continue
                if read_later:
                    part = part.with_values(target.code, frozenset(domain))
                answered.append(part)
            cubes = self._tidy(answered) if len(answered) > PARTS else answered
        return cubes

    def _domains(self, item: Item, cube: _Cube) -> Iterator[tuple[_Cube, list[Any] | None]]:
        """Yield parts of the cube with the values to try on each (None: a dead end)."""
        if item.type == "consent":
            yield cube, [item.options[0].code]  # refusing ends the path correctly
            return
        choices = item.options or item.scale
        conditions = [item.required_if, *(o.show_if for o in choices)]
        for part, outcomes in self._partition(cube, conditions):
            if item.required_if is None:
                outcomes = (frozenset([item.required]), *outcomes[1:])
            yield part, self._values_to_try(item, part, choices, outcomes)

    def _values_to_try(
        self, item: Item, part: _Cube, choices: tuple, outcomes: tuple[frozenset[bool], ...]
    ) -> list[Any] | None:
        """Return the values to try (None in it for "unanswered"); None at a dead end.

        Each outcome is the set of values the condition may take on ``part``: one value
        unless the exploration was cut short.
        """
        required = outcomes[0] if not item.required else frozenset([True])
        may_show = [o.code for o, out in zip(choices, outcomes[1:], strict=True) if True in out]
        surely = [o.code for o, out in zip(choices, outcomes[1:], strict=True) if False not in out]
        choosing = item.type in ("single", "multi", "row")
        if choosing and True in required and len(surely) < max(1, item.min or 0):
            proven = part.exact and all(len(out) == 1 for out in outcomes)
            found = self.result.dead_ends if proven else self.result.possible_dead_ends
            found.setdefault(item.code, part.example())
            if proven:
                return None
        values = _values(item, may_show, self.usage)
        return values if False not in required and values else [None, *values]

    def _partition(
        self, cube: _Cube, conditions: list[Expr | None]
    ) -> list[tuple[_Cube, tuple[frozenset[bool], ...]]]:
        """Return parts of the cube, each with the values every condition takes on it.

        Too many parts (only when splitting was cut short) are merged into one.
        """
        parts: list[tuple[_Cube, tuple[frozenset[bool], ...]]] = [(cube, ())]
        for condition in conditions:
            split = []
            for part, outcomes in parts:
                yes, no = self._split(part, condition)
                split += [(c, (*outcomes, TRUE)) for c in yes]
                split += [(c, (*outcomes, FALSE)) for c in no]
            parts = split if len(split) <= PARTS else [_merge_parts(split)]
        return parts

    def _leave_page(self, page: Page, cube: _Cube) -> None:
        remaining = [cube]
        for skip in page.skips:
            not_taken = []
            for part in remaining:
                yes, no = self._split(part, skip.condition)
                for taken in yes:
                    self._go(page, skip.to, taken)
                not_taken.extend(no)
            remaining = not_taken
        for part in remaining:
            self._go(page, None, part)

    def _go(self, page: Page, target: str | None, cube: _Cube) -> None:
        index = self._target_index(page, target)
        self._miss_pages(page.index + 1, len(self.defn.pages) if index is None else index, cube)
        if index is not None:
            self._send(index, cube)

    def _target_index(self, page: Page, target: str | None) -> int | None:
        """Return the index of the next page, None for the end."""
        if target == END:
            return None
        found = self.defn.pages_by_id.get(target) if target else None
        return found.index if found is not None and found.index > page.index else page.index + 1

    def _send(self, index: int, cube: _Cube) -> None:
        if index >= len(self.defn.pages):
            return
        live = [k for k in cube.domains if self.usage.last_use.get(k, -1) >= index]
        self.queue[index].append(cube.only(live))

    def _miss_pages(self, start: int, stop: int, cube: _Cube) -> None:
        for page in self.defn.pages[start:stop]:
            self.result.note((i.code for i in page.flat_items()), shown=False, proven=cube.exact)


# --- public API ----------------------------------------------------------------

MAX_STATES = 1000
BUDGET = 150_000


def explore(defn: Definition, *, max_states: int = MAX_STATES, budget: int = BUDGET) -> Exploration:
    """Return what the explorer found about ``defn``'s paths, in bounded work."""
    return _Explorer(defn, max_states, budget).run()


def reachable_items(
    defn: Definition, *, max_states: int = MAX_STATES, budget: int = BUDGET
) -> dict[str, Reach]:
    """Return, for every item code (grid rows included), always/sometimes/never/unknown."""
    return explore(defn, max_states=max_states, budget=budget).reach_all(defn)


def trend_items_lost(
    old: Definition,
    new: Definition,
    *,
    before: Exploration | None = None,
    after: Exploration | None = None,
) -> list[str]:
    """Return codes reachable in ``old`` that still exist but are never shown in ``new``.

    Pass the explorations when they are already known (they are cached per version).
    """
    before_reach = (before or explore(old)).reach_all(old)
    after_reach = (after or explore(new)).reach_all(new)
    return [
        code
        for code, reach in after_reach.items()
        if reach == "never" and before_reach.get(code, "never") != "never"
    ]
