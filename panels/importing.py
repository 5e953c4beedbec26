"""Reading contact lists (CSV in UTF-8 or Windows-1252, and XLSX) into plain rows."""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from openpyxl import load_workbook

REQUIRED_COLUMNS = ("first_name", "last_name", "email")
OPTIONAL_COLUMNS = ("site", "organisation", "organisation_type", "job_title")
ATTRIBUTE_PREFIX = "attr_"


class ListFileError(Exception):
    """The file cannot be read as a contact list at all."""


@dataclass
class ListFile:
    """The rows of a contact list: each row maps a normalised column name to a stripped value."""

    columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def normalise_column(name: str) -> str:
    """Return a header as a column key: lowercase, spaces and dashes as underscores."""
    return "_".join(str(name or "").strip().lower().replace("-", " ").split())


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Excel's "CSV" on Windows writes the ANSI code page.
        return raw.decode("cp1252", errors="replace")


def _from_table(table: list[list[str]]) -> ListFile:
    while table and not any(cell.strip() for cell in table[-1]):
        table.pop()
    if not table:
        raise ListFileError("The file is empty: it needs a header row and at least one contact.")
    columns = [normalise_column(c) for c in table[0]]
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            col: (cells[i].strip() if i < len(cells) else "") for i, col in enumerate(columns)
        }
        rows.append((number, values))
    return ListFile(columns=columns, rows=rows)


def read_csv(raw: bytes) -> ListFile:
    """Return the rows of a CSV file, sniffing comma, semicolon or tab delimiters."""
    text = _decode(raw)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return _from_table([list(row) for row in csv.reader(io.StringIO(text), dialect)])


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(raw: bytes) -> ListFile:
    """Return the rows of the first worksheet of an XLSX workbook."""
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ListFileError(f"The workbook cannot be read: {exc}") from exc
    sheet = book.worksheets[0]
    table = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return _from_table(table)


def read_list(name: str, stream: BinaryIO) -> ListFile:
    """Return the rows of an uploaded or local file, chosen by its extension."""
    raw = stream.read()
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(raw)
    if suffix in {".csv", ".txt"}:
        return read_csv(raw)
    raise ListFileError(f"Unsupported file type {suffix or '(none)'}: use .csv or .xlsx.")
