"""The examples in docs/questionnaire-format.md must stay true."""

import json
import re
from pathlib import Path

from surveys.engine import load_definition, parse_text, prune, publish_problems, validate_page

DOC = (Path(__file__).resolve().parents[3] / "docs" / "questionnaire-format.md").read_text()
BLOCKS = re.findall(r"```(yaml|json)\n(.*?)```", DOC, flags=re.S)
MEMBER = {"site": "Barnsley", "cohort_year": 2013, "region": "North"}


def example_definition() -> dict:
    return parse_text(next(body for kind, body in BLOCKS if "type: consent" in body))


def test_the_documented_example_questionnaire_can_be_published():
    assert publish_problems(example_definition()) == []


def test_the_documented_stored_answers_stand_for_the_documented_example():
    answers = json.loads(next(body for kind, body in BLOCKS if kind == "json"))
    kept, not_asked = prune(load_definition(example_definition()), answers, MEMBER)
    assert kept == answers
    assert not_asked == set()


def test_the_documented_form_fields_give_the_documented_answers():
    defn = load_definition(example_definition())
    data = {
        "org.type": ["1"],
        "job_title": ["10", "1"],
        "job_title.other.10": ["Data lead"],
        "years_in_area.years": ["2"],
        "years_in_area.months": ["3"],
    }
    result = validate_page(defn, "about_you", data, {"consent": 1}, MEMBER)
    assert result.errors == {}
    assert result.answers["job_title"] == [1, 10]
    assert result.answers["years_in_area"] == {"years": 2, "months": 3}
