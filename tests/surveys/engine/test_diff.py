import copy

import pytest

from surveys.engine.definition import load_definition
from surveys.engine.diff import diff_versions, format_diff

from .builders import sample_data

TEXT = {"type": "text", "text": "About how many staff work on integrated care?"}


def changed(edit) -> dict:
    """Return the per-code diff between the sample and an edited copy."""
    old = sample_data()
    new = copy.deepcopy(old)
    edit(new)
    changes = diff_versions(load_definition(old), load_definition(new))
    return {c.code: c for c in changes}


def item_of(data: dict, code: str) -> dict:
    return next(i for p in data["pages"] for i in p["items"] if i["code"] == code)


def test_it_calls_an_untouched_version_identical_and_safe_to_trend():
    changes = changed(lambda d: None)
    assert {c.status for c in changes.values()} == {"identical"}
    assert {c.trend for c in changes.values()} == {"safe"}


@pytest.mark.parametrize(
    ("edit", "code", "status", "trend"),
    [
        (lambda d: item_of(d, "org.type").update(label="Q9"), "org.type", "identical", "safe"),
        (
            lambda d: item_of(d, "org.type").update(
                text="Which type of  organisation\ndo you work for? "
            ),
            "org.type",
            "identical",
            "safe",
        ),
        (
            lambda d: item_of(d, "org.type").update(text="Which organisation employs you?"),
            "org.type",
            "wording_changed",
            "comparable",
        ),
        (
            lambda d: item_of(d, "org.type")["options"][1].update(text="Council"),
            "org.type",
            "options_changed",
            "break",
        ),
        (
            lambda d: item_of(d, "org.type")["options"].pop(2),
            "org.type",
            "options_changed",
            "break",
        ),
        (
            lambda d: item_of(d, "barrier")["rows"][1].update(text="High turnover of staff"),
            "barrier.staff_turnover",
            "wording_changed",
            "comparable",
        ),
        (
            lambda d: item_of(d, "barrier")["scale"].append({"code": 4, "text": "Don't know"}),
            "barrier",
            "options_changed",
            "break",
        ),
        (
            lambda d: item_of(d, "barrier")["scale"].append({"code": 4, "text": "Don't know"}),
            "barrier.financial_constraints",
            "identical",
            "break",
        ),
        (
            lambda d: item_of(d, "barrier")["scale"][2].update(text="Not applicable"),
            "barrier.financial_constraints",
            "identical",
            "comparable",
        ),
        (
            lambda d: item_of(d, "barrier").update(text="In the last 12 months, how much?"),
            "barrier.financial_constraints",
            "identical",
            "safe",
        ),
        (
            lambda d: item_of(d, "barrier")["rows"][0].update(label="13a"),
            "barrier.financial_constraints",
            "identical",
            "safe",
        ),
        (
            lambda d: d["pages"][3]["items"].__setitem__(0, {"code": "staff_count", **TEXT}),
            "staff_count",
            "options_changed",
            "break",
        ),
        (
            lambda d: item_of(d, "achievements")["slots"][2].update(text="Third"),
            "achievements",
            "options_changed",
            "break",
        ),
        (
            lambda d: d["pages"][4]["items"].append(
                {"code": "new.q", "type": "text", "text": "New?"}
            ),
            "new.q",
            "added",
            "new",
        ),
        (lambda d: d["pages"][4]["items"].pop(1), "comments", "removed", "ended"),
    ],
)
def test_it_classifies_each_change_for_trend_analysis(edit, code, status, trend):
    change = changed(edit)[code]
    assert (change.status, change.trend) == (status, trend)


def test_it_matches_items_on_code_not_on_position():
    def move(data):
        data["pages"][4]["items"].reverse()

    assert {c.status for c in changed(move).values()} == {"identical"}


def test_it_says_which_codes_were_relabelled_added_or_removed():
    def edit(data):
        options = item_of(data, "org.type")["options"]
        options[0]["text"] = "CCG"
        options.pop(1)
        options.append({"code": 15, "text": "Hospice"})

    assert changed(edit)["org.type"].detail == "codes added 15; codes removed 2; labels changed 1"


def test_it_prints_a_table_with_a_summary():
    def edit(data):
        item_of(data, "org.type").update(text="Who employs you?")
        data["pages"][4]["items"].pop(1)

    table = format_diff(list(changed(edit).values()))
    lines = table.splitlines()
    assert lines[0].split() == ["code", "status", "trend", "detail"]
    assert set(lines[1]) <= {"-", " "}
    assert any(line.split()[:3] == ["org.type", "wording_changed", "comparable"] for line in lines)
    assert any(line.split()[:3] == ["comments", "removed", "ended"] for line in lines)
    assert lines[-1] == "14 identical, 1 wording_changed, 1 removed"


def test_a_grid_row_whose_shared_scale_changed_says_which_codes_still_mean_the_same():
    def relabel(data):
        item_of(data, "barrier")["scale"][2]["text"] = "Not a barrier / Not applicable"

    change = changed(relabel)["barrier.staff_turnover"]
    assert (change.status, change.trend) == ("identical", "comparable")
    assert change.detail == (
        "scale of grid barrier: labels changed 3 (codes 1, 2 unchanged); row text identical"
    )


def test_a_grid_row_with_the_same_words_and_scale_is_identical_but_notes_a_new_stem():
    def new_stem(data):
        item_of(data, "barrier")["text"] = "In the last 12 months, how much of a barrier?"
        item_of(data, "barrier")["rows"][0]["text"] = "Money"

    changes = changed(new_stem)
    assert changes["barrier"].status == "wording_changed"
    assert (changes["barrier.staff_turnover"].status, changes["barrier.staff_turnover"].detail) == (
        "identical",
        "grid question changed",
    )
    assert changes["barrier.financial_constraints"].detail == (
        "wording changed; grid question changed"
    )
