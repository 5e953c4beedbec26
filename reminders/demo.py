"""The demo's fieldwork: the seed study's invitation and three reminders in every round,
and members answering, opting out, bouncing and being found not eligible between them.

The study sent an invitation to everyone on the list, then three reminders "to those
informants who had not completed the survey or had not opted-out of receiving reminders"
(in 2020: 25 September, 2 October, 22 October and 5 November). The open demo round keeps
that shape relative to today: the invitation and the first reminder already sent, as the
sender records them, the second reminder due in two days, the third two weeks after it.
The earlier rounds ran the same schedule in their own year and are closed.

Every disposition goes through the platform's service, so each has its history row with
the time it happened; every response is answered page by page through the questionnaire's
validation and routing (surveys.demo.simulated_answers).
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from panels.models import (
    Disposition,
    DispositionChange,
    DispositionSource,
    Member,
    Round,
    RoundStatus,
)
from panels.services import NOT_YET_ANSWERING, member_disposition_set
from reminders.mail import message_id_for
from reminders.models import Message, MessageKind, MessageStatus, OutboxEntry, OutboxStatus
from reminders.selectors import audience
from reminders.services import insert_left_out
from surveys.demo import demo_response, save_demo_responses


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
    # Everyone else gets a suppressed row with its reason, as the sender writes them.
    insert_left_out(message)
    OutboxEntry.objects.filter(message=message, status=OutboxStatus.SUPPRESSED).update(
        queued_at=message.send_at
    )
    if message.kind == MessageKind.INVITATION:
        _record_invited(members, message.send_at)
    return len(members)


def _record_invited(member_ids: list[int], at: datetime) -> None:
    """What member_invited records for each member the invitation went to (listed becomes
    invited, with its history row), written for the whole list at once to keep the demo
    quick to load."""
    listed = set(
        Member.objects.filter(pk__in=member_ids, disposition=Disposition.LISTED).values_list(
            "pk", flat=True
        )
    )
    Member.objects.filter(pk__in=listed).update(disposition=Disposition.NOT_STARTED)
    DispositionChange.objects.bulk_create(
        DispositionChange(
            member_id=member_id,
            from_disposition=Disposition.LISTED,
            to_disposition=Disposition.NOT_STARTED,
            at=at + timedelta(milliseconds=index),  # before any bounce, minutes later
            source=DispositionSource.SENDER,
        )
        for index, member_id in enumerate(member_ids)
        if member_id in listed
    )


# What becomes of members, beyond answering: (fate, share of the list).
OTHER_FATES = [
    ("undeliverable", 0.02),
    ("not_eligible", 0.015),
    ("coordinated", 0.015),
    ("opted_out", 0.035),
    ("refused", 0.01),
    ("unavailable", 0.01),
    ("other", 0.004),
]
# Of those who answer: (fate, share).
ANSWER_FATES = [("complete", 0.8), ("partial", 0.12), ("break_off", 0.08)]
EVERY_FATE = [f for f, _ in OTHER_FATES] + [f for f, _ in ANSWER_FATES]
NOT_ELIGIBLE_REASONS = ["left the post", "duplicate listing", "screened out: not involved"]
# The share of contacts who answer readily, round after round.
KEEN_SHARE = 0.3
# How likely each message is to be the one a respondent answers (invitation first).
TRIGGER_WEIGHTS = [0.5, 0.25, 0.15, 0.1]


@dataclass(order=True)
class _Event:
    at: datetime
    member_id: int
    fate: str
    share: float | None = None  # of the pages answered, for partial and break-off


def _fates(members: list[Member], rng: random.Random, factor: float) -> dict[int, str]:
    """Decide each member's fate: a contact answers more or less readily in every round."""
    fates = {}
    for member in members:
        # Most answers come from the same people round after round.
        keen = random.Random(member.contact_id).random() < KEEN_SHARE
        propensity = 0.85 if keen else 0.06
        x, fate = rng.random(), "no_response"
        for name, share in OTHER_FATES:
            if x < share:
                fate = name
                break
            x -= share
        else:
            if rng.random() < propensity * factor:
                fate = rng.choices(*zip(*ANSWER_FATES, strict=True))[0]
        fates[member.pk] = fate
    return fates


def _every_fate_once(fates: dict[int, str]) -> None:
    """Make sure each fate happens at least once (the demo shows every disposition)."""
    spare = sorted(pk for pk, fate in fates.items() if fate == "no_response")
    for fate in EVERY_FATE:
        if fate not in fates.values() and spare:
            fates[spare.pop()] = fate


def _time_after(sent: list[Message], until: datetime, rng: random.Random) -> datetime:
    """A moment soon after one of the messages sent (and before the next, or `until`)."""
    index = rng.choices(range(len(sent)), TRIGGER_WEIGHTS[: len(sent)])[0]
    start = sent[index].send_at
    end = sent[index + 1].send_at if index + 1 < len(sent) else until
    window = (end - start).total_seconds()
    delay = min(rng.expovariate(1 / (18 * 3600)), 0.9 * window)
    return start + timedelta(seconds=60 + delay)


def _events(fates: dict[int, str], sent: list[Message], until, rng) -> list[_Event]:
    events = []
    for member_id, fate in sorted(fates.items()):
        if fate == "no_response":
            continue
        if fate == "undeliverable":
            at = sent[0].send_at + timedelta(minutes=rng.randint(2, 30))
        else:
            at = _time_after(sent, until, rng)
        share = {"partial": rng.uniform(0.4, 0.85), "break_off": 0.1}.get(fate)
        events.append(_Event(at, member_id, fate, share))
    return sorted(events)


@dataclass
class _Play:
    """One round's fieldwork as it is played out."""

    round: Round
    members: dict[int, Member]
    coordinators: dict[int, int]
    rng: random.Random
    by: object
    responses: list

    def apply(self, event: _Event) -> None:
        getattr(self, f"_{event.fate}")(event)

    def _set(self, event: _Event, to: str, source: str, **extra) -> None:
        member_disposition_set(
            member_id=event.member_id, to=to, source=source, at=event.at, **extra
        )

    def _answer(self, event: _Event, done_at=None) -> None:
        # A closed round keeps the final outcome only (as an import of past rounds does);
        # the open round shows each step.
        if self.round.status == RoundStatus.OPEN or done_at is None:
            source = DispositionSource.RESPONDENT
            self._set(event, Disposition.PARTIAL, source, only_from=NOT_YET_ANSWERING)
        self.responses.append(
            demo_response(
                member=self.members[event.member_id],
                version=self.round.version,
                rng=self.rng,
                share=event.share,
                at=event.at,
                done_at=done_at,
            )
        )

    def _complete(self, event: _Event) -> None:
        done_at = event.at + timedelta(minutes=self.rng.randint(12, 45))
        self._answer(event, done_at)
        event.at = done_at
        self._set(event, Disposition.COMPLETE, DispositionSource.RESPONDENT)

    def _partial(self, event: _Event) -> None:
        self._answer(event)

    def _break_off(self, event: _Event) -> None:
        self._answer(event)
        event.at += timedelta(minutes=3)
        reason = "stopped below the round's partial threshold"
        self._set(event, Disposition.BREAK_OFF, DispositionSource.RESPONDENT, reason=reason)

    def _undeliverable(self, event: _Event) -> None:
        reason = "550 5.1.1 mailbox unavailable"
        self._set(event, Disposition.UNDELIVERABLE, DispositionSource.SENDER, reason=reason)

    def _opted_out(self, event: _Event) -> None:
        self._set(event, Disposition.OPTED_OUT, DispositionSource.RESPONDENT)
        # Out of this round (the study's "opted out"), not out of the study.
        Member.objects.filter(pk=event.member_id).update(opted_out_reminders_at=event.at)

    def _by_evaluator(self, event: _Event, to: str, reason: str, **extra) -> None:
        event.at += timedelta(hours=self.rng.randint(2, 30))
        self._set(event, to, DispositionSource.EVALUATOR, by=self.by, reason=reason, **extra)

    def _refused(self, event: _Event) -> None:
        self._by_evaluator(event, Disposition.REFUSED, "replied that they will not take part")

    def _coordinated(self, event: _Event) -> None:
        coordinator = self.coordinators.get(event.member_id)
        reason = "a colleague answers for their organisation"
        self._by_evaluator(event, Disposition.COORDINATED, reason, coordinated_by_id=coordinator)

    def _not_eligible(self, event: _Event) -> None:
        reason = NOT_ELIGIBLE_REASONS[event.member_id % len(NOT_ELIGIBLE_REASONS)]
        self._by_evaluator(event, Disposition.NOT_ELIGIBLE, reason)

    def _unavailable(self, event: _Event) -> None:
        self._by_evaluator(event, Disposition.UNAVAILABLE, "away for the whole fieldwork")

    def _other(self, event: _Event) -> None:
        self._by_evaluator(event, Disposition.OTHER, "asked to answer in the next round instead")


def _coordinators(members: dict[int, Member], fates: dict[int, str]) -> dict[int, int]:
    """For each coordinated member, a member of the same site who completes."""
    complete = [m for pk, m in members.items() if fates[pk] == "complete"]
    found = {}
    for pk, fate in fates.items():
        if fate == "coordinated" and complete:
            same_site = [m for m in complete if m.panel_id == members[pk].panel_id]
            found[pk] = (same_site or complete)[0].pk
    return found


def _plan(round_: Round, invitation_at: datetime) -> list[Message]:
    """The invitation and three reminders from `invitation_at`, saved and not yet sent."""
    subject, body = INVITATION
    messages = [
        Message(
            round=round_,
            kind=MessageKind.INVITATION,
            send_at=invitation_at,
            subject=subject,
            body=_unwrap(body),
        )
    ]
    for subject, lead, days in REMINDERS:
        messages.append(
            Message(
                round=round_,
                kind=MessageKind.REMINDER,
                send_at=invitation_at + timedelta(days=days - INVITATION_DAYS),
                subject=subject,
                body=_unwrap(REMINDER_BODY.replace("{lead}", lead)),
                body_started=_unwrap(REMINDER_STARTED),
            )
        )
    for message in messages:
        message.full_clean()
        message.save()
    return messages


def play_fieldwork(
    *, round: Round, invitation_at: datetime, until: datetime, factor: float, by=None
):
    """Plan the round's messages from `invitation_at`; send those due before `until` and
    let members answer (and the rest) between them. Return the messages in order."""
    Member.objects.filter(round=round).update(added_at=invitation_at - timedelta(days=1))
    messages = _plan(round, invitation_at)
    sent = [m for m in messages if m.send_at < until]
    members = {
        m.pk: m
        for m in Member.objects.filter(round=round)
        .select_related("contact", "panel__site")
        .order_by("pk")  # the same fates on every load
    }
    rng = random.Random(round.year)
    fates = _fates(list(members.values()), rng, factor)
    _every_fate_once(fates)
    play = _Play(round, members, _coordinators(members, fates), rng, by, [])
    events = _events(fates, sent, until, rng)
    for index, message in enumerate(sent):
        _record_sent(message)
        end = sent[index + 1].send_at if index + 1 < len(sent) else until
        while events and events[0].at < end:
            play.apply(events.pop(0))
    save_demo_responses(play.responses)
    return messages


@transaction.atomic
def load_demo_schedule(*, round: Round, by=None) -> list[Message]:
    """Plan the open demo round's invitation and three reminders around today, record those
    already past as sent, with members' answers and the rest in between; return the
    messages in order."""
    today = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    return play_fieldwork(
        round=round,
        invitation_at=today + timedelta(days=INVITATION_DAYS),
        until=timezone.now(),
        factor=0.75,
        by=by,
    )


@transaction.atomic
def load_demo_history(*, rounds: list[Round], by=None) -> None:
    """Play out each earlier round's fieldwork in its own year."""
    for number, round_ in enumerate(rounds):
        start = timezone.make_aware(datetime.combine(round_.fieldwork_start, datetime.min.time()))
        play_fieldwork(
            round=round_,
            invitation_at=start + timedelta(hours=10),
            until=timezone.make_aware(datetime.combine(round_.fieldwork_end, datetime.min.time())),
            factor=1.0 - 0.06 * number,
            by=by,
        )
