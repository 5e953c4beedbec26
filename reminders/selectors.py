"""Reads for the message schedule: who gets a message, and what the evaluator pages show."""

from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When

from panels.models import Disposition, Member
from reminders.models import Message, MessageKind, MessageStatus, OutboxEntry, OutboxStatus

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


# The evaluator pages: a round's schedule, a message's counts, the outbox, a member's timeline


@dataclass
class Counts:
    """A message's outbox rows by status, and by status and reason."""

    by_status: dict[str, int] = field(default_factory=dict)
    by_reason: list[tuple[str, str, int]] = field(default_factory=list)

    def __getitem__(self, status: str) -> int:
        # Templates read counts.sent, counts.failed...: other names are attributes.
        if status not in OutboxStatus.values:
            raise KeyError(status)
        return self.by_status.get(status, 0)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def waiting(self) -> int:
        return self[OutboxStatus.QUEUED] + self[OutboxStatus.SENDING]


@dataclass
class ScheduleRow:
    message: Message
    label: str
    counts: Counts
    audience: int | None  # members it would go to now, for a message not yet started


def message_counts(*, message_ids: list[int]) -> dict[int, Counts]:
    """Return the outbox counts of each message, in one query."""
    counts = {pk: Counts() for pk in message_ids}
    rows = (
        OutboxEntry.objects.filter(message_id__in=message_ids)
        .values_list("message_id", "status", "reason")
        .annotate(n=Count("id"))
        .order_by("message_id", "status", "reason")
    )
    for message_id, status, reason, n in rows:
        found = counts[message_id]
        found.by_status[status] = found.by_status.get(status, 0) + n
        if reason:
            found.by_reason.append((status, reason, n))
    return counts


def message_labels(messages: list[Message]) -> dict[int, str]:
    """Return "Invitation", "Reminder 1", "Reminder 2"... for messages of one round, in
    the order they go out."""
    labels, reminders = {}, 0
    for message in sorted(messages, key=lambda m: (m.send_at, m.position, m.pk)):
        if message.kind == MessageKind.INVITATION:
            labels[message.pk] = "Invitation"
        else:
            reminders += 1
            labels[message.pk] = f"Reminder {reminders}"
    return labels


def round_schedule(*, round_id: int) -> list[ScheduleRow]:
    """Return the round's messages in the order they go out, each with its outbox counts
    and, when not started, how many members it would go to now (the audience's count)."""
    messages = list(Message.objects.filter(round_id=round_id).order_by("send_at", "position"))
    counts = message_counts(message_ids=[m.pk for m in messages])
    labels = message_labels(messages)
    return [
        ScheduleRow(
            message=m,
            label=labels[m.pk],
            counts=counts[m.pk],
            audience=None if m.started_at else audience(message=m).count(),
        )
        for m in messages
    ]


def next_out(rows: list[ScheduleRow]) -> ScheduleRow | None:
    """Return the message that goes out next: one still sending, else the first planned."""
    sending = [row for row in rows if row.message.status == MessageStatus.SENDING]
    planned = [row for row in rows if row.message.started_at is None]
    return (sending or planned or [None])[0]


def message_label(message: Message) -> str:
    siblings = list(Message.objects.filter(round_id=message.round_id))
    return message_labels(siblings)[message.pk]


def outbox_rows(
    *, message: Message, status: str = "", reason: str = "", search: str = ""
) -> QuerySet[OutboxEntry]:
    """Return the message's outbox rows, filtered by status, reason and a name or email."""
    rows = OutboxEntry.objects.filter(message=message).select_related(
        "member__contact", "member__panel__site"
    )
    if status:
        rows = rows.filter(status=status)
    if reason:
        rows = rows.filter(reason=reason)
    for word in search.split():
        rows = rows.filter(
            Q(member__contact__first_name__icontains=word)
            | Q(member__contact__last_name__icontains=word)
            | Q(member__contact__email__icontains=word)
        )
    return rows.order_by("member__contact__last_name", "member__contact__first_name", "pk")


def outbox_reasons(*, message: Message) -> list[str]:
    """Return the reasons recorded on the message's rows, once each."""
    rows = OutboxEntry.objects.filter(message=message).exclude(reason="")
    return list(rows.order_by("reason").values_list("reason", flat=True).distinct())


def round_members(*, round_id: int, search: str = "", limit: int = 20) -> list[Member]:
    """Return up to `limit` members of the round matching a name or email, by name."""
    members = Member.objects.filter(round_id=round_id).select_related("contact", "panel__site")
    for word in search.split():
        members = members.filter(
            Q(contact__first_name__icontains=word)
            | Q(contact__last_name__icontains=word)
            | Q(contact__email__icontains=word)
        )
    return list(members.order_by("contact__last_name", "contact__first_name", "pk")[:limit])


@dataclass
class TimelineRow:
    message: Message
    label: str
    entry: OutboxEntry | None


def member_timeline(*, member: Member) -> list[TimelineRow]:
    """Return every message of the member's round in the order they go out, each with the
    member's outbox row (None while the message is not started, or when the member was
    added after it started)."""
    messages = list(Message.objects.filter(round_id=member.round_id).order_by("send_at"))
    entries = {e.message_id: e for e in OutboxEntry.objects.filter(member=member)}
    labels = message_labels(messages)
    return [TimelineRow(m, labels[m.pk], entries.get(m.pk)) for m in messages]
