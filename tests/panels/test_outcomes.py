"""Outcomes brought in from a file, and the response_rates command."""

import csv
import json

import pytest
from django.core.management import CommandError, call_command

from panels.models import DispositionChange, Member
from tests.conftest import add_member

pytestmark = pytest.mark.django_db


def _write(path, rows, header=("email", "disposition", "reason", "coordinated_by")):
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def members(round_2016):
    return [add_member(round_2016, email=f"p{n}@example.org") for n in range(4)]


def test_outcomes_are_recorded_with_their_history(tmp_path, round_2016, members, capsys):
    rows = [
        ("p0@example.org", "complete", "", ""),
        ("P1@example.org", "coordinated", "", "p0@example.org"),
        ("p2@example.org", "not_eligible", "left the post", ""),
        ("p3@example.org", "no_response", "", ""),
    ]
    call_command("import_outcomes", _write(tmp_path / "o.csv", rows), round="2016 survey")
    assert "4 dispositions changed" in capsys.readouterr().out
    by_email = {m.contact.email: m for m in Member.objects.select_related("contact")}
    assert by_email["p1@example.org"].coordinated_by == by_email["p0@example.org"]
    assert by_email["p2@example.org"].disposition_reason == "left the post"
    assert by_email["p3@example.org"].disposition == "not_started"
    assert set(DispositionChange.objects.values_list("source", flat=True)) == {"import"}


def test_a_file_with_bad_rows_changes_nothing_and_names_each(tmp_path, round_2016, members, capsys):
    rows = [
        ("p0@example.org", "complete", "", ""),
        ("nobody@example.org", "complete", "", ""),
        ("p1@example.org", "finished", "", ""),
        ("p2@example.org", "coordinated", "", ""),
        ("p3@example.org", "not_eligible", "", ""),
        ("p0@example.org", "refused", "", ""),
    ]
    with pytest.raises(CommandError, match="5 problem"):
        call_command("import_outcomes", _write(tmp_path / "o.csv", rows), round="2016 survey")
    err = capsys.readouterr().err
    assert "row 3, email: nobody@example.org is not a member of this round." in err
    assert "row 4, disposition: Unknown disposition 'finished'" in err
    assert "row 5, coordinated_by:" in err
    assert "row 6, reason: Say why the member is not eligible." in err
    assert "row 7, email: p0@example.org is also on row 2." in err
    assert set(Member.objects.values_list("disposition", flat=True)) == {"listed"}
    assert not DispositionChange.objects.exists()


def test_response_rates_json_has_the_shape_given(tmp_path, round_2016, members, capsys):
    rows = [("p0@example.org", "complete", "", ""), ("p1@example.org", "undeliverable", "", "")]
    call_command("import_outcomes", _write(tmp_path / "o.csv", rows), round="2016 survey")
    capsys.readouterr()
    call_command("response_rates", "2016 survey", by="site", format="json")
    report = json.loads(capsys.readouterr().out)
    assert report["round"] == "2016 survey"
    assert report["counts"] == {"complete": 1, "undeliverable": 1, "listed": 2}
    assert report["aapor_counts"] == {
        "I": 1, "P": 0, "R": 0, "NC": 0, "O": 0, "UH": 2, "UO": 1, "NE": 0,
    }  # fmt: skip
    assert report["e"] == 1.0
    # The two listed were never invited: out of the study's frame, in AAPOR's base (3.11).
    assert report["rates"]["study_frame"] == 0.5 and report["rates"]["RR1"] == 0.25
    assert report["rates"]["COOP1"] == 1.0
    assert [g["group"] for g in report["groups"]] == ["Barnsley"]
    assert report["groups"][0]["rates"]["RR1"] == 0.25


def test_response_rates_as_csv_and_table(round_2016, members, capsys):
    call_command("response_rates", "2016 survey", by="job_title", format="csv")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("group,listed,not_started")
    assert lines[1].startswith("All,4,0")
    call_command("response_rates", "2016 survey")
    table = capsys.readouterr().out
    assert "2016 survey: e = 1.0 (proportional allocation)" in table
    assert "RR1             0.0%  (95% CI 0.0% to 49.0%)" in table


def test_response_rates_names_an_unknown_round():
    with pytest.raises(CommandError, match="No round named 'nope'"):
        call_command("response_rates", "nope")


def test_the_command_makes_a_constant_number_of_queries(
    round_2016, members, django_assert_num_queries, capsys
):
    with django_assert_num_queries(3):  # the round, the counts, the counts by site
        call_command("response_rates", "2016 survey", by="site", format="json")
