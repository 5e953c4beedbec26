"""A report table as a spreadsheet: rows of cells, written as CSV or XLSX.

Every cell goes through panels.cells.spreadsheet_safe: statement and option wordings come
from questionnaire authors and must never run as a formula.
"""

from __future__ import annotations

import codecs
import csv
import io

from openpyxl import Workbook

from panels.cells import spreadsheet_row

from .tables import ReportTable


def table_rows(table: ReportTable) -> list[list]:
    """Return the table as rows: caption, header, one row per line of the table, the bases,
    the missing answers and the notes. Each column gives its %, its count and its base."""
    header = ["Code", "Answer" if table.kind == "frequency" else "Statement"]
    for column in table.columns:
        header += [f"{column} %", f"{column} n", f"{column} base"]
    rows: list[list] = [[table.caption], header]
    for row in table.rows:
        cells = []
        for cell in row.cells:
            percent = None if cell.percent is None else round(cell.percent, 1)
            cells += [percent, cell.count, cell.base]
        rows.append([row.code, row.label, *cells])
    rows.append(["", "Base", *[note for note in table.column_bases() for note in (note, "", "")]])
    for label, counts in table.missing:
        rows.append(["", label, *[v for n in counts for v in ("", n, "")]])
    rows += [[note] for note in table.notes]
    return rows


def csv_bytes(rows: list[list]) -> bytes:
    """Return rows as CSV in UTF-8 with a byte-order mark, so Excel reads the accents."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(spreadsheet_row(row))
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list], *, title: str) -> bytes:
    """Return rows as a one-sheet XLSX workbook."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(title))
    for row in rows:
        sheet.append(spreadsheet_row(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    """Return a name Excel accepts for a sheet: 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if c in "[]:*?/\\" else c for c in title).strip("'")
    return cleaned[:31] or "Table"
