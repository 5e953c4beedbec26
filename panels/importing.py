"""Reading contact lists (CSV in UTF-8, UTF-16 or Windows-1252, and XLSX) into plain rows."""

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from openpyxl import load_workbook

REQUIRED_COLUMNS = ("first_name", "last_name", "email")
OPTIONAL_COLUMNS = ("site", "organisation", "organisation_type", "job_title")
ATTRIBUTE_PREFIX = "attr_"
# Other headers people give the documented columns, after normalise_column.
COLUMN_ALIASES = {
    "firstname": "first_name",
    "forename": "first_name",
    "given_name": "first_name",
    "lastname": "last_name",
    "surname": "last_name",
    "family_name": "last_name",
    "e_mail": "email",
    "email_address": "email",
    "e_mail_address": "email",
    "site_name": "site",
    "pioneer": "site",
    "organization": "organisation",
    "organisation_name": "organisation",
    "organization_name": "organisation",
    "organization_type": "organisation_type",
    "org_type": "organisation_type",
    "type_of_organisation": "organisation_type",
    "type_of_organization": "organisation_type",
    "job_titles": "job_title",
    "role": "job_title",
}
ENCODINGS_READ = (
    "UTF-8 (with or without BOM), UTF-16 with BOM (Excel's Unicode Text) "
    "or Windows-1252 (Excel's CSV on Windows)"
)


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


def column_key(header: str) -> str:
    """Return the column a header stands for: its normalised form, aliases resolved."""
    name = normalise_column(header)
    return COLUMN_ALIASES.get(name, name)


def _columns(header: list[str]) -> list[str]:
    columns = [column_key(c) for c in header]
    if any("\x00" in c for c in columns):
        raise ListFileError(
            "The header row contains NUL characters: the file may be UTF-16 without a "
            f"byte-order mark. Lists can be in {ENCODINGS_READ}."
        )
    seen = {}
    for title, column in zip(header, columns, strict=True):
        if column and column in seen:
            raise ListFileError(
                f"The columns '{seen[column]}' and '{title.strip()}' both give {column}: keep one."
            )
        seen[column] = title.strip()
    return columns


def _decode_as(raw: bytes, encoding: str, label: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ListFileError(
            f"The file is not valid {label} (byte 0x{raw[exc.start]:02X} at position "
            f"{exc.start}). Lists can be in {ENCODINGS_READ}: in Excel, save as "
            '"CSV UTF-8 (Comma delimited)" or as an .xlsx workbook.'
        ) from exc


def _decode(raw: bytes) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        return _decode_as(raw[len(codecs.BOM_UTF8) :], "utf-8", "UTF-8")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_as(raw, "utf-16", "UTF-16")  # the BOM gives the byte order
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Excel's "CSV" on Windows writes the ANSI code page. Bytes it leaves undefined
        # mean the file is in some other encoding: refuse it rather than guess.
        return _decode_as(raw, "cp1252", "UTF-8 or Windows-1252")


def _from_table(table: list[list[str]]) -> ListFile:
    while table and not any(cell.strip() for cell in table[-1]):
        table.pop()
    if not table:
        raise ListFileError("The file is empty: it needs a header row and at least one contact.")
    columns = _columns(table[0])
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
    # newline="" lets the reader take \r\n, \n and a lone \r (old Mac Excel) as line ends;
    # strict refuses an unclosed quote instead of swallowing the rows after it.
    reader = csv.reader(io.StringIO(text, newline=""), dialect, strict=True)
    try:
        table = [list(row) for row in reader]
    except csv.Error as exc:
        raise ListFileError(
            f"The file cannot be read as CSV (line {reader.line_num}: {exc}); "
            "a quote may have been left open on that line or before it."
        ) from exc
    return _from_table(table)


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
