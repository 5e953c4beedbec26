"""Values too long to store, a single name column, and the words of the import's report."""

import io

import pytest

from panels.importing import read_list, split_name
from panels.models import Contact, Member
from panels.services import CarryReport, carry_summary, panel_import
from tests.panels.files import HEADER, ROWS, csv_bytes

pytestmark = pytest.mark.django_db


def _import(round_, data: bytes, name="list.csv", **kwargs):
    return panel_import(round=round_, list_file=read_list(name, io.BytesIO(data)), **kwargs)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("first_name", "A" * 101, "First name has 101 characters; at most 100 fit."),
        ("last_name", "B" * 500, "Last name has 500 characters; at most 100 fit."),
        ("email", "a" * 250 + "@example.org", "The email address has 262 characters"),
        ("organisation", "O" * 301, "Organisation has 301 characters; at most 300 fit."),
        ("job_title", "Lead; " + "J" * 301, "A job title has 301 characters"),
    ],
)
def test_a_value_longer_than_its_field_is_a_bad_row_and_nothing_is_saved(
    round_2016, column, value, message
):
    rows = [list(r) for r in ROWS]
    rows[1][HEADER.index(column)] = value
    report = _import(round_2016, csv_bytes(rows))
    assert not report.ok
    assert [(p.row, p.column) for p in report.problems] == [(3, column)]
    assert message in report.problems[0].message
    assert not Contact.objects.exists() and not Member.objects.exists()


def test_an_attribute_value_longer_than_the_bound_is_a_bad_row(round_2016):
    data = csv_bytes([[*ROWS[0], "x" * 1001]], header=[*HEADER, "attr_notes"])
    report = _import(round_2016, data)
    assert [(p.row, p.column) for p in report.problems] == [(2, "attr_notes")]
    assert "at most 1000" in report.problems[0].message
    assert not Contact.objects.exists()


def test_values_exactly_at_the_limit_are_stored(round_2016):
    rows = [list(r) for r in ROWS[:1]]
    rows[0][0], rows[0][4] = "A" * 100, "O" * 300
    report = _import(round_2016, csv_bytes(rows))
    assert report.ok, report.problems
    assert len(Contact.objects.get().first_name) == 100


@pytest.mark.parametrize(
    ("full", "split"),
    [
        ("Ann Ashworth", ("Ann", "Ashworth")),
        ("Mary Ann  van der Berg", ("Mary Ann van der", "Berg")),
        ("  Cal   Carrow ", ("Cal", "Carrow")),
        ("Madonna", ("Madonna", "")),
    ],
)
def test_a_full_name_splits_at_its_last_space(full, split):
    assert split_name(full) == split


@pytest.mark.parametrize("title", ["name", "Full name", "Full-Name"])
def test_a_single_name_column_is_split_and_the_report_says_so(round_2016, title):
    header = [title, "email", "site"]
    rows = [["Ann Ashworth", "ann@example.org", "Barnsley"], ["Bea de Vries", "bea@x.org", "Kent"]]
    report = _import(round_2016, csv_bytes(rows, header=header))
    assert report.ok, report.problems
    names = sorted(Contact.objects.values_list("first_name", "last_name"))
    assert names == [("Ann", "Ashworth"), ("Bea de", "Vries")]
    assert f"taken from the '{title}' column, split at its last space" in report.summary()


def test_a_single_word_name_is_a_bad_row_saying_what_to_do(round_2016):
    rows = [["Ann Ashworth", "ann@example.org", "Barnsley"], ["Madonna", "m@x.org", "Kent"]]
    report = _import(round_2016, csv_bytes(rows, header=["name", "email", "site"]))
    assert [(p.row, p.column) for p in report.problems] == [(3, "last_name")]
    assert "'Madonna' in the 'name' column has no space" in report.problems[0].message
    assert "add first_name and last_name columns" in report.problems[0].message
    assert not Contact.objects.exists()


def test_a_name_column_beside_first_and_last_names_is_left_alone(round_2016):
    header = [*HEADER, "name"]
    report = _import(round_2016, csv_bytes([[*ROWS[0], "Someone Else"]], header=header))
    assert report.ok
    assert Contact.objects.get().last_name == "Ashworth"
    assert "split" not in report.summary()


def test_the_report_of_a_one_row_import_reads_as_a_sentence(round_2016):
    summary = _import(round_2016, csv_bytes(ROWS[:1])).summary()
    assert summary.startswith("Imported 1 row: 1 new contact, 0 updated, 1 added to panels,")
    assert "0 panel entries updated; 1 site list marked updated" in summary
    assert "1 rows" not in summary and "1 site lists" not in summary


def test_the_carry_forward_words_agree_with_their_numbers():
    assert carry_summary(CarryReport(panels=1, members=1, left_out=1)) == (
        "Copied 1 panel with 1 member; 1 contact who has left the study was left out."
    )
    assert carry_summary(CarryReport(panels=2, members=30, left_out=0)) == (
        "Copied 2 panels with 30 members."
    )
    assert carry_summary(CarryReport(panels=2, members=3, left_out=2)).endswith(
        "; 2 contacts who have left the study were left out."
    )
