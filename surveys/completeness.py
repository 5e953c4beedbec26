"""A round's completeness rule: when a started response counts as complete, partial or a
break-off.

``classify`` is pure: it reads the loaded definition and a response's stored answers and
``not_asked`` codes, never the database, and is tested without one.

The items the routing showed are the answer codes of the definition that the walk of the
respondent's answers puts on their path: every code not in ``not_asked`` (the response
service stores the codes the walk did not show), hidden items left out since a
respondent never sees them. Items on pages of the path the respondent has not reached
yet count as shown and unanswered, so that a respondent who stops half way has answered
about half of what was meant for them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from surveys.engine.model import Definition

Outcome = Literal["complete", "partial", "break_off"]
RULE_KINDS = ("end", "items", "share")
UNSEEN_TYPES = frozenset({"hidden"})


@dataclass(frozen=True)
class CompletenessRule:
    """What makes a response complete, and the share below which a started one is a
    break-off rather than a partial."""

    kind: str = "end"  # "end", "items" or "share"
    items: tuple[str, ...] = ()
    share: float = 1.0
    break_off_below: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in RULE_KINDS:
            raise ValueError(f"Unknown completeness rule {self.kind!r}; use one of {RULE_KINDS}.")
        for name in ("share", "break_off_below"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must be between 0 and 1.")

    @classmethod
    def of(cls, round: Any) -> CompletenessRule:
        """Return the rule a round (a panels.Round) sets."""
        return cls(
            kind=round.completeness_rule,
            items=tuple(round.completeness_items or ()),
            share=round.completeness_share,
            break_off_below=round.break_off_below,
        )


def answered(value: Any) -> bool:
    """Return whether a stored answer holds something (an empty list or text is none)."""
    return value not in (None, "", [], {})


def shown_codes(definition: Definition, not_asked: Collection[str]) -> list[str]:
    """Return the answer codes the routing showed: those not in ``not_asked``."""
    skipped = set(not_asked)
    return [
        code
        for code in definition.answer_codes()
        if code not in skipped and definition.item(code).type not in UNSEEN_TYPES
    ]


def answered_share(
    definition: Definition, answers: Mapping[str, Any], not_asked: Collection[str]
) -> float:
    """Return the share of the shown items that hold an answer (0 when none is shown)."""
    shown = shown_codes(definition, not_asked)
    if not shown:
        return 0.0
    return sum(1 for code in shown if answered(answers.get(code))) / len(shown)


def _named_items_answered(
    rule: CompletenessRule, answers: Mapping[str, Any], not_asked: Collection[str]
) -> bool:
    # A named item the routing skipped cannot be answered, so it does not hold the
    # respondent back; every named item the routing showed must hold an answer.
    skipped = set(not_asked)
    return all(answered(answers.get(code)) for code in rule.items if code not in skipped)


def classify(
    *,
    rule: CompletenessRule,
    definition: Definition,
    answers: Mapping[str, Any],
    not_asked: Collection[str],
    completed_at: Any,
) -> Outcome:
    """Return what the rule makes of a started response: complete, partial or break_off.

    "end": complete once the end of the questionnaire is reached (``completed_at`` set);
    "items": complete once every named item the routing showed is answered;
    "share": complete once at least ``rule.share`` of the shown items are answered.
    A response that is not complete is a break-off when under ``rule.break_off_below`` of
    the shown items are answered, else partial.
    """
    share = answered_share(definition, answers, not_asked)
    if rule.kind == "end":
        complete = completed_at is not None
    elif rule.kind == "items":
        complete = _named_items_answered(rule, answers, not_asked)
    else:
        complete = share >= rule.share
    if complete:
        return "complete"
    return "break_off" if share < rule.break_off_below else "partial"


def counts_as_complete(*, round: Any, response: Any) -> bool:
    """Return whether the round's rule makes the response (a surveys.Response) complete."""
    from surveys.definitions import definition_of

    outcome = classify(
        rule=CompletenessRule.of(round),
        definition=definition_of(response.version),
        answers=response.answers,
        not_asked=response.not_asked,
        completed_at=response.completed_at,
    )
    return outcome == "complete"
