"""The demo round's message schedule: the seed study's invitation and three reminders.

The study sent an invitation to everyone on the list, then three reminders "to those
informants who had not completed the survey or had not opted-out of receiving reminders"
(in 2020: 25 September, 2 October, 22 October and 5 November). The demo keeps that shape
relative to today: the invitation and the first reminder already sent, as the sender
records them, the second reminder due in two days, the third two weeks after it.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from panels import services as panel_services
from panels.models import Member, Round
from reminders.mail import message_id_for
from reminders.models import Message, MessageKind, MessageStatus, OutboxEntry, OutboxStatus
from reminders.selectors import audience


def _unwrap(text: str) -> str:
    """Return text with each paragraph on one line, for mail clients to wrap."""
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n"))


INVITATION = (
    "Key informant survey: your views on integrating health and social care",
    """Dear {{ first_name }},

We are inviting you, as one of the key informants of {{ site }}, to take part in this
year's survey of local work to integrate health and social care. It asks about what
you expect integration to achieve, the progress made so far, and what has helped or
hindered it. It takes about 25 minutes, and you can stop and come back to it.

Your personal link (please do not pass it on):

{{ personal_link }}

If you would rather not receive reminders about this survey, use this link:

{{ opt_out_link }}

With many thanks,
{{ study_contact }}""",
)

REMINDER_BODY = """Dear {{ first_name }},

A short while ago we invited you to take part in this year's key informant survey of
health and social care integration in {{ site }}. {lead} Every answer helps us give
a fuller picture of progress in your area.

Your personal link:

{{ personal_link }}

If you have already completed the survey, please accept our thanks and ignore this
email. If you would rather not receive further reminders, use this link:

{{ opt_out_link }}

With many thanks,
{{ study_contact }}"""

REMINDER_STARTED = """Dear {{ first_name }},

Thank you for starting this year's key informant survey. Your answers so far are saved:
the link below takes you back to where you stopped.

{{ personal_link }}

If you would rather not receive further reminders, use this link:

{{ opt_out_link }}

With many thanks,
{{ study_contact }}"""

# (subject, sentence leading the reminder, days from today): the study's spacing of one
# week, then three weeks, then two.
REMINDERS = [
    (
        "Reminder: key informant survey on health and social care integration",
        "If you have not yet had a chance to answer, there is still time.",
        -2,
    ),
    (
        "Second reminder: key informant survey on health and social care integration",
        "We have not yet received your answers, and we would very much like to.",
        2,
    ),
    (
        "Last reminder: key informant survey on health and social care integration",
        "The survey closes soon: this is the last reminder we will send.",
        16,
    ),
]
INVITATION_DAYS = -9


def _record_sent(message: Message) -> int:
    """Record the message as sent to its audience, as the sender would have: one `sent`
    row per member with its Message-ID; invitees are marked invited. Return how many."""
    members = list(audience(message=message).order_by("pk").values_list("pk", flat=True))
    message.started_at = message.send_at
    message.finished_at = message.send_at + timedelta(minutes=len(members) // 60 + 1)
    message.status = MessageStatus.SENT
    message.save(update_fields=["started_at", "finished_at", "status", "updated_at"])
    OutboxEntry.objects.bulk_create(
        OutboxEntry(
            message=message,
            member_id=member_id,
            status=OutboxStatus.SENT,
            attempts=1,
            queued_at=message.send_at,
            sent_at=message.send_at + timedelta(seconds=index),
            message_id_header=message_id_for(message_id=message.pk, member_id=member_id),
        )
        for index, member_id in enumerate(members)
    )
    if message.kind == MessageKind.INVITATION:
        for index, member_id in enumerate(members):
            panel_services.member_invited(
                member_id=member_id, at=message.send_at + timedelta(seconds=index)
            )
    return len(members)


@transaction.atomic
def load_demo_schedule(*, round: Round) -> list[Message]:
    """Plan the demo round's invitation and three reminders around today, record those
    already past as sent; return the messages in order."""
    today = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    invitation_at = today + timedelta(days=INVITATION_DAYS)
    # The list was loaded before the invitation went out.
    Member.objects.filter(round=round).update(added_at=invitation_at - timedelta(days=1))
    subject, body = INVITATION
    messages = [
        Message(
            round=round,
            kind=MessageKind.INVITATION,
            send_at=invitation_at,
            subject=subject,
            body=_unwrap(body),
        )
    ]
    for subject, lead, days in REMINDERS:
        messages.append(
            Message(
                round=round,
                kind=MessageKind.REMINDER,
                send_at=today + timedelta(days=days),
                subject=subject,
                body=_unwrap(REMINDER_BODY.replace("{lead}", lead)),
                body_started=_unwrap(REMINDER_STARTED),
            )
        )
    now = timezone.now()
    for message in messages:
        message.full_clean()
        message.save()
        if message.send_at < now:
            _record_sent(message)
    return messages
