"""Writes for the message schedule: putting a message in the outbox, and the sender.

The outbox in the database is the truth; Celery only carries "drain this message" pings,
so a tick run twice, a task run twice or two workers send nothing twice. A sender claims
a batch of rows, re-checks each member just before sending, sends with no transaction
open, and records each outcome as soon as the server answers: a worker killed mid-send
can duplicate at most the one message it had in flight.
"""

import contextlib
import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connection as db
from django.db import transaction
from django.db.models import CharField, Exists, F, OuterRef, Value
from django.utils import timezone

from panels import services as panel_services
from panels.models import Member, Panel, Round
from reminders.mail import Composer, build_email, message_id_for, send_holding
from reminders.models import (
    Message,
    MessageKind,
    MessageStatus,
    OutboxEntry,
    OutboxStatus,
    RoundSending,
)
from reminders.recording import SentRecorder
from reminders.rendering import started_unfinished
from reminders.selectors import (
    audience,
    due_filter,
    suppression_reason,
    suppression_reason_sql,
)

logger = logging.getLogger(__name__)

# A claim not recorded within this long belongs to a sender that died; the sweeper puts
# the row back in the queue. Batches are sized so that sending one takes well under it.
CLAIM_STALE_AFTER = timedelta(minutes=10)
BATCH_SIZE = 100
# Temporary failures wait EMAIL_RETRY_SECONDS, doubling each time up to the cap, and fail
# for good after MAX_ATTEMPTS.
RETRY_CAP = timedelta(hours=1)
MAX_ATTEMPTS = 8


def retry_delay(attempts: int) -> timedelta:
    """Return how long to wait before the next try after `attempts` tries."""
    base = timedelta(seconds=settings.EMAIL_RETRY_SECONDS)
    return min(base * 2 ** max(attempts - 1, 0), RETRY_CAP)


# Putting a message's audience in the outbox


def _insert_rows(message: Message, members, *, status: str, reason) -> int:
    """Insert an outbox row of the message for each of the members not yet in the outbox,
    with the given status and reason (a value or an expression over the member), in one
    statement; return how many were inserted."""
    select, params = (
        members.annotate(why=reason).order_by().values("id", "why").query.sql_with_params()
    )
    table = OutboxEntry._meta.db_table
    now = timezone.now()
    # The table name is the model's and the SELECT is the ORM's, with its parameters.
    sql = (
        f"INSERT INTO {table} (message_id, member_id, status, reason, detail, attempts, "  # noqa: S608
        "claimed_by, message_id_header, smtp_reply, queued_at, updated_at) "
        f"SELECT %s, picked.id, %s, picked.why, '', 0, '', '', '', %s, %s FROM ({select}) picked "
        # WHERE true: SQLite would otherwise read ON CONFLICT as a join's ON.
        "WHERE true ON CONFLICT (message_id, member_id) DO NOTHING"
    )
    with db.cursor() as cursor:
        cursor.execute(sql, [message.pk, status, now, now, *params])
        return cursor.rowcount


def _insert_audience(message: Message, *, include_added: bool) -> int:
    """Insert one queued row per member of the audience not yet in the outbox; return how
    many were inserted."""
    members = audience(message=message, include_added=include_added)
    return _insert_rows(
        message, members, status=OutboxStatus.QUEUED, reason=Value("", output_field=CharField())
    )


def insert_left_out(message: Message) -> int:
    """Insert a suppressed row, with its reason, for every member of the round left out
    of the message when it starts, so each member's timeline says why; return how many."""
    members = Member.objects.filter(round_id=message.round_id, added_at__lte=message.started_at)
    left_out = members.exclude(pk__in=audience(message=message).values("pk"))
    return _insert_rows(
        message, left_out, status=OutboxStatus.SUPPRESSED, reason=suppression_reason_sql()
    )


@transaction.atomic
def message_enqueue(*, message_id: int) -> int:
    """Start a due message: put its audience in the outbox; return the rows added (none
    when it had started already)."""
    message = Message.objects.select_for_update().get(pk=message_id)
    if message.started_at is not None:
        return 0
    message.started_at = timezone.now()
    message.status = MessageStatus.SENDING
    message.save(update_fields=["started_at", "status", "updated_at"])
    added = _insert_audience(message, include_added=False)
    left_out = insert_left_out(message)
    logger.info("Message %s: %s members queued, %s left out", message.pk, added, left_out)
    return added


def _drain_after_commit(message_id: int) -> None:
    from reminders.tasks import drain_message

    transaction.on_commit(lambda: drain_message.delay(message_id))


@transaction.atomic
def message_send_now(*, message: Message) -> Message:
    """Send a message that has not started, now; return it."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.started_at is None:
        message.send_at = timezone.now()
        message.save(update_fields=["send_at", "updated_at"])
        message_enqueue(message_id=message.pk)
        message.refresh_from_db()
    _drain_after_commit(message.pk)
    return message


@transaction.atomic
def message_send_to_added(*, message: Message) -> int:
    """Send a started message to members added since it started; return how many."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.started_at is None:
        return 0
    added = _insert_audience(message, include_added=True)
    if added:
        Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING, finished_at=None)
        _drain_after_commit(message.pk)
    return added


@transaction.atomic
def message_retry_failed(*, message: Message) -> int:
    """Queue a message's failed rows again (each member is checked again when sent);
    return how many."""
    count = OutboxEntry.objects.filter(message=message, status=OutboxStatus.FAILED).update(
        status=OutboxStatus.QUEUED, attempts=0, next_attempt_at=None, updated_at=timezone.now()
    )
    if count:
        Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING, finished_at=None)
        _drain_after_commit(message.pk)
    return count


# Pausing a round


@transaction.atomic
def round_pause(*, round: Round, user) -> RoundSending:
    """Pause a round's sending: senders stop before their next message."""
    sending, _ = RoundSending.objects.update_or_create(
        round=round, defaults={"paused_at": timezone.now(), "paused_by": user}
    )
    return sending


@transaction.atomic
def round_resume(*, round: Round) -> RoundSending:
    """Resume a round's sending where it stopped."""
    sending, _ = RoundSending.objects.update_or_create(
        round=round, defaults={"paused_at": None, "paused_by": None}
    )
    for message_id in round.messages.filter(status=MessageStatus.SENDING).values_list(
        "pk", flat=True
    ):
        _drain_after_commit(message_id)
    return sending


def round_paused(round_id: int) -> bool:
    return RoundSending.objects.filter(round_id=round_id, paused_at__isnull=False).exists()


# The tick and the sweeper


def outbox_sweep_stale(*, now: datetime | None = None) -> int:
    """Put back in the queue the rows claimed longer than CLAIM_STALE_AFTER ago (their
    sender died); return how many."""
    now = now or timezone.now()
    count = OutboxEntry.objects.filter(
        status=OutboxStatus.SENDING, claimed_at__lt=now - CLAIM_STALE_AFTER
    ).update(status=OutboxStatus.QUEUED, claimed_at=None, claimed_by="", updated_at=now)
    if count:
        logger.warning("Returned %s stale outbox claims to the queue", count)
    return count


def fieldwork_tick(*, now: datetime | None = None) -> list[int]:
    """Start the messages that are due, sweep stale claims; return the ids of the messages
    with rows to send now, in rounds not paused."""
    now = now or timezone.now()
    due = Message.objects.filter(status=MessageStatus.SCHEDULED, send_at__lte=now)
    for message_id in due.values_list("pk", flat=True):
        message_enqueue(message_id=message_id)
    outbox_sweep_stale(now=now)
    waiting = OutboxEntry.objects.filter(message=OuterRef("pk"), status=OutboxStatus.QUEUED).filter(
        due_filter(now)
    )
    paused = RoundSending.objects.filter(round=OuterRef("round"), paused_at__isnull=False)
    sending = Message.objects.filter(status=MessageStatus.SENDING)
    return list(
        sending.filter(Exists(waiting)).filter(~Exists(paused)).values_list("pk", flat=True)
    )


# The sender


@dataclass
class DrainResult:
    sent: int = 0
    retry_in: float | None = None  # seconds until rows left queued may be tried again
    paused: bool = False


class _Stop(Exception):
    """Stop the batch: the round was paused, or the server is not answering."""


def _claim(message_id: int, worker: str) -> list[int]:
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            OutboxEntry.objects.select_for_update(skip_locked=True)
            .filter(message_id=message_id, status=OutboxStatus.QUEUED)
            .filter(due_filter(now))
            .order_by("pk")
            .values_list("pk", flat=True)[: _batch_size()]
        )
        OutboxEntry.objects.filter(pk__in=ids, status=OutboxStatus.QUEUED).update(
            status=OutboxStatus.SENDING,
            claimed_at=now,
            claimed_by=worker,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    # Without row locks (SQLite), another sender may have taken some of them first: keep
    # only the rows this conditional update changed.
    return list(
        OutboxEntry.objects.filter(
            pk__in=ids, status=OutboxStatus.SENDING, claimed_by=worker, claimed_at=now
        ).values_list("pk", flat=True)
    )


def _batch_size() -> int:
    # At the configured rate a batch takes at most about half a minute to send.
    return max(1, min(BATCH_SIZE, settings.EMAIL_RATE_PER_MINUTE // 2))


# The columns a send reads. The sender builds five objects per row, so it loads no more
# than it uses; a merge field reading another column still works (Django loads a deferred
# column on first use) but costs a query per member, so add its column here.
_BATCH_COLUMNS = (
    "message_id",
    "member_id",
    "status",
    "attempts",
    "member__round_id",
    "member__panel_id",
    "member__contact_id",
    "member__token_nonce",
    "member__disposition",
    "member__opted_out_reminders_at",
    "member__opted_out_study_at",
    "member__contact__first_name",
    "member__contact__last_name",
    "member__contact__email",
)


def _batch(ids: list[int], message: Message, panels: dict[int, Panel]) -> list[OutboxEntry]:
    """Return the claimed rows with their members and contacts, in one query; the message
    and its round, the same for every row, are the one given, and each member's panel and
    site come from `panels`, filled here with those not seen before."""
    from surveys.models import Response

    started = Response.objects.filter(member=OuterRef("member"))
    entries = list(
        OutboxEntry.objects.filter(pk__in=ids)
        .select_related("member__contact")
        .only(*_BATCH_COLUMNS)
        .annotate(member_started=Exists(started))
        .order_by("pk")
    )
    unseen = {entry.member.panel_id for entry in entries} - panels.keys()
    if unseen:
        panels.update(Panel.objects.select_related("site").in_bulk(unseen))
    for entry in entries:
        entry.message = message
        entry.member.round = message.round
        entry.member.panel = panels[entry.member.panel_id]
    return entries


def _record(entry: OutboxEntry, **values) -> None:
    """Record an outcome, unless the row was recorded elsewhere meanwhile."""
    OutboxEntry.objects.filter(
        pk=entry.pk, status__in=[OutboxStatus.SENDING, OutboxStatus.QUEUED]
    ).update(updated_at=timezone.now(), **values)


def _release(entries: list[OutboxEntry], *, tried: bool = False, wait: timedelta | None = None):
    """Put claimed rows back in the queue; those not tried get their attempt back."""
    values = {"status": OutboxStatus.QUEUED, "claimed_at": None, "claimed_by": ""}
    if not tried:
        values["attempts"] = F("attempts") - 1
    if wait is not None:
        values["next_attempt_at"] = timezone.now() + wait
    OutboxEntry.objects.filter(
        pk__in=[entry.pk for entry in entries], status=OutboxStatus.SENDING
    ).update(updated_at=timezone.now(), **values)


# How stale, at most, a member's eligibility and the round's pause are when a message goes
# out; and how many sending slots a sender takes from the shared rate at a time, at most:
# a second's worth of the rate, so that workers share a minute's slots fairly, and no more
# than a batch (slots left unused when a sender stops are lost, never lent).
CHECK_EVERY = 0.5


def _slot_block() -> int:
    return max(1, min(BATCH_SIZE, settings.EMAIL_RATE_PER_MINUTE // 60))


class _Gate:
    """Re-checks, at most CHECK_EVERY seconds before each send, that the round is not
    paused and the member is still in the audience: two queries for the rest of a batch."""

    def __init__(self, message: Message, *, before_query=lambda: None):
        self.message = message
        self.before_query = before_query
        self.checked = float("-inf")
        self.eligible: set[int] = set()
        self.looked_at: set[int] = set()

    def allows(self, entries: list[OutboxEntry], index: int) -> bool:
        """Return whether entries[index] may be sent; raise _Stop if the round is paused."""
        member_id = entries[index].member_id
        if member_id not in self.looked_at or time.monotonic() - self.checked > CHECK_EVERY:
            self.before_query()
            if round_paused(self.message.round_id):
                raise _Stop
            ids = [entry.member_id for entry in entries[index:]]
            members = audience(message=self.message, include_added=True).filter(pk__in=ids)
            self.eligible = set(members.order_by().values_list("pk", flat=True))
            self.looked_at, self.checked = set(ids), time.monotonic()
        return member_id in self.eligible


class _Slots:
    """Sending slots taken from the rate shared by every worker, a block at a time."""

    def __init__(self, *, before_query=lambda: None):
        self.left = 0
        self.before_query = before_query

    def take(self, round_id: int) -> None:
        if not self.left:
            self.left = _reserve(round_id, _slot_block(), before_query=self.before_query)
        self.left -= 1


def _reserve(round_id: int, wanted: int, *, before_query=lambda: None) -> int:
    """Take up to `wanted` slots of this minute's window, kept in the cache (Redis in
    production) so that the rate holds across workers; return how many were granted,
    waiting for the next window when this one is full and stopping if paused."""
    while True:
        window = int(time.time() // 60)
        key = f"reminders:rate:{window}"
        cache.add(key, 0, timeout=120)
        try:
            after = cache.incr(key, wanted)
        except ValueError:  # the key expired between add and incr
            continue
        granted = min(wanted, settings.EMAIL_RATE_PER_MINUTE - (after - wanted))
        if granted > 0:
            return granted
        time.sleep(min(1.0, (window + 1) * 60 - time.time() + 0.01))
        before_query()
        if round_paused(round_id):
            raise _Stop


def _smtp_failure(error: Exception, address: str) -> tuple[int | None, str]:
    """Return the server's code and reply of a failed send, or (None, text) when the
    server did not answer."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reply = error.recipients.get(address, next(iter(error.recipients.values())))
        return code, reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    if isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error
        return error.smtp_code, reply.decode(errors="replace") if isinstance(reply, bytes) else str(
            reply
        )
    return None, f"{type(error).__name__}: {error}"


def _close(mail_connection) -> None:
    with contextlib.suppress(OSError, smtplib.SMTPException):
        mail_connection.close()
    mail_connection.connection = None


def _send_one(entry: OutboxEntry, sender: "_Sender", *, allowed: bool, slots: _Slots) -> bool:
    """Send one claimed row and record what the server said; return whether it was sent.
    Raise _Stop when the round is paused or the server is not answering."""
    member = entry.member
    if not allowed:
        sender.wait()
        member.refresh_from_db(
            fields=["disposition", "opted_out_reminders_at", "opted_out_study_at"]
        )
        _record(entry, status=OutboxStatus.SUPPRESSED, reason=suppression_reason(member))
        return False
    slots.take(entry.message.round_id)
    member.started = entry.member_started
    try:
        header = sender.send(entry, member)
    except (smtplib.SMTPException, OSError) as error:
        sender.wait()
        return _failed(entry, error, sender.connection)
    sender.record_sent(entry, header=header)
    return True


class _Sender:
    """Sends a message's emails over one SMTP connection and records each one sent.

    Over SMTP the record of an email sent (reminders.recording) is confirmed just before
    the next email's final line of data, so that its commit overlaps that email's
    exchange while the server still cannot accept it unrecorded. Other backends (the
    console under `make run`, a provider's API) send and record one after the other.
    Every other use of the database first waits for the pending record (`wait`).
    """

    def __init__(self, message: Message):
        self.message = message
        self.connection = get_connection(fail_silently=False)
        self.smtp = isinstance(self.connection, SMTPBackend)
        self.composer = Composer(message=message)
        self.recorder = SentRecorder()
        self.wait = self.recorder.wait

    def send(self, entry: OutboxEntry, member: Member) -> str:
        """Send the row's email; return its Message-ID."""
        if not self.smtp:
            email = build_email(message=self.message, member=member)
            self.wait()
            self.connection.send_messages([email])
            return email.extra_headers["Message-ID"]
        to, header, data = self.composer.compose(member, started=started_unfinished(member))
        if self.connection.connection is None:
            self.connection.open()
        send_holding(self.connection.connection, self.composer.from_email, to, data, self.wait)
        return header

    def record_sent(self, entry: OutboxEntry, *, header: str) -> None:
        now = timezone.now()
        self.recorder.start(entry.pk, header=header, at=now)
        if self.message.kind == MessageKind.INVITATION or not self.smtp:
            self.wait()
        if self.message.kind == MessageKind.INVITATION:
            panel_services.member_invited(member_id=entry.member_id, at=now)

    def close(self) -> None:
        try:
            self.wait()
        finally:
            _close(self.connection)


def _failed(entry: OutboxEntry, error: Exception, mail_connection) -> bool:
    code, reply = _smtp_failure(error, entry.member.contact.email)
    header = message_id_for(message_id=entry.message_id, member_id=entry.member_id)
    if code is not None and code >= 500:
        reason = f"smtp_{code}"
        _record(
            entry,
            status=OutboxStatus.FAILED,
            reason=reason,
            smtp_reply=reply,
            detail=reply,
            message_id_header=header,
        )
        panel_services.member_undeliverable(member_id=entry.member_id, reason=reason)
        return False
    reason = f"smtp_{code}" if code else "no_connection"
    if entry.attempts >= MAX_ATTEMPTS:
        _record(entry, status=OutboxStatus.FAILED, reason=reason, detail=reply, smtp_reply=reply)
        return False
    wait = retry_delay(entry.attempts)
    _record(
        entry,
        status=OutboxStatus.QUEUED,
        reason=reason,
        detail=reply,
        smtp_reply=reply,
        claimed_at=None,
        claimed_by="",
        next_attempt_at=timezone.now() + wait,
        message_id_header=header,
    )
    if code in (None, 421):  # no server, or one closing the connection
        _close(mail_connection)
        raise _Stop
    return False


def _finish_if_done(message_id: int) -> None:
    open_rows = OutboxEntry.objects.filter(
        message_id=message_id, status__in=[OutboxStatus.QUEUED, OutboxStatus.SENDING]
    )
    Message.objects.filter(pk=message_id, status=MessageStatus.SENDING).exclude(
        Exists(open_rows.filter(message_id=OuterRef("pk")))
    ).update(status=MessageStatus.SENT, finished_at=timezone.now())


def _next_try(message_id: int) -> float | None:
    """Return the seconds until the message's next queued row may be tried."""
    first = (
        OutboxEntry.objects.filter(message_id=message_id, status=OutboxStatus.QUEUED)
        .order_by(F("next_attempt_at").asc(nulls_first=True))
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if (
        first is None
        and not OutboxEntry.objects.filter(
            message_id=message_id, status=OutboxStatus.QUEUED
        ).exists()
    ):
        return None
    return max(0.0, (first - timezone.now()).total_seconds()) if first else 0.0


def message_drain(*, message_id: int, worker: str = "") -> DrainResult:
    """Send a message's due queued rows, batch after batch, over one SMTP connection;
    return what was sent and when to come back for rows left queued."""
    if db.in_atomic_block:
        raise RuntimeError("A send must not hold a database transaction open.")
    result = DrainResult()
    sender = gate = slots = None
    try:
        while True:
            if sender is not None:
                sender.wait()
            if not (ids := _claim(message_id, worker)):
                break
            if sender is None:
                sender = _Sender(Message.objects.select_related("round").get(pk=message_id))
                panels: dict[int, Panel] = {}
                gate = _Gate(sender.message, before_query=sender.wait)
                slots = _Slots(before_query=sender.wait)
            entries = _batch(ids, sender.message, panels)
            for done, entry in enumerate(entries):
                try:
                    allowed = gate.allows(entries, done)
                    result.sent += _send_one(entry, sender, allowed=allowed, slots=slots)
                except _Stop:
                    sender.wait()
                    _release(entries[done:])
                    result.paused = round_paused(sender.message.round_id)
                    break
            else:
                continue
            break
    finally:
        if sender is not None:
            sender.close()
    _finish_if_done(message_id)
    if not result.paused:
        result.retry_in = _next_try(message_id)
    return result
