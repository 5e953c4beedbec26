"""Writes to panels: members' dispositions, with their history, and outcomes imports."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from panels.importing import ListFile, normalise_column
from panels.models import (
    Contact,
    Disposition,
    DispositionChange,
    DispositionSource,
    Member,
    Round,
    RoundStatus,
)
from panels.services.lists import RowProblem


@transaction.atomic
def member_disposition_set(
    *,
    member_id: int,
    to: str,
    source: str,
    only_from: frozenset[str] | None = None,
    at=None,
    by=None,
    reason: str = "",
    coordinated_by_id: int | None = None,
) -> bool:
    """Change a member's disposition and record the change; every change goes through here.

    With ``only_from``, the change is made only when the member's disposition is one of
    those. Return whether the disposition changed.
    """
    member = Member.objects.select_for_update().get(pk=member_id)
    before = member.disposition
    if only_from is not None and before not in only_from:
        return False
    coordinator = coordinated_by_id if to == Disposition.COORDINATED else None
    if before == to and (member.disposition_reason, member.coordinated_by_id) == (
        reason,
        coordinator,
    ):
        return False
    member.disposition, member.disposition_reason = to, reason
    member.coordinated_by_id = coordinator
    member.save(update_fields=["disposition", "disposition_reason", "coordinated_by"])
    DispositionChange.objects.create(
        member=member,
        from_disposition=before,
        to_disposition=to,
        at=at or timezone.now(),
        source=source,
        by=by,
        reason=reason,
    )
    return True


NOT_YET_ANSWERING = frozenset({Disposition.LISTED, Disposition.NOT_STARTED})
REASON_LENGTH = Member._meta.get_field("disposition_reason").max_length


def member_invited(*, member_id: int, at) -> None:
    """The sender recorded the member's invitation as sent."""
    member_disposition_set(
        member_id=member_id,
        to=Disposition.NOT_STARTED,
        source=DispositionSource.SENDER,
        only_from=frozenset({Disposition.LISTED}),
        at=at,
    )


def member_undeliverable(*, member_id: int, reason: str) -> None:
    """The sender met a permanent failure or a bounce; a member who has begun to
    answer keeps what they have."""
    member_disposition_set(
        member_id=member_id,
        to=Disposition.UNDELIVERABLE,
        source=DispositionSource.SENDER,
        only_from=NOT_YET_ANSWERING | {Disposition.UNDELIVERABLE},
        reason=reason,
    )


@transaction.atomic
def member_opt_out(
    *, member: Member, scope: str, source: str = DispositionSource.RESPONDENT, by=None
) -> Member:
    """Record that a member wants no more reminders this round ("reminders") or to leave
    the study ("study"); return the member. A complete member stays complete."""
    now = timezone.now()
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.opted_out_reminders_at is None:
        member.opted_out_reminders_at = now
    if scope == "study":
        member.opted_out_study_at = member.opted_out_study_at or now
        Contact.objects.filter(pk=member.contact_id, left_study_on__isnull=True).update(
            left_study_on=now.date()
        )
    member.save(update_fields=["opted_out_reminders_at", "opted_out_study_at"])
    if scope == "study" and member.disposition != Disposition.COMPLETE:
        member_disposition_set(
            member_id=member.pk, to=Disposition.OPTED_OUT, source=source, at=now, by=by
        )
    member.refresh_from_db()
    return member


@transaction.atomic
def member_opt_in(*, member: Member, by=None) -> Member:
    """Undo a member's opt-out (an evaluator's action); return the member."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.opted_out_study_at:
        Contact.objects.filter(pk=member.contact_id).update(left_study_on=None)
    member.opted_out_reminders_at = member.opted_out_study_at = None
    member.save(update_fields=["opted_out_reminders_at", "opted_out_study_at"])
    if member.disposition == Disposition.OPTED_OUT:
        opting_out = member.disposition_changes.filter(to_disposition=Disposition.OPTED_OUT)
        last = opting_out.last()
        started = Member.objects.filter(pk=member.pk, response__isnull=False).exists()
        if started:
            to = Disposition.PARTIAL
        elif last is not None:
            to = last.from_disposition
        else:
            to = Disposition.NOT_STARTED
        member_disposition_set(
            member_id=member.pk, to=to, source=DispositionSource.EVALUATOR, by=by
        )
    member.refresh_from_db()
    return member


# Names an outcomes file may use beyond the dispositions' own values.
OUTCOME_ALIASES = {"no_response": Disposition.NOT_STARTED}


@dataclass
class OutcomesReport:
    """What an outcomes import did, or every reason it did nothing."""

    problems: list[RowProblem] = field(default_factory=list)
    rows: int = 0
    changed: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return f"Read {self.rows} rows: {self.changed} dispositions changed."


@dataclass
class _Outcome:
    member_id: int
    disposition: str
    reason: str
    coordinated_by_id: int | None


# What an evaluator records, one member at a time or in bulk; the others the platform
# derives (from the respondent pages, the sender and the round's rule).
EVALUATOR_DISPOSITIONS = (
    Disposition.OPTED_OUT,
    Disposition.COORDINATED,
    Disposition.NOT_ELIGIBLE,
    Disposition.UNAVAILABLE,
    Disposition.OTHER,
)
NEEDS_REASON = {
    Disposition.NOT_ELIGIBLE: "Say why the member is not eligible.",
    Disposition.OTHER: "Say what happened.",
}


def _parse_outcome(number, values, members, seen, problems, allowed) -> _Outcome | None:
    email = values.get("email", "").strip().lower()
    before = len(problems)
    member = members.get(email)
    if not email:
        problems.append(RowProblem(number, "email", "The email is missing."))
    elif member is None:
        problems.append(RowProblem(number, "email", f"{email} is not a member of this round."))
    elif email in seen:
        problems.append(RowProblem(number, "email", f"{email} is also on row {seen[email]}."))
    else:
        seen[email] = number
    raw = normalise_column(values.get("disposition", ""))
    disposition = OUTCOME_ALIASES.get(raw, raw)
    if disposition not in allowed:
        names = ", ".join(allowed)
        problems.append(
            RowProblem(number, "disposition", f"Unknown disposition {raw!r}; use one of {names}.")
        )
    reason = values.get("reason", "").strip()
    if disposition in NEEDS_REASON and not reason:
        problems.append(RowProblem(number, "reason", NEEDS_REASON[disposition]))
    elif len(reason) > REASON_LENGTH:
        problems.append(
            RowProblem(number, "reason", f"Keep the reason under {REASON_LENGTH} characters.")
        )
    coordinator = None
    by_email = values.get("coordinated_by", "").strip().lower()
    if disposition == Disposition.COORDINATED:
        coordinator = members.get(by_email)
        if coordinator is None:
            problems.append(
                RowProblem(
                    number,
                    "coordinated_by",
                    "Give the email of the member of this round who answered for them.",
                )
            )
        elif coordinator == member:
            problems.append(
                RowProblem(number, "coordinated_by", "A member cannot coordinate for themselves.")
            )
    if len(problems) > before:
        return None
    return _Outcome(member.pk, disposition, reason, coordinator.pk if coordinator else None)


@transaction.atomic
def outcomes_import(
    *,
    round: Round,
    list_file: ListFile,
    user=None,
    allowed: tuple[str, ...] | None = None,
    source: str = DispositionSource.IMPORT,
) -> OutcomesReport:
    """Record dispositions for a round's members from a file, all or nothing.

    ``allowed`` limits the dispositions a row may give (the evaluators' bulk page allows
    only theirs); by default any disposition, named as in the docs' table.
    """
    if allowed is None:
        allowed = (*Disposition.values, *OUTCOME_ALIASES)
    report = OutcomesReport(rows=len(list_file.rows))
    missing = [c for c in ("email", "disposition") if c not in list_file.columns]
    if missing:
        report.problems.append(RowProblem(1, ", ".join(missing), "Missing column(s)."))
        return report
    members = {
        m.contact.email.lower(): m
        for m in Member.objects.filter(round=round).select_related("contact")
    }
    seen: dict[str, int] = {}
    outcomes = [
        _parse_outcome(number, values, members, seen, report.problems, allowed)
        for number, values in list_file.rows
    ]
    if report.problems:
        return report
    for outcome in outcomes:
        report.changed += member_disposition_set(
            member_id=outcome.member_id,
            to=outcome.disposition,
            source=source,
            by=user,
            reason=outcome.reason,
            coordinated_by_id=outcome.coordinated_by_id,
        )
    return report


# The dispositions the round's rule keeps live as a response is saved: a member whose
# disposition an evaluator, the sender or an opt-out set keeps it.
RESPONDING = frozenset(
    {
        Disposition.LISTED,
        Disposition.NOT_STARTED,
        Disposition.PARTIAL,
        Disposition.BREAK_OFF,
        Disposition.COMPLETE,
        Disposition.REFUSED,
    }
)
RULE_OUTCOMES = {
    "complete": Disposition.COMPLETE,
    "partial": Disposition.PARTIAL,
    "break_off": Disposition.BREAK_OFF,
    "refused": Disposition.REFUSED,
}


# Called within every page save's transaction: a savepoint would cost two more round trips
# a save, and nothing that calls this goes on after an error in it.
@transaction.atomic(savepoint=False)
def member_response_saved(
    *, member_id: int, outcome: str, at=None, reason: str = "", read: Member | None = None
) -> bool:
    """Set the disposition the round's rule gives a response now ("complete", "partial",
    "break_off", or "refused" at consent); return whether it changed.

    Nothing changes once the round is closed: its dispositions are frozen. The member is
    locked before the round's status is read, so a save that waits for a close in
    progress sees the round closed.

    ``read``: the member as read with the response this save stored, when no other save
    of it came in since (the caller's UPDATE found its revision unchanged). Only the
    respondent's saves move a disposition among the responding ones, so when the rule
    gives the disposition the member had then, it is theirs still (or one an evaluator
    set since, which a save leaves alone): nothing is read or written.
    """
    to = RULE_OUTCOMES[outcome]
    if read is not None and read.disposition in RESPONDING:
        held = (read.disposition, read.disposition_reason, read.coordinated_by_id)
        if held == (to, reason, None):
            return False
    member = (
        Member.objects.select_for_update()
        .only("round_id", "disposition", "disposition_reason", "coordinated_by")
        .get(pk=member_id)
    )
    status = Round.objects.filter(pk=member.round_id).values_list("status", flat=True).get()
    if status == RoundStatus.CLOSED or member.disposition not in RESPONDING:
        return False
    unchanged = (to, reason, None)  # a respondent's save never records a coordinator
    # Most saves leave the disposition as it was: then nothing more is read or written.
    if (member.disposition, member.disposition_reason, member.coordinated_by_id) == unchanged:
        return False
    return member_disposition_set(
        member_id=member_id,
        to=to,
        source=DispositionSource.RESPONDENT,
        only_from=RESPONDING,
        at=at,
        reason=reason,
    )


class DispositionRefused(Exception):
    """An evaluator's disposition cannot be recorded; `errors` says why, by field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _record_problems(member: Member, to: str, reason: str, coordinator: Member | None):
    errors = {}
    if member.round.status == RoundStatus.CLOSED:
        errors["disposition"] = "The round is closed: its dispositions are final."
    if to not in EVALUATOR_DISPOSITIONS:
        errors["disposition"] = "Choose one of the dispositions an evaluator records."
    if to in NEEDS_REASON and not reason:
        errors["reason"] = NEEDS_REASON[to]
    if to == Disposition.COORDINATED:
        if coordinator is None or coordinator.round_id != member.round_id:
            errors["coordinated_by"] = "Choose the member of this round who answers for them."
        elif coordinator.pk == member.pk:
            errors["coordinated_by"] = "A member cannot coordinate for themselves."
    return errors


@transaction.atomic
def member_disposition_record(
    *, member: Member, to: str, by, reason: str = "", coordinated_by: Member | None = None
) -> bool:
    """Record an evaluator's disposition for one member; return whether it changed.

    Raises DispositionRefused, changing nothing, when the round is closed, the
    disposition is not an evaluator's, a reason is missing or the coordinating member
    is not another member of the round. An opted-out member gets no more reminders.
    """
    member = Member.objects.select_related("round").get(pk=member.pk)
    errors = _record_problems(member, to, reason.strip(), coordinated_by)
    if errors:
        raise DispositionRefused(errors)
    if to == Disposition.OPTED_OUT:
        Member.objects.filter(pk=member.pk, opted_out_reminders_at__isnull=True).update(
            opted_out_reminders_at=timezone.now()
        )
    return member_disposition_set(
        member_id=member.pk,
        to=to,
        source=DispositionSource.EVALUATOR,
        by=by,
        reason=reason.strip(),
        coordinated_by_id=coordinated_by.pk if coordinated_by else None,
    )
