"""The long export joins rounds on item codes; the codebooks say what each column holds and
how each item changed since the round before."""

import csv
import io

import pytest
from django.core.management import call_command

from surveys.definitions import definition_of
from surveys.exports.codebook import across_rounds, codebook_entries
from surveys.exports.services import export_write
from surveys.models import DownloadLog
from tests.surveys.exports.conftest import member_of, respond

pytestmark = pytest.mark.django_db


def read(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def shared_barriers(rounds) -> list[str]:
    codes = [
        {c for c in definition_of(r.version).answer_codes() if c.startswith("barrier.")}
        for r in rounds
    ]
    return sorted(codes[0] & codes[1])


def test_the_long_export_joins_the_barriers_both_rounds_asked_on_one_item_code(rounds, tmp_path):
    round_2016, round_2020 = rounds
    shared = shared_barriers(rounds)
    assert len(shared) == 11
    respond(member_of(round_2016, 1), {"consent": 1, **{c: 1 for c in shared}})
    respond(member_of(round_2020, 1), {"consent": 1, shared[0]: 2, shared[1]: 4})
    rows = []
    for round_ in rounds:
        path = tmp_path / f"{round_.year}.csv"
        export_write(round=round_, kind="long", format="csv", path=path)
        rows += read(path)
    by_code: dict[str, dict[str, dict]] = {}
    for row in rows:
        by_code.setdefault(row["item_code"], {})[row["round"]] = row
    for code in shared:
        assert set(by_code[code]) == {"2016 survey", "2020 survey"}, code
        assert by_code[code]["2016 survey"]["value"] == "1"
    first, second = by_code[shared[0]]["2020 survey"], by_code[shared[1]]["2020 survey"]
    assert (first["value"], first["value_label"], first["status"]) == (
        "2",
        "Fairly significant barrier",
        "answered",
    )
    assert (second["value"], second["status"]) == ("4", "dont_know")  # its own code kept
    assert by_code[shared[2]]["2020 survey"]["status"] == "skipped"
    only_2016 = by_code["barrier.lack_of_trust"]
    assert set(only_2016) == {"2016 survey"}
    assert all(row["ki_id"].startswith("KI") for row in rows)


def test_the_codebook_gives_full_text_options_condition_and_change(rounds, seed_versions):
    round_2016, round_2020 = rounds
    entries = {e.column: e for e in codebook_entries(round_2020)}
    cultures = entries["barrier.different_cultures"]
    assert cultures.number == "Q13 (1)" and cultures.type == "row"  # Q13 (3) in 2016
    assert cultures.text.startswith("Q13 (1) The different cultures of the partner")
    assert "1 = Very significant barrier" in cultures.options
    assert "exported as -3" in cultures.options
    assert cultures.change.startswith("identical (trend comparable)")
    assert entries["covid.role_change"].change.startswith("added")
    assert entries["barrier.different_cultures"].stata_name == "barrier_different_cultures"
    first = {e.column: e for e in codebook_entries(round_2016)}
    assert first["barrier.lack_of_trust"].change == "first round"
    consent = first["consent"]
    assert consent.text.endswith("please click 'I agree to take part in the survey' below.")


def test_the_codebook_names_the_condition_that_decides_who_is_asked(seed_versions, tmp_path):
    from tests.surveys.exports.conftest import seed_round
    from tests.surveys.exports.test_wide import routed_2020

    round_ = seed_round("2020 routed", 2020, routed_2020(seed_versions))
    entries = {e.column: e for e in codebook_entries(round_)}
    assert entries["barrier.different_cultures"].asked_when == "page: respondent.org_type == 1"
    assert entries["respondent.org_type"].asked_when == ""


def test_the_codebook_across_rounds_joins_on_item_codes(rounds):
    rows = {r.item_code: r for r in across_rounds(list(rounds))}
    assert rows["barrier.different_cultures"].per_round[0][0] == "Q13 (3)"
    assert rows["barrier.lack_of_trust"].per_round[1] == ("", "not asked")
    assert rows["covid.role_change"].per_round[0] == ("", "not asked")
    assert rows["covid.role_change"].per_round[1][1].startswith("added")


@pytest.mark.parametrize(
    "fmt, suffix", [("csv", "csv"), ("xlsx", "xlsx"), ("sav", "sav"), ("dta", "dta"),
                    ("long", "csv"), ("codebook", "csv"), ("codebook", "html")]
)  # fmt: skip
def test_the_command_writes_each_file_and_logs_it(rounds, tmp_path, fmt, suffix):
    round_2016, _ = rounds
    respond(member_of(round_2016, 1), {"consent": 1})
    out = tmp_path / f"out.{suffix}"
    stdout = io.StringIO()
    call_command("export_responses", "2016 survey", "--format", fmt, "-o", str(out), stdout=stdout)
    assert out.stat().st_size > 1000
    assert "Wrote" in stdout.getvalue()
    log = DownloadLog.objects.get()
    assert (log.via, log.round_name, log.rows > 0) == ("command", "2016 survey", True)


def test_the_identified_command_export_names_people_and_says_so_in_the_log(rounds, tmp_path):
    round_2016, _ = rounds
    member = member_of(round_2016, 1)
    respond(member, {"consent": 1})
    out = tmp_path / "named.csv"
    call_command(
        "export_responses", "2016 survey", "--format", "csv", "--identified",
        "--include-partial", "-o", str(out), stdout=io.StringIO(),
    )  # fmt: skip
    [row] = read(out)
    assert row["email"] == member.contact.email
    log = DownloadLog.objects.get()
    assert (log.identified, log.include_partial, log.rows) == (True, True, 1)
