import json

import pytest

from surveys.engine.definition import (
    DefinitionError,
    canonical_json,
    content_hash,
    dump_yaml,
    load_definition,
    parse_text,
)

from .builders import build, document, page, sample, sample_data, single, text


def problems_of(data: dict) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        load_definition(data)
    return [str(p) for p in caught.value.problems]


def test_it_indexes_every_item_with_grid_rows_as_items_in_questionnaire_order():
    defn = sample()
    codes = list(defn.items)
    assert codes.index("barrier") < codes.index("barrier.financial_constraints")
    assert codes.index("barrier.other") < codes.index("staff_count")
    row = defn.item("barrier.staff_turnover")
    assert (row.type, row.grid, row.page_id) == ("row", "barrier", "pioneer")
    assert [p.text for p in row.scale] == ["A major barrier", "A minor barrier", "Not a barrier"]


def test_it_lists_only_codes_that_hold_answers():
    codes = sample().answer_codes()
    assert "barrier" not in codes
    assert "barrier.financial_constraints" in codes
    assert codes[0] == "consent"


def test_it_finds_pages_and_items_by_id_and_code():
    defn = sample()
    assert defn.page("detail").items[0].code == "staff_count"
    assert defn.page_of("barrier.other").id == "pioneer"
    assert defn.item("org.type").options[3].other is True
    with pytest.raises(KeyError):
        defn.page("nowhere")


def test_it_gives_every_grid_row_its_own_requiredness_except_other_rows():
    defn = sample()
    assert defn.item("barrier.financial_constraints").required is True
    assert defn.item("barrier.other").required is False


def test_it_keeps_the_content_hash_of_the_document():
    data = sample_data()
    assert load_definition(data).content_hash == content_hash(data)


def test_it_does_not_change_when_the_source_dict_is_edited_afterwards():
    data = sample_data()
    defn = load_definition(data)
    data["pages"][0]["id"] = "changed"
    assert defn.data["pages"][0]["id"] == "intro"
    assert defn.pages[0].id == "intro"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("format"), "$: 'format' is a required property"),
        (lambda d: d.update(format=2), "$.format: 1 was expected"),
        (lambda d: d["pages"][1]["items"][0].update(type="singel"), "$.pages[1].items[0].type"),
        (lambda d: d["pages"][1]["items"][0].pop("options"), "'options' is a required property"),
        (lambda d: d["pages"][1]["items"][0].update(code="Org"), "'Org' is not a valid code"),
        (lambda d: d["pages"][1]["items"][0].update(code="member.x"), "not a valid code"),
        (lambda d: d["pages"][1]["items"][0].update(code="in"), "not a valid code"),
        (lambda d: d["pages"][1]["items"][0].update(colour="red"), "'colour' was unexpected"),
        (lambda d: d["pages"][1]["items"][0].update(max_length=3), "'max_length' was unexpected"),
        (lambda d: d["pages"][0].update(id="end"), "$.pages[0].id: 'end' is not a valid page id"),
        (lambda d: d["pages"][1]["skip"][0].pop("to"), "$.pages[1].skip[0]: 'to' is a required"),
        (
            lambda d: d["pages"][1]["items"][0]["options"][0].update(code="1"),
            "$.pages[1].items[0].options[0].code: '1' is not of type 'integer'",
        ),
        (
            lambda d: d["pages"][1]["items"][1]["options"][1].update(code=1),
            "$.pages[1].items[1].options: item job_title: "
            "the options code 1 is used more than once",
        ),
        (
            lambda d: d["pages"][2].update(id="about_you"),
            "$.pages[2].id: the page id 'about_you' is already used at $.pages[1]",
        ),
        (
            lambda d: d["pages"][4]["items"][0].update(code="barrier.other"),
            "$.pages[4].items[0].code: the item code 'barrier.other' is already used at "
            "$.pages[2].items[1].rows[2]",
        ),
        (
            lambda d: d["pages"][2].update(show_if="1 in job_title or"),
            "$.pages[2].show_if: page pioneer show_if: the expression ends early",
        ),
    ],
)
def test_it_refuses_a_broken_document_naming_the_json_path(change, expected):
    data = sample_data()
    change(data)
    assert any(expected in problem for problem in problems_of(data)), problems_of(data)


def test_it_reports_all_problems_at_once():
    data = document(
        page("one", single("a", codes=(1, 1)), text("a")),
        page("one", text("b", show_if="a = 1"), {"code": "c", "type": "number"}),
    )
    problems = problems_of(data)
    assert len(problems) == 5, problems  # dup option, dup code, dup page, syntax, missing text


def test_it_reads_yaml_and_json_alike():
    data = sample_data()
    assert parse_text(json.dumps(data)) == data
    assert parse_text(dump_yaml(data)) == data


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("text: No\n", {"text": "No"}),
        ("text: yes\n", {"text": "yes"}),
        ("on: off\n", {"on": "off"}),
        ("required: true\n", {"required": True}),
        ("date: 2016-05-01\n", {"date": "2016-05-01"}),
        ("code: 012\n", {"code": 12}),
        ("{a: 1}\n", {"a": 1}),
    ],
)
def test_it_reads_yaml_as_an_author_means_it(yaml_text, expected):
    assert parse_text(yaml_text) == expected


@pytest.mark.parametrize(
    ("bad_text", "fragment"),
    [
        ("a: 1\na: 2\n", "line 2, column 1: the key 'a' is given twice"),
        ("a: [1, 2\n", "line 2"),
        ("- 1\n- 2\n", "must be a mapping"),
        ("just text", "must be a mapping"),
    ],
)
def test_it_refuses_text_that_is_not_a_clean_mapping(bad_text, fragment):
    with pytest.raises(DefinitionError) as caught:
        parse_text(bad_text)
    assert fragment in str(caught.value)


def test_it_writes_yaml_in_the_authors_key_order_without_folding_long_lines():
    long_text = "word " * 60
    data = {
        "title": "Survey",
        "format": 1,
        "pages": [{"id": "p", "items": [text("q", help=long_text)]}],
    }
    written = dump_yaml(data)
    assert written.index("title") < written.index("format") < written.index("pages")
    assert long_text.strip() in written
    assert "  - id: p" in written


def test_it_writes_multi_line_text_as_a_readable_block():
    written = dump_yaml({"text": "First line\nSecond line"})
    assert written == "text: |-\n  First line\n  Second line\n"


def test_it_writes_unicode_as_characters_not_escapes():
    assert "Ysbyty Gwynedd – café" in dump_yaml({"t": "Ysbyty Gwynedd – café"})


def test_it_hashes_the_same_content_the_same_whatever_the_key_order():
    a = {"b": 1, "a": [1, {"y": 2, "x": "é"}]}
    b = {"a": [1, {"x": "é", "y": 2}], "b": 1}
    assert canonical_json(a) == canonical_json(b) == '{"a":[1,{"x":"é","y":2}],"b":1}'
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash({**a, "b": 2})
    assert len(content_hash(a)) == 64


def test_it_builds_a_minimal_questionnaire():
    defn = build(page("only", text("q")))
    assert [p.id for p in defn.pages] == ["only"]
    assert defn.item("q").position == 0
