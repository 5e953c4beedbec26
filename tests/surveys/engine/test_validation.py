import pytest

from surveys.engine.validation import validate_page

from .builders import MEMBER, build, multi, page, sample, single, text

OTHER_SINGLE = {
    "code": "org",
    "type": "single",
    "text": "Organisation?",
    "options": [
        {"code": 1, "text": "CCG"},
        {"code": 14, "text": "Other (please type in)", "other": True},
    ],
}
JOBS = {
    "code": "job",
    "type": "multi",
    "text": "Job?",
    "max": 3,
    "options": [
        *({"code": c, "text": f"Job {c}"} for c in (1, 2, 3, 4)),
        {"code": 10, "text": "Other (please type in)", "other": True},
        {"code": 99, "text": "None of these", "exclusive": True},
    ],
}
GRID = {
    "code": "inv",
    "type": "grid",
    "text": "How involved?",
    "scale": [{"code": 1, "text": "Very"}, {"code": 2, "text": "Somewhat"}],
    "rows": [
        {"code": "inv.ccg", "text": "CCG"},
        {"code": "inv.other", "text": "Other (please type in)", "other": True},
    ],
}
SLOTS = [{"code": n, "text": t} for n, t in ((1, "Most"), (2, "Second"), (3, "Third"))]


def item(kind: str, **extra) -> dict:
    return {"code": "q", "type": kind, "text": "Question", **extra}


def submit(item_dict: dict, data: dict, answers: dict | None = None):
    defn = build(page("p", item_dict))
    return validate_page(defn, "p", data, answers or {}, MEMBER)


CASES = [
    # consent
    (item("consent", option={"code": 1, "text": "I agree"}), {"q": ["1"]}, {"q": 1}, {}),
    (item("consent", option={"code": 1, "text": "I agree"}, required=False), {}, {}, {}),
    (
        item("consent", option={"code": 1, "text": "I agree"}),
        {},
        {},
        {"q": "Please tick this box to continue."},
    ),
    (
        item("consent", option={"code": 1, "text": "I agree"}, required=True),
        {},
        {},
        {"q": "Please tick this box to continue."},
    ),
    (
        item("consent", option={"code": 1, "text": "I agree"}),
        {"q": ["2"]},
        {},
        {"q": "Please choose one of the options shown."},
    ),
    # info
    (item("info"), {"q": ["anything"]}, {}, {}),
    # single with other
    (OTHER_SINGLE, {"org": ["1"]}, {"org": 1}, {}),
    (OTHER_SINGLE, {"org": ["1"], "org.other.14": ["ignored"]}, {"org": 1}, {}),
    (
        OTHER_SINGLE,
        {"org": ["14"], "org.other.14": ["  Housing association "]},
        {"org": 14, "org.other.14": "Housing association"},
        {},
    ),
    (
        OTHER_SINGLE,
        {"org": ["14"]},
        {"org": 14},
        {"org.other.14": "Please type in your answer for “Other (please type in)”."},
    ),
    (OTHER_SINGLE, {"org": ["7"]}, {}, {"org": "Please choose one of the options shown."}),
    (OTHER_SINGLE, {"org": ["one"]}, {}, {"org": "Please choose one of the options shown."}),
    ({**OTHER_SINGLE, "required": True}, {"org": [""]}, {}, {"org": "Please choose an answer."}),
    # multi
    (JOBS, {"job": ["3", "1"]}, {"job": [1, 3]}, {}),
    (JOBS, {"job": ["1", "1"]}, {"job": [1]}, {}),
    # a choice breaking the question's rules is not stored (Back and Later keep only what is valid)
    (JOBS, {"job": ["1", "2", "3", "4"]}, {}, {"job": "Select no more than 3."}),
    ({**JOBS, "min": 2}, {"job": ["1"]}, {}, {"job": "Select at least 2."}),
    (
        JOBS,
        {"job": ["1", "99"]},
        {},
        {"job": "“None of these” cannot be combined with other answers."},
    ),
    (JOBS, {"job": ["99"]}, {"job": [99]}, {}),
    (
        JOBS,
        {"job": ["10"]},
        {"job": [10]},
        {"job.other.10": "Please type in your answer for “Other (please type in)”."},
    ),
    (JOBS, {"job": ["10"], "job.other.10": ["Nurse"]}, {"job": [10], "job.other.10": "Nurse"}, {}),
    (JOBS, {"job": ["1", "5"]}, {}, {"job": "Please choose one of the options shown."}),
    ({**JOBS, "required": True}, {}, {}, {"job": "Please choose at least one answer."}),
    # grid with an other row
    (GRID, {"inv.ccg": ["1"]}, {"inv.ccg": 1}, {}),
    (
        {**GRID, "required": True},
        {"inv.other": ["2"], "inv.other.label": ["Housing"]},
        {"inv.other": 2, "inv.other.label": "Housing"},
        {"inv.ccg": "Please choose an answer for this row."},
    ),
    (GRID, {"inv.other": ["2"]}, {}, {"inv.other.label": "Please type in what this row is about."}),
    (
        GRID,
        {"inv.other.label": ["Housing"]},
        {},
        {"inv.other": "Please choose an answer for “Housing”."},
    ),
    (GRID, {"inv.ccg": ["3"]}, {}, {"inv.ccg": "Please choose one of the options shown."}),
    # text and longtext
    (item("text"), {"q": ["  Hello  "]}, {"q": "Hello"}, {}),
    (item("text"), {"q": ["   "]}, {}, {}),
    (item("longtext"), {"q": ["Line one\r\nLine two"]}, {"q": "Line one\nLine two"}, {}),
    (
        item("text", max_length=5),
        {"q": ["Too long"]},
        {},
        {"q": "Please shorten this to 5 characters or fewer (it has 8)."},
    ),
    (item("text", required=True), {}, {}, {"q": "Please answer this question."}),
    # number
    (item("number"), {"q": ["12"]}, {"q": 12}, {}),
    (item("number"), {"q": ["2.5"]}, {"q": 2.5}, {}),
    (item("number"), {"q": ["-3"]}, {"q": -3}, {}),
    (item("number", integer=True), {"q": ["4.0"]}, {"q": 4}, {}),
    (item("number", integer=True), {"q": ["2.5"]}, {}, {"q": "Please enter a whole number."}),
    (item("number"), {"q": ["twelve"]}, {}, {"q": "Please enter a number, such as 12."}),
    (item("number"), {"q": ["nan"]}, {}, {"q": "Please enter a number, such as 12."}),
    (
        item("number", min=0, max=10),
        {"q": ["11"]},
        {},
        {"q": "Please enter a number from 0 to 10."},
    ),
    (item("number", min=1), {"q": ["0"]}, {}, {"q": "Please enter a number of at least 1."}),
    (item("number", max=1.5), {"q": ["2"]}, {}, {"q": "Please enter a number no more than 1.5."}),
    # duration
    (item("duration"), {"q.years": ["2"], "q.months": ["3"]}, {"q": {"years": 2, "months": 3}}, {}),
    (item("duration"), {"q.months": ["6"]}, {"q": {"years": 0, "months": 6}}, {}),
    (
        item("duration"),
        {"q.years": ["1"], "q.months": ["12"]},
        {},
        {"q.months": "Please enter the months as a whole number from 0 to 11."},
    ),
    (
        item("duration"),
        {"q.years": ["one"]},
        {},
        {"q.years": "Please enter the years as a whole number."},
    ),
    (
        item("duration", max_years=50),
        {"q.years": ["51"]},
        {},
        {"q.years": "Please enter no more than 50 years."},
    ),
    (item("duration", required=True), {}, {}, {"q.years": "Please answer this question."}),
    # ranked
    (
        item("ranked", slots=SLOTS),
        {"q.1": ["Joint plan"], "q.2": ["New hub"], "q.3": [""]},
        {"q": ["Joint plan", "New hub"]},
        {},
    ),
    (item("ranked", slots=SLOTS), {"q.1": [""], "q.2": ["Hub"]}, {"q": ["", "Hub"]}, {}),
    (item("ranked", slots=SLOTS), {"q.4": ["Ignored"]}, {}, {}),
    (item("ranked", slots=SLOTS, required=True), {}, {}, {"q.1": "Please answer this question."}),
    # nominations
    (
        item("nominations", max=2),
        {"q.1.name": ["Ann Lee"], "q.1.email": ["ann@example.org"], "q.3.name": ["Ignored"]},
        {"q": [{"name": "Ann Lee", "email": "ann@example.org"}]},
        {},
    ),
    (
        item("nominations", max=2),
        {"q.2.name": ["Ann Lee"], "q.2.email": ["ann at example"]},
        {},
        {"q.2.email": "Please enter a valid email address, like name@example.org."},
    ),
    (
        item("nominations", max=2),
        {"q.1.name": ["Ann Lee"]},
        {},
        {"q.1.email": "Please give an email address for Ann Lee."},
    ),
    (
        item("nominations", max=2),
        {"q.1.email": ["ann@example.org"]},
        {},
        {"q.1.name": "Please give this person's name."},
    ),
    (
        item("nominations", max=2, required=True),
        {},
        {},
        {"q.1.name": "Please give at least one name and email address."},
    ),
    # hidden
    (item("hidden", source="browser"), {"q": ["Mozilla/5.0"]}, {"q": "Mozilla/5.0"}, {}),
    (item("hidden", source="browser", required=True), {}, {}, {}),
]


@pytest.mark.parametrize(("item_dict", "data", "stored", "errors"), CASES)
def test_it_stores_valid_answers_and_explains_each_mistake(item_dict, data, stored, errors):
    result = submit(item_dict, data)
    assert result.errors == errors
    assert result.answers == stored
    assert result.ok is (not errors)


def test_it_replaces_this_pages_earlier_answers_and_keeps_other_pages():
    defn = build(page("one", text("a")), page("two", text("b"), {**JOBS, "code": "c"}))
    earlier = {"a": "kept", "b": "old", "c": [10], "c.other.10": "old"}
    result = validate_page(defn, "two", {"b": ["new"]}, earlier, MEMBER)
    assert result.answers == {"a": "kept", "b": "new"}


def test_it_does_not_validate_or_keep_items_hidden_by_an_answer_on_the_same_page():
    defn = build(
        page("p", single("q1"), text("q2", show_if="q1 == 1", required=True)),
    )
    hidden = validate_page(defn, "p", {"q1": ["2"], "q2": ["typed anyway"]}, {}, MEMBER)
    assert hidden.errors == {}
    assert hidden.answers == {"q1": 2}
    shown = validate_page(defn, "p", {"q1": ["1"]}, {}, MEMBER)
    assert shown.errors == {"q2": "Please answer this question."}


@pytest.mark.parametrize(
    ("earlier", "errors"),
    [
        ({"org.type": 1}, {"staff_count": "Please answer this question."}),
        ({"org.type": 3}, {}),
        ({}, {}),
    ],
)
def test_it_requires_an_item_only_when_its_required_if_holds(earlier, errors):
    result = validate_page(sample(), "detail", {}, {"consent": 1, **earlier}, MEMBER)
    assert result.errors == errors


def test_it_refuses_an_option_that_is_not_shown_to_this_respondent():
    answers = {"consent": 1}
    data = {"org.type": ["3"], "job_title": ["4"]}
    result = validate_page(sample(), "about_you", data, answers, MEMBER)
    assert result.errors == {"job_title": "Please choose one of the options shown."}
    data = {"org.type": ["1"], "job_title": ["4"]}
    result = validate_page(sample(), "about_you", data, answers, MEMBER)
    assert result.errors == {}
    assert result.answers["job_title"] == [4]


def test_it_accepts_plain_strings_as_well_as_lists_of_values():
    result = submit(OTHER_SINGLE, {"org": "14", "org.other.14": "Charity"})
    assert result.answers == {"org": 14, "org.other.14": "Charity"}


def test_it_validates_every_item_of_a_page_at_once():
    defn = build(page("p", text("a", required=True), single("b", required=True), multi("c", max=1)))
    result = validate_page(defn, "p", {"c": ["1", "2"]}, {}, MEMBER)
    assert set(result.errors) == {"a", "b", "c"}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("123456789012345", 123456789012345), ("1 000", 1000), ("0.10", 0.1), (".5", 0.5)],
)
def test_it_reads_numbers_as_typed_without_losing_digits(typed, stored):
    assert submit(item("number"), {"q": [typed]}).answers == {"q": stored}


def test_it_refuses_an_absurdly_long_number_politely():
    result = submit(item("number"), {"q": ["9" * 5000]})
    assert result.errors == {"q": "Please enter a number, such as 12."}


def test_it_writes_limits_as_a_person_would():
    result = submit(item("number", min=0, max=1000000), {"q": ["-1"]})
    assert result.errors == {"q": "Please enter a number from 0 to 1000000."}


ONE_ANSWER = "Please give one answer here."


@pytest.mark.parametrize(
    ("item_dict", "data", "field"),
    [
        (OTHER_SINGLE, {"org": ["1", "14"]}, "org"),
        (item("number"), {"q": ["12", "99"]}, "q"),
        (item("text"), {"q": ["mine", "theirs"]}, "q"),
        (item("duration"), {"q.years": ["1", "9"], "q.months": ["2"]}, "q.years"),
    ],
)
def test_a_second_value_of_a_single_valued_field_is_refused(item_dict, data, field):
    result = submit(item_dict, data)
    assert result.errors == {field: ONE_ANSWER}
    assert result.answers == {}


def test_a_multi_choice_still_takes_several_values():
    result = submit(JOBS, {"job": ["1", "2"]})
    assert result.errors == {} and result.answers == {"job": [1, 2]}


@pytest.mark.parametrize(
    ("item_dict", "data", "field", "message"),
    [
        (item("number"), {"q": ["１２"]}, "q", "Please enter a number, such as 12."),
        (item("number"), {"q": ["١٢"]}, "q", "Please enter a number, such as 12."),
        (OTHER_SINGLE, {"org": ["１"]}, "org", "Please choose one of the options shown."),
        (
            item("duration"),
            {"q.years": ["２"], "q.months": ["0"]},
            "q.years",
            "Please enter the years as a whole number.",
        ),
    ],
)
def test_digits_other_than_0_to_9_are_not_read_as_numbers(item_dict, data, field, message):
    result = submit(item_dict, data)
    assert result.errors == {field: message}
    assert result.answers == {}
