"""Cells for the spreadsheets the platform writes (CSV and XLSX): the one place that makes
them safe to open.

A value typed by a contact or an evaluator is stored as typed. Only when it is written into
a file a spreadsheet will open is a text that the spreadsheet would run as a formula
(`=HYPERLINK(...)`, `+cmd|...`, `@SUM(...)`) turned into plain text, by the leading
apostrophe spreadsheets themselves use to mean "this is text". Every CSV and XLSX writer
passes each cell through `spreadsheet_safe`.
"""

# What a spreadsheet takes as the start of a formula (or, for tab and carriage return,
# skips before looking for one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Return the value with a text a spreadsheet would run prefixed by `'`; other values
    (numbers, dates, None, plain text) unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_row(values) -> list:
    """Return a row of cells, each made safe by spreadsheet_safe."""
    return [spreadsheet_safe(v) for v in values]
