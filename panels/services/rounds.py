"""Writes to rounds: the completeness rule, fixed before fieldwork, and the close."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from panels.models import (
    COMPLETENESS_FIELDS,
    CompletenessKind,
    DispositionChange,
    DispositionSource,
    Member,
    Round,
    RoundStatus,
)

CLOSE_REASON = "Final disposition at the close of the round, by its completeness rule."


class RuleFixed(Exception):
    """The round has opened: its completeness rule can no longer change."""


@transaction.atomic
def round_completeness_set(
    *,
    round: Round,
    rule: str,
    items: list[str] | None = None,
    share: float = 1.0,
    break_off_below: float = 0.0,
) -> Round:
    """Set the round's completeness rule; return the round.

    Raises RuleFixed once the round has opened (the rule is fixed before fieldwork), and
    ValueError for a rule that is not one of the kinds or a share outside 0 to 1.
    """
    current = Round.objects.select_for_update().get(pk=round.pk)
    if not current.completeness_editable:
        raise RuleFixed(f"{current} is {current.get_status_display().lower()}: its rule is fixed.")
    if rule not in CompletenessKind.values:
        raise ValueError(f"Unknown completeness rule {rule!r}.")
    if not (0 <= share <= 1 and 0 <= break_off_below <= 1):
        raise ValueError("Shares are between 0 and 1.")
    if rule == CompletenessKind.ITEMS and not items:
        raise ValueError("Name the items that must be answered.")
    current.completeness_rule = rule
    current.completeness_items = list(items or []) if rule == CompletenessKind.ITEMS else []
    current.completeness_share = share if rule == CompletenessKind.SHARE else 1.0
    current.break_off_below = break_off_below
    current.save(update_fields=list(COMPLETENESS_FIELDS))
    return current


@dataclass(frozen=True)
class CloseReport:
    members: int
    counts: dict[str, int]


@transaction.atomic
def round_close(*, round: Round, by=None) -> CloseReport:
    """Close an open round and freeze every member's final disposition, with a history
    row each (source "close"); return how many members and the final counts.

    The surveys services keep each member's disposition to what the round's rule gives
    their response as it is saved, and the rule cannot change once the round opens, so
    the disposition at close is the rule's final word: started but not complete is
    partial or a break-off, invited with no response stays no response. The members
    are locked first, so a response save in progress either lands before the freeze or
    finds the round closed. A constant number of queries, whatever the round's size.
    """
    current = Round.objects.select_for_update().get(pk=round.pk)
    if current.status != RoundStatus.OPEN:
        raise ValueError(f"{current} is {current.get_status_display().lower()}, not open.")
    members = list(
        Member.objects.select_for_update()
        .filter(round=current)
        .order_by("pk")
        .values_list("pk", "disposition")
    )
    current.status = RoundStatus.CLOSED
    current.save(update_fields=["status"])
    now = timezone.now()
    DispositionChange.objects.bulk_create(
        (
            DispositionChange(
                member_id=pk,
                from_disposition=disposition,
                to_disposition=disposition,
                at=now,
                source=DispositionSource.CLOSE,
                by=by,
                reason=CLOSE_REASON,
            )
            for pk, disposition in members
        ),
        batch_size=2000,
    )
    counts: dict[str, int] = {}
    for _, disposition in members:
        counts[disposition] = counts.get(disposition, 0) + 1
    return CloseReport(members=len(members), counts=counts)
