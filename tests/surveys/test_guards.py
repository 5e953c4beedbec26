"""Guards on the personal link: its secret key, a fresh session, completion kept through
an opt-out, and the address a trusted proxy adds."""

import pytest
from django.conf import settings
from django.test import Client, override_settings

from panels.models import Member
from panels.tokens import token_for
from surveys.models import Response
from tests.conftest import add_member, link_of, make_round
from tests.surveys.test_respondent import _finish

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann(seed_versions):
    return add_member(make_round("2020 survey", seed_versions[1]))


def test_a_link_depends_on_the_token_key(client, ann):
    with override_settings(TOKEN_KEY="first key"):
        first = token_for(ann.token_nonce)
    with override_settings(TOKEN_KEY="second key"):
        second = token_for(ann.token_nonce)
    assert first != second
    # Links sent under the current key work; after a change of key they open nothing.
    assert client.get(link_of(ann)).status_code == 302
    with override_settings(TOKEN_KEY="a new key"):
        assert Client().get(link_of(ann)).status_code == 404
        assert Client().get(f"/r/{token_for(ann.token_nonce)}/").status_code == 404


def test_opening_a_link_gives_the_browser_a_new_session_id(client, ann):
    planted = client.session
    planted["seen"] = True
    planted.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    assert client.get(link_of(ann)).status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after and after != planted.session_key
    assert "Start the survey" in client.get("/r/").content.decode()
    # The planted id opens nothing.
    stale = Client()
    stale.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    assert stale.get("/r/").status_code == 404


def test_a_member_who_completed_then_leaves_the_study_stays_complete(client, ann):
    _finish(client, ann)
    client.post("/r/opt-out/", {"scope": "study"})
    ann.refresh_from_db()
    assert ann.opted_out_study_at is not None
    assert ann.disposition == "complete"
    assert Member.objects.filter(round=ann.round, disposition="complete").count() == 1
    assert Response.objects.get(member=ann).completed_at is not None


@override_settings(TRUST_X_FORWARDED_FOR=True, TOKEN_LOOKUPS_PER_WINDOW=3)
def test_behind_a_trusted_proxy_the_limit_counts_the_address_the_proxy_added(ann):
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    codes = [
        proxy.get(f"/r/{'B' * 43}/", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 203.0.113.9").status_code
        for i in range(5)
    ]
    assert codes[-1] == 429
    other = proxy.get(link_of(ann), HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    assert other.status_code == 302
