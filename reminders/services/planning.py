"""Planning a message on the evaluator pages, and sending a test of it to an evaluator."""

import logging

from django.conf import settings
from django.db import transaction

from panels.models import Member
from reminders.mail import build_email
from reminders.models import Message

logger = logging.getLogger(__name__)


class MessageStarted(Exception):
    """The message has started sending: it is a record of what went out."""

    def __str__(self) -> str:
        return "This message has started sending and can no longer change."


@transaction.atomic
def message_save(*, message: Message, fields: list[str] | None = None) -> Message:
    """Save a planned message, new or changed (only `fields` of a changed one); raise
    MessageStarted if it started sending meanwhile. Return it."""
    if message.pk is not None:
        current = Message.objects.select_for_update().get(pk=message.pk)
        if not current.editable:
            raise MessageStarted
    message.full_clean()
    if message.pk is None or fields is None:
        message.save()
    else:
        message.save(update_fields=[*fields, "updated_at"])
    return message


@transaction.atomic
def message_delete(*, message: Message) -> None:
    """Delete a message that has not started sending; raise MessageStarted otherwise."""
    current = Message.objects.select_for_update().get(pk=message.pk)
    if not current.editable:
        raise MessageStarted
    current.delete()


def message_send_test(*, message: Message, member: Member, to: str) -> None:
    """Send the message as `member` would get it to `to` (an evaluator), through the mail
    backend. Nothing is recorded: the member's outbox row, if any, is untouched."""
    from email.utils import make_msgid, parseaddr

    email = build_email(message=message, member=member, to=to)
    email.subject = f"[Test] {email.subject}"
    # The one-click header would opt the member out if the evaluator's mail client used
    # it; the Message-ID must not be the one the member's own copy carries.
    for name in ("List-Unsubscribe", "List-Unsubscribe-Post"):
        email.extra_headers.pop(name, None)
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    email.extra_headers["Message-ID"] = make_msgid("test", domain=domain)
    email.send(fail_silently=False)
    logger.info("Test of message %s as member %s sent to %s", message.pk, member.pk, to)
