"""The queries a respondent's requests make: opening the link, viewing a page, saving it.

Inside a test every transaction is a savepoint of the test's own; in production the same
blocks are the request's transaction, so the SAVEPOINT and RELEASE lines listed here are
its BEGIN and COMMIT there.
"""

import re

import pytest
from django.test import Client

from tests.conftest import add_member, link_of, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann(seed_versions):
    return add_member(make_round("2020 survey", seed_versions[1]))


@pytest.fixture
def consented(client, ann):
    """Ann has opened her link, started and consented; the organisation page is next."""
    client.get(link_of(ann))
    client.post("/r/start/")
    intro = client.get("/r/page/intro/")
    consent = {"revision": _revision(intro), "consent": "1", "action": "next"}
    assert client.post("/r/page/intro/", consent)["Location"] == "/r/page/organisation/"
    return client


def _revision(page) -> str:
    return re.search(r'name="revision" value="(\d+)"', page.content.decode()).group(1)


def test_opening_a_link_makes_two_queries(ann, django_assert_num_queries):
    Client().get(link_of(ann))  # the round's version, read once per process
    browser = Client()
    # The member; the session inserted with them in it (in its own transaction).
    with django_assert_num_queries(4) as captured:
        assert browser.get(link_of(ann)).status_code == 302
    assert _kinds(captured) == ["SELECT", "SAVEPOINT", "INSERT", "RELEASE"]


def test_viewing_a_page_makes_one_query(consented, django_assert_num_queries):
    consented.get("/r/page/organisation/")  # the definition, read once per process
    with django_assert_num_queries(1) as captured:  # the member, with all a page reads
        assert consented.get("/r/page/organisation/").status_code == 200
    assert _kinds(captured) == ["SELECT"]


def test_saving_a_page_makes_four_queries(consented, django_assert_num_queries):
    page = consented.get("/r/page/organisation/")
    answer = {"revision": _revision(page), "action": "next", "respondent.org_type": "1"}
    # The member; then in one transaction the response stored (if no save came in since
    # it was read), the member locked and their round's status read: the disposition
    # stays "partial".
    with django_assert_num_queries(6) as captured:
        assert consented.post("/r/page/organisation/", answer).status_code == 302
    assert _kinds(captured) == [
        "SELECT",
        "SAVEPOINT",
        "UPDATE",
        "SELECT",
        "SELECT",
        "RELEASE",
    ]


def _kinds(captured) -> list[str]:
    return [query["sql"].split()[0] for query in captured.captured_queries]
