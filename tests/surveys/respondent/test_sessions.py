"""A respondent's session: made in one write when a link opens, kept in the database as
well as the cache, so a cache flush never sends anyone back to their email."""

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache

from surveys.models import Response
from surveys.respondent.views import SESSION_KEY
from tests.conftest import link_of
from tests.surveys.respondent.conftest import consent, revision_of

pytestmark = pytest.mark.django_db


def _stored(key: str) -> dict:
    return Session.objects.get(session_key=key).get_decoded()


def test_opening_a_link_stores_the_session_in_the_database(client, ann):
    assert client.get(link_of(ann)).status_code == 302
    assert _stored(client.cookies[settings.SESSION_COOKIE_NAME].value) == {SESSION_KEY: ann.pk}


def test_a_cache_flush_mid_questionnaire_loses_no_session(client, ann):
    consent(client, ann)
    cache.clear()  # Redis restarted, or flushed
    page = client.get("/r/page/organisation/")
    assert page.status_code == 200 and "This link cannot be used" not in page.content.decode()
    answer = {"revision": revision_of(page), "action": "later", "respondent.org_type": "1"}
    assert client.post("/r/page/organisation/", answer)["Location"] == "/r/saved/"
    assert Response.objects.get(member=ann).answers["respondent.org_type"] == 1


def test_reopening_the_link_replaces_the_browsers_session(client, ann):
    client.get(link_of(ann))
    old = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.get(link_of(ann))
    new = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new != old
    assert not Session.objects.filter(session_key=old).exists()
    assert import_module(settings.SESSION_ENGINE).SessionStore(old).load() == {}
    assert _stored(new) == {SESSION_KEY: ann.pk}
    assert client.get("/r/").status_code == 200


def test_a_new_key_that_is_taken_is_replaced_by_another(client, ann, monkeypatch):
    client.get(link_of(ann))
    taken = client.cookies[settings.SESSION_COOKIE_NAME].value
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = iter([taken, "k" * 32])
    monkeypatch.setattr(store, "_get_new_session_key", lambda self: next(keys))
    fresh = type(client)()
    assert fresh.get(link_of(ann)).status_code == 302
    assert fresh.cookies[settings.SESSION_COOKIE_NAME].value == "k" * 32
    assert _stored("k" * 32) == {SESSION_KEY: ann.pk}
    assert _stored(taken) == {SESSION_KEY: ann.pk}  # the other browser's, untouched
