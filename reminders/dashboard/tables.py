"""The dashboard's tables as rows for CSV: a header, then one row per line of the page.

Rates are written as fractions (0.272, not 27.2%) with their 95% interval, and the counts
they come from beside them, as the page shows them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from panels import rates
from panels.models import Disposition
from reminders.dashboard import selectors


def _fraction(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _rate_cells(r: rates.Rate) -> list:
    return [_number(r.numerator), _number(r.denominator), *map(_fraction, (r.value, r.low, r.high))]


def _number(x: float) -> float | int:
    return int(x) if float(x).is_integer() else round(x, 2)


def _rate_header(name: str) -> list[str]:
    return [f"{name} numerator", f"{name} denominator", name, f"{name} low", f"{name} high"]


def headline_rows(result: rates.Rates) -> Iterator[list]:
    yield ["rate", "numerator", "denominator", "value", "95% low", "95% high", "e", "e method"]
    for name, r in result.rates.items():
        yield [name, *_rate_cells(r), _fraction(result.e), result.e_method]


def counts_rows(result: rates.Rates) -> Iterator[list]:
    yield ["disposition", "label", "AAPOR code", "members"]
    for value, label in Disposition.choices:
        yield [value, label, rates.AAPOR_CODES[value][1], result.counts.get(value, 0)]


def _group_cells(row: selectors.GroupRow) -> list:
    cells = [row.members, row.complete, row.partial, row.eligible]
    for name in selectors.GROUP_RATES:
        cells += _rate_cells(row.result.rates[name])
    return cells


def _group_header() -> list[str]:
    header = ["members", "complete", "partial or break-off", "eligible base"]
    for name in selectors.GROUP_RATES:
        header += _rate_header(name)
    return header


def site_rows(rows: Iterable[selectors.SiteRow]) -> Iterator[list]:
    yield ["site", "cohort", "last updated", "at least one return", *_group_header()]
    for row in rows:
        updated = row.refreshed_at.date().isoformat() if row.refreshed_at else ""
        has = "yes" if row.has_return else "no"
        yield [row.name, row.cohort, updated, has, *_group_cells(row)]


def group_rows(label: str, rows: Iterable[selectors.GroupRow]) -> Iterator[list]:
    yield [label.lower(), *_group_header()]
    for row in rows:
        yield [row.name, *_group_cells(row)]


def day_rows(progress: selectors.Progress) -> Iterator[list]:
    yield ["fieldwork day", "date", "completes", "cumulative completes", "messages sent"]
    for d in progress.days:
        yield [d.number, d.day.isoformat(), d.completes, d.cumulative, "; ".join(d.messages)]


def trend_rows(columns: list[selectors.TrendColumn]) -> Iterator[list]:
    yield ["round", "year", "members", *rates.AAPOR_CODES, "e", *_all_rate_headers(columns)]
    for c in columns:
        counts = [c.result.counts.get(d, 0) for d in rates.AAPOR_CODES]
        cells = [cell for r in c.result.rates.values() for cell in _rate_cells(r)]
        members = sum(c.result.counts.values())
        yield [c.round.name, c.round.year, members, *counts, _fraction(c.result.e), *cells]


def _all_rate_headers(columns) -> list[str]:
    names = list(columns[0].result.rates) if columns else []
    return [h for name in names for h in _rate_header(name)]


def retention_rows(rows: Iterable[selectors.RetentionRow]) -> Iterator[list]:
    yield [
        "round",
        "previous round",
        "eligible both times",
        "responded previous round",
        "responded this round",
        "responded both",
        *_rate_header("retention"),
    ]
    for r in rows:
        yield [
            r.round.name,
            r.previous.name,
            r.eligible_both,
            r.responded_previous,
            r.responded_this,
            r.responded_both,
            *_rate_cells(r.retention),
        ]
