"""Writes to panels: members' dispositions, with their history, and outcomes imports."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from panels.importing import ListFile, normalise_column
from panels.models import Contact, Disposition, DispositionChange, DispositionSource, Member, Round
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
    if before == to and member.disposition_reason == reason:
        return False
    member.disposition, member.disposition_reason = to, reason
    member.coordinated_by_id = coordinated_by_id if to == Disposition.COORDINATED else None
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


def _parse_outcome(number, values, members, seen, problems) -> _Outcome | None:
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
    if disposition not in Disposition.values:
        names = ", ".join([*Disposition.values, *OUTCOME_ALIASES])
        problems.append(
            RowProblem(number, "disposition", f"Unknown disposition {raw!r}; use one of {names}.")
        )
    reason = values.get("reason", "").strip()
    if disposition == Disposition.NOT_ELIGIBLE and not reason:
        problems.append(RowProblem(number, "reason", "Say why the member is not eligible."))
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
def outcomes_import(*, round: Round, list_file: ListFile, user=None) -> OutcomesReport:
    """Record final dispositions for a round's members from a file, all or nothing."""
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
        _parse_outcome(number, values, members, seen, report.problems)
        for number, values in list_file.rows
    ]
    if report.problems:
        return report
    for outcome in outcomes:
        report.changed += member_disposition_set(
            member_id=outcome.member_id,
            to=outcome.disposition,
            source=DispositionSource.IMPORT,
            by=user,
            reason=outcome.reason,
            coordinated_by_id=outcome.coordinated_by_id,
        )
    return report
