"""The respondent's personal link and pages, through Django's test client."""

import hashlib
import re

import pytest
from django.test import Client, override_settings

from panels.models import Member
from panels.services import member_opt_in
from panels.tokens import optout_token_for, token_for
from surveys.models import Response
from tests.conftest import add_member, link_of, make_round
from tests.surveys.follow_ups import FOLLOW_UPS, follow_up_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_2020(seed_versions):
    return make_round("2020 survey", seed_versions[1])


@pytest.fixture
def ann(round_2020):
    return add_member(round_2020)


def _open(client, member):
    response = client.get(link_of(member))
    assert response.status_code == 302
    return response


def _revision(html: str) -> str:
    return re.search(r'name="revision" value="(\d+)"', html).group(1)


def _started(client, member):
    _open(client, member)
    return client.post("/r/start/")


def _consent(client):
    page = client.get("/r/page/intro/")
    return client.post(
        "/r/page/intro/",
        {"revision": _revision(page.content.decode()), "consent": "1", "action": "next"},
    )


def test_a_personal_link_is_swapped_for_a_session_and_a_url_without_the_token(client, ann):
    response = _open(client, ann)
    assert response["Location"] == "/r/"
    assert response["Referrer-Policy"] == "no-referrer"
    welcome = client.get("/r/")
    assert "Start the survey" in welcome.content.decode()
    assert token_for(ann.token_nonce) not in welcome.content.decode()


def test_opening_the_link_and_the_welcome_page_changes_nothing(client, ann):
    _open(client, ann)
    client.get("/r/")
    client.get("/r/page/intro/")
    ann.refresh_from_db()
    assert ann.disposition == "not_started"
    assert not Response.objects.exists()


def test_tokens_are_unguessable_and_stored_only_hashed(round_2020):
    members = [add_member(round_2020, email=f"p{n}@example.org") for n in range(3)]
    tokens = [token_for(m.token_nonce) for m in members]
    assert len(set(tokens)) == 3
    for member, token in zip(members, tokens, strict=True):
        assert len(token) == 43  # 256 bits of HMAC output, base64url
        assert len(member.token_nonce) == 32  # 128 random bits
        assert member.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert not Member.objects.filter(token_hash=token).exists()


@pytest.mark.parametrize("token", ["nope", "x" * 43, "A" * 43, "%2E%2E%2Fetc%2Fpasswd", "<script>"])
def test_an_unknown_or_malformed_token_gets_the_neutral_page(client, ann, token):
    response = client.get(f"/r/{token}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "This link cannot be used" in html
    assert "survey@example.org" in html


def test_a_round_not_yet_open_gets_the_same_neutral_page(client, seed_versions):
    planned = make_round("2021 survey", seed_versions[1], status="planned")
    member = add_member(planned)
    response = client.get(link_of(member))
    assert response.status_code == 404
    assert "This link cannot be used" in response.content.decode()


def test_a_closed_round_shows_a_polite_page_and_keeps_the_answers(client, ann, round_2020):
    _started(client, ann)
    _consent(client)
    round_2020.status = "closed"
    round_2020.save()
    page = client.get("/r/page/organisation/")
    assert "This survey has closed" in page.content.decode()
    assert Response.objects.get(member=ann).answers["consent"] == 1


@override_settings(TOKEN_LOOKUPS_PER_WINDOW=3)
def test_token_look_ups_are_rate_limited_per_client_address(ann):
    from django.core.cache import cache

    cache.clear()
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    codes = [attacker.get(f"/r/{'B' * 43}/").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    assert attacker.get(link_of(ann)).status_code == 429
    assert Client(REMOTE_ADDR="198.51.100.7").get(link_of(ann)).status_code == 302


def test_starting_creates_the_response_and_marks_the_member_started(client, ann):
    response = _started(client, ann)
    assert response["Location"] == "/r/page/intro/"
    ann.refresh_from_db()
    assert ann.disposition == "partial"
    assert Response.objects.get(member=ann).version.number == 2


def test_a_page_with_errors_shows_a_summary_linking_to_each_field(client, ann):
    _started(client, ann)
    page = client.get("/r/page/organisation/")
    assert page.status_code == 302  # the consent page comes first
    page = client.get("/r/page/intro/")
    response = client.post(
        "/r/page/intro/", {"revision": _revision(page.content.decode()), "action": "next"}
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="error-summary"' in html
    assert '<a href="#id_consent_0">' in html
    assert "<title>Error:" in html


def test_every_page_is_saved_before_the_next_shows(client, ann):
    _started(client, ann)
    response = _consent(client)
    assert response["Location"] == "/r/page/organisation/"
    assert Response.objects.get(member=ann).answers["consent"] == 1
    assert Response.objects.get(member=ann).pages_done == ["intro"]


def _answer_post(client, revision, choice, other=""):
    return client.post(
        "/r/page/post/",
        {
            "revision": revision,
            "action": "next",
            "covid.role_change": choice,
            "covid.role_change.other.2": other,
        },
    )


def _to_post_page(client, ann):
    _started(client, ann)
    _consent(client)
    page = client.get("/r/page/organisation/")
    client.post(
        "/r/page/organisation/",
        {
            "revision": _revision(page.content.decode()),
            "action": "next",
            "respondent.org_type": "1",
        },
    )
    return _revision(client.get("/r/page/post/").content.decode())


def test_an_other_text_is_kept_only_with_its_option(client, ann):
    revision = _to_post_page(client, ann)
    _answer_post(client, revision, "2", "I now lead the Covid discharge hub")
    answers = Response.objects.get(member=ann).answers
    assert answers["covid.role_change"] == 2
    assert answers["covid.role_change.other.2"] == "I now lead the Covid discharge hub"
    revision = _revision(client.get("/r/page/post/").content.decode())
    _answer_post(client, revision, "1")  # the page's script sends no hidden box's text
    answers = Response.objects.get(member=ann).answers
    assert answers["covid.role_change"] == 1
    assert "covid.role_change.other.2" not in answers


def test_text_typed_in_an_other_box_chooses_its_option(client, ann):
    revision = _to_post_page(client, ann)
    _answer_post(client, revision, "", "I now lead the Covid discharge hub")
    answers = Response.objects.get(member=ann).answers
    assert answers["covid.role_change"] == 2
    assert answers["covid.role_change.other.2"] == "I now lead the Covid discharge hub"


def test_text_typed_for_an_option_not_chosen_is_kept_and_the_page_says_why(client, ann):
    revision = _to_post_page(client, ann)
    refused = _answer_post(client, revision, "1", "I now lead the Covid discharge hub")
    html = refused.content.decode()
    assert refused.status_code == 422
    box = re.search(r'<div class="option-other"[^>]*>.*?</div>', html, re.S).group(0)
    assert 'value="I now lead the Covid discharge hub"' in box  # the text is still there
    assert "but chose another answer: choose that option to keep the text" in box
    assert Response.objects.get(member=ann).answers.get("covid.role_change") is None


def test_an_older_tab_cannot_overwrite_newer_answers(client, ann):
    revision = _to_post_page(client, ann)
    _answer_post(client, revision, "2", "newer answer from tab B")
    stale = _answer_post(client, revision, "1")
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "Your answers were changed in another window" in html
    assert "newer answer from tab B" in html
    answers = Response.objects.get(member=ann).answers
    assert answers["covid.role_change.other.2"] == "newer answer from tab B"


def test_a_double_submit_saves_once_and_moves_on(client, ann):
    revision = _to_post_page(client, ann)
    first = _answer_post(client, revision, "1")
    second = _answer_post(client, revision, "1")
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Response.objects.get(member=ann).revision == int(revision) + 1


def test_resuming_from_the_link_on_another_device_goes_to_the_first_page_not_done(ann):
    phone = Client()
    revision = _to_post_page(phone, ann)
    _answer_post(phone, revision, "1")
    laptop = Client()
    _open(laptop, ann)
    assert "Welcome back" in laptop.get("/r/").content.decode()
    assert laptop.post("/r/start/")["Location"] == "/r/page/objectives/"
    back = laptop.get("/r/page/post/").content.decode()
    assert re.search(r'name="covid.role_change" value="1"[^>]*checked', back)


def test_save_and_finish_later_keeps_what_is_valid(client, ann):
    revision = _to_post_page(client, ann)
    response = client.post(
        "/r/page/post/",
        {
            "revision": revision,
            "action": "later",
            "covid.role_change": "1",
            "respondent.time_in_post.years": "many",
        },
    )
    assert response["Location"] == "/r/saved/"
    answers = Response.objects.get(member=ann).answers
    assert answers["covid.role_change"] == 1
    assert "respondent.time_in_post" not in answers


def test_pages_cannot_be_skipped_by_typing_their_address(client, ann):
    _started(client, ann)
    assert client.get("/r/page/final/")["Location"] == "/r/continue/"
    assert client.get("/r/page/no-such-page/")["Location"] == "/r/continue/"
    posted = client.post(
        "/r/page/final/", {"revision": "0", "action": "later", "comments": "Skipped ahead"}
    )
    assert posted["Location"] == "/r/continue/"
    assert client.post("/r/page/no-such-page/", {"revision": "0"})["Location"] == "/r/continue/"
    assert Response.objects.get(member=ann).answers == {}  # nothing saved off the path


def _finish(client, ann):
    _to_post_page(client, ann)
    url = "/r/page/post/"
    for _ in range(30):
        page = client.get(url)
        response = client.post(
            url, {"revision": _revision(page.content.decode()), "action": "next"}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        url = response["Location"]
        if not url.startswith("/r/page/"):
            return url
    raise AssertionError("never finished")


def test_finishing_marks_the_member_complete_and_a_return_visit_says_so(client, ann):
    assert _finish(client, ann) == "/r/"
    ann.refresh_from_db()
    assert ann.disposition == "complete"
    assert Response.objects.get(member=ann).completed_at is not None
    html = client.get("/r/").content.decode()
    assert "your answers are complete" in html
    assert "Review or change my answers" not in html
    assert client.get("/r/page/post/")["Location"] == "/r/"


def test_a_round_can_let_respondents_change_answers_until_it_closes(client, ann, round_2020):
    round_2020.allow_changes_after_completion = True
    round_2020.save()
    _finish(client, ann)
    assert "Review or change my answers" in client.get("/r/").content.decode()
    assert client.post("/r/start/")["Location"] == "/r/page/intro/"
    assert client.get("/r/page/post/").status_code == 200


def test_opting_out_from_a_page_asks_first_then_records_it(client, ann):
    _started(client, ann)
    form = client.get("/r/opt-out/")
    assert "Take me off the study" in form.content.decode()
    ann.refresh_from_db()
    assert ann.opted_out_study_at is None
    done = client.post("/r/opt-out/", {"scope": "study"}).content.decode()
    ann.refresh_from_db()
    assert ann.opted_out_study_at is not None and ann.disposition == "opted_out"
    assert ann.contact.left_study_on is not None
    # The study contact is named once, as a sentence: not "the research team: the research..."
    assert "please contact the research team at survey@example.org." in done


def test_opting_out_of_reminders_keeps_the_member_in_the_round(client, ann):
    _open(client, ann)
    response = client.post("/r/opt-out/", {"scope": "reminders"})
    assert "no more reminders" in response.content.decode().replace("any more", "no more")
    ann.refresh_from_db()
    assert ann.opted_out_reminders_at is not None and ann.opted_out_study_at is None
    assert ann.disposition == "not_started"


def test_an_opt_out_without_a_choice_says_so_next_to_the_field(client, ann):
    _open(client, ann)
    response = client.post("/r/opt-out/", {})
    assert "Please choose one of the two options." in response.content.decode()
    ann.refresh_from_db()
    assert ann.opted_out_reminders_at is None


def test_the_email_opt_out_link_changes_nothing_on_get(client, ann):
    url = f"/o/{optout_token_for(ann.token_nonce)}/"
    assert "Confirm" in client.get(url, follow=True).content.decode()
    ann.refresh_from_db()
    assert ann.opted_out_reminders_at is None


def _back_link(html: str) -> str | None:
    match = re.search(r'<a [^>]*href="([^"]+)"[^>]*>No, back to the survey</a>', html)
    return match and match.group(1)


def test_the_opt_out_page_leads_back_to_the_survey(client, ann):
    _started(client, ann)
    html = client.get("/r/opt-out/").content.decode()
    assert _back_link(html) == "/r/continue/"
    assert client.get(_back_link(html))["Location"] == "/r/page/intro/"
    by_email = client.get(f"/o/{optout_token_for(ann.token_nonce)}/", follow=True)
    assert _back_link(by_email.content.decode()) == "/r/continue/"  # same browser, same survey


def test_the_email_opt_out_page_in_another_browser_says_how_to_answer_instead(client, ann):
    html = client.get(f"/o/{optout_token_for(ann.token_nonce)}/", follow=True).content.decode()
    assert _back_link(html) is None
    assert "To answer the survey instead, open the link in your invitation email" in html


def test_the_email_one_click_opt_out_post_records_it(ann):
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        f"/o/{optout_token_for(ann.token_nonce)}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    ann.refresh_from_db()
    assert ann.opted_out_reminders_at is not None


def test_an_evaluator_can_undo_an_opt_out(client, ann):
    _open(client, ann)
    client.post("/r/opt-out/", {"scope": "study"})
    ann.refresh_from_db()
    member_opt_in(member=ann)
    ann.refresh_from_db()
    assert (ann.opted_out_study_at, ann.disposition, ann.contact.left_study_on) == (
        None,
        "not_started",
        None,
    )


def test_forms_refuse_a_post_without_the_csrf_token(ann):
    browser = Client(enforce_csrf_checks=True)
    _open(browser, ann)
    assert browser.post("/r/start/").status_code == 403
    assert not Response.objects.exists()


def test_respondent_pages_send_a_strict_content_security_policy(client, ann):
    _open(client, ann)
    policy = client.get("/r/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


ROUTED = {
    "format": 1,
    "questionnaire": "routed",
    "title": "Routed",
    "pages": [
        {
            "id": "role",
            "items": [
                {
                    "code": "lead",
                    "type": "single",
                    "text": "Do you lead the programme?",
                    "options": [{"code": 1, "text": "Yes"}, {"code": 2, "text": "No"}],
                },
            ],
        },
        {
            "id": "leading",
            "show_if": "lead == 1",
            "items": [
                {"code": "lead.years", "type": "number", "text": "For how many years?"},
            ],
        },
        {
            "id": "closing",
            "items": [
                {"code": "comments", "type": "text", "text": "Anything else, {member.first_name}?"},
            ],
        },
    ],
}


@pytest.fixture
def routed_member():
    from surveys.services import version_publish, version_store

    version, _ = version_store(data=ROUTED)
    round_ = make_round("Routed round", version_publish(version=version))
    return add_member(round_)


def _post(client, url, **fields):
    page = client.get(url)
    return client.post(
        url, {"revision": _revision(page.content.decode()), "action": "next", **fields}
    )


def test_an_answer_hidden_by_a_changed_earlier_answer_is_cleared_and_not_asked(
    client, routed_member
):
    _started(client, routed_member)
    assert _post(client, "/r/page/role/", lead="1")["Location"] == "/r/page/leading/"
    years = _post(client, "/r/page/leading/", **{"lead.years": "4"})
    assert years["Location"] == "/r/page/closing/"
    assert Response.objects.get(member=routed_member).answers["lead.years"] == 4
    assert _post(client, "/r/page/role/", lead="2")["Location"] == "/r/page/closing/"
    response = Response.objects.get(member=routed_member)
    assert "lead.years" not in response.answers
    assert "lead.years" in response.not_asked
    assert response.pages_done == ["role"]


def test_piped_member_attributes_are_escaped(client, routed_member):
    from panels.models import Contact

    Contact.objects.filter(pk=routed_member.contact_id).update(
        first_name="<script>alert(1)</script>{member.site}"
    )
    _started(client, routed_member)
    _post(client, "/r/page/role/", lead="2")
    html = client.get("/r/page/closing/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{member.site}" in html
    assert "<script>alert(1)" not in html


@pytest.fixture
def follow_ups(db):
    return follow_up_round()


def _shown(html: str) -> list[str]:
    return re.findall(r'name="shown" value="([^"]+)"', html)


def _post_as_shown(client, url, action="next", **fields):
    """Post the page as the browser would: with the items it showed and its revision."""
    html = client.get(url).content.decode()
    posted = {"revision": _revision(html), "response": _response_id(html), "action": action}
    return client.post(url, {**posted, "shown": _shown(html), **fields})


def _response_id(html: str) -> str:
    return re.search(r'name="response" value="(\d+)"', html).group(1)


def _hidden(html: str, code: str) -> bool:
    """Return whether the page draws the question hidden (for its script to bring up)."""
    return f'data-item="{code}" hidden>' in html


def test_a_required_question_brought_up_by_an_answer_on_its_page_is_added_not_an_error(
    client, follow_ups
):
    member = add_member(follow_ups)
    _started(client, member)
    first = client.get("/r/page/role/").content.decode()
    assert _hidden(first, "lead.years") and _shown(first) == ["lead", "team"]
    response = _post_as_shown(client, "/r/page/role/", lead="1")
    assert response["Location"] == "/r/page/role/"  # saved, and shown again
    assert Response.objects.get(member=member).answers == {"lead": 1}
    html = client.get("/r/page/role/").content.decode()
    assert "A further question on this page" in html
    assert "marked “New” below" in html and "Added because of your answer above" in html
    assert not _hidden(html, "lead.years") and "lead.years" in _shown(html)
    assert "error-summary" not in html and "Please answer this question" not in html
    posted = {"revision": _revision(html), "shown": _shown(html), "action": "next"}
    answered = client.post("/r/page/role/", {**posted, "lead": "1", "lead.years": "3"})
    assert answered["Location"] == "/r/page/views/"
    assert Response.objects.get(member=member).answers == {"lead": 1, "lead.years": 3}


def test_a_question_brought_up_beside_an_error_is_added_and_only_the_error_is_one(
    client, follow_ups
):
    member = add_member(follow_ups)
    _started(client, member)
    response = _post_as_shown(client, "/r/page/role/", lead="1", team="many")
    html = response.content.decode()
    assert response.status_code == 422
    assert "A further question on this page" in html and "Your answers are saved" not in html
    summary = re.search(r'<div [^>]*id="error-summary".*?</div>', html, re.S).group(0)
    assert "id_team" in summary and "lead.years" not in summary
    assert not _hidden(html, "lead.years") and "Added because of your answer above" in html
    assert Response.objects.filter(member=member, answers={}).exists()


def test_a_required_question_brought_up_after_completion_is_added_and_nothing_saved(
    client, follow_ups
):
    follow_ups.allow_changes_after_completion = True
    follow_ups.save()
    member = add_member(follow_ups)
    _started(client, member)
    for url, answers in (
        ("/r/page/role/", {"lead": "2"}),
        ("/r/page/views/", {}),
        ("/r/page/closing/", {}),
    ):
        _post_as_shown(client, url, **answers)
    response = _post_as_shown(client, "/r/page/role/", lead="1")
    html = response.content.decode()
    assert response.status_code == 200
    assert "A further question on this page" in html and "Your answers are saved" not in html
    assert "error-summary" not in html and not _hidden(html, "lead.years")
    assert Response.objects.get(member=member).answers == {"lead": 2}


def test_the_page_tells_its_script_which_questions_the_answers_bring_up(client, follow_ups):
    member = add_member(follow_ups)
    _started(client, member)
    html = client.get("/r/page/role/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert 'data-follow-ups="lead.years"' in html
    url = "/r/page/role/shown/"
    yes = client.post(url, {"lead": "1", "csrfmiddlewaretoken": token})
    assert yes.json() == {"shown": ["lead", "lead.years", "team"]}
    assert client.post(url, {"lead": "2", "csrfmiddlewaretoken": token}).json() == {
        "shown": ["lead", "team"]
    }
    assert client.post("/r/page/nowhere/shown/", {"csrfmiddlewaretoken": token}).status_code == 404
    assert client.get(url).status_code == 405  # asking changes nothing, but only by POST
    assert Response.objects.get(member=member).answers == {}


def test_an_optional_question_brought_up_on_its_page_is_asked_before_moving_on(client, follow_ups):
    member = add_member(follow_ups)
    _started(client, member)
    _post_as_shown(client, "/r/page/role/", lead="2")
    assert _hidden(client.get("/r/page/views/").content.decode(), "pace.why")
    again = _post_as_shown(client, "/r/page/views/", pace="2")
    assert again["Location"] == "/r/page/views/"
    stored = Response.objects.get(member=member)
    assert stored.answers["pace"] == 2 and "views" not in stored.pages_done
    html = client.get("/r/page/views/").content.decode()
    assert "A further question on this page" in html
    assert 'name="pace.why"' in html and not _hidden(html, "pace.why")
    assert "A further question" not in client.get("/r/page/views/").content.decode()  # once
    done = _post_as_shown(client, "/r/page/views/", pace="2", **{"pace.why": "Money"})
    assert done["Location"] == "/r/page/closing/"
    assert Response.objects.get(member=member).answers["pace.why"] == "Money"


def test_back_and_later_never_store_a_choice_that_breaks_the_questions_rules(client, ann):
    revision = _to_post_page(client, ann)
    _answer_post(client, revision, "1")
    for action in ("back", "later"):
        response = _post_as_shown(
            client,
            "/r/page/objectives/",
            action,
            **{"objectives.most_important": ["1", "2", "3", "4"]},
        )
        assert response.status_code == 302
        assert "objectives.most_important" not in Response.objects.get(member=ann).answers


def test_a_completed_response_cannot_be_left_with_a_required_answer_missing(client, follow_ups):
    follow_ups.allow_changes_after_completion = True
    follow_ups.save()
    member = add_member(follow_ups)
    _started(client, member)
    _post_as_shown(client, "/r/page/role/", lead="2")
    _post_as_shown(client, "/r/page/views/", pace="1")
    assert _post_as_shown(client, "/r/page/closing/")["Location"] == "/r/"
    completed = Response.objects.get(member=member)
    for action in ("later", "back"):
        refused = _post_as_shown(client, "/r/page/role/", action)
        assert refused.status_code == 422
        assert "Please choose an answer." in refused.content.decode()
    stored = Response.objects.get(member=member)
    assert stored.answers == completed.answers == {"lead": 2, "pace": 1}
    assert stored.completed_at == completed.completed_at


def test_a_tab_saving_another_page_does_not_make_this_page_stale(client, follow_ups):
    member = add_member(follow_ups)
    _started(client, member)
    _post_as_shown(client, "/r/page/role/", lead="2")
    tab_a = client.get("/r/page/role/").content.decode()  # still open on the first page
    _post_as_shown(client, "/r/page/views/", pace="1")  # tab B moves on
    saved = client.post(
        "/r/page/role/",
        {
            "revision": _revision(tab_a),
            "response": _response_id(tab_a),
            "action": "later",
            "lead": "1",
        },
    )
    assert saved["Location"] == "/r/saved/"
    assert Response.objects.get(member=member).answers == {"lead": 1, "pace": 1}


def test_a_page_of_another_link_opened_in_the_same_browser_saves_nothing(client, round_2020):
    ann = add_member(round_2020)
    ben = add_member(round_2020, email="ben.bramley@example.org")
    _started(client, ann)
    anns_page = client.get("/r/page/intro/").content.decode()
    _started(client, ben)  # Ben's link, opened later in the same browser
    response = client.post(
        "/r/page/intro/",
        {"revision": _revision(anns_page), "response": _response_id(anns_page), "consent": "1"},
    )
    assert response["Location"] == "/r/continue/"
    shown = client.get("/r/continue/", follow=True)
    assert shown.redirect_chain[-1][0] == "/r/page/intro/"  # where Ben's survey stands
    assert "This page belonged to another survey link" in shown.content.decode()
    assert Response.objects.get(member=ben).answers == {}
    assert Response.objects.get(member=ann).answers == {}


def test_an_open_round_without_a_questionnaire_gets_the_neutral_page(client, seed_versions):
    from panels.models import Round

    member = add_member(make_round("2021 survey", seed_versions[1]))
    Round.objects.filter(pk=member.round_id).update(version=None)
    assert client.get(link_of(member)).status_code == 404
    opt_out = client.get(f"/o/{optout_token_for(member.token_nonce)}/")
    assert opt_out.status_code == 404
    assert "This link cannot be used" in opt_out.content.decode()


def test_the_email_opt_out_link_of_a_round_not_yet_open_gets_the_neutral_page(
    client, seed_versions
):
    member = add_member(make_round("2021 survey", seed_versions[1], status="planned"))
    response = client.get(f"/o/{optout_token_for(member.token_nonce)}/")
    assert response.status_code == 404
    assert "Stop reminders" not in response.content.decode()


def test_the_answers_saved_page_offers_the_opt_out(client, ann):
    revision = _to_post_page(client, ann)
    client.post("/r/page/post/", {"revision": revision, "action": "later"})
    assert "Stop reminders or leave the study" in client.get("/r/saved/").content.decode()


def test_the_session_of_a_respondent_is_kept_in_the_cache_and_the_database(client, ann):
    from django.contrib.sessions.models import Session
    from django.core.cache import cache

    _open(client, ann)
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()  # survives a cache flush
    assert cache.get(f"django.contrib.sessions.cached_db{key}") is not None


def test_a_round_on_a_version_changed_since_publishing_is_refused_politely(client, caplog):
    from django.utils import timezone

    from surveys.models import Version
    from surveys.services import version_store

    draft, _ = version_store(data={**FOLLOW_UPS, "questionnaire": "forged"})
    Version.objects.filter(pk=draft.pk).update(
        status="published", content_hash="f" * 64, published_at=timezone.now()
    )
    member = add_member(make_round("Forged round", Version.objects.get(pk=draft.pk)))
    _open(client, member)
    refused = client.post("/r/start/")
    assert refused.status_code == 503
    assert "The survey is unavailable just now" in refused.content.decode()
    assert "has been changed since it was published" in caplog.text
    assert not Response.objects.filter(member=member).exists()  # nothing half-started


def test_a_page_costs_one_query_once_the_session_and_version_are_cached(
    client, ann, django_assert_num_queries
):
    _to_post_page(client, ann)
    client.get("/r/page/post/")
    with django_assert_num_queries(1):  # the member, their round, site, contact and response
        page = client.get("/r/page/post/")
    assert page.status_code == 200


def test_a_choice_questions_help_and_error_are_read_with_it(client, ann):
    revision = _to_post_page(client, ann)
    _answer_post(client, revision, "1")
    too_many = _post_as_shown(
        client, "/r/page/objectives/", **{"objectives.most_important": ["1", "2", "3", "4"]}
    )
    html = too_many.content.decode()
    assert too_many.status_code == 422
    code = "objectives.most_important"
    assert f'<fieldset aria-describedby="{code}-help {code}-error">' in html
    assert f'id="{code}-help">Please select up to 3 from the list</p>' in html  # noqa: S608
    assert re.search(rf'id="{re.escape(code)}-error">.*Select no more than 3\.</p>', html)
    assert html.count('class="form-check-input is-invalid"') == 8  # every option marked
    assert len(re.findall(rf'name="{re.escape(code)}" value="[1-4]" id="[^"]+" checked', html)) == 4


def test_every_field_description_a_page_points_to_is_on_the_page(client, ann):
    revision = _to_post_page(client, ann)
    response = client.post(
        "/r/page/post/",
        {
            "revision": revision,
            "action": "next",
            "covid.role_change": "2",
            "respondent.time_in_post.years": "many",
        },
    )
    html = response.content.decode()
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    described = [
        ref for refs in re.findall(r'aria-describedby="([^"]+)"', html) for ref in refs.split()
    ]
    assert "respondent.time_in_post.years-error" in described
    assert "covid.role_change.other.2-error" in described
    assert [ref for ref in described if ref not in ids] == []
