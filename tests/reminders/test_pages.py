"""The evaluator pages of a round's messages: who may see them, planning and its refusals,
the preview, a test send at a real SMTP server, the counts, the outbox and a timeline."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from panels.models import Disposition, Member
from panels.services import member_opt_out
from reminders import services
from reminders.models import Message, MessageKind, OutboxEntry, OutboxStatus
from tests.reminders.test_delivery import _round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(db):
    return _round(6)


def _plan(round_, kind=MessageKind.REMINDER, days=3, **extra) -> Message:
    values = {
        "send_at": timezone.now() + timedelta(days=days),
        "subject": "The 2020 survey of {{ site }}",
        "body": "Dear {{ first_name }},\n\nYour link: {{ personal_link }}",
    }
    return Message.objects.create(round=round_, kind=kind, **(values | extra))


def _form(**extra) -> dict:
    return {
        "kind": "invitation",
        "send_at": "2030-10-02T09:00",
        "subject": "Our survey of {{ site }}",
        "body": "Dear {{ first_name }},\n\n{{ personal_link }}",
        "body_started": "",
    } | extra


def _members(round_):
    return list(Member.objects.filter(round=round_).order_by("pk"))


# Who may see the pages


def test_visitors_are_sent_to_log_in_and_outsiders_are_refused(client, charlie, round_):
    message = _plan(round_)
    urls = [
        reverse("reminders:round_schedule", args=[round_.pk]),
        reverse("reminders:message_detail", args=[message.pk]),
        reverse("reminders:message_preview", args=[message.pk]),
        reverse("reminders:member_messages", args=[_members(round_)[0].pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(charlie)
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(reverse("reminders:message_send_now", args=[message.pk])).status_code == 403
    message.refresh_from_db()
    assert message.started_at is None


def test_a_get_on_an_action_changes_nothing(client, alice, round_):
    message = _plan(round_)
    client.force_login(alice)
    for name in ("message_send_now", "message_retry_failed", "message_test_send"):
        assert client.get(reverse(f"reminders:{name}", args=[message.pk])).status_code == 405
    assert client.get(reverse("reminders:round_pause", args=[round_.pk])).status_code == 405
    client.get(reverse("reminders:message_delete", args=[message.pk]))
    message.refresh_from_db()
    assert message.started_at is None and not OutboxEntry.objects.exists()


# Planning


def test_an_evaluator_plans_an_invitation_in_the_study_time_zone(client, alice, round_, settings):
    client.force_login(alice)
    response = client.post(reverse("reminders:message_create", args=[round_.pk]), _form())
    message = Message.objects.get(round=round_)
    assert response.url == reverse("reminders:message_detail", args=[message.pk])
    # 9:00 in London on 2 October is 8:00 UTC (summer time).
    assert settings.TIME_ZONE == "Europe/London"
    assert message.send_at == datetime(2030, 10, 2, 8, 0, tzinfo=UTC)
    page = client.get(response.url).content.decode()
    assert "Wednesday 2 October 2030, 09:00 BST" in page
    assert "6 members as things stand now" in page


def test_an_unknown_merge_field_is_refused_naming_it(client, alice, round_):
    client.force_login(alice)
    response = client.post(
        reverse("reminders:message_create", args=[round_.pk]),
        _form(body="Dear {{ frist_name }}, {{ personal_link }} {{ siet }}"),
    )
    assert response.status_code == 200
    assert "Unknown merge fields: {{ frist_name }}, {{ siet }}." in response.content.decode()
    assert not Message.objects.exists()


def test_a_second_invitation_and_a_reminder_before_it_are_refused(client, alice, round_):
    _plan(round_, kind=MessageKind.INVITATION, days=3)
    client.force_login(alice)
    url = reverse("reminders:message_create", args=[round_.pk])
    page = client.post(url, _form()).content.decode()
    assert "This round has an invitation already" in page
    early = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page = client.post(url, _form(kind="reminder", send_at=early)).content.decode()
    assert "A reminder goes out after the invitation." in page
    past = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    page = client.post(url, _form(kind="reminder", send_at=past)).content.decode()
    assert "Choose a time in the future" in page
    assert Message.objects.count() == 1


def test_a_message_can_change_and_be_deleted_until_it_starts(client, alice, round_):
    message = _plan(round_)
    client.force_login(alice)
    edit = reverse("reminders:message_edit", args=[message.pk])
    send_at = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    client.post(edit, _form(kind="reminder", send_at=send_at, subject="Changed"))
    message.refresh_from_db()
    assert message.subject == "Changed"
    delete = reverse("reminders:message_delete", args=[message.pk])
    assert "Delete the message" in client.get(delete).content.decode()
    assert Message.objects.filter(pk=message.pk).exists()
    client.post(delete)
    assert not Message.objects.filter(pk=message.pk).exists()


def test_editing_and_deleting_are_refused_once_sending_starts(client, alice, round_):
    message = _plan(round_)
    services.message_enqueue(message_id=message.pk)
    client.force_login(alice)
    edit = reverse("reminders:message_edit", args=[message.pk])
    page = client.get(edit)
    assert page.status_code == 409
    assert "can no longer change" in page.content.decode()
    assert client.post(edit, _form(kind="reminder", subject="Too late")).status_code == 409
    delete = reverse("reminders:message_delete", args=[message.pk])
    assert client.post(delete).status_code == 409
    message.refresh_from_db()
    assert message.subject == "The 2020 survey of {{ site }}"


def test_a_message_that_starts_while_being_edited_is_not_changed(round_):
    message = _plan(round_)
    edited = Message.objects.get(pk=message.pk)
    edited.subject = "Changed after it started"
    services.message_enqueue(message_id=message.pk)
    with pytest.raises(services.MessageStarted):
        services.message_save(message=edited, fields=["subject"])
    message.refresh_from_db()
    assert message.subject == "The 2020 survey of {{ site }}"


# Preview and test send


def test_the_preview_shows_a_chosen_member_their_subject_text_and_escaped_html(
    client, alice, round_
):
    message = _plan(round_)
    member = _members(round_)[2]
    member.contact.first_name = "<b>Bea</b>"
    member.contact.save()
    member.panel.site.name = "Barnsley & <i>District</i>"
    member.panel.site.save()
    client.force_login(alice)
    url = reverse("reminders:message_preview", args=[message.pk])
    found = client.get(url, {"q": member.contact.email}).content.decode()
    assert f"?member={member.pk}" in found
    page = client.get(url, {"member": member.pk}).content.decode()
    assert "The 2020 survey of Barnsley &amp; &lt;i&gt;District&lt;/i&gt;" in page
    assert '<pre class="email-text">Dear &lt;b&gt;Bea&lt;/b&gt;,' in page
    # The HTML part sits escaped in a sandboxed frame's srcdoc, its value escaped twice.
    assert 'sandbox="" title="The HTML part' in page
    assert "Dear &amp;lt;b&amp;gt;Bea&amp;lt;/b&amp;gt;," in page
    assert "<b>Bea</b>" not in page and "<i>District</i>" not in page
    # The whole document is in the attribute: no quote of it closes the attribute early.
    assert 'srcdoc="&lt;!DOCTYPE html&gt;' in page


def test_the_preview_gives_a_member_who_started_the_body_written_for_them(
    client, alice, seed_versions
):
    from surveys.models import Response
    from tests.conftest import add_member, make_round

    round_ = make_round("2020 survey", seed_versions[1])
    member = add_member(round_)
    message = _plan(round_, body_started="Dear {{ first_name }}, you are nearly there.")
    client.force_login(alice)
    url = reverse("reminders:message_preview", args=[message.pk])
    assert "Dear Ann,\n\nYour link:" in client.get(url, {"member": member.pk}).content.decode()
    Response.objects.create(member=member, version=round_.version)
    page = client.get(url, {"member": member.pk}).content.decode()
    assert "they started the survey but did not finish" in page
    assert "Dear Ann, you are nearly there." in page


def test_a_test_send_reaches_the_evaluator_at_the_smtp_server_and_is_not_recorded(
    client, alice, round_, smtp, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    message = _plan(round_)
    member = _members(round_)[1]
    client.force_login(alice)
    response = client.post(
        reverse("reminders:message_test_send", args=[message.pk]), {"member": member.pk}
    )
    page = client.get(response.url).content.decode()
    assert "Test sent to alice@example.org" in page
    assert smtp.recorder.recipients() == ["alice@example.org"]
    received = smtp.recorder.received[0]["headers"]
    assert received["Subject"] == "[Test] The 2020 survey of Barnsley"
    assert "List-Unsubscribe" not in received
    assert received["Message-ID"] != f"<message-{message.pk}.member-{member.pk}@example.org>"
    assert not OutboxEntry.objects.exists()
    message.refresh_from_db()
    assert message.started_at is None


def test_a_test_send_to_a_server_that_is_down_says_so(client, alice, round_, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    message = _plan(round_)
    client.force_login(alice)
    response = client.post(
        reverse("reminders:message_test_send", args=[message.pk]),
        {"member": _members(round_)[0].pk},
        follow=True,
    )
    assert "The test could not be sent to alice@example.org" in response.content.decode()


# Counts, actions, the outbox and the timeline


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_message_page_counts_what_happened_by_reason(client, alice, round_, mailoutbox):
    m = _members(round_)
    Member.objects.filter(pk=m[0].pk).update(disposition=Disposition.COMPLETE)
    member_opt_out(member=m[1], scope="reminders")
    message = _plan(round_, days=-1)
    services.message_enqueue(message_id=message.pk)
    services.message_drain(message_id=message.pk)
    client.force_login(alice)
    page = client.get(reverse("reminders:message_detail", args=[message.pk])).content.decode()
    assert len(mailoutbox) == 4
    assert '<tr><th scope="row">Sent</th><td class="text-end">4</td></tr>' in page
    assert '<tr><th scope="row">Suppressed</th><td class="text-end">2</td></tr>' in page
    assert 'completed the survey</a></th><td class="text-end">1</td>' in page
    assert 'opted out</a></th><td class="text-end">1</td>' in page
    assert "can no longer change" in page


def test_retry_failed_queues_the_failed_rows_again(client, alice, round_):
    message = _plan(round_, days=-1)
    services.message_enqueue(message_id=message.pk)
    OutboxEntry.objects.filter(message=message).update(
        status=OutboxStatus.FAILED, reason="smtp_554", smtp_reply="5.7.1 rejected"
    )
    client.force_login(alice)
    page = client.get(reverse("reminders:message_detail", args=[message.pk])).content.decode()
    assert "Retry failed (6)" in page
    response = client.post(reverse("reminders:message_retry_failed", args=[message.pk]))
    assert OutboxEntry.objects.filter(status=OutboxStatus.QUEUED).count() == 6
    assert "6 failed messages are queued again." in client.get(response.url).content.decode()


def test_send_now_and_pause_resume_are_one_post_each(client, alice, round_):
    message = _plan(round_)
    client.force_login(alice)
    client.post(reverse("reminders:message_send_now", args=[message.pk]))
    message.refresh_from_db()
    assert message.started_at is not None
    assert OutboxEntry.objects.filter(message=message, status=OutboxStatus.QUEUED).count() == 6
    schedule = reverse("reminders:round_schedule", args=[round_.pk])
    client.post(reverse("reminders:round_pause", args=[round_.pk]))
    assert services.round_paused(round_.pk)
    assert "Sending is paused for this round" in client.get(schedule).content.decode()
    client.post(reverse("reminders:round_resume", args=[round_.pk]))
    assert not services.round_paused(round_.pk)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_round_page_says_what_goes_out_next_to_how_many(client, alice, round_):
    Member.objects.filter(pk=_members(round_)[0].pk).update(disposition=Disposition.COMPLETE)
    invitation = _plan(round_, kind=MessageKind.INVITATION, days=-2)
    services.message_enqueue(message_id=invitation.pk)
    services.message_drain(message_id=invitation.pk)
    reminder = _plan(round_, days=2)
    client.force_login(alice)
    page = client.get(reverse("panels:round_detail", args=[round_.pk])).content.decode()
    when = timezone.localtime(reminder.send_at).strftime("%A %-d %B %Y, %H:%M")
    assert "Next out:" in page and "Reminder 1" in page and when in page
    assert "to <strong>5</strong> members as things stand now" in page


def test_the_schedule_costs_a_query_per_planned_message_not_per_member(
    round_, django_assert_num_queries
):
    from reminders.selectors import round_schedule

    _plan(round_, kind=MessageKind.INVITATION, days=1)
    _plan(round_, days=2)
    _plan(round_, days=3)
    with django_assert_num_queries(5):  # messages, counts, and one count per planned message
        rows = round_schedule(round_id=round_.pk)
    assert [(row.label, row.audience) for row in rows] == [
        ("Invitation", 6),
        ("Reminder 1", 6),
        ("Reminder 2", 6),
    ]


def test_the_outbox_is_paginated_filtered_and_searchable(client, alice):
    round_ = _round(60)
    Member.objects.filter(pk__in=[m.pk for m in _members(round_)[:7]]).update(
        disposition=Disposition.COMPLETE
    )
    message = _plan(round_, days=-1)
    services.message_enqueue(message_id=message.pk)
    client.force_login(alice)
    url = reverse("reminders:message_outbox", args=[message.pk])
    first = client.get(url).content.decode()
    assert "60 members, page 1 of 2." in first
    assert first.count('<th scope="row"><a href="/fieldwork/members/') == 50
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('<th scope="row"><a href="/fieldwork/members/') == 10
    suppressed = client.get(url, {"status": "suppressed", "reason": "completed"}).content
    assert "7 members." in suppressed.decode()
    found = client.get(url, {"q": "m42@example"}).content.decode()
    assert "1 member." in found and "m42@example.org" in found and "m41@" not in found
    # The filter stays on the page links.
    queued = client.get(url, {"status": "queued"}).content.decode()
    assert "53 members, page 1 of 2." in queued
    assert 'href="?status=queued&amp;page=2">Next' in queued


def test_a_member_timeline_shows_sent_failed_suppressed_and_planned(client, alice, round_):
    member = _members(round_)[0]
    invitation = _plan(round_, kind=MessageKind.INVITATION, days=-3)
    first = _plan(round_, days=-2)
    second = _plan(round_, days=-1)
    _plan(round_, days=4)
    for message in (invitation, first, second):
        services.message_enqueue(message_id=message.pk)
    OutboxEntry.objects.filter(message=invitation, member=member).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), attempts=1
    )
    OutboxEntry.objects.filter(message=first, member=member).update(
        status=OutboxStatus.FAILED,
        reason="smtp_550",
        smtp_reply="5.1.1 User unknown",
        attempts=1,
    )
    OutboxEntry.objects.filter(message=second, member=member).update(
        status=OutboxStatus.SUPPRESSED, reason="undeliverable"
    )
    client.force_login(alice)
    page = client.get(reverse("reminders:member_messages", args=[member.pk])).content.decode()
    assert "Messages to Ann0 Ashworth" in page
    assert page.index("Invitation:") < page.index("Reminder 1:") < page.index("Reminder 3:")
    assert "<strong>Failed</strong>: mail server replied 550." in page
    assert "Server replied: “5.1.1 User unknown”" in page
    assert "<strong>Not sent</strong>: undeliverable." in page
    assert "Planned for" in page
