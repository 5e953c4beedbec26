"""Guards on the personal link: its secret key, a fresh session, completion kept through
an opt-out, and the address a trusted proxy adds."""

import re

import pytest
from django.conf import settings
from django.test import Client, override_settings

from panels.models import Member
from panels.tokens import optout_token_for, token_for
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


@override_settings(TOKEN_LOOKUPS_PER_WINDOW=3)
def test_only_failed_look_ups_count_and_the_limit_says_when_to_retry(ann):
    office = Client(REMOTE_ADDR="203.0.113.20")
    assert [office.get(f"/r/{'B' * 43}/").status_code for _ in range(2)] == [404, 404]
    # Everyone behind the office's address opens their link, as often as they like.
    assert all(office.get(link_of(ann)).status_code == 302 for _ in range(10))
    assert office.get(f"/r/{'B' * 43}/").status_code == 404
    blocked = office.get(f"/r/{'C' * 43}/")
    assert blocked.status_code == 429
    assert 1 <= int(blocked["Retry-After"]) <= 300
    assert "Please wait" in blocked.content.decode()


def _optout_url(member):
    return f"/o/{optout_token_for(member.token_nonce)}/"


def test_a_cross_site_opt_out_post_is_refused(ann):
    attacker = Client(enforce_csrf_checks=True)
    response = attacker.post(_optout_url(ann), {"scope": "study"})
    assert response.status_code == 303 and response["Location"] == "/o/"
    assert attacker.post("/o/", {"scope": "study"}).status_code == 403
    ann.refresh_from_db()
    assert ann.opted_out_study_at is None and ann.opted_out_reminders_at is None
    assert ann.contact.left_study_on is None


def test_the_opt_out_form_is_reached_without_the_token_and_records_with_csrf(ann):
    browser = Client(enforce_csrf_checks=True)
    response = browser.get(_optout_url(ann))
    assert response["Location"] == "/o/"
    page = browser.get("/o/").content.decode()
    assert optout_token_for(ann.token_nonce) not in page
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    done = browser.post("/o/", {"scope": "study", "csrfmiddlewaretoken": csrf})
    assert done.status_code == 200
    ann.refresh_from_db()
    assert ann.opted_out_study_at is not None


def test_the_one_click_post_still_needs_no_csrf_and_stops_reminders_only(ann):
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(_optout_url(ann), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    ann.refresh_from_db()
    assert ann.opted_out_reminders_at is not None and ann.opted_out_study_at is None


def test_survey_and_opt_out_tokens_open_only_their_own_page(client, ann):
    survey_token = token_for(ann.token_nonce)
    assert client.get(f"/o/{survey_token}/").status_code == 404
    assert client.get(f"/r/{optout_token_for(ann.token_nonce)}/").status_code == 404
    # A session won through the opt-out link opens no survey page.
    client.get(_optout_url(ann))
    assert client.get("/r/").status_code == 404
    # A forged opt-out token (right nonce, wrong signature) opens nothing either.
    forged = ann.token_nonce + survey_token
    assert client.get(f"/o/{forged}/").status_code == 404


def test_an_opt_out_token_depends_on_the_token_key(ann):
    url = _optout_url(ann)
    assert Client().get(url).status_code == 303
    with override_settings(TOKEN_KEY="another key"):
        assert Client().get(url).status_code == 404


def test_the_opt_out_page_of_the_survey_leads_back_to_it(client, ann):
    client.get(link_of(ann))
    page = client.get("/r/opt-out/").content.decode()
    assert 'href="/r/continue/">No, back to the survey</a>' in page
    assert client.get("/r/continue/").status_code == 302
    done = client.post("/r/opt-out/", {"scope": "reminders"}).content.decode()
    assert "Back to the survey" in done
    # The email's opt-out session opens no survey, so its page offers no way there.
    other = Client()
    other.get(_optout_url(ann))
    assert "Back to the survey" not in other.get("/o/").content.decode()


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content.startswith(b"\x00\x00\x01\x00")
