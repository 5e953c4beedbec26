"""The evaluator's page for one member: contact, disposition with its history, and the
dispositions an evaluator records."""

import pytest
from django.urls import reverse

from panels.models import Contact, DispositionChange, Member, Round
from panels.services import member_invited, round_close
from tests.conftest import add_member, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(seed_versions):
    return make_round("2020 survey", seed_versions[1], status="planned")


@pytest.fixture
def ann(round_):
    """Listed while the round was planned, then invited when it opened."""
    member = add_member(round_)
    Member.objects.filter(pk=member.pk).update(job_titles=["Director of Integration"])
    Round.objects.filter(pk=round_.pk).update(status="open")
    member_invited(member_id=member.pk, at=None)
    round_.refresh_from_db()
    return member


@pytest.fixture
def bea(round_):
    bea = add_member(round_, site_name="Kent", email="bea.brown@example.org")
    Contact.objects.filter(pk=bea.contact_id).update(first_name="Bea", last_name="Brown")
    return bea


def _url(member):
    return reverse("panels:member_detail", args=[member.pk])


def _page(client, member):
    return client.get(_url(member)).content.decode()


def test_the_page_shows_contact_site_organisation_job_and_history(client, alice, ann):
    client.force_login(alice)
    page = _page(client, ann)
    for text in (
        "Ann Ashworth",
        "ann.ashworth@example.org",
        "Barnsley (cohort",
        "Barnsley CCG",
        "Director of Integration",
        "Invited, no response",
        "The sender",
    ):
        assert text in page


def test_an_evaluator_records_not_eligible_with_a_reason(client, alice, ann):
    client.force_login(alice)
    response = client.post(
        _url(ann), {"disposition": "not_eligible", "not_eligible_reason": "left the post"}
    )
    assert response.status_code == 302
    ann.refresh_from_db()
    assert (ann.disposition, ann.disposition_reason) == ("not_eligible", "left the post")
    change = DispositionChange.objects.filter(member=ann).last()
    assert (change.from_disposition, change.source) == ("not_started", "evaluator")
    assert change.by == alice
    page = _page(client, ann)
    assert "An evaluator (alice)" in page and "left the post" in page


def test_coordinated_names_the_member_who_answers_for_them(client, alice, ann, bea):
    client.force_login(alice)
    client.post(_url(ann), {"disposition": "coordinated", "coordinated_by": bea.pk})
    ann.refresh_from_db()
    assert (ann.disposition, ann.coordinated_by) == ("coordinated", bea)
    assert "Answered for by" in _page(client, ann)
    assert "Answers for:" in _page(client, bea)


def test_a_coordinator_from_another_round_is_refused(client, alice, ann, seed_versions):
    other = add_member(make_round("2019 survey", seed_versions[1]), email="cy@example.org")
    client.force_login(alice)
    page = client.post(_url(ann), {"disposition": "coordinated", "coordinated_by": other.pk})
    assert "Select a valid choice" in page.content.decode()
    ann.refresh_from_db()
    assert ann.disposition == "not_started"


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"disposition": "coordinated"}, "coordinated_by", "Choose the member who answers"),
        ({"disposition": "not_eligible"}, "not_eligible_reason", "Choose why the member"),
        ({"disposition": "other"}, "reason", "Say what happened."),
        ({"disposition": "complete"}, "disposition", "Select a valid choice"),
    ],
)
def test_a_missing_detail_is_named_next_to_its_field(client, alice, ann, data, field, error):
    client.force_login(alice)
    page = client.post(_url(ann), data).content.decode()
    error_at = page.index(error)
    nearest_field = page.rfind('id="div_id_', 0, error_at)
    assert page.startswith(f'id="div_id_{field}"', nearest_field)
    ann.refresh_from_db()
    assert ann.disposition == "not_started"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"disposition": "opted_out"}, ("opted_out", "")),
        ({"disposition": "unavailable", "reason": "on leave"}, ("unavailable", "on leave")),
        ({"disposition": "other", "reason": "retired"}, ("other", "retired")),
    ],
)
def test_each_evaluator_disposition_is_recorded(client, alice, ann, data, expected):
    client.force_login(alice)
    client.post(_url(ann), data)
    ann.refresh_from_db()
    assert (ann.disposition, ann.disposition_reason) == expected


def test_an_opted_out_member_gets_no_more_reminders(client, alice, ann):
    client.force_login(alice)
    client.post(_url(ann), {"disposition": "opted_out"})
    ann.refresh_from_db()
    assert ann.opted_out_reminders_at is not None


def test_a_closed_rounds_dispositions_are_final(client, alice, ann, round_):
    round_close(round=round_)
    client.force_login(alice)
    page = _page(client, ann)
    assert "this disposition is final" in page and "Record a disposition" not in page
    assert "kept as final" in page and "The close of the round" in page
    client.post(_url(ann), {"disposition": "opted_out"})
    ann.refresh_from_db()
    assert ann.disposition == "not_started"


def test_a_get_changes_nothing(client, alice, ann):
    client.force_login(alice)
    client.get(_url(ann), {"disposition": "opted_out"})
    ann.refresh_from_db()
    assert ann.disposition == "not_started"


def test_outsiders_see_no_member(client, charlie, ann):
    client.force_login(charlie)
    assert client.get(_url(ann)).status_code == 403
    assert client.post(_url(ann), {"disposition": "opted_out"}).status_code == 403
    ann.refresh_from_db()
    assert ann.disposition == "not_started"


def test_the_member_list_finds_members_and_links_to_their_page(client, alice, ann, bea, round_):
    client.force_login(alice)
    url = reverse("panels:member_list", args=[round_.pk])
    page = client.get(url, {"q": "kent"}).content.decode()
    assert _url(bea) in page and _url(ann) not in page
    page = client.get(reverse("panels:round_detail", args=[round_.pk])).content.decode()
    assert url in page
