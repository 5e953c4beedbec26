"""Invitations and reminders sent by a real Celery worker on Redis to an SMTP server on
loopback, counted at that server."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from panels import tokens
from panels.models import Contact, Disposition, Member, Panel, Round, Site
from reminders import services, tasks
from reminders.models import Message, MessageKind, OutboxEntry, OutboxStatus
from tests.reminders.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _round(n: int, **extra) -> Round:
    round_ = Round.objects.create(name="2020 survey", year=2020, **extra)
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
    return Message.objects.create(
        round=round_,
        kind=kind,
        send_at=timezone.now() - timedelta(minutes=1),
        subject="The 2020 survey of {{ site }}",
        body="Dear {{ first_name }},\n\n{{ personal_link }}",
        **extra,
    )


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
