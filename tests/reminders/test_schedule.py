"""A round's messages: merge fields refused when unknown, rendering for one member."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from panels.models import Round
from reminders.models import Message, MessageKind
from reminders.rendering import render, unknown_fields
from tests.conftest import add_member


@pytest.fixture
def round_2020(db):
    return Round.objects.create(
        name="2020 survey",
        year=2020,
        fieldwork_end=date(2020, 11, 20),
        study_contact="Dr Jo Bloggs, survey@example.org",
    )


def _message(round_, **extra):
    values = {
        "round": round_,
        "kind": MessageKind.REMINDER,
        "send_at": timezone.now() + timedelta(days=1),
        "subject": "Reminder for {{ site }}",
        "body": "Dear {{ first_name }},\n\nPlease answer: {{ personal_link }}",
    }
    return Message(**(values | extra))


def test_unknown_fields_names_each_unknown_field_once():
    text = "Hi {{ first_name }} {{ firstname }} {{firstname}} {{ surname }}"
    assert unknown_fields(text) == ["firstname", "surname"]


def test_saving_a_message_with_an_unknown_field_is_refused_naming_it(round_2020):
    message = _message(round_2020, body="Dear {{ frist_name }}, {{ personal_link }}")
    with pytest.raises(ValidationError) as error:
        message.full_clean()
    assert "{{ frist_name }}" in str(error.value.message_dict["body"])
    assert "subject" not in error.value.message_dict


def test_a_message_that_started_sending_can_no_longer_change(round_2020):
    message = _message(round_2020)
    message.save()
    Message.objects.filter(pk=message.pk).update(started_at=timezone.now())
    message.subject = "Changed"
    with pytest.raises(ValidationError, match="started sending"):
        message.full_clean()


def test_a_round_has_at_most_one_invitation(round_2020):
    _message(round_2020, kind=MessageKind.INVITATION).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        _message(round_2020, kind=MessageKind.INVITATION).save()


def test_rendering_fills_fields_and_escapes_values_in_the_html_part(round_2020):
    member = add_member(round_2020)
    member.contact.first_name = "<b>Ann</b> & co"
    message = _message(
        round_2020, body="Dear {{ first_name }} ({{ full_name }}), by {{ closing_date }}."
    )
    rendered = render(message=message, member=member)
    assert rendered.subject == "Reminder for Barnsley"
    assert "Dear <b>Ann</b> & co (<b>Ann</b> & co Ashworth), by 20 November 2020." in (
        rendered.text
    )
    assert "&lt;b&gt;Ann&lt;/b&gt; &amp; co" in rendered.html
    assert "<b>Ann</b>" not in rendered.html
    assert "Dr Jo Bloggs, survey@example.org" in rendered.text


def test_the_links_are_the_members_own_and_links_in_the_html_part(round_2020):
    from panels.tokens import token_for

    member = add_member(round_2020)
    rendered = render(message=_message(round_2020), member=member)
    link = f"http://127.0.0.1:8000/r/{token_for(member.token_nonce)}/"
    assert link in rendered.text
    assert f'<a href="{link}">' in rendered.html
    assert "/o/" in rendered.text and "<img" not in rendered.html


def test_members_who_started_but_did_not_finish_get_the_started_body(round_2020):
    member = add_member(round_2020)
    message = _message(round_2020, body="Please start.", body_started="Please finish.")
    member.started = True
    assert "Please finish." in render(message=message, member=member).text
    member.started = False
    assert "Please start." in render(message=message, member=member).text
    member.started, member.disposition = True, "complete"
    assert "Please start." in render(message=message, member=member).text
