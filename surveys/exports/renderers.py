"""One renderer per format: each takes a header and rows (or an Export) and writes a file.

CSV and XLSX stream the rows as they come. SPSS and Stata files are written by pyreadstat
from one data frame, which is built column by column in chunks of rows (a numpy array per
numeric column, filled a slice at a time), never as a list of row objects.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, BinaryIO

import numpy as np
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from panels.cells import FORMULA_STARTS
from surveys.exports.columns import MISSING_LABELS, Column, stata_name

SPSS_LABEL = 255  # variable label, bytes
SPSS_VALUE_LABEL = 120
STATA_LABEL = 80
STATA_VALUE_LABEL = 32000
STATA_MISSING = {-1: "a", -2: "b", -3: "c", -4: "d", -5: "e"}
SPSS_RESERVED = {"all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"}
FRAME_CHUNK = 5000


def _safe(cell: Any) -> Any:
    if type(cell) is str and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def write_csv(rows: Iterable[list[Any]], stream: BinaryIO) -> int:
    """Write UTF-8 CSV with a BOM (so Excel reads it as UTF-8); return the data rows."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=False)
    writerow = csv.writer(text).writerow
    starts = frozenset(FORMULA_STARTS)
    count = -1
    for count, row in enumerate(rows):  # noqa: B007
        # _safe inlined: this runs once per cell of the file.
        writerow([("'" + c) if type(c) is str and c[:1] in starts else c for c in row])
    text.flush()
    text.detach()
    return max(count, 0)


def write_csv_header(names: list[str], stream: BinaryIO) -> None:
    """Write the BOM and the header line of a CSV whose rows the database writes (lines
    end in LF, as PostgreSQL's CSV lines do)."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=True)
    csv.writer(text, lineterminator="\n").writerow([_safe(n) for n in names])
    text.flush()
    text.detach()


def _xlsx_cell(cell: Any) -> Any:
    if type(cell) is str:
        return _safe(ILLEGAL_CHARACTERS_RE.sub("", cell))[:32767]
    return cell


def write_xlsx(rows: Iterable[list[Any]], stream: BinaryIO, *, title: str = "Responses") -> int:
    """Write an XLSX workbook in openpyxl's write-only mode; return the data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    count = -1
    for count, row in enumerate(rows):  # noqa: B007
        sheet.append([_xlsx_cell(c) for c in row])
    workbook.save(stream)
    return max(count, 0)


# --- SPSS and Stata ---------------------------------------------------------------------


def spss_names(columns: list[Column]) -> list[str]:
    """Return SPSS variable names: the column names, made valid where they are not."""
    taken: set[str] = set()
    names = []
    for column in columns:
        name = column.name.rstrip(".")[:64]
        if name.lower() in SPSS_RESERVED or not name[:1].isalpha():
            name = ("v_" + name)[:64]
        base, n = name, 1
        while name.lower() in taken:
            n += 1
            name = f"{base[: 64 - len(str(n)) - 1]}_{n}"
        taken.add(name.lower())
        names.append(name)
    return names


def stata_names(columns: list[Column]) -> list[str]:
    taken: set[str] = set()
    return [stata_name(c.name, taken) for c in columns]


def _cut(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[: limit - 3].decode("utf-8", "ignore") + "..."


def frame(columns: list[Column], rows: Iterator[list[Any]], capacity: int, *, stata: bool):
    """Return a pandas DataFrame of the rows, filled a chunk of rows at a time.

    Numeric columns are float64 arrays (Stata: object arrays, so that missing codes can be
    written as the letters .a to .e); text columns are object arrays.
    """
    import pandas as pd

    kinds = [c.numeric for c in columns]
    arrays = [
        np.empty(capacity, dtype=object if stata or not numeric else np.float64)
        for numeric in kinds
    ]
    filled = 0
    while True:
        chunk = list(islice(rows, FRAME_CHUNK))
        if not chunk:
            break
        end = filled + len(chunk)
        for index, values in enumerate(zip(*chunk, strict=True)):
            arrays[index][filled:end] = _column_values(values, kinds[index], stata)
        filled = end
    data = {str(i): array[:filled] for i, array in enumerate(arrays)}
    return pd.DataFrame(data, copy=False)


def _column_values(values: tuple, numeric: bool, stata: bool) -> list | tuple:
    if numeric:
        if stata:
            return [STATA_MISSING.get(v, v) if v is not None and v < 0 else v for v in values]
        if None in values:
            return [np.nan if v is None else v for v in values]
        return values  # numpy converts the numbers itself
    return [v if type(v) is str else ("" if v is None else str(v)) for v in values]


def write_sav(columns: list[Column], rows: Iterator[list[Any]], path: str, capacity: int) -> int:
    """Write an SPSS .sav with variable labels, value labels and user-missing codes."""
    return _write_sav_frame(frame(columns, rows, capacity, stata=False), columns, path)


def _write_sav_frame(df, columns: list[Column], path: str) -> int:
    import pyreadstat

    names = spss_names(columns)
    df.columns = names
    pyreadstat.write_sav(df, path, **sav_metadata(columns, names))
    return len(df)


def frame_from_csv(columns: list[Column], path: str):
    """Return the data frame of a headerless CSV of the columns' cells (as the database
    writes them): numeric columns as float64, text columns as text, an empty cell as
    missing in a number and as "" in a text."""
    import pandas as pd

    names = [str(i) for i in range(len(columns))]
    numeric = [name for name, c in zip(names, columns, strict=True) if c.numeric]
    return pd.read_csv(
        path,
        header=None,
        names=names,
        dtype={
            name: np.float64 if c.numeric else object
            for name, c in zip(names, columns, strict=True)
        },
        keep_default_na=False,
        na_values={name: [""] for name in numeric},
        encoding="utf-8",
        engine="c",
    )


def write_sav_from_csv(columns: list[Column], csv_path: str, path: str) -> int:
    """Write an SPSS .sav from a headerless CSV of the columns' cells."""
    return _write_sav_frame(frame_from_csv(columns, csv_path), columns, path)


def sav_metadata(columns: list[Column], names: list[str]) -> dict:
    """Return pyreadstat's keyword arguments for the columns' labels and missing codes."""
    labels, missing, measure, formats = {}, {}, {}, {}
    for name, column in zip(names, columns, strict=True):
        if column.numeric and column.item_code:
            labels[name] = {
                k: _cut(v, SPSS_VALUE_LABEL) for k, v in column.all_value_labels.items()
            }
            missing[name] = [{"lo": -9, "hi": -1}]
        elif column.value_labels:
            labels[name] = {k: _cut(v, SPSS_VALUE_LABEL) for k, v in column.value_labels.items()}
        if column.value_labels:
            measure[name] = "nominal"
            formats[name] = "F8.0"
    return {
        "column_labels": [_cut(c.label, SPSS_LABEL) for c in columns],
        "variable_value_labels": labels,
        "missing_ranges": missing,
        "variable_measure": measure,
        "variable_format": formats,
    }


def write_dta(columns: list[Column], rows: Iterator[list[Any]], path: str, capacity: int) -> int:
    """Write a Stata .dta: labels cut to Stata's 80 characters, missing codes as .a to .e."""
    import pyreadstat

    df = frame(columns, rows, capacity, stata=True)
    names = stata_names(columns)
    df.columns = names
    labels, missing = {}, {}
    for name, column in zip(names, columns, strict=True):
        if not column.numeric:
            continue
        if column.item_code or column.value_labels:
            value_labels: dict[Any, str] = {
                k: _cut(v, STATA_VALUE_LABEL) for k, v in column.value_labels.items()
            }
            if column.item_code:
                for code, letter in STATA_MISSING.items():
                    value_labels[letter] = column.all_value_labels[code]
                missing[name] = list(STATA_MISSING.values())
            labels[name] = value_labels
    pyreadstat.write_dta(
        df,
        path,
        column_labels=[_cut(c.label, STATA_LABEL) for c in columns],
        variable_value_labels=labels,
        missing_user_values=missing,
    )
    return len(df)


def missing_legend() -> list[tuple[int, str, str]]:
    """Return (code, Stata letter, meaning) of each missing code."""
    return [(code, "." + STATA_MISSING[code], text) for code, text in MISSING_LABELS.items()]
