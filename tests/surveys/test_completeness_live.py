"""A member's disposition follows the round's completeness rule as their response saves."""

import pytest

from panels.models import DispositionChange, RoundStatus
from panels.services import round_close, round_completeness_set
from surveys.services import response_save_page, response_start, version_publish, version_store
from tests.conftest import add_member, make_round
from tests.surveys.engine.builders import document, page, single, text

pytestmark = pytest.mark.django_db

# Ten items on three pages; role 2 skips the page "detail".
DEFINITION = document(
    page("about", single("role", codes=(1, 2)), text("a1"), text("a2"), text("a3")),
    page("detail", text("d1"), text("d2"), text("d3"), text("d4"), show_if="role == 1"),
    page("closing", text("e1"), text("e2")),
)


@pytest.fixture
def round_(db):
    version, _ = version_store(data=DEFINITION)
    round_ = make_round("2020 survey", version_publish(version=version), status="planned")
    round_completeness_set(round=round_, rule="share", share=0.8, break_off_below=0.5)
    type(round_).objects.filter(pk=round_.pk).update(status=RoundStatus.OPEN)
    round_.refresh_from_db()
    return round_


@pytest.fixture
def member(round_):
    return add_member(round_)


def save(member, page_id, **answers):
    response = response_start(member=member)
    response.refresh_from_db()
    data = {code: [str(value)] for code, value in answers.items()}
    outcome = response_save_page(
        response=response, page_id=page_id, data=data, revision=response.revision, action="next"
    )
    assert not outcome.errors, outcome.errors
    member.refresh_from_db()
    return member.disposition


def test_a_response_becomes_partial_then_complete_as_the_share_rises(member):
    assert save(member, "about", role=1, a1="x", a2="x", a3="x") == "break_off"  # 4 of 10
    assert save(member, "detail", d1="x", d2="x") == "partial"  # 6 of 10
    assert save(member, "closing", e1="x", e2="x") == "complete"  # 8 of 10
    steps = DispositionChange.objects.filter(member=member).values_list(
        "from_disposition", "to_disposition", "source"
    )
    assert list(steps) == [
        ("not_started", "break_off", "respondent"),  # on starting: nothing answered yet
        ("break_off", "partial", "respondent"),
        ("partial", "complete", "respondent"),
    ]


def test_a_save_that_leaves_the_disposition_as_it_was_writes_no_history(member):
    save(member, "about", role=1, a1="x", a2="x", a3="x")
    save(member, "about", role=1, a1="y", a2="y", a3="y")
    assert DispositionChange.objects.filter(member=member).count() == 1


def test_the_routing_decides_which_items_count(member):
    # role 2 skips four items: 4 of the 6 shown answered is a partial, not a break-off
    assert save(member, "about", role=2, a1="x", a2="x", a3="x") == "partial"
    assert save(member, "closing", e1="x") == "complete"  # 5 of 6


def test_reaching_the_end_with_too_little_answered_is_not_complete_under_a_share(member):
    save(member, "about", role=2)
    assert save(member, "closing") == "break_off"  # 1 of 6, though the end was reached


def test_an_evaluators_disposition_is_kept_when_the_member_goes_on_answering(member, alice):
    from panels.services import member_disposition_record

    member_disposition_record(member=member, to="unavailable", by=alice)
    assert save(member, "about", role=1, a1="x") == "unavailable"


def test_a_closed_rounds_dispositions_no_longer_follow_the_answers(member, round_):
    save(member, "about", role=1, a1="x", a2="x", a3="x")
    round_close(round=round_)
    assert save(member, "detail", d1="x", d2="x", d3="x", d4="x") == "break_off"


def test_the_end_rule_makes_a_response_complete_only_at_the_end(db):
    version, _ = version_store(data=DEFINITION)
    round_ = make_round("2019 survey", version_publish(version=version), status="planned")
    round_completeness_set(round=round_, rule="end", break_off_below=0.4)
    type(round_).objects.filter(pk=round_.pk).update(status=RoundStatus.OPEN)
    member = add_member(round_)
    assert save(member, "about", role=2, a1="x") == "break_off"  # 2 of 6
    assert save(member, "closing") == "complete"
