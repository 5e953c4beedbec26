"""The demo round shows the message schedule working: past messages sent, the next due."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from panels.models import Disposition, Member
from reminders.mail import message_id_for
from reminders.models import Message, MessageKind, MessageStatus, OutboxStatus
from reminders.rendering import unknown_fields
from reminders.selectors import audience
from reminders.services import fieldwork_tick

pytestmark = pytest.mark.django_db


def test_the_demo_round_has_the_study_schedule_with_two_sent_and_the_next_pending():
    call_command("load_demo")
    messages = list(Message.objects.filter(round__name="2016 survey (demo)"))
    now = timezone.now()

    assert [m.kind for m in messages] == [MessageKind.INVITATION] + [MessageKind.REMINDER] * 3
    invitation, first, second, third = messages
    assert [m.status for m in messages] == [
        MessageStatus.SENT,
        MessageStatus.SENT,
        MessageStatus.SCHEDULED,
        MessageStatus.SCHEDULED,
    ]
    assert invitation.send_at < first.send_at < now < second.send_at < third.send_at
    assert second.started_at is None and third.started_at is None

    members = Member.objects.filter(round=invitation.round)
    assert members.count() == 360
    for message in (invitation, first):
        rows = message.outbox.all()
        assert {row.member_id for row in rows} == set(
            audience(message=message).values_list("pk", flat=True)
        )
        assert rows.count() == 360
        assert all(row.status == OutboxStatus.SENT and row.sent_at < now for row in rows)
        row = rows.first()
        assert row.message_id_header == message_id_for(
            message_id=message.pk, member_id=row.member_id
        )
    assert not second.outbox.exists()
    # Invited, no longer only listed, and the next reminder would reach all of them.
    assert not members.filter(disposition=Disposition.LISTED).exists()
    assert audience(message=second).count() == 360

    # Beat finds nothing due today, and starts the second reminder when its time comes.
    assert fieldwork_tick(now=now) == []
    assert fieldwork_tick(now=second.send_at) == [second.pk]
    assert second.outbox.filter(status=OutboxStatus.QUEUED).count() == 360
    assert not third.outbox.exists()

    for message in messages:
        for text in (message.subject, message.body, message.body_started):
            assert unknown_fields(text) == []
        assert "{{ personal_link }}" in message.body
        assert "{{ opt_out_link }}" in message.body
    addresses = members.values_list("contact__email", flat=True)
    assert all(a.endswith(("@example.org", "@example.net")) for a in addresses)
