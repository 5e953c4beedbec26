"""The wide export drawn by PostgreSQL gives the same cells as the rows built in Python:
both seed questionnaires, partials, identified, labels, two versions, every rule."""

import csv
import io
import random

import pyreadstat
import pytest
from django.db import connection
from django.utils import timezone

from panels.models import Disposition, Member
from surveys.definitions import definition_of
from surveys.engine.simulate import simulate_response
from surveys.exports import renderers, sql
from surveys.exports.rows import Export, label_rows
from surveys.exports.services import export_write
from surveys.models import Response
from surveys.selectors import member_attributes
from tests.surveys.exports.conftest import member_of, respond

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="drawn by PostgreSQL only"),
]


def python_cells(export: Export, *, labels=False) -> list[list[str]]:
    rows = export.rows()
    if labels:
        rows = label_rows(export, rows)
    buffer = io.BytesIO()
    renderers.write_csv(rows, buffer)
    return list(csv.reader(io.StringIO(buffer.getvalue().decode("utf-8-sig"))))


def sql_cells(export: Export, *, labels=False) -> list[list[str]]:
    buffer = io.BytesIO()
    count = sql.copy_wide(export, buffer, labels=labels)
    rows = list(csv.reader(io.StringIO(buffer.getvalue().decode("utf-8"))))
    assert count == len(rows)
    return rows


def assert_same(export: Export, **options) -> list[list[str]]:
    """Compare the two cell for cell, naming the first column that differs."""
    names = [c.name for c in export.columns]
    expected, drawn = python_cells(export, **options), sql_cells(export, **options)
    assert len(drawn) == len(expected)
    for want, got in zip(expected, drawn, strict=True):
        for name, a, b in zip(names, want, got, strict=True):
            assert (name, b) == (name, a)
    return drawn


def simulate(round_, count, seed, **options):
    defn = definition_of(round_.version)
    rng = random.Random(seed)
    for n in range(count):
        member = member_of(round_, seed * 100 + n, site=("Barnsley", "Camden")[n % 2])
        answers, _, _ = simulate_response(defn, member_attributes(member), rng)
        respond(member, answers, **options)


@pytest.mark.parametrize("which", [0, 1], ids=["2016", "2020"])
def test_both_seed_questionnaires_give_the_same_cells(rounds, which):
    round_ = rounds[which]
    simulate(round_, 12, seed=which + 1)
    rows = assert_same(Export(round=round_))
    assert len(rows) == 12
    # The simulated respondents answer some items and skip others: both kinds are compared.
    cells = {cell for row in rows for cell in row[9:]}
    assert {"-1", "-2"} <= cells or {"-2"} <= cells
    assert any(c.isdigit() and int(c) > 0 for c in cells)


def test_partials_identified_and_labels_give_the_same_cells(rounds):
    round_ = rounds[0]
    simulate(round_, 6, seed=3)
    defn = definition_of(round_.version)
    stopped = member_of(round_, 900)
    respond(
        stopped,
        {"consent": 1, "respondent.org_type": 2, "comments": "=SUM(A1) 'quoted', \"and\"\nmore"},
        complete=False,
        pages_done=[defn.pages[0].id, defn.pages[1].id],
    )
    export = Export(round=round_, include_partial=True, identified=True)
    rows = assert_same(export)
    assert len(rows) == 7 and sorted(r[5] for r in rows).count("0") == 1
    assert_same(Export(round=round_, include_partial=True), labels=True)
    text = next(r for r in rows if r[5] == "0")[[c.name for c in export.columns].index("comments")]
    assert text.startswith("'=SUM")  # neutralised for spreadsheets


def test_a_round_answered_on_two_versions(rounds):
    round_2016, round_2020 = rounds
    simulate(round_2020, 4, seed=5)
    late = member_of(round_2020, 950)
    respond(late, {"consent": 1})
    Response.objects.filter(member=late).update(
        version=round_2016.version,
        answers={"consent": 1, "respondent.post_responsibilities": 2},
    )
    rows = assert_same(Export(round=round_2020))
    assert len(rows) == 5
    assert sorted(r[6] for r in rows) == ["1", "2", "2", "2", "2"]


@pytest.mark.parametrize(
    "rule",
    [
        {"completeness_rule": "end"},
        {"completeness_rule": "items", "completeness_items": ["consent", "comments"]},
        {"completeness_rule": "share", "completeness_share": 0.3},
    ],
    ids=["end", "items", "share"],
)
def test_every_completeness_rule_picks_the_same_responses(rounds, rule):
    round_ = rounds[0]
    simulate(round_, 5, seed=7)
    simulate(round_, 5, seed=8, complete=False)
    member = member_of(round_, 990)
    respond(member, {"consent": 1, "comments": "Only this"}, complete=False)
    type(round_).objects.filter(pk=round_.pk).update(**rule)
    round_.refresh_from_db()
    rows = assert_same(Export(round=round_))
    assert_same(Export(round=round_, include_partial=True))
    expected = {"end": 5}.get(rule["completeness_rule"])
    if expected is not None:
        assert len(rows) == expected


def test_refused_members_are_left_out(rounds):
    round_ = rounds[0]
    simulate(round_, 3, seed=9)
    member = Member.objects.filter(round=round_).first()
    Member.objects.filter(pk=member.pk).update(disposition=Disposition.REFUSED)
    assert len(assert_same(Export(round=round_))) == 2


def test_the_sav_written_from_the_database_matches_the_one_built_in_python(rounds, tmp_path):
    round_ = rounds[1]
    simulate(round_, 6, seed=11)
    Response.objects.filter(member__round=round_).update(started_at=timezone.now())
    export_write(round=round_, kind="wide", format="sav", path=tmp_path / "sql.sav")
    export = Export(round=round_)
    renderers.write_sav(export.columns, export.rows(), str(tmp_path / "py.sav"), export.total())
    drawn, meta = pyreadstat.read_sav(str(tmp_path / "sql.sav"), user_missing=True)
    built, built_meta = pyreadstat.read_sav(str(tmp_path / "py.sav"), user_missing=True)
    assert list(drawn.columns) == list(built.columns)
    assert drawn.fillna(-99).astype(str).equals(built.fillna(-99).astype(str))
    assert meta.missing_ranges == built_meta.missing_ranges
    assert meta.variable_value_labels == built_meta.variable_value_labels
    assert meta.column_labels == built_meta.column_labels


def test_items_the_routing_did_not_ask_give_the_same_cells(seed_versions):
    from tests.surveys.exports.conftest import seed_round
    from tests.surveys.exports.test_wide import routed_2020

    round_ = seed_round("2020 routed", 2020, routed_2020(seed_versions))
    barriers = [c for c in definition_of(round_.version).answer_codes() if c.startswith("barrier.")]
    for n, org_type in enumerate((1, 6, 6, 1)):
        answers = {"consent": 1, "respondent.org_type": org_type, barriers[0]: 2}
        respond(member_of(round_, n), answers, complete=n != 3, pages_done=None)
    rows = assert_same(Export(round=round_, include_partial=True))
    names = [c.name for c in Export(round=round_).columns]
    asked = [row[names.index(barriers[0])] for row in rows]
    assert sorted(asked) == ["-1", "-1", "2", "2"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_large_export_drawn_by_three_sessions_at_once_is_the_same_file(rounds, settings):
    """The sessions read committed data, so this test commits its responses."""
    settings.EXPORT_SPLIT_ROWS, settings.EXPORT_DB_SESSIONS = 1, 3
    round_ = rounds[0]
    simulate(round_, 13, seed=12)
    export = Export(round=round_)
    expected = python_cells(export)
    told = []
    buffer = io.BytesIO()
    count = sql.copy_wide(export, buffer, progress=told.append)
    drawn = list(csv.reader(io.StringIO(buffer.getvalue().decode("utf-8"))))
    assert drawn == expected and count == 13
    assert [row[0] for row in drawn] == [f"KI{n}" for n in range(1, 14)]
    assert told and told[-1] == 13
