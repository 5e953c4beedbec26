"""Members' dispositions and the history of every change."""

from datetime import UTC, datetime

import pytest

from panels.models import DispositionChange, Member
from panels.services import (
    member_invited,
    member_opt_in,
    member_opt_out,
    member_response_saved,
    member_undeliverable,
)
from surveys.services import response_start
from tests.conftest import add_member, make_round

SENT = datetime(2020, 9, 14, 9, 0, tzinfo=UTC)


def _history(member):
    return list(
        DispositionChange.objects.filter(member=member).values_list(
            "from_disposition", "to_disposition", "source"
        )
    )


@pytest.fixture
def ann(round_2016):
    return add_member(round_2016)


def test_a_member_imported_into_a_planned_round_is_listed_not_invited(ann):
    assert ann.disposition == "listed"
    assert ann.get_disposition_display() == "Listed, not yet invited"
    assert _history(ann) == []


def test_the_sender_recording_the_invitation_makes_the_member_invited(ann):
    member_invited(member_id=ann.pk, at=SENT)
    ann.refresh_from_db()
    assert ann.get_disposition_display() == "Invited, no response"
    change = DispositionChange.objects.get(member=ann)
    assert (change.from_disposition, change.to_disposition, change.source, change.at) == (
        "listed",
        "not_started",
        "sender",
        SENT,
    )


def test_a_second_invitation_changes_nothing(ann):
    member_invited(member_id=ann.pk, at=SENT)
    member_invited(member_id=ann.pk, at=SENT)
    assert len(_history(ann)) == 1


def test_a_bounce_makes_an_invited_member_undeliverable_with_its_reason(ann):
    member_invited(member_id=ann.pk, at=SENT)
    member_undeliverable(member_id=ann.pk, reason="smtp_550")
    ann.refresh_from_db()
    assert (ann.disposition, ann.disposition_reason) == ("undeliverable", "smtp_550")
    assert _history(ann)[-1] == ("not_started", "undeliverable", "sender")


def test_a_bounce_after_a_response_started_leaves_it_started(seed_versions):
    member = add_member(make_round("2020 survey", seed_versions[1]))
    response_start(member=member)
    member_undeliverable(member_id=member.pk, reason="smtp_550")
    member.refresh_from_db()
    assert member.disposition == "partial"


def test_starting_a_response_is_recorded_as_the_respondents_doing(seed_versions):
    member = add_member(make_round("2020 survey", seed_versions[1]))
    response_start(member=member)
    assert _history(member) == [("not_started", "partial", "respondent")]


def test_a_save_that_leaves_the_disposition_as_it_is_records_nothing(
    seed_versions, django_assert_num_queries
):
    member = add_member(make_round("2020 survey", seed_versions[1]))
    response_start(member=member)
    with django_assert_num_queries(2):  # the member locked, the round's status read
        assert not member_response_saved(member_id=member.pk, outcome="partial")
    assert member_response_saved(member_id=member.pk, outcome="break_off")
    assert _history(member) == [
        ("not_started", "partial", "respondent"),
        ("partial", "break_off", "respondent"),
    ]


def test_opting_out_and_back_in_is_recorded_both_ways(ann, alice):
    member_invited(member_id=ann.pk, at=SENT)
    member_opt_out(member=ann, scope="study")
    member_opt_in(member=ann, by=alice)
    ann.refresh_from_db()
    assert ann.disposition == "not_started"
    assert _history(ann)[1:] == [
        ("not_started", "opted_out", "respondent"),
        ("opted_out", "not_started", "evaluator"),
    ]
    assert DispositionChange.objects.filter(member=ann).last().by == alice


def test_opting_back_in_returns_a_listed_member_to_listed(ann):
    member_opt_out(member=ann, scope="study")
    member_opt_in(member=ann)
    ann.refresh_from_db()
    assert ann.disposition == "listed"


def test_a_complete_member_who_opts_out_stays_complete(ann):
    Member.objects.filter(pk=ann.pk).update(disposition="complete")
    member = member_opt_out(member=ann, scope="study")
    assert member.disposition == "complete" and member.opted_out_study_at is not None
    assert _history(ann) == []
