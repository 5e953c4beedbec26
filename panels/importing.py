"""Reading contact lists (CSV in UTF-8, UTF-16 or Windows-1252, and XLSX) into plain rows."""

import codecs
import csv
import io
import zipfile
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
# A single column holding the whole name, which many lists have instead of two.
FULL_NAME_COLUMNS = ("name", "full_name", "fullname", "contact_name")
# Bounds on what a list may hold, whatever a file declares. A round's panels are a few
# thousand people; these leave room for a national list and stop a hostile file early.
MAX_ROWS = 200_000
MAX_COLUMNS = 200
MAX_ATTRIBUTE_COLUMNS = 50
# An .xlsx is a zip: the parts it would unpack to are checked before anything is read.
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_XLSX_RATIO = 200
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
    # The header of a single name column split into first_name and last_name, if any.
    name_split_from: str = ""


def normalise_column(name: str) -> str:
    """Return a header as a column key: lowercase, spaces and dashes as underscores."""
    return "_".join(str(name or "").strip().lower().replace("-", " ").split())


def column_key(header: str) -> str:
    """Return the column a header stands for: its normalised form, aliases resolved."""
    name = normalise_column(header)
    return COLUMN_ALIASES.get(name, name)


def _columns(header: list[str]) -> list[str]:
    while header and not str(header[-1]).strip():
        header = header[:-1]
    if len(header) > MAX_COLUMNS:
        raise ListFileError(
            f"The header row has {len(header):,} columns; a list can have at most "
            f"{MAX_COLUMNS}. Remove the columns the import does not need."
        )
    columns = [column_key(c) for c in header]
    attributes = [c for c in columns if c.startswith(ATTRIBUTE_PREFIX)]
    if len(attributes) > MAX_ATTRIBUTE_COLUMNS:
        raise ListFileError(
            f"The file has {len(attributes)} attr_ columns; a list can have at most "
            f"{MAX_ATTRIBUTE_COLUMNS}. Keep the attributes the study uses."
        )
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
    if len(table) - 1 > MAX_ROWS:
        raise ListFileError(_too_many_rows())
    columns = _columns(table[0])
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            col: (cells[i].strip() if i < len(cells) else "") for i, col in enumerate(columns)
        }
        rows.append((number, values))
    list_file = ListFile(columns=columns, rows=rows)
    _split_full_name(list_file, table[0])
    return list_file


def split_name(full: str) -> tuple[str, str]:
    """Return a full name as (first name, last name), split on its last space."""
    first, _, last = " ".join(full.split()).rpartition(" ")
    return (first, last) if first else (last, "")


def _split_full_name(list_file: ListFile, header: list[str]) -> None:
    """Give first_name and last_name from a single name column when the list has neither."""
    columns = list_file.columns
    if "first_name" in columns or "last_name" in columns:
        return
    found = next((c for c in FULL_NAME_COLUMNS if c in columns), None)
    if found is None:
        return
    list_file.name_split_from = header[columns.index(found)].strip()
    list_file.columns = [*columns, "first_name", "last_name"]
    for _, values in list_file.rows:
        values["first_name"], values["last_name"] = split_name(values[found])


def _too_many_rows() -> str:
    return (
        f"The file has more than {MAX_ROWS:,} rows, the most one import takes: "
        "split it into several files (by site, for example) and import each."
    )


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


def _check_zip(raw: bytes) -> None:
    """Refuse a workbook whose parts would unpack to more than a list can be."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise ListFileError(f"The workbook cannot be read: {exc}") from exc
    unpacked = sum(part.file_size for part in parts)
    packed = sum(part.compress_size for part in parts) or 1
    if unpacked > MAX_XLSX_UNPACKED_BYTES or (
        unpacked > 10 * 1024 * 1024 and unpacked / packed > MAX_XLSX_RATIO
    ):
        raise ListFileError(
            f"The workbook would unpack to {unpacked / 1024 / 1024:,.0f} MB, more than a "
            f"contact list can be (at most {MAX_XLSX_UNPACKED_BYTES // 1024 // 1024} MB). "
            "Save the list again from Excel, or as CSV."
        )


def read_xlsx(raw: bytes) -> ListFile:
    """Return the rows of the first worksheet of an XLSX workbook.

    Memory stays bounded whatever the sheet declares: openpyxl pads each row to the sheet's
    declared dimension, so rows are cut to the header's width, and reading stops past
    MAX_ROWS.
    """
    _check_zip(raw)
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ListFileError(f"The workbook cannot be read: {exc}") from exc
    try:
        sheet = book.worksheets[0]
        # The declared dimension is not trusted: read up to the cells actually present.
        sheet.reset_dimensions()
        first = sheet.iter_rows(max_row=1, max_col=MAX_COLUMNS + 1, values_only=True)
        header = [_cell(v) for v in next(first, ())]
        while header and not header[-1].strip():
            header.pop()
        width = max(len(header), 1)
        table = [header]
        for row in sheet.iter_rows(min_row=2, max_col=width, values_only=True):
            if len(table) > MAX_ROWS + 1:
                raise ListFileError(_too_many_rows())
            table.append([_cell(v) for v in row])
    except ListFileError:
        raise
    except Exception as exc:
        raise ListFileError(f"The workbook cannot be read: {exc}") from exc
    finally:
        book.close()
    return _from_table(table)


def estimate_rows(name: str, stream: BinaryIO) -> int:
    """Return about how many rows a list has, without reading it: its line breaks for a
    CSV, its declared size for a workbook (MAX_ROWS when it declares none). The stream is
    left at its start. A file that cannot be opened counts as 0, to be refused when read."""
    raw = stream.read()
    stream.seek(0)
    if Path(name).suffix.lower() != ".xlsx":
        return raw.count(b"\n")
    try:
        _check_zip(raw)
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # refused with its reason when read
        return 0
    declared = book.worksheets[0].max_row if book.worksheets else 0
    book.close()
    return MAX_ROWS if declared is None else max(declared - 1, 0)


def read_list(name: str, stream: BinaryIO) -> ListFile:
    """Return the rows of an uploaded or local file, chosen by its extension."""
    raw = stream.read()
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(raw)
    if suffix in {".csv", ".txt"}:
        return read_csv(raw)
    raise ListFileError(f"Unsupported file type {suffix or '(none)'}: use .csv or .xlsx.")
