"""Trends across rounds: one item code followed through every round that asked it.

Rounds are joined on the item code alone. Display numbers and positions change between
versions (the seeds renumber their barriers every year), option codes keep their meaning
within a code, and an option's wording is taken from the latest round.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from surveys.engine.model import Definition, Item

from .tables import (
    ANSWERED,
    Cell,
    ReportTable,
    Respondent,
    TableRow,
    chosen_codes,
    is_dont_know,
    share_caption,
    state_of,
)


@dataclass(frozen=True)
class RoundData:
    """A round as a trend sees it: its name, its version's definition, its responses."""

    name: str
    definition: Definition
    respondents: Sequence[Respondent]


def asked_in(code: str, rounds: Sequence[RoundData]) -> list[RoundData]:
    """Return the rounds whose version has this item code, in the order given."""
    return [r for r in rounds if code in r.definition.items]


def _share(item: Item, respondents, codes: set, *, dont_know_out: bool) -> Cell:
    count = base = 0
    for respondent in respondents:
        if state_of(item, respondent, dont_know_out=dont_know_out) != ANSWERED:
            continue
        base += 1
        count += bool(chosen_codes(respondent.answers[item.code]) & codes)
    return Cell(count, base)


def _numbers_note(code: str, rounds: Sequence[RoundData]) -> str:
    shown = [f"{r.definition.items[code].label or '(no number)'} in {r.name}" for r in rounds]
    return "Joined on item code " + code + ": asked as " + ", ".join(shown) + "."


def trend_table(
    code: str,
    rounds: Sequence[RoundData],
    *,
    chosen: Sequence[int] = (),
    dont_know_out: bool = False,
) -> ReportTable:
    """Return the trend of an item code: a grid's statements or an item's options by round.

    For a grid, each row is a statement (joined on its row code) and each cell the share
    answering one of the `chosen` scale points that round; for a single item, each row
    is an option. A round that did not ask a statement has an empty cell.
    """
    rounds = asked_in(code, rounds)
    if not rounds:
        raise KeyError(code)
    latest = rounds[-1].definition.items[code]
    if latest.type == "grid":
        table = _grid_trend(code, rounds, set(chosen), dont_know_out=dont_know_out)
    else:
        table = _item_trend(code, rounds, dont_know_out=dont_know_out)
    table.notes.append(_numbers_note(code, rounds))
    return table


def _grid_trend(code, rounds, chosen: set, *, dont_know_out: bool) -> ReportTable:
    statements: dict[str, str] = {}
    for data in reversed(rounds):  # the latest wording first, then rows only asked earlier
        for row in data.definition.items[code].rows:
            statements.setdefault(row.code, row.text)
    rows = []
    for row_code, text in statements.items():
        cells = []
        for data in rounds:
            item = data.definition.items.get(row_code)
            cells.append(
                _share(item, data.respondents, chosen, dont_know_out=dont_know_out)
                if item is not None
                else Cell(0, 0)
            )
        rows.append(TableRow(row_code, text, cells))
    latest = rounds[-1].definition.items[code]
    caption = share_caption(latest.text, latest, chosen, ", by round")
    return ReportTable("trend", code, caption, [r.name for r in rounds], rows)


def _item_trend(code, rounds, *, dont_know_out: bool) -> ReportTable:
    options: dict[int, str] = {}
    for data in reversed(rounds):
        item = data.definition.items[code]
        for option in item.options or item.scale:
            if not (dont_know_out and is_dont_know(option)):
                options.setdefault(option.code, option.text)
    rows = [
        TableRow(
            str(option_code),
            text,
            [
                _share(
                    d.definition.items[code],
                    d.respondents,
                    {option_code},
                    dont_know_out=dont_know_out,
                )
                for d in rounds
            ],
        )
        for option_code, text in options.items()
    ]
    bases = [
        _share(d.definition.items[code], d.respondents, set(), dont_know_out=dont_know_out).base
        for d in rounds
    ]
    latest = rounds[-1].definition.items[code]
    return ReportTable(
        "trend", code, f"{latest.text}, by round", [r.name for r in rounds], rows, bases=bases
    )


def chart_data(table: ReportTable) -> dict:
    """Return what the trend chart draws: rounds along, one line per row, shares up."""
    return {
        "labels": table.columns,
        "datasets": [
            {
                "label": row.label,
                "data": [None if c.percent is None else round(c.percent, 1) for c in row.cells],
            }
            for row in table.rows
        ],
    }
