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
later page stay one or two cubes instead of 3**12 states. The cubes, the answer
domains and the deciding of a condition over a cube are in ``cubes``.

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

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from .cubes import (
    MEMBER,
    UNKNOWN,
    Cube,
    cost,
    dedup,
    domain_of,
    hull,
    member_domain,
    merge_on,
    names_in,
    partial,
    usage_of,
)
from .expressions import Expr
from .model import END, Definition, Item, Page
from .values import truthy

Reach = Literal["always", "sometimes", "never", "unknown"]


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


# --- the walk ------------------------------------------------------------------

GRACE = 300  # steps each condition may take once the budget is spent
PARTS = 64  # parts of one cube an item may split it into before they are merged
TRUE, FALSE = frozenset([True]), frozenset([False])


def _merge_parts(
    parts: list[tuple[Cube, tuple[frozenset[bool], ...]]],
) -> tuple[Cube, tuple[frozenset[bool], ...]]:
    """Return one part holding all of ``parts``: the union of cubes and of outcomes."""
    columns = zip(*(outcomes for _, outcomes in parts), strict=True)
    outcomes = tuple(frozenset().union(*column) for column in columns)
    merged = hull([cube for cube, _ in parts])
    return Cube(merged.domains, exact=False), outcomes


class _Explorer:
    def __init__(self, defn: Definition, max_states: int, budget: int) -> None:
        self.defn, self.max_states, self.budget = defn, max_states, budget
        self.usage = usage_of(defn)
        self.result = Exploration()
        self.queue: dict[int, list[Cube]] = defaultdict(list)
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

    def _initial_cube(self) -> Cube:
        names = sorted(n for n in self.usage.last_use if n.startswith(MEMBER))
        return Cube(
            {n: frozenset(member_domain(self.usage.constants.get(n, set()))) for n in names}
        )

    # -- bounding the work

    def _tidy(self, cubes: list[Cube]) -> list[Cube]:
        """Return fewer cubes for the same states; past a bound, their union (cut short)."""
        cubes = dedup(cubes)
        if len(cubes) > 1 and not self.exhausted:
            cubes = self._compact(cubes)
        if len(cubes) > self.max_states or (self.exhausted and len(cubes) > 1):
            self.result.complete = False
            cubes = [hull(cubes)]
        return cubes

    def _compact(self, cubes: list[Cube]) -> list[Cube]:
        """Return the cubes with every pair that differs in one variable merged."""
        changed = True
        while changed and len(cubes) > 1 and not self.exhausted:
            changed = False
            for name in sorted({n for cube in cubes for n in cube.domains}):
                self.result.steps += len(cubes) * (1 + len(cubes[0].domains))
                merged = merge_on(cubes, name)
                changed, cubes = changed or len(merged) < len(cubes), merged
        return cubes

    def _split(self, cube: Cube, expr: Expr | None) -> tuple[list[Cube], list[Cube]]:
        """Return (the parts of ``cube`` where ``expr`` holds, the parts where it does not)."""
        if expr is None:
            return [cube], []
        names = names_in(expr)
        env = {n: next(iter(cube.get(n))) for n in names if len(cube.get(n)) == 1}
        pending = frozenset(n for n in names if n not in env)
        self.stop_at = self.budget
        if self.exhausted:  # a little for each condition, so that simple ones are decided
            self.stop_at = min(self.result.steps + GRACE, self.budget * 3 // 2)
        parts = self._decide(expr, cube, env, pending)
        return [c for c, ok in parts if ok], [c for c, ok in parts if not ok]

    def _decide(
        self, expr: Expr, cube: Cube, env: dict[str, Any], pending: frozenset[str]
    ) -> list[tuple[Cube, bool]]:
        """Return the parts of ``cube`` with the value ``expr`` takes on each."""
        self.result.steps += cost(expr)
        hits: list[str] = []
        value = partial(expr.node, env, pending, hits)
        if value is not UNKNOWN:
            return [(cube, truthy(value))]
        if self.result.steps >= self.stop_at:  # cannot afford to split: goes both ways
            self.result.complete = False
            approximate = Cube(cube.domains, exact=False)
            return [(approximate, True), (approximate, False)]
        name, rest = hits[0], pending - {hits[0]}
        parts: list[tuple[Cube, bool]] = []
        self.result.steps += len(cube.domains) * len(cube.get(name))  # the copies made
        for value in sorted(cube.get(name), key=repr):
            single = cube.with_values(name, frozenset([value]))
            parts.extend(self._decide(expr, single, {**env, name: value}, rest))
        self.result.steps += len(parts) * (1 + len(cube.domains))
        merged = {
            outcome: merge_on([c for c, ok in parts if ok == outcome], name)
            for outcome in (True, False)
        }
        return [(c, outcome) for outcome, cubes in merged.items() for c in cubes]

    # -- pages and items

    def _visit_page(self, page: Page, cubes: list[Cube]) -> None:
        shown: list[Cube] = []
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

    def _visit_item(self, page: Page, item: Item, cubes: list[Cube]) -> list[Cube]:
        codes = [item.code, *(r.code for r in item.rows)]
        self.result.steps += len(cubes)
        out: list[Cube] = []
        for cube in cubes:
            yes, no = self._split(cube, item.show_if)
            for hidden in no:
                self.result.note(codes, shown=False, proven=hidden.exact)
            out.extend(no)
            for shown in yes:
                self.result.note(codes, shown=True, proven=shown.exact)
                out.extend(self._answer(page, item, shown))
        return self._tidy(out) if len(out) > 1 else out

    def _answer(self, page: Page, item: Item, cube: Cube) -> list[Cube]:
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

    def _domains(self, item: Item, cube: Cube) -> Iterator[tuple[Cube, list[Any] | None]]:
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
        self, item: Item, part: Cube, choices: tuple, outcomes: tuple[frozenset[bool], ...]
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
        values = domain_of(item, may_show, self.usage)
        return values if False not in required and values else [None, *values]

    def _partition(
        self, cube: Cube, conditions: list[Expr | None]
    ) -> list[tuple[Cube, tuple[frozenset[bool], ...]]]:
        """Return parts of the cube, each with the values every condition takes on it.

        Too many parts (only when splitting was cut short) are merged into one.
        """
        parts: list[tuple[Cube, tuple[frozenset[bool], ...]]] = [(cube, ())]
        for condition in conditions:
            split = []
            for part, outcomes in parts:
                yes, no = self._split(part, condition)
                split += [(c, (*outcomes, TRUE)) for c in yes]
                split += [(c, (*outcomes, FALSE)) for c in no]
            parts = split if len(split) <= PARTS else [_merge_parts(split)]
        return parts

    def _leave_page(self, page: Page, cube: Cube) -> None:
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

    def _go(self, page: Page, target: str | None, cube: Cube) -> None:
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

    def _send(self, index: int, cube: Cube) -> None:
        if index >= len(self.defn.pages):
            return
        live = [k for k in cube.domains if self.usage.last_use.get(k, -1) >= index]
        self.queue[index].append(cube.only(live))

    def _miss_pages(self, start: int, stop: int, cube: Cube) -> None:
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
