import pytest

from surveys.engine.piping import pipe, piped_references

from .builders import sample

ANSWERS = {
    "org.type": 2,
    "job_title": [1, 2, 10],
    "job_title.other.10": "Data <b>lead</b>",
    "years_in_area": {"years": 2, "months": 1},
    "staff_count": 40,
    "barrier.staff_turnover": 1,
    "achievements": ["Joint plan", "", "Hub"],
    "nominate": [{"name": "Ann", "email": "ann@example.org"}, {"name": "Bo", "email": "b@x.org"}],
    "comments": "{member.first_name} & <script>alert(1)</script>",
}
MEMBER = {"site": "Barnsley", "first_name": "Zoë", "organisation": "<i>Acme</i> {org.type}"}


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("Working in {member.site}?", "Working in Barnsley?"),
        ("As a {org.type}", "As a Local authority"),
        ("Jobs: {job_title}", "Jobs: Pioneer lead, Director, Data &lt;b&gt;lead&lt;/b&gt;"),
        ("For {years_in_area}", "For 2 years, 1 month"),
        ("{staff_count} staff", "40 staff"),
        ("Turnover: {barrier.staff_turnover}", "Turnover: A major barrier"),
        ("Top: {achievements}", "Top: Joint plan, Hub"),
        ("You named {nominate}", "You named Ann, Bo"),
        ("Not yet: [{pioneer.meaning}]", "Not yet: []"),
        ("Unknown: [{no.such.item}] [{member.shoe_size}]", "Unknown: [] []"),
        ("Literal {{braces}} and {{member.site}}", "Literal {braces} and {member.site}"),
        ("Stray { and } and {Org.Type} and {", "Stray { and } and {Org.Type} and {"),
        ("5 < 6 & \"quotes\" 'too'", "5 &lt; 6 &amp; &quot;quotes&quot; &#x27;too&#x27;"),
        ("<b>{member.first_name}</b>", "&lt;b&gt;Zoë&lt;/b&gt;"),
    ],
)
def test_it_fills_in_piped_names_as_safe_text(template, expected):
    assert pipe(template, sample(), ANSWERS, MEMBER) == expected


def test_it_never_expands_a_pipe_that_arrives_inside_a_value():
    shown = pipe("Org: {member.organisation}", sample(), ANSWERS, MEMBER)
    assert shown == "Org: &lt;i&gt;Acme&lt;/i&gt; {org.type}"


def test_it_escapes_script_typed_by_a_respondent_and_keeps_it_literal():
    shown = pipe("You said: {comments}", sample(), ANSWERS, MEMBER)
    assert shown == "You said: {member.first_name} &amp; &lt;script&gt;alert(1)&lt;/script&gt;"
    assert "<script>" not in shown


def test_it_shows_the_typed_in_text_for_an_other_option():
    answers = {"org.type": 14, "org.type.other.14": "Hospice"}
    assert pipe("At the {org.type}", sample(), answers, MEMBER) == "At the Hospice"


def test_it_lists_the_names_a_text_pipes():
    text = "In {member.site}, as {org.type} ({{not.this}}) and {Bad} {x.y_2}"
    assert piped_references(text) == {"member.site", "org.type", "x.y_2"}
