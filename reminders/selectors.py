"""Reads for the message schedule: who gets a message."""

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When

from panels.models import Disposition, Member
from reminders.models import Message, MessageKind

# Dispositions that take a member out of each kind of message.
NOT_INVITED = (Disposition.NOT_ELIGIBLE, Disposition.UNDELIVERABLE)
NOT_REMINDED = (
    Disposition.COMPLETE,
    Disposition.OPTED_OUT,
    Disposition.NOT_ELIGIBLE,
    Disposition.COORDINATED,
    Disposition.UNDELIVERABLE,
    Disposition.REFUSED,
    Disposition.UNAVAILABLE,
)


def audience(*, message: Message, include_added: bool = False) -> QuerySet[Member]:
    """Return the members who would get the message now.

    Once a message has started sending, members added to the round after that moment are
    left out unless include_added (an evaluator's "send to members added since").
    """
    members = Member.objects.filter(round_id=message.round_id, opted_out_study_at__isnull=True)
    if message.kind == MessageKind.INVITATION:
        members = members.exclude(disposition__in=NOT_INVITED)
    else:
        members = members.exclude(disposition__in=NOT_REMINDED).filter(
            opted_out_reminders_at__isnull=True
        )
    if message.started_at is not None and not include_added:
        members = members.filter(added_at__lte=message.started_at)
    return members


def suppression_reason(member: Member) -> str:
    """Return why a member is no longer in a message's audience, as a short code."""
    if member.disposition == Disposition.COMPLETE:
        return "completed"
    if member.opted_out_study_at or member.opted_out_reminders_at:
        return "opted_out"
    return member.disposition


def suppression_reason_sql() -> Case:
    """Return suppression_reason as an expression over a member row."""
    return Case(
        When(disposition=Disposition.COMPLETE, then=Value("completed")),
        When(
            Q(opted_out_study_at__isnull=False) | Q(opted_out_reminders_at__isnull=False),
            then=Value("opted_out"),
        ),
        default=F("disposition"),
        output_field=CharField(),
    )


def due_filter(now) -> Q:
    """Return the condition on outbox rows that may be tried at now."""
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
