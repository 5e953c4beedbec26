"""Dispositions recorded in bulk from a file on an evaluator page: all or nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from panels.models import DispositionChange, Member
from panels.services import round_close
from tests.conftest import add_member, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(seed_versions):
    round_ = make_round("2020 survey", seed_versions[1], status="open")
    for n in range(4):
        add_member(round_, email=f"p{n}@example.org")
    return round_


def _upload(client, round_, text):
    upload = SimpleUploadedFile("d.csv", text.encode(), content_type="text/csv")
    url = reverse("panels:dispositions_import", args=[round_.pk])
    return client.post(url, {"file": upload}, follow=True)


def _dispositions():
    return dict(Member.objects.values_list("contact__email", "disposition"))


def test_an_evaluator_records_dispositions_from_a_file(client, alice, round_):
    client.force_login(alice)
    response = _upload(
        client,
        round_,
        "email,disposition,reason,coordinated_by\n"
        "p0@example.org,opted_out,,\n"
        "P1@example.org,coordinated,,p0@example.org\n"
        "p2@example.org,not_eligible,duplicate listing,\n"
        "p3@example.org,unavailable,,\n",
    )
    assert "Read 4 rows: 4 dispositions changed." in response.content.decode()
    assert _dispositions() == {
        "p0@example.org": "opted_out",
        "p1@example.org": "coordinated",
        "p2@example.org": "not_eligible",
        "p3@example.org": "unavailable",
    }
    sources = set(DispositionChange.objects.values_list("source", "by__username"))
    assert sources == {("evaluator", "alice")}


def test_one_bad_row_records_nothing_and_every_bad_row_is_named(client, alice, round_):
    client.force_login(alice)
    page = _upload(
        client,
        round_,
        "email,disposition,reason,coordinated_by\n"
        "p0@example.org,opted_out,,\n"
        "nobody@example.org,opted_out,,\n"
        "p1@example.org,complete,,\n"
        "p2@example.org,other,,\n"
        "p3@example.org,coordinated,,\n",
    ).content.decode()
    assert "Nothing was recorded: 4 problems found" in page
    assert "nobody@example.org is not a member of this round." in page
    assert "Unknown disposition &#x27;complete&#x27;" in page
    assert "Say what happened." in page
    assert "Give the email of the member of this round who answered for them." in page
    assert set(_dispositions().values()) == {"not_started"}


def test_a_closed_round_takes_no_file(client, alice, round_):
    round_close(round=round_)
    client.force_login(alice)
    page = _upload(client, round_, "email,disposition\np0@example.org,opted_out\n")
    assert "The round is closed: its dispositions are final." in page.content.decode()
    assert set(_dispositions().values()) == {"not_started"}


def test_an_outsider_cannot_record_dispositions(client, charlie, round_):
    client.force_login(charlie)
    response = _upload(client, round_, "email,disposition\np0@example.org,opted_out\n")
    assert response.status_code == 403
    assert set(_dispositions().values()) == {"not_started"}
