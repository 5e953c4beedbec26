"""import_responses: a round's answers run elsewhere, all or nothing, every bad cell named."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from panels.models import Disposition, DispositionChange, DispositionSource, Member
from surveys.analysis.selectors import round_respondents
from surveys.models import Response
from tests.conftest import add_member
from tests.surveys.analysis.conftest import _round, published
from tests.surveys.analysis.definitions import ROWS_2016, definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_elsewhere(db):
    """A round whose three members answered on another system."""
    round_ = _round("2017 survey", 2017, published(definition(ROWS_2016, questionnaire="e")))
    for n, site in enumerate(("Barnsley", "Kent", "Leeds"), start=1):
        add_member(round_, site, email=f"ki{n}@example.org")
    return round_


def _import(tmp_path, round_, text, name="answers.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_responses", str(path), "--round", round_.name, stdout=out, stderr=err)
    return out.getvalue()


def test_a_good_file_becomes_complete_responses_and_dispositions(tmp_path, round_elsewhere):
    text = "\n".join(
        [
            "email,post,channels,barrier.money,barrier.time,staff",
            "KI1@example.org,1,1;2,1,2,40",
            "ki2@example.org,3,,4,,",  # "don't know": channels is then not asked
        ]
    )
    out = _import(tmp_path, round_elsewhere, text)
    assert "Imported 2 complete responses into 2017 survey" in out
    first = Response.objects.get(member__contact__email="ki1@example.org")
    assert first.answers == {
        "post": 1,
        "channels": [1, 2],
        "staff": 40,
        "barrier.money": 1,
        "barrier.time": 2,
    }
    assert first.completed_at is not None and first.version == round_elsewhere.version
    second = Response.objects.get(member__contact__email="ki2@example.org")
    assert second.answers == {"post": 3, "barrier.money": 4}
    assert second.not_asked == ["channels"]  # staff was asked and left blank
    members = Member.objects.filter(round=round_elsewhere).order_by("contact__email")
    assert [m.disposition for m in members] == ["complete", "complete", "not_started"]
    change = DispositionChange.objects.get(member=members[0])
    assert (change.to_disposition, change.source) == (
        Disposition.COMPLETE,
        DispositionSource.IMPORT,
    )
    assert change.reason == "imported from answers.csv"
    assert len(round_respondents(round=round_elsewhere)) == 2  # the tables count them


def test_a_workbook_is_read_too(tmp_path, round_elsewhere):
    book = Workbook()
    sheet = book.active
    sheet.append(["email", "post", "barrier.money"])
    sheet.append(["ki3@example.org", 2, 3])
    book.save(tmp_path / "answers.xlsx")
    call_command("import_responses", str(tmp_path / "answers.xlsx"), "--round", "2017 survey")
    response = Response.objects.get(member__contact__email="ki3@example.org")
    assert response.answers == {"post": 2, "barrier.money": 3}


def test_a_file_with_bad_cells_imports_nothing_and_names_every_one(tmp_path, round_elsewhere):
    for n in (4, 5):
        add_member(round_elsewhere, "Kent", email=f"ki{n}@example.org")
    _import(tmp_path, round_elsewhere, "email,post\nki4@example.org,1", name="first.csv")
    text = "\n".join(
        [
            "email,post,channels,barrier.money,barrier.unknown,staff",
            "ki1@example.org,7,,1,,",
            "ki2@example.org,two,1;5,1,,",
            "nobody@example.org,1,,1,,",
            "ki4@example.org,1,,1,,",
            "ki3@example.org,3,1,1,,12",
            "KI3@example.org,1,,1,,",
            "ki5@example.org,1,,1.5,,lots",
        ]
    )
    path = tmp_path / "answers.csv"
    path.write_text(text, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing imported: 10 problems in answers.csv"):
        call_command("import_responses", str(path), "--round", "2017 survey", stderr=err)
    assert err.getvalue().splitlines() == [
        "row 1, column barrier.unknown: unknown item code: e v1 (Published) has no"
        " 'barrier.unknown'",
        "row 2, column post: option 7 is not in the list of post (1, 2, 3)",
        "row 3, column post: value of the wrong type: 'two' is not an option code (a whole number)",
        "row 3, column channels: option 5 is not in the list of channels (1, 2)",
        "row 4, column email: unknown email: nobody@example.org is not a member of this round",
        "row 5, column email: ki4@example.org already has a response in this round",
        "row 6, column channels: answered, but the questionnaire's routing does not ask it"
        " (or does not offer this option) after the row's other answers",
        "row 7, column email: ki3@example.org is on an earlier row of this file too",
        "row 8, column barrier.money: value of the wrong type: '1.5' is not an option code"
        " (a whole number)",
        "row 8, column staff: value not accepted: Please enter a number, such as 12.",
    ]
    assert Response.objects.filter(member__round=round_elsewhere).count() == 1  # ki4's alone
    assert set(
        Member.objects.filter(round=round_elsewhere, disposition="complete").values_list(
            "contact__email", flat=True
        )
    ) == {"ki4@example.org"}


def test_an_unknown_round_or_an_unreadable_file_is_refused(tmp_path, round_elsewhere):
    with pytest.raises(CommandError, match="No round is named 'Autumn'"):
        call_command("import_responses", str(tmp_path / "x.csv"), "--round", "Autumn")
    (tmp_path / "answers.pdf").write_bytes(b"%PDF")
    with pytest.raises(CommandError, match="Unsupported file type .pdf"):
        call_command("import_responses", str(tmp_path / "answers.pdf"), "--round", "2017 survey")
