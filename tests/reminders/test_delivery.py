"""Invitations and reminders sent by a real Celery worker on Redis to an SMTP server on
loopback, counted at that server."""

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from panels import tokens
from panels.models import Contact, Disposition, Member, Panel, Round, Site
from reminders import services, tasks
from reminders.models import Message, MessageKind, OutboxEntry, OutboxStatus
from tests.conftest import make_round
from tests.reminders.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _round(n: int, version=None) -> Round:
    if version is None:
        round_ = Round.objects.create(name="2020 survey", year=2020)
    else:
        round_ = make_round("2020 survey", version)
    panel = Panel.objects.create(round=round_, site=Site.objects.get(name="Barnsley"))
    contacts = Contact.objects.bulk_create(
        Contact(
            first_name=f"Ann{i}", last_name="Ashworth", email=f"m{i}@example.org", site=panel.site
        )
        for i in range(n)
    )
    members = []
    for contact in contacts:
        nonce, token_hash = tokens.credentials()
        members.append(
            Member(
                round=round_, panel=panel, contact=contact, token_nonce=nonce, token_hash=token_hash
            )
        )
    Member.objects.bulk_create(members)
    return round_


def _message(round_, kind=MessageKind.REMINDER, **extra) -> Message:
    values = {
        "send_at": timezone.now() - timedelta(minutes=1),
        "subject": "The 2020 survey of {{ site }}",
        "body": "Dear {{ first_name }},\n\n{{ personal_link }}",
    }
    return Message.objects.create(round=round_, kind=kind, **(values | extra))


def _tick():
    """What beat does every minute."""
    tasks.tick.delay()


def _rows(message, status=OutboxStatus.SENT) -> int:
    return OutboxEntry.objects.filter(message=message, status=status).count()


def _all_done(message, total):
    def done():
        return _rows(message) == total

    done.__doc__ = f"all {total} rows of {message} sent"
    return done


def test_members_who_complete_before_a_reminder_goes_out_do_not_get_it(workers, smtp):
    round_ = _round(500)
    reminder = _message(round_)
    services.message_enqueue(message_id=reminder.pk)
    # Half complete after the reminder was queued, just before it goes out.
    completed = list(Member.objects.order_by("pk").values_list("pk", flat=True)[::2])
    Member.objects.filter(pk__in=completed).update(disposition=Disposition.COMPLETE)
    _tick()
    wait_for(_all_done(reminder, 250))
    received = Counter(smtp.recorder.recipients())
    owed = set(Member.objects.exclude(pk__in=completed).values_list("contact__email", flat=True))
    assert set(received) == owed and set(received.values()) == {1}
    suppressed = OutboxEntry.objects.filter(message=reminder, status=OutboxStatus.SUPPRESSED)
    assert set(suppressed.values_list("reason", flat=True)) == {"completed"}
    assert suppressed.count() == 250
    reminder.refresh_from_db()
    assert reminder.status == "sent" and reminder.finished_at is not None


def test_a_permanent_550_marks_the_member_undeliverable_and_suppresses_the_next_reminder(
    workers, smtp
):
    round_ = _round(3)
    smtp.recorder.refuse.add("m1@example.org")
    invitation = _message(round_, kind=MessageKind.INVITATION)
    _tick()
    wait_for(lambda: _rows(invitation) + _rows(invitation, OutboxStatus.FAILED) == 3)
    failed = OutboxEntry.objects.get(message=invitation, status=OutboxStatus.FAILED)
    assert failed.member.contact.email == "m1@example.org"
    assert failed.reason == "smtp_550" and "User unknown" in failed.smtp_reply
    assert failed.member.disposition == Disposition.UNDELIVERABLE
    assert sorted(smtp.recorder.recipients()) == ["m0@example.org", "m2@example.org"]

    reminder = _message(round_)
    _tick()
    wait_for(_all_done(reminder, 2))
    skipped = OutboxEntry.objects.get(message=reminder, member=failed.member)
    assert (skipped.status, skipped.reason) == (OutboxStatus.SUPPRESSED, "undeliverable")
    assert smtp.recorder.recipients().count("m1@example.org") == 0


def test_a_one_click_opt_out_between_two_reminders_suppresses_the_second(
    workers, smtp, seed_versions
):
    round_ = _round(2, version=seed_versions[-1])
    first = _message(round_)
    _tick()
    wait_for(_all_done(first, 2))
    email = next(
        item["headers"] for item in smtp.recorder.received if item["to"] == "m0@example.org"
    )
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = (
        "".join(email["List-Unsubscribe"].split()).strip("<>").removeprefix("http://127.0.0.1:8000")
    )
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200

    smtp.recorder.received.clear()
    second = _message(round_)
    _tick()
    wait_for(_all_done(second, 1))
    assert smtp.recorder.recipients() == ["m1@example.org"]
    opted = OutboxEntry.objects.get(message=second, member__contact__email="m0@example.org")
    assert (opted.status, opted.reason) == (OutboxStatus.SUPPRESSED, "opted_out")


def test_two_workers_draining_one_message_send_each_member_one_email(workers, smtp):
    round_ = _round(400)
    smtp.recorder.delay = 0.002
    reminder = _message(round_)
    services.message_enqueue(message_id=reminder.pk)
    workers.start("w2")
    try:
        workers.wait_ready("w2")  # else w1 may send everything before w2 is up
        for _ in range(4):  # each worker takes a drain; the spare ones find nothing left
            tasks.drain_message.delay(reminder.pk)
        wait_for(_all_done(reminder, 400))
    finally:
        workers.stop("w2")
    received = Counter(smtp.recorder.recipients())
    assert len(received) == 400 and set(received.values()) == {1}
    senders = OutboxEntry.objects.filter(message=reminder).values_list("claimed_by", flat=True)
    assert {sender.split("@")[0] for sender in senders} == {"w1", "w2"}


def test_a_server_down_then_back_gets_everything_that_was_due_once(workers, smtp):
    round_ = _round(50)
    reminder = _message(round_)
    smtp.stop()
    try:
        _tick()
        wait_for(
            lambda: OutboxEntry.objects.filter(message=reminder, reason="no_connection").exists()
        )
        waiting = OutboxEntry.objects.filter(message=reminder, status=OutboxStatus.QUEUED)
        assert waiting.filter(next_attempt_at__isnull=False, attempts__gte=1).exists()
        time.sleep(1.5)
    finally:
        smtp.start()
    wait_for(_all_done(reminder, 50))
    received = Counter(smtp.recorder.recipients())
    assert len(received) == 50 and set(received.values()) == {1}


def test_a_worker_killed_mid_send_leaves_each_member_one_sent_row_and_one_duplicate_at_most(
    workers, smtp
):
    total = 2000
    round_ = _round(total)
    smtp.recorder.delay = 0.002
    reminder = _message(round_)
    services.message_enqueue(message_id=reminder.pk)
    tasks.drain_message.delay(reminder.pk)
    # Mid-batch (batches are of 100), a good way into the send.
    wait_for(lambda: smtp.recorder.count() >= 750, timeout=120, interval=0.01)
    workers.kill("w1")
    received_before = smtp.recorder.count()
    in_flight = OutboxEntry.objects.filter(message=reminder, status=OutboxStatus.SENDING)
    assert in_flight.exists()
    # Every email the server accepted before the kill is recorded as sent, bar at most the
    # one in flight.
    assert _rows(reminder) >= received_before - 1
    # The sweeper's policy: a claim older than CLAIM_STALE_AFTER goes back in the queue.
    assert services.outbox_sweep_stale() == 0
    later = timezone.now() + services.CLAIM_STALE_AFTER + timedelta(seconds=1)
    claimed = in_flight.count()
    assert services.outbox_sweep_stale(now=later) == claimed
    workers.start("w1")
    tasks.drain_message.delay(reminder.pk)
    wait_for(_all_done(reminder, total), timeout=180)
    received = Counter(smtp.recorder.recipients())
    assert len(received) == total
    duplicates = [to for to, times in received.items() if times > 1]
    assert len(duplicates) <= 1 and max(received.values()) <= 2
    for to in duplicates:
        ids = {item["id"] for item in smtp.recorder.received if item["to"] == to}
        assert len(ids) == 1
    assert OutboxEntry.objects.filter(message=reminder).count() == total


def test_pausing_mid_send_stops_within_seconds_and_resuming_sends_the_rest_once(
    workers, smtp, alice
):
    round_ = _round(600)
    smtp.recorder.delay = 0.005
    reminder = _message(round_)
    _tick()
    wait_for(lambda: smtp.recorder.count() >= 50, interval=0.01)
    services.round_pause(round=round_, user=alice)
    time.sleep(2)
    stopped_at = smtp.recorder.count()
    time.sleep(1.5)
    assert smtp.recorder.count() == stopped_at < 600
    assert _rows(reminder, OutboxStatus.QUEUED) == 600 - stopped_at
    services.round_resume(round=round_)
    wait_for(_all_done(reminder, 600))
    received = Counter(smtp.recorder.recipients())
    assert len(received) == 600 and set(received.values()) == {1}
