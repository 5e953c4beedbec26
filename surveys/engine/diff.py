"""Comparing two versions item by item, for trend tables across rounds.

Items are matched on their code (the concept's identity), never on display
labels such as ``Q13`` or on position. Per code:

- ``identical`` (trend ``safe``): same wording and answer frame;
- ``wording_changed`` (``comparable``): wording differs, the answer frame is the
  same; the same concept by declaration, worth a look;
- ``options_changed`` (``break``): option/scale/slot codes or labels, or the
  type, differ; a grid's scale belongs to the grid's own code, its rows
  compare their wording only;
- ``added`` (``new``) and ``removed`` (``ended``).
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
    """Return what an answer means: type and the labelled codes (rows: none)."""
    if item.type == "row":
        return ("row",)
    points = tuple((o.code, normalise(o.text)) for o in item.options or item.scale)
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
        parts.append("codes added " + ", ".join(map(str, sorted(set(after) - set(before)))))
    if set(before) - set(after):
        parts.append("codes removed " + ", ".join(map(str, sorted(set(before) - set(after)))))
    relabelled = sorted(c for c in set(before) & set(after) if before[c] != after[c])
    if relabelled:
        parts.append("labels changed " + ", ".join(map(str, relabelled)))
    return "; ".join(parts) or "slots changed"


def compare_items(old: Item, new: Item) -> ItemChange:
    """Return the change between two items with the same code."""
    if _frame(old) != _frame(new):
        status: Status = "options_changed"
        detail = _frame_detail(old, new)
    elif normalise(old.text) != normalise(new.text):
        status, detail = "wording_changed", "wording changed"
    else:
        status, detail = "identical", ""
    return ItemChange(old.code, status, TRENDS[status], old.text, new.text, detail)


def _compared(defn: Definition) -> dict[str, Item]:
    """Return the items a trend can use: everything but info texts."""
    return {code: item for code, item in defn.items.items() if item.type != "info"}


def diff_versions(a: Definition, b: Definition) -> list[ItemChange]:
    """Return one change per item code: b's order first, then codes b dropped."""
    old, new = _compared(a), _compared(b)
    changes = []
    for code, item in new.items():
        if code in old:
            changes.append(compare_items(old[code], item))
        else:
            changes.append(ItemChange(code, "added", "new", None, item.text))
    for code, item in old.items():
        if code not in new:
            changes.append(ItemChange(code, "removed", "ended", item.text, None))
    return changes


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
