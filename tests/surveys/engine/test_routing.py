import pytest

from surveys.engine.routing import (
    item_status,
    next_page,
    path,
    previous_page,
    prune,
    visible_items,
)

from .builders import MEMBER, build, multi, page, sample, single, text

CONSENT = {
    "code": "consent",
    "type": "consent",
    "text": "Agree?",
    "option": {"code": 1, "text": "I agree"},
}


def three_pages(**second_page_extra) -> object:
    """Return start (q1 single, q2 multi) -> middle -> last, with extras on the middle page."""
    return build(
        page("start", single("q1"), multi("q2", codes=(1, 2, 3, 4)), text("q3")),
        page("middle", text("m"), **second_page_extra),
        page("last", text("z")),
    )


PAGE_SHOW_IF_CASES = [
    ("q1 == 1", {"q1": 1}, {}, True),
    ("q1 == 1", {"q1": 2}, {}, False),
    ("q1 == 1", {}, {}, False),
    ("q1 != 1", {}, {}, False),
    ("q1 in [1, 3]", {"q1": 3}, {}, True),
    ("q1 not in [1, 3]", {"q1": 2}, {}, True),
    ("2 in q2", {"q2": [1, 2]}, {}, True),
    ("2 in q2", {"q2": [1]}, {}, False),
    ("2 not in q2", {"q2": [1]}, {}, True),
    ("2 not in q2", {}, {}, False),
    ("count(q2) >= 2", {"q2": [1, 4]}, {}, True),
    ("count(q2) >= 2", {"q2": [4]}, {}, False),
    ("count(q2) == 0", {}, {}, True),
    ("answered(q3)", {"q3": "hello"}, {}, True),
    ("answered(q3)", {}, {}, False),
    ("not answered(q3)", {}, {}, True),
    ("q1 == 1 and 2 in q2", {"q1": 1, "q2": [2]}, {}, True),
    ("q1 == 1 and 2 in q2", {"q1": 1, "q2": [3]}, {}, False),
    ("q1 == 1 or 2 in q2", {"q1": 2, "q2": [2]}, {}, True),
    ("not (q1 == 1 or q1 == 2)", {"q1": 3}, {}, True),
    ("(q1 == 1 or q1 == 2) and answered(q3)", {"q1": 2}, {}, False),
    ("member.site == 'Barnsley'", {}, {"site": "Barnsley"}, True),
    ("member.site == 'Barnsley'", {}, {"site": "Cornwall"}, False),
    ("member.cohort_year < 2015", {}, {"cohort_year": 2013}, True),
    ("member.cohort_year < 2015", {}, {"cohort_year": "2013"}, True),
    ("member.cohort_year < 2015", {}, {}, False),
]


@pytest.mark.parametrize(("condition", "answers", "member", "shown"), PAGE_SHOW_IF_CASES)
def test_it_shows_a_page_only_when_its_condition_holds(condition, answers, member, shown):
    defn = three_pages(show_if=condition)
    expected = ["start", "middle", "last"] if shown else ["start", "last"]
    assert path(defn, answers, member) == expected


SKIP_CASES = [
    ([{"if": "q1 == 1", "to": "last"}], {"q1": 1}, ["start", "last"]),
    ([{"if": "q1 == 1", "to": "last"}], {"q1": 2}, ["start", "middle", "last"]),
    ([{"if": "q1 == 1", "to": "end"}], {"q1": 1}, ["start"]),
    ([{"if": "q1 == 1", "to": "end"}], {}, ["start", "middle", "last"]),
    ([{"if": "answered(q3)", "to": "end"}, {"if": "true", "to": "last"}], {"q3": "x"}, ["start"]),
    ([{"if": "answered(q3)", "to": "end"}, {"if": "true", "to": "last"}], {}, ["start", "last"]),
    ([{"if": "count(q2) > 1", "to": "last"}], {"q2": [1, 2]}, ["start", "last"]),
    ([{"if": "member.site == 'Barnsley'", "to": "end"}], {}, ["start"]),
]


@pytest.mark.parametrize(("skips", "answers", "expected"), SKIP_CASES)
def test_it_follows_the_first_skip_rule_that_holds(skips, answers, expected):
    defn = build(
        page("start", single("q1"), multi("q2"), text("q3"), skip=skips),
        page("middle", text("m")),
        page("last", text("z")),
    )
    assert path(defn, answers, MEMBER) == expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, ["intro"]),
        ({"consent": 2}, ["intro"]),
        ({"consent": 1}, ["intro", "about", "end_page"]),
    ],
)
def test_it_ends_the_path_when_consent_is_not_given(answers, expected):
    defn = build(page("intro", CONSENT), page("about", text("a")), page("end_page", text("b")))
    assert path(defn, answers, MEMBER) == expected


def test_it_does_not_gate_on_a_consent_item_that_is_not_shown():
    hidden_consent = {**CONSENT, "show_if": "member.site == 'Elsewhere'"}
    defn = build(page("intro", hidden_consent), page("about", text("a")))
    assert path(defn, {}, MEMBER) == ["intro", "about"]


def test_it_ignores_a_stale_answer_to_an_item_no_longer_shown_when_routing():
    defn = build(
        page("start", single("q1")),
        page("follow_up", single("q2", show_if="q1 == 1"), skip=[{"if": "q2 == 1", "to": "end"}]),
        page("last", text("z")),
    )
    assert path(defn, {"q1": 1, "q2": 1}, MEMBER) == ["start", "follow_up"]
    assert path(defn, {"q1": 2, "q2": 1}, MEMBER) == ["start", "follow_up", "last"]


def test_it_shows_items_and_options_only_when_their_conditions_hold():
    defn = sample()
    answers = {"consent": 1, "org.type": 3}
    shown = {i.code: i for i in visible_items(defn, "about_you", answers, MEMBER)}
    assert "Commissioner" not in [o.text for o in shown["job_title"].options]
    shown = {
        i.code: i for i in visible_items(defn, "about_you", {**answers, "org.type": 1}, MEMBER)
    }
    assert "Commissioner" in [o.text for o in shown["job_title"].options]
    listed = {"consent": 1, "achievements": ["Joint plan"]}
    assert "achievement.why" in [i.code for i in visible_items(defn, "detail", listed, MEMBER)]
    shown = visible_items(defn, "detail", {"consent": 1}, MEMBER)
    assert "achievement.why" not in [i.code for i in shown]


@pytest.mark.parametrize(
    ("answers", "current", "following", "before"),
    [
        ({"consent": 1, "job_title": [1]}, "about_you", "pioneer", "intro"),
        ({"consent": 1, "job_title": [2]}, "about_you", "detail", "intro"),
        ({"consent": 1, "job_title": [2]}, "detail", "comments", "about_you"),
        ({"consent": 1, "org.type": 14}, "about_you", "comments", "intro"),
        ({"consent": 1, "org.type": 14}, "comments", None, "about_you"),
        ({"consent": 1, "staff_count": 2000}, "detail", None, "about_you"),
        ({}, "intro", None, None),
    ],
)
def test_it_moves_forward_and_back_along_the_path(answers, current, following, before):
    defn = sample()
    member = {**MEMBER, "cohort_year": 2015}
    assert next_page(defn, current, answers, member) == following
    assert previous_page(defn, current, answers, member) == before


def test_it_moves_on_from_a_page_that_left_the_path_to_the_next_one_on_it():
    defn = sample()
    member = {**MEMBER, "cohort_year": 2015}
    answers = {"consent": 1, "job_title": [2]}
    assert next_page(defn, "pioneer", answers, member) == "detail"
    assert previous_page(defn, "pioneer", answers, member) == "about_you"


def test_it_prunes_answers_of_items_and_pages_that_are_no_longer_shown():
    defn = sample()
    member = {**MEMBER, "cohort_year": 2015}
    answers = {
        "consent": 1,
        "org.type": 3,
        "job_title": [2],
        "pioneer.meaning": "stale",
        "barrier.other": 1,
        "barrier.other.label": "Housing",
        "achievement.why": "stale",
        "comments": "kept",
    }
    kept, not_asked = prune(defn, answers, member)
    assert kept == {"consent": 1, "org.type": 3, "job_title": [2], "comments": "kept"}
    assert {"pioneer.meaning", "barrier.other", "achievement.why"} <= not_asked
    assert "comments" not in not_asked


@pytest.mark.parametrize(
    ("answers", "dropped"),
    [
        ({"org.type": 3, "org.type.other.12": "Acme"}, {"org.type.other.12"}),
        ({"org.type": 12, "org.type.other.12": "Acme"}, set()),
        ({"org.type": 3, "job_title": [4]}, {"job_title"}),
        ({"org.type": 1, "job_title": [4]}, set()),
        ({"org.type": 3, "job_title": [1, 4]}, set()),
        ({"org.type": 99}, {"org.type"}),
        ({"org.type": True}, {"org.type"}),
        ({"org.type": 3, "job_title": [2], "job_title.other.10": "x"}, {"job_title.other.10"}),
        ({"org.type": 3, "mystery": 1}, {"mystery"}),
    ],
)
def test_it_prunes_other_texts_and_options_that_do_not_stand(answers, dropped):
    kept, _ = prune(sample(), {"consent": 1, **answers}, MEMBER)
    assert set(answers) - set(kept) == dropped
    if answers.get("job_title") == [1, 4]:
        assert kept["job_title"] == [1]


def test_it_drops_everything_after_a_refused_consent():
    kept, not_asked = prune(sample(), {"consent": 2, "org.type": 1, "comments": "x"}, MEMBER)
    assert kept == {}
    assert "org.type" in not_asked and "comments" in not_asked


def test_it_tells_answered_from_skipped_from_not_asked():
    defn = sample()
    answers = {"consent": 1, "org.type": 3, "job_title": [2], "comments": "Thanks"}
    status = item_status(defn, answers, MEMBER, reached="detail")
    assert status["org.type"] == "answered"
    assert status["years_in_area"] == "skipped"
    assert status["barrier.financial_constraints"] == "skipped"  # pioneer page: cohort 2013
    assert status["achievement.why"] == "not_asked"
    assert status["staff_count"] == "skipped"
    assert status["comments"] == "not_asked"  # beyond the page reached
    assert "barrier" not in status
    assert item_status(defn, answers, MEMBER)["comments"] == "answered"


def test_an_option_shown_by_an_earlier_answer_comes_and_goes_with_that_answer():
    # The item cut down to its shown options is kept per set of options, so it must be
    # looked up again for each answer set, never reused for another.
    gated = single("q2", (1, 2, 3))
    gated["options"][2]["show_if"] = "q1 == 1"
    defn = build(page("p1", single("q1")), page("p2", gated))
    codes = {}
    for q1 in (2, 1, 2, 1):
        (item,) = visible_items(defn, "p2", {"q1": q1}, MEMBER)
        codes.setdefault(q1, []).append([o.code for o in item.options])
    assert codes == {2: [[1, 2], [1, 2]], 1: [[1, 2, 3], [1, 2, 3]]}
    assert [o.code for o in defn.item("q2").options] == [1, 2, 3]
    assert prune(defn, {"q1": 2, "q2": 3}, MEMBER)[0] == {"q1": 2}
    assert prune(defn, {"q1": 1, "q2": 3}, MEMBER)[0] == {"q1": 1, "q2": 3}
