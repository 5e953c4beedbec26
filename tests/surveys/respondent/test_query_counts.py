"""The queries a respondent's requests make: opening the link, viewing a page, saving it.

Inside a test every transaction is a savepoint of the test's own; in production the same
blocks are the request's transaction, so the SAVEPOINT and RELEASE lines listed here are
its BEGIN and COMMIT there.
"""

import pytest
from django.test import Client

from tests.conftest import link_of
from tests.surveys.respondent.conftest import revision_of

pytestmark = pytest.mark.django_db


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


def test_saving_a_page_makes_two_queries(consented, django_assert_num_queries):
    page = consented.get("/r/page/organisation/")
    answer = {"revision": revision_of(page), "action": "next", "respondent.org_type": "1"}
    # The member; then in one transaction the response stored (no save came in since it
    # was read): the disposition stays "partial", as read with the member.
    with django_assert_num_queries(4) as captured:
        assert consented.post("/r/page/organisation/", answer).status_code == 302
    assert _kinds(captured) == ["SELECT", "SAVEPOINT", "UPDATE", "RELEASE"]


def test_a_save_that_changes_the_disposition_locks_the_member(
    consented, ann, django_assert_num_queries
):
    from panels.models import Member

    page = consented.get("/r/page/organisation/")
    answer = {"revision": revision_of(page), "action": "next", "respondent.org_type": "1"}
    Member.objects.filter(pk=ann.pk).update(disposition="break_off")
    with django_assert_num_queries(11) as captured:
        assert consented.post("/r/page/organisation/", answer).status_code == 302
    # The response stored, then the member locked, their round's status read and the
    # change recorded with its history.
    kinds = _kinds(captured)
    assert kinds[:3] == ["SELECT", "SAVEPOINT", "UPDATE"]
    assert "FOR UPDATE" in captured.captured_queries[3]["sql"]
    assert Member.objects.get(pk=ann.pk).disposition == "partial"


def _kinds(captured) -> list[str]:
    return [query["sql"].split()[0] for query in captured.captured_queries]
