"""Report tables from synthetic responses, each checked against a table worked by hand."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys.analysis.files import csv_bytes, table_rows
from surveys.analysis.tables import Cell, Respondent, frequency_table, grid_table
from surveys.analysis.trends import RoundData, chart_data, trend_table
from surveys.engine import load_definition
from tests.surveys.analysis.definitions import ROWS_2016, ROWS_2020, definition

DEFN = load_definition(definition(ROWS_2016))
ORDER = ["Cohort 1", "Cohort 2"]


def _r(cohort, not_asked=(), **answers):
    answers = {k.replace("_", "."): v for k, v in answers.items()}
    return Respondent({"cohort": f"Cohort {cohort}"}, answers, frozenset(not_asked))


# Five responses, worked by hand below. R4 was not asked role or channels (routing);
# R3 left channels blank and R4 left "time" blank; R3, R2 and R5 answered a "don't know".
RESPONDENTS = [
    _r(1, post=1, channels=[1, 2], barrier_money=1, barrier_time=2),
    _r(1, post=2, channels=[1], barrier_money=1, barrier_time=4),
    _r(2, post=3, barrier_money=2, barrier_time=1),
    _r(2, not_asked=("post", "channels"), barrier_money=3),
    _r(2, post=1, channels=[2], barrier_money=4, barrier_time=1),
]


def _shown(table):
    return {row.label: [c.shown for c in row.cells] for row in table.rows}


def _counts(table):
    return {row.label: [(c.count, c.base) for c in row.cells] for row in table.rows}


def test_a_single_choice_by_cohort_leaves_the_unasked_out_of_the_base_and_keeps_dont_know():
    table = frequency_table(DEFN.item("post"), RESPONDENTS, by="cohort", columns=["All", *ORDER])
    assert table.columns == ["All", "Cohort 1", "Cohort 2"]
    assert table.bases == [4, 2, 2]
    assert table.base_note == "Base=4"
    assert _counts(table) == {
        "Strategic": [(2, 4), (1, 2), (1, 2)],
        "Operational": [(1, 4), (1, 2), (0, 2)],
        "Don't know": [(1, 4), (0, 2), (1, 2)],
    }
    assert _shown(table)["Strategic"] == ["50%", "50%", "50%"]
    assert table.missing == [("Not asked (routing)", [1, 0, 1])]


def test_dont_know_can_be_left_out_of_the_base_and_is_then_counted_apart():
    table = frequency_table(
        DEFN.item("post"), RESPONDENTS, by="cohort", columns=["All", *ORDER], dont_know_out=True
    )
    assert table.bases == [3, 2, 1]
    assert _shown(table) == {
        "Strategic": ["67%", "50%", "100%"],
        "Operational": ["33%", "50%", "0%"],
    }
    assert ("Don't know (left out of the base)", [1, 0, 1]) in table.missing


def test_a_multiple_choice_counts_each_option_and_says_the_shares_add_past_100():
    table = frequency_table(DEFN.item("channels"), RESPONDENTS)
    assert table.columns == ["All"]
    assert table.bases == [3]
    assert _counts(table) == {"Email": [(2, 3)], "Phone": [(2, 3)]}
    assert table.missing == [("Not asked (routing)", [1]), ("Asked, left blank", [1])]
    assert "more than 100" in table.notes[0]


def test_a_grid_gives_each_statement_its_own_base_ranked_by_the_all_column():
    table = grid_table(
        DEFN.item("barriers"), RESPONDENTS, chosen=[1], by="cohort", columns=["All", *ORDER]
    )
    assert [row.label for row in table.rows] == [
        "Competing demands on time",
        "Financial constraints",
    ]
    assert _counts(table) == {
        "Competing demands on time": [(2, 4), (0, 2), (2, 2)],
        "Financial constraints": [(2, 5), (2, 2), (0, 3)],
    }
    assert table.base_note == "Bases vary from 4 to 5"
    assert "‘Very significant’" in table.caption


def test_a_grid_sorts_by_another_column_or_keeps_the_questionnaire_order():
    by_cohort_1 = grid_table(
        DEFN.item("barriers"),
        RESPONDENTS,
        chosen=[1],
        by="cohort",
        columns=["All", *ORDER],
        sort_by=1,
    )
    assert [row.label for row in by_cohort_1.rows][0] == "Financial constraints"
    in_order = grid_table(DEFN.item("barriers"), RESPONDENTS, chosen=[1], sort_by=None)
    assert [row.code for row in in_order.rows] == ["barrier.money", "barrier.time"]


def test_a_grid_without_dont_know_in_the_base_and_with_two_points_chosen():
    table = grid_table(DEFN.item("barriers"), RESPONDENTS, chosen=[1, 2], dont_know_out=True)
    assert _counts(table) == {
        "Financial constraints": [(3, 4)],
        "Competing demands on time": [(3, 3)],
    }
    assert "‘Very significant’ or ‘Fairly significant’" in table.caption


@pytest.mark.parametrize(
    ("count", "base", "shown"), [(1, 8, "13%"), (2, 3, "67%"), (0, 5, "0%"), (0, 0, "–")]
)
def test_percentages_are_whole_and_rounded_half_up_as_the_reports_print_them(count, base, shown):
    assert Cell(count, base).shown == shown


def test_a_trend_joins_statements_on_their_code_across_versions_that_number_them_differently():
    later = load_definition(definition(ROWS_2020, role_label="Q5"))
    rounds = [
        RoundData("2016 survey", DEFN, RESPONDENTS),
        RoundData(
            "2020 survey",
            later,
            [_r(1, barrier_money=1, barrier_time=3, barrier_covid=1), _r(2, barrier_money=3)],
        ),
    ]
    table = trend_table("barriers", rounds, chosen=[1])
    assert table.columns == ["2016 survey", "2020 survey"]
    assert _counts(table) == {
        "Competing demands on time": [(2, 4), (0, 1)],
        "Covid-19": [(0, 0), (1, 1)],
        "Financial constraints": [(2, 5), (1, 2)],
    }
    assert table.column_bases() == ["Bases vary from 4 to 5", "Bases vary from 1 to 2"]
    assert table.caption.startswith("How significant is each barrier? Share answering ‘Very")
    assert "Q3 (3)" not in table.notes[0]  # the grid's own number is named, not a row's
    money = trend_table("barrier.money", rounds)
    assert "asked as Q3 (3) in 2016 survey, Q13 (3) in 2020 survey" in money.notes[0]
    assert money.bases == [5, 2]
    data = chart_data(table)
    assert data["labels"] == ["2016 survey", "2020 survey"]
    assert data["datasets"][1] == {"label": "Covid-19", "data": [None, 100.0]}


def test_a_trend_of_a_single_choice_gives_each_option_by_round_with_its_base():
    later = load_definition(definition(ROWS_2020, role_label="Q5"))
    rounds = [
        RoundData("2016 survey", DEFN, RESPONDENTS),
        RoundData("2020 survey", later, [_r(1, post=2), _r(1, post=2), _r(2)]),
    ]
    table = trend_table("post", rounds)
    assert table.bases == [4, 2]
    assert _shown(table)["Operational"] == ["25%", "100%"]


def test_a_table_downloads_with_a_bom_its_bases_and_no_cell_that_runs_as_a_formula():
    hostile = definition([("barrier.money", "Q3 (1)", '=HYPERLINK("http://x")')])
    table = grid_table(load_definition(hostile).item("barriers"), RESPONDENTS, chosen=[1])
    rows = table_rows(table)
    assert rows[1][:5] == ["Code", "Statement", "All %", "All n", "All base"]
    assert rows[2] == ["barrier.money", '=HYPERLINK("http://x")', 40.0, 2, 5]
    assert ["", "Base", "Base=5", "", ""] in rows
    raw = csv_bytes(rows)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "'=HYPERLINK" in raw.decode("utf-8-sig")


@pytest.mark.parametrize(
    ("text", "dont_know"),
    [
        ("Don't know", True),
        ("Don’t know / Not applicable", True),
        ("Not applicable", True),
        ("Not current a significant barrier", False),
        ("Knowledge of local services", False),
    ],
)
def test_dont_know_is_told_by_the_options_wording(text, dont_know):
    from surveys.analysis.tables import is_dont_know
    from surveys.engine.model import Option

    assert is_dont_know(Option(1, text)) is dont_know


answers = st.one_of(st.none(), st.sampled_from([1, 2, 3]), st.just(""))


@given(
    st.lists(st.tuples(st.sampled_from([1, 2]), st.booleans(), answers), max_size=40),
    st.booleans(),
)
def test_every_response_is_in_the_base_or_counted_as_missing_and_shares_add_to_100(rows, dk_out):
    respondents = [
        _r(cohort, not_asked=("post",) if unasked else (), post=value)
        for cohort, unasked, value in rows
    ]
    table = frequency_table(DEFN.item("post"), respondents, dont_know_out=dk_out)
    missing = sum(counts[0] for _, counts in table.missing)
    assert table.bases[0] + missing == len(respondents)
    assert sum(row.cells[0].count for row in table.rows) == table.bases[0]
