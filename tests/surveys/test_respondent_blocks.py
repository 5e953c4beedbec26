"""How a page's questions are drawn and what a submission means, without a database."""

import re

import pytest

from surveys.engine.definition import load_definition
from surveys.respondent.page_forms import other_label, page_form
from surveys.respondent.submissions import choose_typed_others, follow_ups, owner
from tests.surveys.follow_ups import FOLLOW_UPS

CHOICES = {
    "format": 1,
    "questionnaire": "choices",
    "title": "Choices",
    "pages": [
        {
            "id": "p",
            "items": [
                {
                    "code": "org",
                    "type": "single",
                    "text": "Where do you work?",
                    "options": [
                        {"code": 1, "text": "A trust"},
                        {
                            "code": 2,
                            "text": "Private provider (please type in below)",
                            "other": True,
                        },
                    ],
                },
                {
                    "code": "roles",
                    "type": "multi",
                    "text": "What do you do?",
                    "options": [
                        {"code": 1, "text": "Lead"},
                        {"code": 9, "text": "Other (please type in)", "other": True},
                    ],
                },
                {
                    "code": "views",
                    "type": "grid",
                    "text": "How far do you agree?",
                    "scale": [{"code": 1, "text": "Agree"}, {"code": 2, "text": "Disagree"}],
                    "rows": [{"code": "views.pace", "text": "It goes fast & well"}],
                },
            ],
        }
    ],
}


@pytest.fixture(scope="module")
def choices():
    return load_definition(CHOICES)


@pytest.mark.parametrize(
    ("option", "label"),
    [
        (
            "Private provider (please type in below)",
            "Please type in your answer for “Private provider”",
        ),
        ("Other (please type in)", "Please type in your answer for “Other”"),
        (
            "Other local provider (such as ambulance trusts)? (please type in)",
            "Please type in your answer for “Other local provider (such as ambulance trusts)”",
        ),
        (
            "Yes (please type in how this has changed your views)",
            "Please type in how this has changed your views",
        ),
        ("Something else", "Please type in your answer for “Something else”"),
        ("R&amp;D (please type in)", "Please type in your answer for “R&amp;D”"),  # escaped once
    ],
)
def test_the_box_of_an_other_option_is_labelled_as_a_sentence(option, label):
    assert other_label(option) == label


def _html(defn, data=None, errors=None) -> str:
    items = list(defn.page("p").items)
    form = page_form(defn, items, {}, {}, data=data, errors=errors)
    return str(form.html())


def test_the_box_of_an_other_option_comes_right_after_its_option(choices):
    html = _html(choices)
    option = html.index('<span class="option-text">Private provider (please type in below)</span>')
    box = html.index('<div class="option-other" data-option="id_org_1">')
    assert html.index("</label>", option) < box < html.index('id="id_roles_0"')
    assert html[option:box].count("<label") == 0  # nothing between the option and its box
    assert '<label class="form-label" for="id_org.other.2">Please type in your answer' in html


def test_an_empty_other_box_says_what_to_type_in_its_labels_words(choices):
    message = "Please type in your answer for “Private provider (please type in below)”."
    html = _html(choices, data={"org": "2"}, errors={"org.other.2": message})
    assert "Please type in your answer for “Private provider”.</p>" in html
    assert "(please type in below)”." not in html


def test_every_radio_of_a_grid_is_named_by_its_statement_and_rating(choices):
    html = _html(choices)
    radio = re.search(r'<input[^>]*name="views.pace"[^>]*value="2"[^>]*>', html).group(0)
    assert 'aria-labelledby="views.pace-text id_views.pace_1-text"' in radio
    assert (
        '<span class="grid-statement" id="views.pace-text">It goes fast &amp; well</span>' in html
    )
    assert '<span class="grid-option-text" id="id_views.pace_1-text">Disagree</span>' in html
    assert '<p class="question-text" id="views-question">How far do you agree?</p>' in html
    assert "<caption" not in html  # the question is not squeezed into the table


@pytest.mark.parametrize(
    ("posted", "chosen", "error"),
    [
        ({"org.other.2": ["Bupa"]}, {"org": ["2"]}, None),  # nothing chosen: typing chose it
        ({"org": ["1"], "org.other.2": ["Bupa"]}, {"org": ["1"]}, "org.other.2"),
        ({"org": ["2"], "org.other.2": ["Bupa"]}, {"org": ["2"]}, None),
        ({"org": ["1"], "org.other.2": ["  "]}, {"org": ["1"]}, None),  # blank is nothing
        ({"roles": ["1"], "roles.other.9": ["Nurse"]}, {"roles": ["1", "9"]}, None),
    ],
)
def test_text_typed_in_an_other_box_chooses_its_option_or_says_why_not(
    choices, posted, chosen, error
):
    data, errors = choose_typed_others(choices.page("p").items, posted)
    assert {k: v for k, v in data.items() if k in ("org", "roles")} == chosen
    assert list(errors) == ([error] if error else [])
    if error:
        assert "but chose another answer" in errors[error]


def test_a_follow_up_on_the_same_page_is_known_and_owns_its_fields():
    defn = load_definition(FOLLOW_UPS)
    assert follow_ups(defn, "role") == {"lead.years"}
    assert follow_ups(defn, "closing") == set()
    items = defn.page("role").items
    assert owner("lead.years", items) == "lead.years"  # not lead, whose code it starts with
    assert owner("lead", items) == "lead"
    assert owner("nothing", items) is None
