"""The round's completeness rule, worked by hand on small questionnaires (no database)."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from surveys.completeness import CompletenessRule, answered_share, classify, shown_codes
from surveys.engine.routing import prune
from tests.surveys.engine.builders import MEMBER, build, page, single, text

NOW = datetime(2020, 10, 1, 12, tzinfo=UTC)

# Ten items over three pages; "role" == 2 skips the four items of page "detail".
DEFN = build(
    page("about", single("role", codes=(1, 2)), text("a1"), text("a2"), text("a3")),
    page("detail", text("d1"), text("d2"), text("d3"), text("d4"), show_if="role == 1"),
    page("closing", text("e1"), text("e2")),
)


def outcome(rule: CompletenessRule, answers: dict, *, completed: bool = False) -> str:
    kept, not_asked = prune(DEFN, answers, MEMBER)
    return classify(
        rule=rule,
        definition=DEFN,
        answers=kept,
        not_asked=not_asked,
        completed_at=NOW if completed else None,
    )


def answers_to(codes: str, role: int = 1) -> dict:
    return {"role": role, **{code: "some words" for code in codes.split()}}


def test_the_items_the_routing_showed_leave_out_a_page_it_skipped():
    _, not_asked = prune(DEFN, {"role": 2}, MEMBER)
    assert shown_codes(DEFN, not_asked) == ["role", "a1", "a2", "a3", "e1", "e2"]
    _, not_asked = prune(DEFN, {"role": 1}, MEMBER)
    assert len(shown_codes(DEFN, not_asked)) == 10


def test_items_on_pages_not_reached_yet_count_as_shown_and_unanswered():
    kept, not_asked = prune(DEFN, answers_to("a1 a2 a3"), MEMBER)
    assert answered_share(DEFN, kept, not_asked) == pytest.approx(4 / 10)
    kept, not_asked = prune(DEFN, answers_to("a1 a2 a3", role=2), MEMBER)
    assert answered_share(DEFN, kept, not_asked) == pytest.approx(4 / 6)


def test_an_empty_answer_is_not_an_answer():
    kept, not_asked = prune(DEFN, {"role": 1, "a1": "", "a2": []}, MEMBER)
    assert answered_share(DEFN, {**kept, "a1": "", "a2": []}, not_asked) == pytest.approx(1 / 10)


# rule "end": complete once the end is reached, whatever was skipped on the way.
END = CompletenessRule(kind="end", break_off_below=0.5)


@pytest.mark.parametrize(
    ("answers", "completed", "expected"),
    [
        (answers_to(""), True, "complete"),  # reached the end answering only the first
        (answers_to("a1 a2 a3 d1 d2 d3 d4 e1 e2"), False, "partial"),  # all but the end
        (answers_to("a1 a2 a3 d1"), False, "partial"),  # 5 of 10: at the threshold
        (answers_to("a1 a2 a3"), False, "break_off"),  # 4 of 10: under it
        ({}, False, "break_off"),
    ],
)
def test_the_end_rule(answers, completed, expected):
    assert outcome(END, answers, completed=completed) == expected


# rule "items": complete once every named item the routing showed is answered.
ITEMS = CompletenessRule(kind="items", items=("role", "d2", "e1"), break_off_below=0.3)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (answers_to("d2 e1"), "complete"),
        (answers_to("e1", role=2), "complete"),  # d2 was routed past: it cannot hold them
        (answers_to("a1 a2 a3 d1 d3 d4 e1 e2"), "partial"),  # 9 of 10, but d2 missing
        (answers_to("a1 a2"), "partial"),  # 3 of 10: at the threshold
        (answers_to("a1"), "break_off"),  # 2 of 10
    ],
)
def test_the_named_items_rule(answers, expected):
    assert outcome(ITEMS, answers, completed=True) == expected


def test_the_named_items_rule_needs_the_items_whether_or_not_the_end_was_reached():
    assert outcome(ITEMS, answers_to("d2 e1"), completed=False) == "complete"
    assert outcome(ITEMS, answers_to("a1 a2 a3 d1"), completed=True) == "partial"


# rule "share": complete once 80% of the shown items are answered; under 50%, a break-off.
SHARE = CompletenessRule(kind="share", share=0.8, break_off_below=0.5)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (answers_to("a1 a2 a3 d1 d2 d3 d4"), "complete"),  # 8 of 10
        (answers_to("a1 a2 a3 d1 d2 d3"), "partial"),  # 7 of 10
        (answers_to("a1 a2 a3 d1"), "partial"),  # 5 of 10
        (answers_to("a1 a2 a3"), "break_off"),  # 4 of 10
        (answers_to("a1 a2 a3 e1", role=2), "complete"),  # 5 of the 6 shown
        (answers_to("a1 a2", role=2), "partial"),  # 3 of the 6 shown: not under half
        (answers_to("a1", role=2), "break_off"),  # 2 of the 6 shown
    ],
)
def test_the_share_rule(answers, expected):
    assert outcome(SHARE, answers) == expected


def test_reaching_the_end_does_not_make_a_share_complete():
    assert outcome(SHARE, answers_to("a1"), completed=True) == "break_off"


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [(0.0, "partial"), (0.2, "partial"), (0.21, "break_off"), (1.0, "break_off")],
)
def test_the_break_off_threshold_is_a_share_of_the_shown_items(threshold, expected):
    rule = CompletenessRule(kind="end", break_off_below=threshold)
    assert outcome(rule, answers_to("a1")) == expected  # 2 of 10 = 0.2


def test_a_rule_out_of_bounds_is_refused():
    with pytest.raises(ValueError, match="Unknown completeness rule"):
        CompletenessRule(kind="most")
    with pytest.raises(ValueError, match="between 0 and 1"):
        CompletenessRule(kind="share", share=80)


def test_the_rule_is_read_from_a_rounds_fields():
    round_ = SimpleNamespace(
        completeness_rule="items",
        completeness_items=["role", "e1"],
        completeness_share=1.0,
        break_off_below=0.25,
    )
    assert CompletenessRule.of(round_) == CompletenessRule(
        kind="items", items=("role", "e1"), share=1.0, break_off_below=0.25
    )
