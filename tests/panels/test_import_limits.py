"""Contact lists that declare or unpack to more than a list can be are refused, cheaply."""

import io
import re
import resource
import tracemalloc
import zipfile

import pytest

from panels import importing
from panels.importing import ListFileError, read_list
from tests.panels.files import HEADER, ROWS, csv_bytes, xlsx_bytes

MEMORY_BOUND = 200 * 1024 * 1024


def _rewrite_sheet(data: bytes, change) -> bytes:
    """Return the workbook with its first sheet's XML passed through `change`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = change(body)
            dst.writestr(item, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _read_measured(name, data):
    """Read a list; return what it raised or gave and the peak memory Python allocated."""
    tracemalloc.start()
    try:
        try:
            result = read_list(name, io.BytesIO(data))
        except ListFileError as exc:
            result = exc
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, peak


def test_a_sheet_declaring_every_column_and_row_is_read_as_the_cells_it_holds():
    data = _rewrite_sheet(
        xlsx_bytes(ROWS[:1]),
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml),
    )
    assert len(data) < 10_000
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    list_file, peak = _read_measured("bomb.xlsx", data)
    assert peak < MEMORY_BOUND
    # ru_maxrss is in KiB on Linux: the process grew by less than the bound.
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) * 1024
    assert grown < MEMORY_BOUND
    assert list_file.columns == HEADER
    assert [values["email"] for _, values in list_file.rows] == ["ann.ashworth@example.org"]


def test_a_workbook_that_unpacks_to_far_more_than_it_weighs_is_refused_before_reading():
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    data = _rewrite_sheet(
        xlsx_bytes(ROWS[:1]),
        lambda xml: xml.replace(b"</sheetData>", row * 300_000 + b"</sheetData>"),
    )
    assert len(data) < 200_000
    refused, peak = _read_measured("bomb.xlsx", data)
    assert isinstance(refused, ListFileError)
    assert "would unpack to" in str(refused) and "MB" in str(refused)
    assert peak < MEMORY_BOUND


def test_a_file_that_is_not_a_workbook_is_refused_as_such():
    refused, _ = _read_measured("list.xlsx", b"first_name,last_name\n")
    assert "The workbook cannot be read" in str(refused)


@pytest.mark.parametrize("name", ["list.csv", "list.xlsx"])
def test_a_list_with_more_rows_than_the_limit_is_refused_saying_how_to_split_it(monkeypatch, name):
    monkeypatch.setattr(importing, "MAX_ROWS", 2)
    data = csv_bytes(ROWS) if name.endswith(".csv") else xlsx_bytes(ROWS)
    with pytest.raises(ListFileError) as refused:
        read_list(name, io.BytesIO(data))
    assert "more than 2 rows" in str(refused.value)
    assert "split it" in str(refused.value)
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    assert len(read_list(name, io.BytesIO(data)).rows) == 3


@pytest.mark.parametrize("name", ["list.csv", "list.xlsx"])
def test_a_header_wider_than_the_column_limit_is_refused(name):
    header = [*HEADER, *(f"extra_{i}" for i in range(importing.MAX_COLUMNS))]
    rows = [[*ROWS[0], *([""] * importing.MAX_COLUMNS)]]
    data = csv_bytes(rows, header=header) if name.endswith(".csv") else xlsx_bytes(rows, header)
    with pytest.raises(ListFileError) as refused:
        read_list(name, io.BytesIO(data))
    assert f"at most {importing.MAX_COLUMNS}" in str(refused.value)


def test_more_attribute_columns_than_the_cap_are_refused_and_the_cap_itself_is_taken():
    cap = importing.MAX_ATTRIBUTE_COLUMNS
    header = [*HEADER, *(f"attr_{i}" for i in range(cap + 1))]
    data = csv_bytes([[*ROWS[0], *(["v"] * (cap + 1))]], header=header)
    with pytest.raises(ListFileError) as refused:
        read_list("list.csv", io.BytesIO(data))
    assert f"{cap + 1} attr_ columns" in str(refused.value)
    assert f"at most {cap}" in str(refused.value)
    data = csv_bytes([[*ROWS[0], *(["v"] * cap)]], header=header[:-1])
    assert len(read_list("list.csv", io.BytesIO(data)).columns) == len(HEADER) + cap
