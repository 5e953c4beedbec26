"""Closing a round freezes every member's final disposition, with a history row each."""

import pytest
from django.urls import reverse

from panels.models import DispositionChange, Member, Round, RoundStatus
from panels.services import member_disposition_set, member_invited, round_close
from tests.conftest import add_member, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(seed_versions):
    return make_round("2020 survey", seed_versions[1], status="open")


def _members(round_, *dispositions):
    members = []
    for n, to in enumerate(dispositions):
        member = add_member(round_, email=f"m{n}@example.org")
        member_invited(member_id=member.pk, at=None)
        if to != "not_started":
            member_disposition_set(member_id=member.pk, to=to, source="respondent")
        members.append(member)
    return members


def test_closing_freezes_each_disposition_with_a_close_row(round_, alice):
    members = _members(round_, "complete", "partial", "break_off", "not_started", "opted_out")
    report = round_close(round=round_, by=alice)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    assert report.members == 5
    assert report.counts == {
        "complete": 1,
        "partial": 1,
        "break_off": 1,
        "not_started": 1,
        "opted_out": 1,
    }
    rows = DispositionChange.objects.filter(source="close")
    assert rows.count() == 5
    assert {(r.member_id, r.to_disposition, r.by) for r in rows} == {
        (m.pk, m.disposition, alice) for m in Member.objects.filter(round=round_)
    }
    invited = Member.objects.get(pk=members[3].pk)
    assert invited.disposition == "not_started"  # invited, no response: stays no response


def test_closing_takes_the_same_number_of_queries_whatever_the_rounds_size(
    round_, django_assert_max_num_queries
):
    _members(round_, *["partial"] * 30)
    with django_assert_max_num_queries(8):
        round_close(round=round_)
    assert DispositionChange.objects.filter(source="close").count() == 30


def test_only_an_open_round_can_be_closed(round_):
    round_close(round=round_)
    with pytest.raises(ValueError, match="closed, not open"):
        round_close(round=round_)
    assert DispositionChange.objects.filter(source="close").count() == 0


def test_the_close_page_asks_for_confirmation_and_shows_what_will_be_frozen(client, alice, round_):
    _members(round_, "complete", "break_off")
    client.force_login(alice)
    url = reverse("panels:round_close", args=[round_.pk])
    page = client.get(url).content.decode()
    assert "Dispositions now, as they will be frozen" in page
    assert Round.objects.get(pk=round_.pk).status == "open"  # a GET changes nothing
    page = client.post(url, {}).content.decode()
    assert "Tick the box to confirm the close." in page
    assert Round.objects.get(pk=round_.pk).status == "open"
    response = client.post(url, {"confirm": "on"}, follow=True)
    assert "2020 survey is closed: 2 dispositions are final." in response.content.decode()
    assert Round.objects.get(pk=round_.pk).status == "closed"


def test_the_round_page_links_to_the_close_only_while_open(client, alice, round_):
    client.force_login(alice)
    url = reverse("panels:round_detail", args=[round_.pk])
    close = reverse("panels:round_close", args=[round_.pk])
    assert close in client.get(url).content.decode()
    round_close(round=round_)
    assert close not in client.get(url).content.decode()


def test_an_outsider_cannot_close_a_round(client, charlie, round_):
    client.force_login(charlie)
    response = client.post(reverse("panels:round_close", args=[round_.pk]), {"confirm": "on"})
    assert response.status_code == 403
    assert Round.objects.get(pk=round_.pk).status == "open"
