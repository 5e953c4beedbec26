"""The wide export: every answer in its item code's column, every gap with the code that
says why, the responses chosen by the round's rule, and pseudonyms by default."""

import csv
import io
import random

import pytest

from panels.models import Member
from surveys.definitions import definition_of
from surveys.engine.simulate import simulate_response
from surveys.exports.columns import (
    DONT_KNOW,
    NOT_ASKED,
    NOT_IN_VERSION,
    NOT_REACHED,
    SKIPPED,
    dont_know_codes,
)
from surveys.exports.rows import Export
from surveys.exports.services import export_write
from surveys.models import Response
from surveys.selectors import member_attributes
from surveys.services import version_publish, version_store
from tests.surveys.exports.conftest import member_of, respond, seed_round

pytestmark = pytest.mark.django_db


def read_csv(path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, for Excel"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def wide(round_, tmp_path, **options) -> list[dict]:
    path = tmp_path / "wide.csv"
    export_write(round=round_, kind="wide", format="csv", path=path, **options)
    return read_csv(path)


def simulated(member, seed):
    defn = definition_of(member.round.version)
    answers, _, _ = simulate_response(defn, member_attributes(member), random.Random(seed))
    return respond(member, answers)


def expected_cells(defn, code, answers) -> dict[str, str]:
    """What the export must show for one item, worked out from the item itself."""
    item, value = defn.items[code], answers.get(code)
    if item.type == "multi":
        if value is None:
            return {f"{code}.{o.code}": str(SKIPPED) for o in item.options}
        return {f"{code}.{o.code}": str(int(o.code in value)) for o in item.options}
    if item.type == "duration":
        if value is None:
            return {f"{code}.years": str(SKIPPED), f"{code}.months": str(SKIPPED)}
        return {f"{code}.years": str(value["years"]), f"{code}.months": str(value["months"])}
    if item.type == "ranked":
        slots = range(1, len(item.slots) + 1)
        if value is None:
            return {f"{code}.{n}": str(SKIPPED) for n in slots}
        return {f"{code}.{n}": value[n - 1] if n <= len(value) else str(SKIPPED) for n in slots}
    if item.type == "nominations":
        return {f"{code}.count": str(len(value)) if value else str(SKIPPED)}
    if value is None or value == "":
        return {code: str(SKIPPED)}
    if item.type in ("single", "row", "consent") and value in dont_know_codes(item):
        return {code: str(DONT_KNOW)}
    return {code: str(value)}


@pytest.mark.parametrize("which", [0, 1], ids=["2016", "2020"])
def test_a_seed_response_has_every_answer_in_its_item_codes_column(rounds, tmp_path, which):
    round_ = rounds[which]
    response = simulated(member_of(round_, 1), seed=7 + which)
    defn = definition_of(round_.version)
    [row] = wide(round_, tmp_path)
    checked = 0
    for code in defn.answer_codes():
        for column, cell in expected_cells(defn, code, response.answers).items():
            assert row[column] == cell, (column, response.answers.get(code))
            checked += 1
    assert checked >= 80
    answered = [c for c in defn.answer_codes() if c in response.answers]
    skipped = [c for c in defn.answer_codes() if c not in response.answers]
    assert answered and skipped, "the simulated respondent answered some items, left others"


def test_cells_hold_the_codes_chosen_and_a_dont_know_is_marked_as_such(rounds, tmp_path):
    round_2016, _ = rounds
    respond(
        member_of(round_2016, 1),
        {
            "consent": 1,
            "respondent.org_type": 12,
            "respondent.org_type.other.12": '=HYPERLINK("http://x")',
            "respondent.job_title": [3, 7],
            "respondent.time_in_post": {"years": 3, "months": 2},
            "barrier.lack_of_trust": 1,
            "barrier.different_cultures": 4,  # "Don't know"
        },
    )
    [row] = wide(round_2016, tmp_path)
    assert row["respondent.org_type"] == "12"
    assert row["respondent.org_type.other.12"] == '\'=HYPERLINK("http://x")'
    assert row["respondent.org_type.other.14"] == str(NOT_ASKED)  # its option was not chosen
    assert [row[f"respondent.job_title.{n}"] for n in range(1, 11)] == list("0010001000")
    assert (row["respondent.time_in_post.years"], row["respondent.time_in_post.months"]) == (
        "3",
        "2",
    )
    assert row["barrier.lack_of_trust"] == "1"
    assert row["barrier.different_cultures"] == str(DONT_KNOW)
    assert row["barrier.number_of_partners"] == str(SKIPPED)


def routed_2020(seed_versions):
    """The 2020 questionnaire with the barriers asked of CCG staff only (type 1)."""
    data = dict(seed_versions[1].definition)
    data["pages"] = [dict(p) for p in data["pages"]]
    for page in data["pages"]:
        if page["id"] == "barriers":
            page["show_if"] = "respondent.org_type == 1"
    data["title"] = data["title"] + " (routed)"
    version, _ = version_store(data=data)
    return version_publish(version=version)


def test_items_the_routing_did_not_ask_carry_the_not_asked_code(seed_versions, tmp_path):
    round_ = seed_round("2020 routed", 2020, routed_2020(seed_versions))
    barriers = [c for c in definition_of(round_.version).answer_codes() if c.startswith("barrier.")]
    asked = member_of(round_, 1)
    respond(asked, {"consent": 1, "respondent.org_type": 1, barriers[0]: 2})
    not_asked = member_of(round_, 2)
    respond(not_asked, {"consent": 1, "respondent.org_type": 6, barriers[0]: 2})
    rows = {r["ki_id"]: r for r in wide(round_, tmp_path)}
    by_member = {m.pk: rows[m.ki_id] for m in Member.objects.filter(round=round_)}
    assert by_member[asked.pk][barriers[0]] == "2"
    assert by_member[asked.pk][barriers[1]] == str(SKIPPED)
    for code in barriers:
        assert by_member[not_asked.pk][code] == str(NOT_ASKED), code


def test_a_response_on_another_version_shows_not_in_this_rounds_version(rounds, tmp_path):
    round_2016, round_2020 = rounds
    on_2020 = respond(member_of(round_2020, 1), {"consent": 1, "covid.role_change": 1})
    late = member_of(round_2020, 2)
    respond(late, {"consent": 1})
    Response.objects.filter(member=late).update(  # answered before the round changed version
        version=round_2016.version, answers={"consent": 1, "respondent.post_responsibilities": 2}
    )
    rows = {r["ki_id"]: r for r in wide(round_2020, tmp_path)}
    new = rows[Member.objects.get(pk=on_2020.member_id).ki_id]
    old = rows[Member.objects.get(pk=late.pk).ki_id]
    assert new["covid.role_change"] == "1"
    assert new["respondent.post_responsibilities"] == str(NOT_IN_VERSION)
    assert old["respondent.post_responsibilities"] == "2"
    assert old["covid.role_change"] == str(NOT_IN_VERSION)
    assert (new["version"], old["version"]) == ("2", "1")


def test_complete_only_by_default_partials_on_request_and_a_column_says_which(rounds, tmp_path):
    round_2016, _ = rounds
    respond(member_of(round_2016, 1), {"consent": 1, "comments": "All good"})
    respond(
        member_of(round_2016, 2),
        {"consent": 1, "respondent.org_type": 2},
        complete=False,
        pages_done=["intro", "organisation"],
    )
    rows = wide(round_2016, tmp_path)
    assert [r["complete"] for r in rows] == ["1"]
    rows = wide(round_2016, tmp_path, include_partial=True)
    assert sorted(r["complete"] for r in rows) == ["0", "1"]
    partial = next(r for r in rows if r["complete"] == "0")
    assert partial["respondent.org_type"] == "2"
    assert partial["respondent.job_title.1"] == str(SKIPPED)  # on a page saved
    assert partial["barrier.lack_of_trust"] == str(NOT_REACHED)  # on a page never reached


def test_exports_are_pseudonymous_unless_identified(rounds, tmp_path):
    round_2016, _ = rounds
    member = member_of(round_2016, 1)
    respond(member, {"consent": 1})
    [row] = wide(round_2016, tmp_path)
    text = (tmp_path / "wide.csv").read_text(encoding="utf-8-sig")
    assert "Ashworth" not in text and member.contact.email not in text
    assert row["ki_id"] == "KI1"
    assert (row["site"], row["cohort"], row["organisation_group"]) == ("2", "1", "CCG")
    [row] = wide(round_2016, tmp_path, identified=True)
    assert (row["last_name"], row["email"]) == ("Ashworth", member.contact.email)


def test_key_informant_ids_are_given_once_and_kept_across_exports(rounds, tmp_path):
    round_2016, _ = rounds
    first = [member_of(round_2016, n) for n in range(5)]
    for member in first:
        respond(member, {"consent": 1})
    before = dict(Export(round=round_2016).queryset().values_list("member_id", "member__ki_number"))
    wide(round_2016, tmp_path)
    numbers = dict(Member.objects.filter(round=round_2016).values_list("pk", "ki_number"))
    assert sorted(numbers.values()) == [1, 2, 3, 4, 5] and set(before.values()) == {None}
    late = member_of(round_2016, 9)
    respond(late, {"consent": 1})
    rows = wide(round_2016, tmp_path)
    again = dict(Member.objects.filter(round=round_2016).values_list("pk", "ki_number"))
    assert {pk: again[pk] for pk in numbers} == numbers, "nobody's number changed"
    assert again[late.pk] == 6
    assert sorted(r["ki_id"] for r in rows) == sorted(f"KI{n}" for n in range(1, 7))


def test_option_labels_instead_of_codes_on_request(rounds, tmp_path):
    round_2016, _ = rounds
    respond(member_of(round_2016, 1), {"consent": 1, "barrier.lack_of_trust": 1})
    [row] = wide(round_2016, tmp_path, labels=True)
    assert row["barrier.lack_of_trust"] == "Very significant barrier"
    assert row["barrier.number_of_partners"] == "Asked, no answer"
    assert row["site"] == "Barnsley"
