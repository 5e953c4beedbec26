import pytest

from surveys.engine.checks import Review, publish_problems, publish_review

from .builders import document, multi, page, sample_data, single, text

CONSENT = {
    "code": "consent",
    "type": "consent",
    "text": "Agree?",
    "option": {"code": 1, "text": "Yes"},
}


def test_it_finds_nothing_wrong_with_a_sound_questionnaire():
    assert publish_problems(sample_data()) == []


def only_problem(data: dict) -> str:
    problems = publish_problems(data)
    assert len(problems) == 1, problems
    return problems[0]


CASES = [
    (
        "schema error",
        document(page("p", {"code": "q", "type": "text"})),
        "$.pages[0].items[0]: 'text' is a required property",
    ),
    (
        "duplicate item code",
        document(page("p", text("q")), page("r", text("q"))),
        "$.pages[1].items[0].code: the item code 'q' is already used at $.pages[0].items[0]",
    ),
    (
        "duplicate page id",
        document(page("p", text("a")), page("p", text("b"))),
        "$.pages[1].id: the page id 'p' is already used at $.pages[0]",
    ),
    (
        "duplicate option code",
        document(page("p", single("q", codes=(1, 2, 2)))),
        "$.pages[0].items[0].options: item q: the options code 2 is used more than once",
    ),
    (
        "syntax error",
        document(page("p", single("a"), text("b", show_if="a == 1 and"))),
        "$.pages[0].items[1].show_if: item b show_if: the expression ends early, "
        "expected '(', '[', 'false', 'not', 'true', a number, a string or an item code "
        "(at column 11)",
    ),
    (
        "unknown item",
        document(page("p", single("a"), text("b", show_if="aa == 1"))),
        "$.pages[0].items[1].show_if: item b show_if refers to aa, "
        "which is not an item in this questionnaire",
    ),
    (
        "item later on the page",
        document(page("p", text("b", show_if="a == 1"), single("a"))),
        "$.pages[0].items[0].show_if: item b show_if refers to a, "
        "which is not earlier in the questionnaire",
    ),
    (
        "page condition on its own page",
        document(page("p", single("a")), page("r", single("b"), show_if="b == 1")),
        "$.pages[1].show_if: page r show_if refers to b, which is not earlier in the questionnaire",
    ),
    (
        "option condition on itself",
        document(
            page("p", {**single("a"), "options": [{"code": 1, "text": "x", "show_if": "a == 1"}]})
        ),
        "$.pages[0].items[0].options[0].show_if: item a option 1 show_if refers to a, "
        "which is not earlier in the questionnaire",
    ),
    (
        "reference to a grid",
        document(
            page(
                "p",
                {
                    "code": "g",
                    "type": "grid",
                    "text": "Rate",
                    "scale": [{"code": 1, "text": "Good"}],
                    "rows": [{"code": "g.a", "text": "A"}],
                },
                text("b", show_if="answered(g)"),
            )
        ),
        "$.pages[0].items[1].show_if: item b show_if refers to g, "
        "which is a grid with no answer of its own",
    ),
    (
        "code never offered",
        document(page("p", single("a", codes=(1, 2)), text("b", show_if="a in [2, 3]"))),
        "$.pages[0].items[1].show_if: item b show_if compares a with 3, "
        "which is not one of its codes",
    ),
    (
        "unknown member attribute",
        document(page("p", text("b", show_if="member.region == 'x'"))),
        "$.pages[0].items[0].show_if: item b show_if uses member.region, "
        "which is neither built in nor declared in member_attributes",
    ),
    (
        "unknown skip target",
        document(
            page("p", text("a"), skip=[{"if": "answered(a)", "to": "nowhere"}]),
            page("r", text("b")),
        ),
        "$.pages[0].skip[0].to: page p skips to 'nowhere', which is not a page",
    ),
    (
        "backward skip",
        document(
            page("p", text("a")), page("r", text("b"), skip=[{"if": "answered(b)", "to": "p"}])
        ),
        "$.pages[1].skip[0].to: page r skips back to p: "
        "only forward skips are allowed (a backward skip would loop)",
    ),
    (
        "skip to itself",
        document(page("p", text("a"), skip=[{"if": "answered(a)", "to": "p"}])),
        "$.pages[0].skip[0].to: page p skips back to p",
    ),
    (
        "unreachable page after an unconditional skip",
        document(
            page("p", text("a"), skip=[{"if": "true", "to": "s"}]),
            page("r", text("b")),
            page("s", text("c")),
        ),
        "$.pages[1]: page r can never be shown",
    ),
    (
        "unreachable page with a contradiction",
        document(page("p", single("a")), page("r", text("b"), show_if="a == 1 and a == 2")),
        "$.pages[1]: page r can never be shown",
    ),
    (
        "item never shown",
        document(page("p", single("a"), text("b", show_if="a == 1 and not answered(a)"))),
        "$.pages[0].items[1]: item b can never be shown",
    ),
    (
        "required item whose options can all be hidden",
        document(
            page("p", single("a")),
            page(
                "r",
                {
                    **single("b", required=True),
                    "options": [
                        {"code": 1, "text": "x", "show_if": "a == 1"},
                        {"code": 2, "text": "y", "show_if": "a == 2"},
                    ],
                },
            ),
        ),
        "$.pages[1]: the path cannot reach the end: b is required but can have no option to choose "
        "(for example when a = 3)",
    ),
    (
        "piped item that does not exist",
        document(page("p", text("a", text="About {org.typ}?"))),
        "$.pages[0].items[0].text: item a text pipes {org.typ}, "
        "which is not an item in this questionnaire",
    ),
    (
        "piped item that comes later",
        document(page("p", text("a", text="About {b}?")), page("r", text("b"))),
        "$.pages[0].items[0].text: item a text pipes {b}, "
        "which is not earlier in the questionnaire",
    ),
    (
        "piped into a page title from the same page",
        document(page("p", text("a"), title="About {a}")),
        "$.pages[0].title: page p title pipes {a}, which is not earlier in the questionnaire",
    ),
    (
        "piped undeclared member attribute",
        document(page("p", text("a", help="In {member.region}"))),
        "$.pages[0].items[0].help: item a help pipes {member.region}, "
        "which is neither built in nor declared in member_attributes",
    ),
    (
        "min above max",
        document(page("p", {"code": "n", "type": "number", "text": "N", "min": 5, "max": 1})),
        "$.pages[0].items[0]: item n: min (5) is greater than max (1)",
    ),
    (
        "min above the options offered",
        document(page("p", multi("m", codes=(1, 2), min=3))),
        "$.pages[0].items[0]: item m: min (3) is more than the 2 options offered",
    ),
    (
        "required and required_if",
        document(page("p", single("a"), text("b", required=True, required_if="a == 1"))),
        "$.pages[0].items[1]: item b: give either required or required_if, not both",
    ),
    (
        "exclusive option on a single choice",
        document(
            page("p", {**single("a"), "options": [{"code": 1, "text": "x", "exclusive": True}]})
        ),
        "$.pages[0].items[0]: item a: exclusive options only make sense on multi items",
    ),
    (
        "hidden item with a source nothing fills",
        document(page("p", text("t"), {"code": "where", "type": "hidden", "source": "gps"})),
        "$.pages[0].items[1].source: 'gps' is not a source the respondent pages fill"
        " (only 'browser')",
    ),
]


@pytest.mark.parametrize(("case", "data", "expected"), CASES, ids=[c[0] for c in CASES])
def test_it_reports_each_publishing_problem_with_where_it_is(case, data, expected):
    assert only_problem(data).startswith(expected)


def test_it_accepts_built_in_and_declared_member_attributes():
    data = document(
        page(
            "p",
            text(
                "a", show_if="member.region == 'x' and member.site != 'y'", text="{member.cohort}"
            ),
        ),
        member_attributes=["region"],
    )
    assert publish_problems(data) == []


def test_it_accepts_a_consent_gate_and_an_end_skip():
    data = document(
        page("intro", CONSENT),
        page("p", single("a"), skip=[{"if": "a == 1", "to": "end"}]),
        page("r", text("b")),
    )
    assert publish_problems(data) == []


def test_it_reports_every_problem_at_once():
    data = document(
        page(
            "p",
            single("a", codes=(1, 1)),
            text("b", show_if="zz == 1"),
            {"code": "c", "type": "text"},
        ),
        page("r", text("d", text="{nope}"), skip=[{"if": "a ==", "to": "p"}]),
        page("r", text("a")),
    )
    problems = "\n".join(publish_problems(data))
    for fragment in [
        "'text' is a required property",
        "the options code 1 is used more than once",
        "the page id 'r' is already used",
        "the item code 'a' is already used",
        "the expression ends early",
        "refers to zz",
        "pipes {nope}",
        "skips back to p",
    ]:
        assert fragment in problems


def test_it_survives_a_document_that_is_not_even_a_mapping():
    assert publish_problems(["not", "a", "questionnaire"]) == [
        "$: ['not', 'a', 'questionnaire'] is not of type 'object'"
    ]


def test_it_refuses_a_code_that_clashes_with_where_other_text_is_stored():
    jobs = {**single("job"), "options": [{"code": 10, "text": "Other", "other": True}]}
    data = document(page("p", jobs, text("job.other.10")))
    assert only_problem(data) == (
        "$.pages[0].items[1].code: the code job.other.10 is where item job stores typed-in text"
    )


def test_a_hidden_item_filled_by_the_browser_publishes():
    hidden = {"code": "meta.browser", "type": "hidden", "source": "browser"}
    assert publish_problems(document(page("p", text("t"), hidden))) == []
    assert publish_problems(document(page("p", text("t"), {**hidden, "code": "meta.b2"}))) == []


def tangled_document(pages: int) -> dict:
    """Return a version with 2**pages real paths whose last question always has an option.

    Only following each path shows that option 1 of z is always offered.
    """
    asked = [
        page(
            f"p{n}",
            single(f"c{n}", codes=(1, 2), required=True),
            single(f"d{n}", codes=(1, 2), required=True, show_if=f"c{n} == 1"),
        )
        for n in range(pages)
    ]
    offered = " and ".join(f"(c{n} == 2 or answered(d{n}))" for n in range(pages))
    options = [{"code": 1, "text": "x", "show_if": offered}]
    last = page("last", {**single("z", required=True), "options": options}, text("w"))
    return document(*asked, last)


def test_publishing_says_when_the_routing_could_not_be_explored_and_what_that_means():
    review = publish_review(tangled_document(16))
    assert review.problems == []
    assert len(review.warnings) == 2
    assert "exploration was cut short" in review.warnings[0]
    assert '"unknown"' in review.warnings[0]
    assert review.warnings[1].startswith(
        "a possible dead end: z is required but may have no option to choose"
    )


def test_the_same_routing_explored_in_full_has_nothing_to_warn_about():
    assert publish_review(tangled_document(3)) == Review(problems=[], warnings=[])


def test_an_item_never_shown_is_reported_even_when_the_exploration_is_cut_short():
    data = tangled_document(16)
    data["pages"][-1]["items"].append(text("nobody", show_if="c0 == 1 and c0 == 2"))
    review = publish_review(data)
    assert review.warnings
    assert review.problems == ["$.pages[16].items[2]: item nobody can never be shown"]
