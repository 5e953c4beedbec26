"""Report tables built from responses: pure functions over plain data, no ORM.

A table counts, for each column (all responses, then one per subgroup), the responses
that chose an option among those that answered: its **base**. Missing answers are left
out of the base and counted apart: items the routing did not ask, items asked and left
blank, and (when the reader asks for it) "don't know" answers. The seed reports keep
"don't know" as a category inside the base, so that is the default here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from surveys.engine.model import Item, Option
from surveys.engine.values import is_answered

ALL = "All"
# Items a frequency table can be made of; a grid makes a table of its rows.
CLOSED_TYPES = frozenset({"single", "multi", "row"})
TABLE_TYPES = CLOSED_TYPES | {"grid"}
# The definition format has no flag for "don't know": an option is taken as one by its
# wording, as every seed questionnaire words it ("Don't know", "Don't know / Not
# applicable", "Not applicable").
DONT_KNOW = re.compile(r"^\s*(don[’']?t know|not applicable|not sure|can[’']?t say)\b", re.I)

# A share of fewer answers than this is marked: too few to compare (the 2020 report shows
# no subgroups for that reason, with 58 responses in all).
SMALL_BASE = 10
NOT_ASKED, SKIPPED, DONT_KNOW_OUT, ANSWERED = "not_asked", "skipped", "dont_know", "answered"
MISSING_LABELS = {
    NOT_ASKED: "Not asked (routing)",
    SKIPPED: "Asked, left blank",
    DONT_KNOW_OUT: "Don't know (left out of the base)",
}


def is_dont_know(option: Option) -> bool:
    """Return whether an option's wording makes it a "don't know" or "not applicable"."""
    return bool(DONT_KNOW.match(option.text))


@dataclass(frozen=True)
class Respondent:
    """One response as the tables see it: its subgroups, answers and unasked items."""

    groups: Mapping[str, str]  # e.g. {"cohort": "Cohort 1", "group": "CCG", "site": "Kent"}
    answers: Mapping[str, Any]
    not_asked: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Cell:
    """How many of a base chose what the row counts."""

    count: int
    base: int

    @property
    def percent(self) -> float | None:
        """Return the share of the base, in percent (None for an empty base)."""
        return 100 * self.count / self.base if self.base else None

    @property
    def small(self) -> bool:
        """Return whether the base is too small to read the share with confidence."""
        return 0 < self.base < SMALL_BASE

    @property
    def shown(self) -> str:
        """Return the percentage as the reports print it: whole, rounded half up."""
        if self.percent is None:
            return "–"
        whole = Decimal(self.count * 100) / Decimal(self.base)
        return f"{whole.quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


@dataclass
class TableRow:
    code: str
    label: str
    cells: list[Cell]


@dataclass
class ReportTable:
    """A table as printed: a caption, columns, rows of cells, bases and missing counts.

    `bases` is set when every row of a column has the same base (a frequency table);
    otherwise each cell carries its own (a grid's statements, a trend's rounds).
    """

    kind: str  # "frequency", "grid" or "trend"
    code: str
    caption: str
    columns: list[str]
    rows: list[TableRow]
    bases: list[int] | None = None
    missing: list[tuple[str, list[int]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sorted_by: int | None = None

    @property
    def base_note(self) -> str:
        """Return the first column's base as the reports print it ("Base=97")."""
        if self.bases is not None:
            return f"Base={self.bases[0]}" if self.bases else ""
        return base_note([row.cells[0].base for row in self.rows if row.cells])

    @property
    def has_small_bases(self) -> bool:
        return any(cell.small for row in self.rows for cell in row.cells)

    def column_bases(self) -> list[str]:
        """Return each column's base note."""
        if self.bases is not None:
            return [f"Base={b}" for b in self.bases]
        return [
            base_note([row.cells[i].base for row in self.rows]) for i in range(len(self.columns))
        ]


def base_note(bases: Sequence[int]) -> str:
    """Return "Base=97", or "Bases vary from 91 to 93" when they differ; an empty base (a
    statement a round did not ask) is left out of the range."""
    if not bases:
        return ""
    asked = [b for b in bases if b] or [0]
    low, high = min(asked), max(asked)
    return f"Base={low}" if low == high else f"Bases vary from {low} to {high}"


def state_of(item: Item, respondent: Respondent, *, dont_know_out: bool) -> str:
    """Return whether a response answered an item, or which kind of missing it is."""
    if item.code in respondent.not_asked:
        return NOT_ASKED
    value = respondent.answers.get(item.code)
    if not is_answered(value):
        return SKIPPED
    if dont_know_out:
        chosen = value if isinstance(value, list) else [value]
        options = [item.option(code) for code in chosen]
        if options and all(o is not None and is_dont_know(o) for o in options):
            return DONT_KNOW_OUT
    return ANSWERED


def chosen_codes(value: Any) -> set:
    """Return the option codes a stored answer chose."""
    return set(value) if isinstance(value, list) else {value}


def columns_of(by: str, respondents: Iterable[Respondent], order: Sequence[str] = ()) -> list[str]:
    """Return the columns: All, then the subgroups present, in the order given."""
    if by == "all":
        return [ALL]
    present = {r.groups.get(by, "") for r in respondents}
    ordered = [g for g in order if g in present]
    return [ALL, *ordered, *sorted(present - set(ordered))]


def _in_columns(respondent: Respondent, by: str, index: Mapping[str, int]) -> tuple[int, ...]:
    if by == "all":
        return (0,)
    return (0, index[respondent.groups.get(by, "")])


def frequency_table(
    item: Item,
    respondents: Sequence[Respondent],
    *,
    by: str = "all",
    columns: Sequence[str] | None = None,
    dont_know_out: bool = False,
) -> ReportTable:
    """Return the counts and shares of each option of a closed item, per column."""
    columns = list(columns or columns_of(by, respondents))
    index = {name: i for i, name in enumerate(columns)}
    options = list(item.options or item.scale)
    counts = {o.code: [0] * len(columns) for o in options}
    tally = {state: [0] * len(columns) for state in (ANSWERED, *MISSING_LABELS)}
    for respondent in respondents:
        state = state_of(item, respondent, dont_know_out=dont_know_out)
        where = _in_columns(respondent, by, index)
        for i in where:
            tally[state][i] += 1
        if state == ANSWERED:
            for code in chosen_codes(respondent.answers[item.code]):
                for i in where:
                    if code in counts:
                        counts[code][i] += 1
    bases = tally[ANSWERED]
    rows = [
        TableRow(
            str(o.code), o.text, [Cell(n, b) for n, b in zip(counts[o.code], bases, strict=True)]
        )
        for o in options
        if not (dont_know_out and is_dont_know(o))
    ]
    table = ReportTable(
        kind="frequency",
        code=item.code,
        caption=_caption(item),
        columns=columns,
        rows=rows,
        bases=bases,
        missing=[(MISSING_LABELS[s], tally[s]) for s in MISSING_LABELS if any(tally[s])],
    )
    if item.type == "multi":
        table.notes.append(
            "Percentages total more than 100, as more than one response could be given."
        )
    return table


def grid_table(
    grid: Item,
    respondents: Sequence[Respondent],
    *,
    chosen: Iterable[int],
    by: str = "all",
    columns: Sequence[str] | None = None,
    dont_know_out: bool = False,
    sort_by: int | None = 0,
) -> ReportTable:
    """Return one row per statement of a grid: the share choosing the chosen scale points.

    Each statement has its own base per column (those who rated it). Rows are ranked by
    the share in column `sort_by`, highest first, as Table 6.1 is; None keeps the
    questionnaire's order.
    """
    columns = list(columns or columns_of(by, respondents))
    index = {name: i for i, name in enumerate(columns)}
    chosen = set(chosen)
    rows = []
    for row in grid.rows:
        counts, bases = [0] * len(columns), [0] * len(columns)
        for respondent in respondents:
            if state_of(row, respondent, dont_know_out=dont_know_out) != ANSWERED:
                continue
            hit = bool(chosen_codes(respondent.answers[row.code]) & chosen)
            for i in _in_columns(respondent, by, index):
                bases[i] += 1
                counts[i] += hit
        cells = [Cell(n, b) for n, b in zip(counts, bases, strict=True)]
        rows.append(TableRow(row.code, row.text, cells))
    table = ReportTable(
        kind="grid",
        code=grid.code,
        caption=_grid_caption(grid, chosen),
        columns=columns,
        rows=rows,
    )
    return sort_rows(table, sort_by)


def sort_rows(table: ReportTable, column: int | None) -> ReportTable:
    """Rank the rows by the share in a column, highest first (ties in their own order)."""
    if column is None or not 0 <= column < len(table.columns):
        table.sorted_by = None
        return table
    table.rows.sort(key=lambda row: -(row.cells[column].percent or -1.0))
    table.sorted_by = column
    return table


def _caption(item: Item) -> str:
    number = f"{item.label}. " if item.label else ""
    return f"{number}{item.text}"


def _grid_caption(grid: Item, chosen: set[int]) -> str:
    return share_caption(_caption(grid), grid, chosen)


def share_caption(text: str, grid: Item, chosen: set[int], after: str = "") -> str:
    """Return a grid's caption naming the scale points counted."""
    points = " or ".join(f"‘{o.text}’" for o in grid.scale if o.code in chosen)
    share = f"hare answering {points or '(no scale point chosen)'}{after}"
    return f"{text} S{share}" if text.rstrip().endswith(("?", ".", "!")) else f"{text}: s{share}"
