"""The wide export drawn by PostgreSQL: one ``COPY (SELECT ...) TO STDOUT (FORMAT csv)``.

Filling the cells in Python costs about 0.3 ms of CPU per response of 200 items; here each
cell is an expression of one statement, so the database writes the CSV itself and the
worker only passes the bytes on. The cells are the same as ``Export.rows()`` gives
(option codes, missing codes, labels on request, formula-like texts neutralised), and so
is the choice of responses: the round's completeness rule is written in SQL too.
``tests/surveys/exports/test_sql.py`` compares both, cell for cell, on both seed
questionnaires.

The statement has three levels, each a subquery with ``OFFSET 0`` so that PostgreSQL
computes its columns once per row instead of copying their expressions into every cell
that uses them. ``y`` takes the members in order (narrow rows, sorted before anything is
spread out), looks up each one's response, makes its JSON document whole once (``d``: a
large ``jsonb`` is stored compressed, and every ``->`` on the stored value would
decompress it again), applies the rule, and takes each item's value out of the document
once: as text where text is exact (codes, numbers, typed answers), as JSON for lists and
objects. ``x`` gives each item's missing code, or NULL when it holds an answer. The outer
level writes the cells.

Every value of a definition in the statement (codes, page ids, labels) is a literal
quoted by psycopg; nothing is formatted in by hand.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from contextlib import ExitStack
from typing import IO

from django.conf import settings
from django.db import connection, transaction
from psycopg import sql

from panels.cells import FORMULA_STARTS
from panels.models import Disposition
from surveys.completeness import UNSEEN_TYPES
from surveys.definitions import definition_of
from surveys.exports.columns import (
    DONT_KNOW,
    FINISHED,
    MISSING_LABELS,
    NOT_ASKED,
    NOT_IN_VERSION,
    NOT_REACHED,
    SKIPPED,
    Column,
    definition_columns,
)
from surveys.exports.pseudonyms import ki_numbers_assign
from surveys.exports.rows import PROGRESS_EVERY, Export

MAX_COLUMNS = 1500  # PostgreSQL allows 1,664 entries in a select list
EMPTY_JSON = "('null'::jsonb, '\"\"'::jsonb, '[]'::jsonb)"  # no answer (the columns' rule)
NO_ANSWER = "('null'::jsonb, '\"\"'::jsonb, '[]'::jsonb, '{}'::jsonb)"  # the rule's
KI_RANGE = "/* the range of key-informant numbers */"
STRUCTURED = frozenset({"multi", "duration", "ranked", "nominations"})  # lists, objects
Progress = Callable[[int], None]


def supported(export: Export) -> bool:
    """Return whether this export can be drawn by the database (PostgreSQL, not too wide)."""
    if connection.vendor != "postgresql":
        return False
    items = sum(len(definition_of(v).answer_codes()) for v in export.versions)
    return len(export.columns) <= MAX_COLUMNS and items <= MAX_COLUMNS


class _Literals:
    """Quote values as SQL literals with psycopg (one connection-bound quoting)."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self._conn = connection.connection

    def __call__(self, value) -> str:
        return sql.Literal(value).as_string(self._conn)


def _text_case(expr: str, mapping: dict[str, str], lit: _Literals) -> str:
    """Return ``expr`` with the values in ``mapping`` replaced by theirs."""
    if not mapping:
        return expr
    whens = " ".join(f"WHEN {lit(k)} THEN {lit(v)}" for k, v in mapping.items())
    return f"CASE {expr} {whens} ELSE {expr} END"


def _neutral(expr: str) -> str:
    """Return ``expr`` with a leading quote when a spreadsheet would run it as a formula."""
    starts = ", ".join(str(ord(s)) for s in FORMULA_STARTS)
    return f"CASE WHEN ascii({expr}) IN ({starts}) THEN '''' || {expr} ELSE {expr} END"


class Statement:
    """The SELECT drawing one export's rows, built from its columns and versions."""

    def __init__(self, export: Export, *, spreadsheet: bool, labels: bool) -> None:
        self.export, self.spreadsheet, self.labels = export, spreadsheet, labels
        self.lit = _Literals()
        self.values: dict[tuple[str, str], str] = {}  # (key, "text"|"json") -> expression
        self.statuses: dict[tuple[str, int, bool], str] = {}  # (code, page, typed)
        self.versions = export.versions
        self.definitions = {v.pk: definition_of(v) for v in self.versions}
        self._text: str | None = None

    # --- the pieces ---------------------------------------------------------------------

    def value(self, key: str, mode: str) -> str:
        """Return the reference to an item's value taken out of the answers once per row,
        as "text", as "json", or as "codes" (a list of numbers as ",1,3,")."""
        name = self.values.setdefault((key, mode), f"a{len(self.values)}")
        return f"x.{name}"

    def _value_sql(self) -> str:
        parts = []
        for (key, mode), name in self.values.items():
            if mode == "text":
                parts.append(f"d.doc ->> {self.lit(key)} AS {name}")
            elif mode == "codes":
                codes = f"translate(d.doc ->> {self.lit(key)}, '[] ', '')"
                parts.append(f"',' || {codes} || ',' AS {name}")
            else:
                parts.append(f"d.doc -> {self.lit(key)} AS {name}")
        return ", ".join(parts) or "NULL AS a"

    def missing(self, code: int | str) -> str:
        """Return a missing code as the text its cell holds (the label on request)."""
        if self.labels:
            return self.lit(MISSING_LABELS[code])
        return self.lit(str(code))

    def status(self, code: str, page: int, mode: str) -> str:
        """Return the reference to an item's missing code, NULL when it holds an answer.

        ``mode``: "json" for a value with parts (a list or an object), else "text"; as
        text an empty list and the text "[]" both read "[]", so for an item answered by
        typing ("typed") the stored value decides.
        """
        key = (code, page, mode)
        if key not in self.statuses:
            self.value(code, "json" if mode == "json" else "text")
            self.statuses[key] = f"s{len(self.statuses)}"
        return f"x.{self.statuses[key]}"

    def _status_sql(self) -> str:
        parts = []
        for (code, page, mode), name in self.statuses.items():
            value = "y." + self.value(code, "json" if mode == "json" else "text")[2:]
            if mode == "json":
                answered = f"{value} NOT IN {EMPTY_JSON}"
            elif mode == "typed":
                stored = f"(y.doc -> {self.lit(code)})"
                answered = f"{value} <> '' AND ({value} <> '[]' OR {stored} <> '[]'::jsonb)"
            else:
                answered = f"{value} <> '' AND {value} <> '[]'"
            reached = f"WHEN y.reached < {page} THEN {self.missing(NOT_REACHED)} " if page else ""
            parts.append(
                f"CASE WHEN {answered} THEN NULL"
                f" WHEN y.na ? {self.lit(code)} THEN {self.missing(NOT_ASKED)}"
                f" {reached}ELSE {self.missing(SKIPPED)} END AS {name}"
            )
        return ", ".join(parts) or "NULL AS s"

    def text_cell(self, expr: str) -> str:
        """Return a text cell, neutralised for spreadsheets when the file is a CSV."""
        return _neutral(expr) if self.spreadsheet else expr

    def coded(self, column: Column, value: str) -> str:
        """Return an option code's cell (a "Don't know" as its code, labels on request)."""
        dk = {str(code): str(DONT_KNOW) for code in column.dont_know}
        if not self.labels:
            return _text_case(value, dk, self.lit)
        labels = column.all_value_labels
        mapping = {str(k): v for k, v in labels.items() if k >= 0}
        mapping.update({code: labels[DONT_KNOW] for code in dk})
        return _text_case(value, mapping, self.lit)

    def numeric_labels(self, column: Column, expr: str) -> str:
        """Return a number's cell, with labels on request (as label_rows gives them)."""
        if not self.labels:
            return expr
        mapping = {str(k): v for k, v in column.all_value_labels.items()}
        return _text_case(expr, mapping, self.lit)

    def answer(self, column: Column) -> str:
        """Return the cell of a column of this version's (its item holds an answer)."""
        kind, *args = column.source
        code = column.item_code
        if kind == "coded":
            return self.coded(column, self.value(code, "text"))
        if kind == "plain":
            value = self.value(code, "text")
            return self.numeric_labels(column, value) if column.numeric else self.text_cell(value)
        if kind == "selected":
            yes, no = ("Yes", "No") if self.labels else ("1", "0")
            # The options chosen, as ",1,3,10,": a look-up of ",3," per option costs less
            # than a JSON containment test (the codes are whole numbers, written one way).
            chosen = self.value(code, "codes")
            option = self.lit(f",{int(args[0])},")
            return (
                f"CASE WHEN strpos({chosen}, {option}) > 0"
                f" THEN {self.lit(yes)} ELSE {self.lit(no)} END"
            )
        if kind == "companion":
            # Looked up only for an answered item (most "other" boxes are never filled).
            typed = f"(x.doc ->> {self.lit(args[0])})"
            missing = self.missing(NOT_ASKED)
            return f"CASE WHEN {typed} <> '' THEN {self.text_cell(typed)} ELSE {missing} END"
        if kind in ("key", "at"):
            step = self.lit(args[0]) if kind == "key" else str(int(args[0]) - 1)
            part = f"({self.value(code, 'json')} ->> {step})"  # a small value: cheap
            cell = self.numeric_labels(column, part) if column.numeric else self.text_cell(part)
            return f"CASE WHEN {part} <> '' THEN {cell} ELSE {self.missing(SKIPPED)} END"
        item = self.value(code, "json")
        if kind == "count":
            return (
                f"CASE jsonb_typeof({item}) WHEN 'array' THEN jsonb_array_length({item})::text"
                f" ELSE {self.missing(SKIPPED)} END"
            )
        if kind == "people":
            names = (
                "(SELECT string_agg(coalesce(p ->> 'name', '') || ' <' ||"
                " coalesce(p ->> 'email', '') || '>', '; ' ORDER BY n)"
                f" FROM jsonb_array_elements({item}) WITH ORDINALITY e(p, n))"
            )
            return self.text_cell(names)
        raise ValueError(f"No SQL for a column drawn from {column.source!r}.")

    def item_cell(self, column: Column, version_id: int, own: dict[str, Column]) -> str:
        """Return a column's cell for responses on one version."""
        mine = own.get(column.name)
        if mine is None:
            return self.missing(NOT_IN_VERSION)
        defn = self.definitions[version_id]
        item = defn.items[column.item_code]
        page = int(defn.pages_by_id[item.page_id].index)
        if item.type in STRUCTURED:
            mode = "json"
        elif item.type in ("single", "consent", "row", "number"):
            mode = "text"
        else:
            mode = "typed"
        status = self.status(column.item_code, page, mode)
        return f"COALESCE({status}, {self.answer(mine)})"

    @staticmethod
    def _ki_range(after: int | None, upto: int | None) -> str:
        parts = []
        if after is not None:
            parts.append(f"AND (m.ki_number > {int(after)} OR m.ki_number IS NULL)")
        if upto is not None:
            parts.append(f"AND m.ki_number <= {int(upto)}")
        return " ".join(parts)

    def by_version(self, cells: dict[int, str], version: str = "x.version_id") -> str:
        """Return one expression choosing the cell of the response's version."""
        if len(cells) == 1:
            return next(iter(cells.values()))
        whens = " ".join(f"WHEN {pk} THEN {cell}" for pk, cell in cells.items())
        return f"CASE {version} {whens} END"

    # --- per row ------------------------------------------------------------------------

    def reached(self) -> str:
        """Return the furthest page index saved (FINISHED once the end was reached)."""
        cells = {}
        for pk, defn in self.definitions.items():
            whens = " ".join(f"WHEN {self.lit(p.id)} THEN {int(p.index)}" for p in defn.pages)
            cells[pk] = (
                f"coalesce((SELECT max(CASE e {whens} ELSE -1 END)"
                " FROM jsonb_array_elements_text(r.pages_done) e), -1)"
            )
        furthest = self.by_version(cells, "r.version_id")
        return f"CASE WHEN r.completed_at IS NOT NULL THEN {FINISHED} ELSE {furthest} END"

    def complete(self) -> str:
        """Return the round's completeness rule as a boolean expression of a row."""
        rule = self.export.rule

        def answered(code: str) -> str:
            value = f"(d.doc -> {self.lit(code)})"
            return f"({value} IS NOT NULL AND {value} NOT IN {NO_ANSWER})"

        if rule.kind == "end":
            return "r.completed_at IS NOT NULL"
        if rule.kind == "items":
            named = [f"(d.na ? {self.lit(c)} OR {answered(c)})" for c in rule.items]
            return " AND ".join(named) or "true"
        cells = {}
        for pk, defn in self.definitions.items():
            codes = [c for c in defn.answer_codes() if defn.item(c).type not in UNSEEN_TYPES]
            if not codes:
                cells[pk] = f"{0.0!r}::float8 >= {float(rule.share)!r}::float8"
                continue
            shown = " + ".join(f"(NOT d.na ? {self.lit(c)})::int" for c in codes)
            hits = " + ".join(f"(NOT d.na ? {self.lit(c)} AND {answered(c)})::int" for c in codes)
            share = "CASE WHEN t.shown = 0 THEN 0::float8 ELSE t.hits::float8 / t.shown END"
            cells[pk] = (
                f"(SELECT {share} >= {float(rule.share)!r}::float8"
                f" FROM (SELECT {shown} AS shown, {hits} AS hits) t)"
            )
        return self.by_version(cells, "r.version_id")

    def fixed(self) -> list[str]:
        """Return the cells of the fixed columns (ki_id ... completed_at, identity)."""
        lit = self.lit
        sites = dict(self.export.columns[1].value_labels)
        site = "x.site_code::text"
        if self.labels:
            site = _text_case(site, {str(k): v for k, v in sites.items()}, lit)
        complete = ("'Complete'", "'Partial'") if self.labels else ("'1'", "'0'")
        titles = (
            "CASE jsonb_typeof(x.job_titles) WHEN 'array' THEN coalesce((SELECT"
            " string_agg(t, '; ' ORDER BY n) FROM jsonb_array_elements_text(x.job_titles)"
            " WITH ORDINALITY x(t, n)), '') ELSE '' END"
        )
        numbers = {v.pk: lit(str(v.number)) for v in self.versions}
        when = "to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS\"+00:00\"')"
        cells = [
            "CASE WHEN x.ki_number IS NULL THEN '' ELSE 'KI' || x.ki_number END",
            site,
            "x.cohort::text",
            self.text_cell("coalesce(x.analysis_group, '')"),
            self.text_cell(f"({titles})"),
            f"CASE WHEN x.complete THEN {complete[0]} ELSE {complete[1]} END",
            self.by_version(numbers),
            f"coalesce({when.format('x.started_at')}, '')",
            f"coalesce({when.format('x.completed_at')}, '')",
        ]
        if self.export.identified:
            cells += [
                self.text_cell(f"coalesce({field}, '')")
                for field in ("x.first_name", "x.last_name", "x.email", "x.organisation")
            ]
        return cells

    def select(self, *, ki_after: int | None = None, ki_upto: int | None = None) -> str:
        """Return the whole SELECT, its rows in the export's order; ``ki_after`` and
        ``ki_upto`` keep the members whose key-informant numbers lie between them (those
        without a number come last, so after any ``ki_upto``)."""
        if self._text is None:
            self._text = self._select()
        return self._text.replace(KI_RANGE, self._ki_range(ki_after, ki_upto))

    def _select(self) -> str:
        export = self.export
        own = {
            v.pk: {
                c.name: c
                for c in definition_columns(self.definitions[v.pk], identified=export.identified)
            }
            for v in self.versions
        }
        items = [
            self.by_version({pk: self.item_cell(c, pk, own[pk]) for pk in own})
            for c in export.item_columns
        ]
        complete, reached = self.complete(), self.reached()
        cells = self.fixed() + items
        status_sql = self._status_sql()  # registers the values the statuses read
        identity = ""
        if export.identified:
            identity = "c.first_name, c.last_name, c.email, m.organisation,"
        contact = "JOIN panels_contact c ON c.id = m.contact_id" if export.identified else ""
        partial = "" if export.include_partial else "WHERE y.complete"
        refused = self.lit(Disposition.REFUSED.value)
        # The members are put in order first, narrow, and each one's response is looked up
        # in that order (a lateral join by its unique member id): sorting the finished rows
        # instead, hundreds of columns wide, would cost a quarter of the time.
        return f"""
SELECT {", ".join(cells)}
FROM (
    SELECT y.*, {status_sql}
    FROM (
        SELECT m.id AS member_id, r.id, r.version_id, r.started_at, r.completed_at,
            m.ki_number, m.site_code,
            m.cohort, m.analysis_group, m.job_titles, {identity}
            d.doc, d.na, d.reached, {complete} AS complete, {self._value_sql()}
        FROM (
            SELECT m.id, m.ki_number, m.job_titles, m.organisation, m.contact_id,
                s.code AS site_code, s.cohort, g.name AS analysis_group
            FROM panels_member m
            JOIN panels_panel p ON p.id = m.panel_id
            JOIN panels_site s ON s.id = p.site_id
            LEFT JOIN panels_organisationtype ot ON ot.id = m.organisation_type_id
            LEFT JOIN panels_analysisgroup g ON g.id = ot.analysis_group_id
            WHERE m.round_id = {int(export.round.pk)} AND m.disposition <> {refused}
                {KI_RANGE}
            ORDER BY m.ki_number, m.id
            OFFSET 0) m
        CROSS JOIN LATERAL (
            SELECT r.id, r.version_id, r.started_at, r.completed_at, r.answers, r.not_asked,
                r.pages_done
            FROM surveys_response r WHERE r.member_id = m.id
            OFFSET 0) r
        {contact}
        CROSS JOIN LATERAL (
            SELECT r.answers || '{{}}'::jsonb AS doc,
                r.not_asked AS na,
                {reached} AS reached
            OFFSET 0) d
        ORDER BY m.ki_number, m.id
        OFFSET 0) y
    {partial}
    ORDER BY y.ki_number, y.member_id
    OFFSET 0) x
ORDER BY x.ki_number, x.member_id"""


def _copy(cursor, statement: str, stream: IO[bytes], counted: Callable[[int], None]) -> int:
    """Run one COPY of the statement on a cursor, writing its rows to ``stream``."""
    cursor.execute("SET LOCAL jit = off")
    # Caching the per-row subqueries by their input would hash every document.
    cursor.execute("SET LOCAL enable_memoize = off")
    rows = 0
    with cursor.copy(f"COPY ({statement}) TO STDOUT (FORMAT csv)") as copy:
        for data in copy:  # one row per chunk
            stream.write(data)
            rows += 1
            if rows % PROGRESS_EVERY == 0:
                counted(PROGRESS_EVERY)
    counted(rows % PROGRESS_EVERY)
    return rows


def copy_wide(
    export: Export,
    stream: IO[bytes],
    *,
    spreadsheet: bool = True,
    labels: bool = False,
    progress: Progress | None = None,
) -> int:
    """Write the export's rows (no header) to ``stream`` as CSV; return how many.

    JIT compilation is turned off for the statement: PostgreSQL would spend far longer
    compiling its thousands of expressions than running them. From
    ``EXPORT_SPLIT_ROWS`` responses on, the rows are drawn by ``EXPORT_DB_SESSIONS``
    database sessions at once (see ``_copy_split``).
    """
    ki_numbers_assign(round=export.round)
    statement = Statement(export, spreadsheet=spreadsheet, labels=labels)
    sessions = settings.EXPORT_DB_SESSIONS
    total = export.total() if sessions > 1 else 0
    if sessions > 1 and total >= settings.EXPORT_SPLIT_ROWS:
        return _copy_split(export, statement, stream, sessions, progress)
    # Small exports run in the caller's session (and transaction, as in a test); the
    # progress is told at the end, since that session is busy with the COPY until then.
    with transaction.atomic(), connection.cursor() as cursor:
        rows = _copy(cursor.cursor, statement.select(), stream, lambda n: None)
    if progress:
        progress(rows)
    return rows


def _ranges(cursor, export: Export, parts: int) -> list[tuple[int | None, int | None]]:
    """Return (after, upto) key-informant numbers cutting the respondents into parts of
    about the same size, in order."""
    cursor.execute(
        "SELECT percentile_disc(%s::float8[]) WITHIN GROUP (ORDER BY m.ki_number)"
        " FROM panels_member m JOIN surveys_response r ON r.member_id = m.id"
        " WHERE m.round_id = %s AND m.ki_number IS NOT NULL",
        [[n / parts for n in range(1, parts)], export.round.pk],
    )
    cuts = sorted({c for c in cursor.fetchone()[0] or [] if c is not None})
    return list(zip([None, *cuts], [*cuts, None], strict=True))


def _copy_split(
    export: Export,
    statement: Statement,
    stream: IO[bytes],
    sessions: int,
    progress: Progress | None,
) -> int:
    """Draw the rows in several sessions at once, each a range of key-informant numbers,
    and write them in order: the first range straight to ``stream``, the others through
    temporary files appended after it.

    Every session reads the same snapshot of the database (exported by the first, as
    ``pg_dump --jobs`` does), so the file is as consistent as one statement's. The
    sessions are opened here, apart from the caller's, which stays free to record the
    progress as the rows come.
    """
    params = connection.get_connection_params()
    done = [0]
    lock = threading.Lock()

    def counted(n: int) -> None:
        with lock:
            done[0] += n

    def open_session(snapshot: str | None):
        raw = connection.get_new_connection(params)
        raw.autocommit = False
        cursor = raw.cursor()
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        if snapshot is not None:
            cursor.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(snapshot))
        return raw, cursor

    def run_part(snapshot: str, text: str, out: IO[bytes], imported: threading.Event) -> int:
        try:
            raw, cursor = open_session(snapshot)
        finally:
            imported.set()  # the first session may end its transaction now
        try:
            return _copy(cursor, text, out, counted)
        finally:
            raw.close()

    with ExitStack() as stack:
        first, cursor = open_session(None)
        stack.callback(first.close)
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        ranges = _ranges(cursor, export, sessions)
        pool = stack.enter_context(ThreadPoolExecutor(max_workers=max(len(ranges) - 1, 1)))
        files = [stack.enter_context(tempfile.TemporaryFile()) for _ in ranges[1:]]
        imported = [threading.Event() for _ in files]
        statements = [statement.select(ki_after=a, ki_upto=b) for a, b in ranges]
        futures = [
            pool.submit(run_part, snapshot, text, out, event)
            for text, out, event in zip(statements[1:], files, imported, strict=True)
        ]
        reported = 0

        def report(n: int) -> None:
            nonlocal reported
            counted(n)
            if progress and done[0] - reported >= PROGRESS_EVERY:
                reported = done[0]
                progress(reported)

        rows = _copy(cursor, statements[0], stream, report)
        for event in imported:
            event.wait()
        first.rollback()  # nothing was written, and the others hold the snapshot now
        while futures:
            finished, pending = wait(futures, timeout=1, return_when=FIRST_EXCEPTION)
            for future in finished:
                future.result()  # a part that failed fails the export
            if progress and done[0] > reported:
                reported = done[0]
                progress(reported)
            if not pending:
                break
        rows += sum(future.result() for future in futures)
        for out in files:
            out.seek(0)
            while chunk := out.read(1 << 20):
                stream.write(chunk)
    return rows
