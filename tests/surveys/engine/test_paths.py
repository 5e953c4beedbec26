import copy

import pytest

from surveys.engine.definition import load_definition
from surveys.engine.paths import BUDGET, explore, reachable_items, trend_items_lost
from surveys.engine.simulate import synthetic_definition

from .builders import build, multi, page, sample, sample_data, single, text


def test_it_tells_always_sometimes_and_never_shown_items_apart():
    defn = build(
        page("p", single("a"), multi("m", codes=(1, 2, 3, 4))),
        page(
            "r",
            text("always"),
            text("when_a_is_1", show_if="a == 1"),
            text("when_many", show_if="count(m) >= 3"),
            text("when_both", show_if="2 in m and a == 3"),
            text("never", show_if="a == 1 and a == 2"),
        ),
    )
    assert reachable_items(defn) == {
        "a": "always",
        "m": "always",
        "always": "always",
        "when_a_is_1": "sometimes",
        "when_many": "sometimes",
        "when_both": "sometimes",
        "never": "never",
    }


@pytest.mark.parametrize(
    ("condition", "reach"),
    [
        ("member.site == 'Barnsley'", "sometimes"),
        ("member.cohort_year >= 2015", "sometimes"),
        ("member.cohort_year >= 2015 or member.cohort_year < 2015", "always"),
        ("member.site == 'A' and member.site == 'B'", "never"),
        ("n > 100", "sometimes"),
        ("n > 1000", "never"),
        ("n >= 0 or not answered(n)", "always"),
        ("answered(t)", "sometimes"),
        ("t == 'yes'", "sometimes"),
        ("true", "always"),
        ("false", "never"),
    ],
)
def test_it_explores_the_values_conditions_actually_compare(condition, reach):
    number = {"code": "n", "type": "number", "text": "N", "min": 0, "max": 1000}
    defn = build(page("p", number, text("t")), page("r", text("x", show_if=condition)))
    assert reachable_items(defn)["x"] == reach


def test_it_counts_items_bypassed_by_a_skip_or_an_end_as_sometimes():
    defn = build(
        page("p", single("a"), skip=[{"if": "a == 1", "to": "s"}, {"if": "a == 2", "to": "end"}]),
        page("r", text("b")),
        page("s", text("c")),
    )
    assert reachable_items(defn) == {"a": "always", "b": "sometimes", "c": "sometimes"}


def test_it_does_not_count_a_refused_consent_against_always():
    consent = {
        "code": "ok",
        "type": "consent",
        "text": "Agree?",
        "option": {"code": 1, "text": "Yes"},
    }
    defn = build(page("intro", consent), page("p", text("b")))
    assert reachable_items(defn)["b"] == "always"


def test_it_finds_a_dead_end_where_a_required_item_has_no_option_to_choose():
    options = [
        {"code": 1, "text": "x", "show_if": "a == 1"},
        {"code": 2, "text": "y", "show_if": "a == 2"},
    ]
    defn = build(
        page("p", single("a")), page("r", {**single("b", required=True), "options": options})
    )
    assert explore(defn).dead_ends == {"b": "a = 3"}


def test_it_stays_complete_and_quick_on_a_300_item_version():
    defn = load_definition(synthetic_definition(300))
    found = explore(defn)
    assert found.complete
    reach = reachable_items(defn)
    assert len(reach) == len(defn.items)
    assert reach["consent"] == "always"
    assert "never" not in reach.values()


def gated_page(questions: int) -> dict:
    """Return a version whose first page asks yes/no questions, each gating a later page."""
    asked = [single(f"q{n}", codes=(1, 2)) for n in range(questions)]
    gated = [page(f"g{n}", text(f"f{n}"), show_if=f"q{n} == 1") for n in range(questions)]
    return build(page("p", *asked), *gated)


def tangled(pages: int, *extra: dict) -> dict:
    """Return a version whose answers stay correlated to the end: 2**pages real paths."""
    asked = [
        page(
            f"p{n}",
            single(f"c{n}", codes=(1, 2), required=True),
            single(f"d{n}", codes=(1, 2), show_if=f"c{n} == 1"),
        )
        for n in range(pages)
    ]
    never = " or ".join(f"(c{n} == 2 and d{n} == 1)" for n in range(pages))
    last = page("last", text("z", show_if=never), text("w"), *extra)
    return build(*asked, last)


@pytest.mark.parametrize("questions", [12, 20])
def test_a_page_of_questions_each_gating_a_later_page_is_explored_completely_and_cheaply(
    questions,
):
    found = explore(gated_page(questions))
    assert found.complete
    assert found.steps < 200 * questions  # 3**questions states before
    reach = reachable_items(gated_page(questions))
    assert {reach[f"q{n}"] for n in range(questions)} == {"always"}
    assert {reach[f"f{n}"] for n in range(questions)} == {"sometimes"}


def test_when_the_work_runs_out_it_says_so_and_claims_only_what_it_proved():
    follow_up = text("y", show_if="c0 == 1")
    defn = tangled(16, follow_up)
    found = explore(defn)
    assert found.complete is False
    assert found.steps < 2 * BUDGET
    assert found.reach("w") == "always"  # shown on every path, proven even so
    assert found.reach("y") in ("sometimes", "unknown")  # conditional: never "always"
    assert found.reach("z") == "unknown"  # never shown in truth, but not proven
    assert found.reach("d3") == "sometimes"  # decided before the cut


def test_the_same_version_explored_in_full_says_never_where_the_cut_one_said_unknown():
    found = explore(tangled(5))
    assert found.complete
    assert (found.reach("z"), found.reach("w")) == ("never", "always")


@pytest.mark.parametrize("budget", [0, 40, 400, 1_500])
@pytest.mark.parametrize("version", ["synthetic", "tangled"])
def test_a_cut_short_exploration_never_contradicts_the_full_one(version, budget):
    if version == "synthetic":
        defn = load_definition(synthetic_definition(120))
    else:
        defn = tangled(6, text("y", show_if="c0 == 1 and d2 == 2"))
    full, cut = explore(defn), explore(defn, budget=budget)
    assert full.complete and not cut.complete
    for code in defn.items:
        assert cut.reach(code) in (full.reach(code), "unknown"), code


def test_a_bound_on_the_number_of_cubes_also_cuts_the_exploration_short_honestly():
    found = explore(tangled(8), max_states=4)
    assert found.complete is False
    assert found.reach("w") == "always" and found.reach("z") in ("never", "unknown")


def test_it_lists_items_a_new_version_can_no_longer_reach():
    old = sample()
    data = copy.deepcopy(sample_data())
    data["pages"][3]["items"][2]["show_if"] = (
        "answered(achievements) and not answered(achievements)"
    )
    data["pages"][3]["items"].pop(3)  # covid.helped removed: that is "ended", not "lost"
    assert trend_items_lost(old, load_definition(data)) == ["achievement.why"]
    assert trend_items_lost(old, old) == []
