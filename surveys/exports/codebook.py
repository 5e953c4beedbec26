"""Codebooks: what each column of an export holds, per round and across rounds.

Per round, one row per column: the names in each format, the item code, the printed
number, the full text (never cut: the .sav and .dta labels may be), the type, the options
with their codes, the missing codes, the condition that decides who is asked, and how the
item changed since the previous round's version (``surveys.engine.diff``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from panels.models import Round
from surveys.definitions import definition_of
from surveys.engine.diff import ItemChange, diff_versions
from surveys.engine.model import END, Definition, Item
from surveys.exports.columns import MISSING_LABELS, Column
from surveys.exports.renderers import spss_names, stata_names
from surveys.exports.rows import Export

CODEBOOK_HEADER = [
    "column", "spss_name", "stata_name", "item_code", "number", "text", "type",
    "options", "missing_codes", "asked_when", "change_from_previous_round",
]  # fmt: skip
ACROSS_HEADER = ["item_code", "type", "text"]


@dataclass(frozen=True)
class Entry:
    """One codebook line."""

    column: str
    spss_name: str
    stata_name: str
    item_code: str
    number: str
    text: str
    type: str
    options: str
    missing: str
    asked_when: str
    change: str

    def cells(self) -> list[str]:
        return [
            self.column, self.spss_name, self.stata_name, self.item_code, self.number,
            self.text, self.type, self.options, self.missing, self.asked_when, self.change,
        ]  # fmt: skip


def previous_round(round: Round) -> Round | None:
    """Return the latest earlier round (by year, then fieldwork start) with a version."""
    earlier = Round.objects.filter(version__isnull=False).exclude(pk=round.pk)
    earlier = earlier.filter(year__lt=round.year) | earlier.filter(
        year=round.year, fieldwork_start__lt=round.fieldwork_start or "0001-01-01"
    )
    return earlier.order_by("-year", "-fieldwork_start", "-pk").first()


def asked_when(defn: Definition, item: Item) -> str:
    """Return the condition under which the routing shows the item ("" when always).

    The page's and the item's (for a grid row, its grid's) conditions, and for each skip
    rule of an earlier page that jumps over the item's page, that its condition is false.
    """
    page = defn.pages_by_id[item.page_id]
    parts = []
    if page.show_if is not None:
        parts.append(f"page: {page.show_if.src}")
    holder = defn.items[item.grid] if item.grid else item
    if holder.show_if is not None:
        parts.append(holder.show_if.src)
    for earlier in defn.pages[: page.index]:
        for skip in earlier.skips:
            target = len(defn.pages) if skip.to == END else defn.pages_by_id[skip.to].index
            if earlier.index < page.index < target:
                parts.append(f"not ({skip.condition.src})")
    return " and ".join(parts)


def _options(column: Column) -> str:
    own = "; ".join(f"{code} = {text}" for code, text in column.value_labels.items())
    if column.dont_know:
        dk = ", ".join(f"{code} {text}" for code, text in column.dont_know.items())
        own += f"; (answered {dk}: exported as -3)"
    return own.lstrip("; ")


def _change(changes: dict[str, ItemChange], code: str, has_previous: bool) -> str:
    if not has_previous:
        return "first round"
    change = changes.get(code)
    if change is None:
        return ""
    detail = f": {change.detail}" if change.detail else ""
    return f"{change.status} (trend {change.trend}){detail}"


MISSING_TEXT = "; ".join(f"{text}: {code}" for code, text in MISSING_LABELS.items())


def codebook_entries(round: Round) -> list[Entry]:
    """Return the codebook of a round's wide export, one entry per column."""
    export = Export(round=round, include_partial=True)
    columns = export.columns
    defn = definition_of(round.version) if round.version_id else None
    before = previous_round(round)
    changes: dict[str, ItemChange] = {}
    if before is not None and defn is not None:
        changes = {c.code: c for c in diff_versions(definition_of(before.version), defn)}
    spss, stata = spss_names(columns), stata_names(columns)
    entries = []
    for column, sav_name, dta_name in zip(columns, spss, stata, strict=True):
        item = defn.items.get(column.item_code) if defn and column.item_code else None
        entries.append(
            Entry(
                column=column.name,
                spss_name=sav_name,
                stata_name=dta_name,
                item_code=column.item_code,
                number=(item.label or "") if item else "",
                text=column.label,
                type=item.type if item else ("number" if column.numeric else "text"),
                options=_options(column),
                missing=MISSING_TEXT if column.item_code else "",
                asked_when=asked_when(defn, item) if item else "",
                change=_change(changes, column.item_code, before is not None) if item else "",
            )
        )
    return entries


def codebook_rows(round: Round) -> Iterator[list[Any]]:
    """Yield the codebook as CSV/XLSX rows, header first."""
    yield CODEBOOK_HEADER
    for entry in codebook_entries(round):
        yield entry.cells()


@dataclass(frozen=True)
class AcrossRow:
    item_code: str
    type: str
    text: str
    per_round: tuple[tuple[str, str], ...]  # (printed number or "", change) per round


def across_rounds(rounds: list[Round]) -> list[AcrossRow]:
    """Return one row per item code asked in any of the rounds (oldest first).

    Each round gives the item's printed number there ("" when not asked) and its change
    from the round before it in the list.
    """
    rounds = [r for r in rounds if r.version_id]
    definitions = [definition_of(r.version) for r in rounds]
    diffs = [{}] + [
        {c.code: c for c in diff_versions(a, b)}
        for a, b in zip(definitions, definitions[1:], strict=False)
    ]
    order: dict[str, Item] = {}
    for defn in reversed(definitions):
        for code, item in defn.items.items():
            if item.holds_answer:
                order.setdefault(code, item)
    rows = []
    for code, item in order.items():
        cells = []
        for index, defn in enumerate(definitions):
            here = defn.items.get(code)
            change = _change(diffs[index], code, index > 0) if here else "not asked"
            cells.append(((here.label or "-") if here else "", change))
        rows.append(AcrossRow(code, item.type, item.text, tuple(cells)))
    return rows


def across_rows(rounds: list[Round]) -> Iterator[list[Any]]:
    """Yield the across-rounds codebook as CSV rows, header first."""
    rounds = [r for r in rounds if r.version_id]
    header = list(ACROSS_HEADER)
    for r in rounds:
        header += [f"{r.name}: number", f"{r.name}: change"]
    yield header
    for row in across_rounds(rounds):
        yield [row.item_code, row.type, row.text, *(x for pair in row.per_round for x in pair)]
