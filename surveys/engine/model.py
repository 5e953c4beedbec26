"""Typed, frozen views of a questionnaire version.

Built by ``definition.load_definition``; every expression is compiled once
here, so routing and validation only call closures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .expressions import Expr

if TYPE_CHECKING:  # plan.py builds on this module
    from .plan import PagePlan

END = "end"
CHOICE_TYPES = frozenset({"single", "multi"})
ANSWERLESS_TYPES = frozenset({"info", "grid"})


@dataclass(frozen=True)
class Option:
    """A choice option or a point of a grid scale."""

    code: int
    text: str
    other: bool = False
    exclusive: bool = False
    show_if: Expr | None = None


@dataclass(frozen=True)
class Slot:
    """One box of a ranked item (e.g. "Most important")."""

    code: int | str
    text: str


@dataclass(frozen=True)
class Skip:
    """A skip rule: after its page, when ``condition`` holds, go to ``to``."""

    condition: Expr
    to: str  # a page id or END


@dataclass(frozen=True)
class Item:
    """A question, or one row of a grid (``type == "row"``, ``grid`` set)."""

    code: str
    type: str
    page_id: str
    position: int  # index in the flat item order, grid rows included
    text: str = ""
    label: str | None = None
    help: str | None = None
    required: bool = False
    required_if: Expr | None = None
    show_if: Expr | None = None
    options: tuple[Option, ...] = ()  # single, multi, consent (its one option)
    scale: tuple[Option, ...] = ()  # grid and its rows
    rows: tuple[Item, ...] = ()  # grid
    grid: str | None = None  # row: the code of its grid
    other: bool = False  # row: the respondent types the row's label
    slots: tuple[Slot, ...] = ()
    min: float | None = None
    max: float | None = None
    integer: bool = False
    max_length: int | None = None
    max_years: int | None = None
    source: str | None = None
    option_codes: frozenset[int] = field(default=frozenset(), compare=False, repr=False)
    conditional_options: bool = field(default=False, compare=False, repr=False)
    # The codes of the options shown whatever the answers, and (code, condition) of the rest.
    fixed_codes: frozenset[int] = field(default=frozenset(), compare=False, repr=False)
    option_conditions: tuple[tuple[int, Expr], ...] = field(default=(), compare=False, repr=False)
    other_codes: frozenset[int] = field(default=frozenset(), compare=False, repr=False)
    # The item cut down to the options shown, by their codes (``routing.with_visible_options``).
    # (Not an __init__ argument, so a copy made with dataclasses.replace starts its own.)
    variants: dict[frozenset[int], Item] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    @property
    def holds_answer(self) -> bool:
        """Return whether an answer is stored under this item's code."""
        return self.type not in ANSWERLESS_TYPES

    def option(self, code: Any) -> Option | None:
        """Return the option (or scale point) with this code, or None."""
        for option in self.options or self.scale:
            if option.code == code:
                return option
        return None

    def other_field(self, option_code: int) -> str:
        """Return the field holding the typed-in text of an "other" option."""
        return f"{self.code}.other.{option_code}"

    @property
    def label_field(self) -> str:
        """Return the field holding an "other" grid row's typed-in label."""
        return f"{self.code}.label"

    def companion_fields(self) -> tuple[str, ...]:
        """Return the fields stored beside the answer (other texts, row label)."""
        if self.type == "row":
            return (self.label_field,) if self.other else ()
        return tuple(self.other_field(code) for code in sorted(self.other_codes))


@dataclass(frozen=True)
class Page:
    """A page: its items (grids with their rows inside) and skip rules."""

    id: str
    index: int
    title: str = ""
    show_if: Expr | None = None
    items: tuple[Item, ...] = ()
    skips: tuple[Skip, ...] = ()
    # What walking the page does, worked out when the definition is loaded.
    plan: PagePlan | None = field(default=None, compare=False, repr=False)

    @cached_property
    def consent_items(self) -> tuple[Item, ...]:
        """Return the page's consent gates (most pages have none)."""
        return tuple(item for item in self.items if item.type == "consent")

    @cached_property
    def fields(self) -> frozenset[str]:
        """Return every answer key the page can hold (codes and companion fields)."""
        return frozenset(
            key for item in self.flat_items() for key in (item.code, *item.companion_fields())
        )

    def flat_items(self) -> tuple[Item, ...]:
        """Return the page's items with each grid followed by its rows."""
        flat: list[Item] = []
        for item in self.items:
            flat.append(item)
            flat.extend(item.rows)
        return tuple(flat)


@dataclass(frozen=True)
class Definition:
    """A whole questionnaire version, indexed for routing and validation."""

    questionnaire: str
    title: str
    pages: tuple[Page, ...]
    items: Mapping[str, Item] = field(compare=False, repr=False)
    member_attributes: tuple[str, ...] = ()
    format: int = 1
    content_hash: str = ""
    data: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    pages_by_id: Mapping[str, Page] = field(default_factory=dict, compare=False, repr=False)

    def page(self, page_id: str) -> Page:
        """Return the page with this id; raise KeyError if there is none."""
        return self.pages_by_id[page_id]

    def item(self, code: str) -> Item:
        """Return the item (or grid row) with this code; raise KeyError."""
        return self.items[code]

    def page_of(self, code: str) -> Page:
        """Return the page an item or grid row sits on."""
        return self.pages_by_id[self.items[code].page_id]

    def answer_codes(self) -> tuple[str, ...]:
        """Return, in order, the codes under which answers are stored."""
        return self._answer_codes

    @cached_property
    def _answer_codes(self) -> tuple[str, ...]:
        return tuple(code for code, item in self.items.items() if item.holds_answer)

    @cached_property
    def answer_code_set(self) -> frozenset[str]:
        """Return the codes under which answers are stored, as a set."""
        return frozenset(self._answer_codes)
