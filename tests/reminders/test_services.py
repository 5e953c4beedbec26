"""Who gets a message, the outbox insert, the sweeper's and the retry's policies, and the
email's headers: the parts that need no worker."""

import re
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.conf import settings
from django.utils import timezone

from panels.models import Disposition, Member
from panels.services import member_opt_out
from reminders import services
from reminders.mail import build_email
from reminders.models import Message, MessageKind, OutboxEntry, OutboxStatus
from reminders.selectors import audience
from reminders.services import sending
from tests.conftest import add_member
from tests.reminders.test_delivery import _message, _round


@pytest.fixture
def round_(db):
    return _round(6)


def _members(round_):
    return list(Member.objects.filter(round=round_).order_by("pk"))


def _mark(round_):
    """Give the six members six different states; return them."""
    m = _members(round_)
    Member.objects.filter(pk=m[0].pk).update(disposition=Disposition.COMPLETE)
    Member.objects.filter(pk=m[1].pk).update(disposition=Disposition.UNDELIVERABLE)
    Member.objects.filter(pk=m[2].pk).update(disposition=Disposition.COORDINATED)
    member_opt_out(member=m[3], scope="reminders")
    member_opt_out(member=m[4], scope="study")
    return m


def test_the_invitation_leaves_out_only_study_opt_outs_and_the_undeliverable(round_):
    m = _mark(round_)
    invitation = _message(round_, kind=MessageKind.INVITATION)
    assert set(audience(message=invitation)) == {m[0], m[2], m[3], m[5]}


def test_a_reminder_goes_only_to_members_who_still_owe_an_answer(round_, django_assert_num_queries):
    m = _mark(round_)
    reminder = _message(round_)
    with django_assert_num_queries(1):
        assert list(audience(message=reminder)) == [m[5]]


def test_queueing_a_message_twice_queues_each_member_once_with_reasons_for_the_rest(round_):
    m = _mark(round_)
    reminder = _message(round_)
    assert services.message_enqueue(message_id=reminder.pk) == 1
    assert services.message_enqueue(message_id=reminder.pk) == 0
    services.fieldwork_tick()
    reasons = dict(OutboxEntry.objects.filter(message=reminder).values_list("member", "reason"))
    assert reasons == {
        m[0].pk: "completed",
        m[1].pk: "undeliverable",
        m[2].pk: "coordinated",
        m[3].pk: "opted_out",
        m[4].pk: "opted_out",
        m[5].pk: "",
    }


def test_members_added_after_a_message_started_get_it_only_when_sent_to_them(round_):
    reminder = _message(round_)
    services.message_enqueue(message_id=reminder.pk)
    reminder.refresh_from_db()
    newcomer = add_member(round_, email="new@example.org")
    services.fieldwork_tick()
    assert not OutboxEntry.objects.filter(member=newcomer).exists()
    assert newcomer not in audience(message=reminder)
    assert services.message_send_to_added(message=reminder) == 1
    assert services.message_send_to_added(message=reminder) == 0
    row = OutboxEntry.objects.get(member=newcomer)
    assert row.status == OutboxStatus.QUEUED


def test_a_message_not_yet_due_is_not_started_by_the_tick(round_):
    later = _message(round_, send_at=timezone.now() + timedelta(minutes=5))
    assert services.fieldwork_tick() == []
    later.refresh_from_db()
    assert later.started_at is None and not later.outbox.exists()


def test_the_sweeper_returns_only_claims_older_than_its_policy(round_):
    reminder = _message(round_)
    services.message_enqueue(message_id=reminder.pk)
    now = timezone.now()
    rows = OutboxEntry.objects.filter(message=reminder)
    old, fresh = list(rows[:2])
    rows.filter(pk=old.pk).update(status="sending", claimed_at=now - timedelta(minutes=11))
    rows.filter(pk=fresh.pk).update(status="sending", claimed_at=now - timedelta(minutes=9))
    assert services.outbox_sweep_stale(now=now) == 1
    assert rows.get(pk=old.pk).status == OutboxStatus.QUEUED
    assert rows.get(pk=fresh.pk).status == OutboxStatus.SENDING


def test_temporary_failures_back_off_doubling_up_to_an_hour(settings):
    settings.EMAIL_RETRY_SECONDS = 60
    delays = [services.retry_delay(n).total_seconds() for n in range(1, 10)]
    assert delays[:4] == [60, 120, 240, 480]
    assert max(delays) == 3600 and services.MAX_ATTEMPTS < 10


def test_failed_rows_go_back_in_the_queue_on_retry(round_):
    reminder = _message(round_)
    services.message_enqueue(message_id=reminder.pk)
    OutboxEntry.objects.filter(message=reminder).update(
        status=OutboxStatus.FAILED, reason="smtp_550", attempts=1
    )
    assert services.message_retry_failed(message=reminder) == 6
    assert set(reminder.outbox.values_list("status", "attempts")) == {("queued", 0)}


def test_the_email_has_both_parts_one_click_opt_out_and_a_stable_message_id(round_):
    member = _members(round_)[0]
    message = _message(round_)
    first, again = (
        build_email(message=message, member=member),
        build_email(message=message, member=member),
    )
    headers = first.message()
    assert headers["Message-ID"] == again.message()["Message-ID"]
    assert headers["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/o/")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["Reply-To"] == "survey@example.org"
    assert [part.get_content_type() for part in headers.walk()][1:] == [
        "text/plain",
        "text/html",
    ]
    assert first.to == [member.contact.email]
    assert build_email(message=message, member=member, to="me@example.org").to == ["me@example.org"]


def test_a_full_minute_of_the_shared_rate_holds_the_sender_until_paused(round_, alice):
    assert sending._reserve(round_.pk, 5) == 5
    from django.core.cache import cache

    window = int(timezone.now().timestamp() // 60)
    cache.set(f"reminders:rate:{window}", settings.EMAIL_RATE_PER_MINUTE, 120)
    services.round_pause(round=round_, user=alice)
    with pytest.raises(sending._Stop):
        sending._reserve(round_.pk, 1)


def test_beat_ticks_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["reminders-tick"]
    assert entry == {"task": "reminders.tasks.tick", "schedule": 60.0}
    from config.celery import app

    app.loader.import_default_modules()
    assert "reminders.tasks.tick" in app.tasks


def test_a_message_cannot_be_planned_with_an_unknown_field_in_the_admin(client, alice, round_):
    client.force_login(alice)
    response = client.post(
        "/admin/reminders/message/add/",
        {
            "round": round_.pk,
            "kind": "reminder",
            "position": 0,
            "send_at_0": "2020-10-02",
            "send_at_1": "09:00:00",
            "subject": "Reminder",
            "body": "Dear {{ name }}",
            "body_started": "",
        },
    )
    assert "Unknown merge field: {{ name }}." in response.content.decode()
    assert not Message.objects.exists()


def test_send_now_starts_a_planned_message_at_once_and_drains_it_after_commit(
    round_, django_capture_on_commit_callbacks
):
    later = _message(round_, send_at=timezone.now() + timedelta(days=3))
    with django_capture_on_commit_callbacks() as callbacks:
        sent = services.message_send_now(message=later)
    assert sent.started_at is not None and sent.send_at <= timezone.now()
    assert sent.outbox.filter(status=OutboxStatus.QUEUED).count() == 6
    assert len(callbacks) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_drain_sends_each_queued_member_once_and_a_second_drain_nothing(mailoutbox):
    round_ = _round(5)
    reminder = _message(round_)
    services.message_enqueue(message_id=reminder.pk)
    first = services.message_drain(message_id=reminder.pk, worker="here")
    second = services.message_drain(message_id=reminder.pk, worker="there")
    assert (first.sent, second.sent, first.retry_in) == (5, 0, None)
    assert sorted(email.to[0] for email in mailoutbox) == [f"m{i}@example.org" for i in range(5)]
    reminder.refresh_from_db()
    assert reminder.status == "sent"


# The sender's own rendering and composition must give what a member would get from the
# reference path (render() and Django's EmailMultiAlternatives), whatever the values hold.


def _tricky(round_):
    """Members whose names and site need escaping and encoding."""
    members = _members(round_)
    site = members[0].panel.site
    site.name = 'Bradford & "Airedale" <Craven>'
    site.save()
    names = [("Zoë", "O'Brien"), ("<b>Ann</b>", "A & B"), ("Ann", "Ashworth")]
    for member, (first, last) in zip(members, names, strict=False):
        member.contact.first_name, member.contact.last_name = first, last
        member.contact.save()
    return list(
        Member.objects.filter(round=round_)
        .select_related("contact", "panel__site", "round")
        .order_by("pk")
    )[:3]


def _both_bodies(round_):
    return _message(
        round_,
        subject="{{ first_name }}, the survey of {{ site }} closes {{ closing_date }}",
        body="Dear {{ full_name }} of {{ site }},\n\n{{ personal_link }}\nQuestions: "
        "{{ study_contact }}\n\n\nStop: {{ opt_out_link }}",
        body_started="You started, {{ first_name }}: {{ personal_link }}",
    )


def test_the_sender_renders_each_member_exactly_as_a_preview_does(round_):
    from reminders.rendering import CompiledMessage, render

    message = _both_bodies(round_)
    for started in (False, True):
        compiled = CompiledMessage(message=message, started=started)
        for member in _tricky(round_):
            member.started = started
            assert compiled.render(member) == render(message=message, member=member)
    assert "Zo&#x27;" not in compiled.render(member).html
    assert (
        "&lt;b&gt;Ann&lt;/b&gt;"
        in CompiledMessage(message=message, started=False).render(_tricky(round_)[1]).html
    )


def _read(value: str) -> str:
    """Return a header's text as a mail client shows it: unfolded and decoded."""
    return str(make_header(decode_header(re.sub(r"\r?\n([ \t])", r"\1", value)))).strip()


def test_the_sender_writes_the_email_a_mail_client_reads_as_djangos(round_):
    from email import message_from_bytes

    from reminders.mail import Composer

    message = _both_bodies(round_)
    composer = Composer(message=message)
    long_line = _message(round_, subject="Long", body="x" * 1200 + " {{ first_name }}")
    for msg, started in ((message, False), (message, True), (long_line, False)):
        composer = Composer(message=msg)
        for member in _tricky(round_):
            member.started = started
            to, header, data = composer.compose(member, started=started)
            ours = message_from_bytes(data)
            django = message_from_bytes(
                build_email(message=msg, member=member).message().as_bytes(linesep="\r\n")
            )
            assert to == member.contact.email and header == django["Message-ID"]
            for name in ("Subject", "From", "To", "Reply-To", "Message-ID", "List-Unsubscribe"):
                assert _read(ours[name]) == _read(django[name]), name
            assert ours["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            ours_parts = [(p.get_content_type(), p.get_payload(decode=True)) for p in ours.walk()]
            django_parts = [
                (p.get_content_type(), p.get_payload(decode=True)) for p in django.walk()
            ]
            assert [part[0] for part in ours_parts] == [
                "multipart/alternative",
                "text/plain",
                "text/html",
            ]
            strip = [(kind, (body or b"").rstrip(b"\r\n")) for kind, body in ours_parts]
            assert strip == [(kind, (body or b"").rstrip(b"\r\n")) for kind, body in django_parts]


def test_a_record_that_fails_before_the_data_leaves_the_server_with_nothing_accepted(sink):
    import smtplib

    from reminders.mail import send_holding

    sink.reset()

    def record_fails():
        raise RuntimeError("the database went away")

    smtp = smtplib.SMTP("127.0.0.1", sink.port)
    with pytest.raises(RuntimeError):
        send_holding(
            smtp, "survey@example.org", "m0@example.org", b"Subject: x\r\n\r\nx\r\n", record_fails
        )
    smtp = smtplib.SMTP("127.0.0.1", sink.port)
    send_holding(
        smtp, "survey@example.org", "m1@example.org", b"Subject: y\r\n\r\n.y\r\n", lambda: None
    )
    smtp.quit()
    assert sink.recorder.recipients() == ["m1@example.org"]
    assert sink.recorder.received[0]["headers"].get_payload() == ".y\r\n"
