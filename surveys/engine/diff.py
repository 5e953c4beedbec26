"""Comparing two versions item by item, for trend tables across rounds.

Items are matched on their code (the concept's identity), never on display
labels such as ``Q13`` or on position. Per code:

- ``identical`` (trend ``safe``): same wording and answer frame;
- ``wording_changed`` (``comparable``): wording differs, the answer frame is the
  same; the same concept by declaration, worth a look;
- ``options_changed`` (``break``): option/scale/slot codes or labels, or the
  type, differ;
- ``added`` (``new``) and ``removed`` (``ended``).

A grid row is its own item: its status is about its own words (``identical`` or
``wording_changed``). Its answers are on its grid's scale, which the grid's own
line compares; when the scale changed, the row's trend says what that does to
the row's series: ``comparable`` when codes were only relabelled (the row's
detail names the codes that kept their labels, whose shares may still be
compared), ``break`` when codes were added or removed or none kept its label.
When the grid's question (the stem its rows share) changed, the row's detail
says so too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from .model import Definition, Item

Status = Literal["identical", "wording_changed", "options_changed", "added", "removed"]
Trend = Literal["safe", "comparable", "break", "new", "ended"]
TRENDS: dict[str, Trend] = {
    "identical": "safe",
    "wording_changed": "comparable",
    "options_changed": "break",
    "added": "new",
    "removed": "ended",
}


@dataclass(frozen=True)
class ItemChange:
    """How one item code changed between two versions."""

    code: str
    status: Status
    trend: Trend
    old_text: str | None = None
    new_text: str | None = None
    detail: str = ""


def normalise(text: str) -> str:
    """Return the text with runs of whitespace collapsed and ends trimmed."""
    return re.sub(r"\s+", " ", text).strip()


def _frame(item: Item) -> tuple[Any, ...]:
    """Return what an answer means: type and the labelled codes (a row: its grid's scale)."""
    points = tuple((o.code, normalise(o.text)) for o in item.options or item.scale)
    if item.type == "row":
        return ("row", points)
    slots = tuple((s.code, normalise(s.text)) for s in item.slots)
    return (item.type, points, slots)


def _frame_detail(old: Item, new: Item) -> str:
    """Return a short description of how the answer frame changed."""
    if old.type != new.type:
        return f"type {old.type} -> {new.type}"
    before = {o.code: normalise(o.text) for o in old.options or old.scale}
    after = {o.code: normalise(o.text) for o in new.options or new.scale}
    parts = []
    if set(after) - set(before):
        parts.append("codes added " + _codes(set(after) - set(before)))
    if set(before) - set(after):
        parts.append("codes removed " + _codes(set(before) - set(after)))
    relabelled = {c for c in set(before) & set(after) if before[c] != after[c]}
    if relabelled:
        parts.append("labels changed " + _codes(relabelled))
    if new.type != "row":
        return "; ".join(parts) or "slots changed"
    kept = {c for c in set(before) & set(after) if before[c] == after[c]}
    keeping = f" (codes {_codes(kept)} unchanged)" if kept else ""
    return f"scale of grid {new.grid}: {'; '.join(parts)}{keeping}"


def _codes(codes: set[Any]) -> str:
    return ", ".join(map(str, sorted(codes)))


def compare_items(old: Item, new: Item, *, stem_changed: bool = False) -> ItemChange:
    """Return the change between two items with the same code.

    ``stem_changed``: for a grid row, whether its grid's question text changed.
    """
    if old.type == new.type == "row":
        return _compare_rows(old, new, stem_changed)
    worded = normalise(old.text) != normalise(new.text)
    notes = []
    if _frame(old) != _frame(new):
        status: Status = "options_changed"
        notes.append(_frame_detail(old, new))
        if worded:
            notes.append("wording changed")
    elif worded:
        status = "wording_changed"
        notes.append("wording changed")
    else:
        status = "identical"
    return ItemChange(old.code, status, TRENDS[status], old.text, new.text, "; ".join(notes))


def _compare_rows(old: Item, new: Item, stem_changed: bool) -> ItemChange:
    """Return a grid row's change: its status from its words, its trend from its scale too."""
    worded = normalise(old.text) != normalise(new.text)
    status: Status = "wording_changed" if worded else "identical"
    trend, notes = TRENDS[status], ["wording changed"] if worded else []
    if _frame(old) != _frame(new):
        notes.insert(0, _frame_detail(old, new))
        before = {o.code: normalise(o.text) for o in old.scale}
        after = {o.code: normalise(o.text) for o in new.scale}
        relabelled_only = before.keys() == after.keys() and any(
            before[code] == after[code] for code in before
        )
        trend = "comparable" if relabelled_only else "break"
        if not worded:
            notes.append("row text identical")
    if stem_changed:
        notes.append("grid question changed")
    return ItemChange(old.code, status, trend, old.text, new.text, "; ".join(notes))


def _compared(defn: Definition) -> dict[str, Item]:
    """Return the items a trend can use: everything but info texts."""
    return {code: item for code, item in defn.items.items() if item.type != "info"}


def diff_versions(a: Definition, b: Definition) -> list[ItemChange]:
    """Return one change per item code: b's order first, then codes b dropped."""
    old, new = _compared(a), _compared(b)
    changes = []
    for code, item in new.items():
        if code in old:
            changes.append(compare_items(old[code], item, stem_changed=_stem_changed(a, b, code)))
        else:
            changes.append(ItemChange(code, "added", "new", None, item.text))
    for code, item in old.items():
        if code not in new:
            changes.append(ItemChange(code, "removed", "ended", item.text, None))
    return changes


def _stem_changed(a: Definition, b: Definition, code: str) -> bool:
    """Return whether the question of the grids holding row ``code`` differs."""
    old, new = a.items[code], b.items[code]
    if old.grid is None or new.grid is None:
        return False
    return normalise(a.items[old.grid].text) != normalise(b.items[new.grid].text)


def format_diff(changes: list[ItemChange]) -> str:
    """Return the changes as a plain-text table (for a management command)."""
    header = ("code", "status", "trend", "detail")
    rows = [header] + [(c.code, c.status, c.trend, c.detail) for c in changes]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    counts = {status: sum(c.status == status for c in changes) for status in TRENDS}
    lines.append("")
    lines.append(", ".join(f"{n} {status}" for status, n in counts.items() if n) or "no items")
    return "\n".join(lines)
