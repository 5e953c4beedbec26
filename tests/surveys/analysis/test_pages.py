"""The report and trend pages: who may open them, and the tables they show and download."""

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from surveys.analysis import selectors

pytestmark = pytest.mark.django_db

REPORT = reverse("surveys_analysis:report")
TREND = reverse("surveys_analysis:trend")


def _query(round_, item, **extra):
    return {"round": round_.pk, "item": item, **extra}


@pytest.mark.parametrize(
    "url",
    [
        REPORT,
        TREND,
        reverse("surveys_analysis:report_download", args=["csv"]),
        reverse("surveys_analysis:trend_download", args=["xlsx"]),
    ],
)
def test_only_evaluators_and_admins_open_the_pages(client, alice, bob, charlie, early_round, url):
    params = {"round": early_round.pk, "item": "barriers"}
    response = client.get(url, params)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(charlie)
    assert client.get(url, params).status_code == 403
    for user in (alice, bob):
        client.force_login(user)
        response = client.get(url, params)
        assert response.status_code == 200, user
        assert "no-store" in response["Cache-Control"]


def test_the_responses_are_read_in_a_constant_number_of_queries(
    early_round, django_assert_num_queries
):
    selectors.round_respondents(round=early_round)  # the process loads each definition once
    with django_assert_num_queries(2):
        respondents = selectors.round_respondents(round=early_round)
    assert len(respondents) == 5  # the partial one is not complete by the round's rule
    assert len(selectors.round_respondents(round=early_round, include_partial=True)) == 6


def test_a_grid_by_cohort_shows_the_hand_worked_shares_ranked_with_their_bases(
    client, alice, early_round
):
    client.force_login(alice)
    page = client.get(REPORT, _query(early_round, "barriers", by="cohort", points=1))
    table = page.context["table"]
    assert table.columns == ["All", "Cohort 1", "Cohort 2"]
    assert [(r.label, [c.shown for c in r.cells]) for r in table.rows] == [
        ("Competing demands on time", ["50%", "0%", "100%"]),
        ("Financial constraints", ["40%", "100%", "0%"]),
    ]
    html = page.content.decode()
    assert "Bases vary from 4 to 5" in html
    assert 'aria-sort="descending"' in html
    assert "<caption" in html and 'scope="row"' in html
    assert "Fewer than 10 answers in the base: too few to compare" in html


def test_partials_can_be_counted_in(client, alice, early_round):
    client.force_login(alice)
    page = client.get(REPORT, _query(early_round, "barriers", points=1, include_partial="on"))
    money = next(r for r in page.context["table"].rows if r.code == "barrier.money")
    assert (money.cells[0].count, money.cells[0].base) == (3, 6)


def test_a_single_choice_by_organisation_group_and_by_site(client, alice, early_round):
    client.force_login(alice)
    table = client.get(REPORT, _query(early_round, "post", by="group")).context["table"]
    assert table.columns == ["All", "CCG", "Local Authority", "NHS provider"]
    assert table.bases == [4, 2, 1, 1]
    assert table.missing == [("Not asked (routing)", [1, 0, 1, 0])]
    by_site = client.get(REPORT, _query(early_round, "post", by="site")).context["table"]
    assert by_site.columns == [
        "All",
        "Airedale, Wharfedale and Craven",
        "Barnsley",
        "Kent",
        "Wakefield",
    ]


def test_ranking_by_another_column_and_in_the_questionnaires_order(client, alice, early_round):
    client.force_login(alice)
    ranked = client.get(REPORT, _query(early_round, "barriers", by="cohort", sort=1))
    assert ranked.context["table"].rows[0].code == "barrier.money"
    kept = client.get(REPORT, _query(early_round, "barriers", by="cohort", sort=2, points=[1]))
    assert kept.context["table"].rows[0].code == "barrier.time"
    in_order = client.get(REPORT, _query(early_round, "barriers", sort=-1, points=[3]))
    assert [r.code for r in in_order.context["table"].rows] == ["barrier.money", "barrier.time"]


def test_an_item_from_another_round_or_a_wrong_format_is_refused(
    client, alice, early_round, later_round
):
    client.force_login(alice)
    page = client.get(REPORT, _query(early_round, "barrier.covid"))
    assert page.context["table"] is None
    assert "barrier.covid is not one of the available choices" in page.content.decode()
    url = reverse("surveys_analysis:report_download", args=["pdf"])
    assert client.get(url, _query(early_round, "post")).status_code == 404


def test_the_table_downloads_as_csv_and_xlsx_with_its_bases(client, alice, early_round):
    client.force_login(alice)
    query = _query(early_round, "barriers", by="cohort", points=1)
    csv = client.get(reverse("surveys_analysis:report_download", args=["csv"]), query)
    assert csv["Content-Type"].startswith("text/csv")
    assert 'filename="2016_survey-barriers.csv"' in csv["Content-Disposition"]
    text = csv.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "barrier.time,Competing demands on time,50.0,2,4,0.0,0,2,100.0,2,2" in text
    xlsx = client.get(reverse("surveys_analysis:report_download", args=["xlsx"]), query)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[1][:5] == ["Code", "Statement", "All %", "All n", "All base"]
    assert rows[3][:5] == ["barrier.money", "Financial constraints", 40, 2, 5]


def test_the_trend_joins_rounds_on_the_item_code_whatever_the_numbers(client, alice, later_round):
    client.force_login(alice)
    page = client.get(TREND, {"item": "barriers", "points": 1})
    table = page.context["table"]
    assert table.columns == ["2016 survey", "2020 survey"]
    assert {r.code: [(c.count, c.base) for c in r.cells] for r in table.rows} == {
        "barrier.time": [(2, 4), (0, 1)],
        "barrier.covid": [(0, 0), (1, 1)],
        "barrier.money": [(2, 5), (1, 2)],
    }
    html = page.content.decode()
    start = html.index('<script id="trend-data" type="application/json">')
    figures = json.loads(html[start:].split(">", 1)[1].split("</script>", 1)[0])
    assert figures["labels"] == ["2016 survey", "2020 survey"]
    assert figures["datasets"][0] == {"label": "Competing demands on time", "data": [50.0, 0.0]}
    assert "<script>" not in html  # no inline script: the chart is drawn by a static file
    item = client.get(TREND, {"item": "barrier.money", "points": 1}).context["table"]
    assert "asked as Q3 (3) in 2016 survey, Q13 (3) in 2020 survey" in item.notes[0]


def test_the_trend_downloads(client, alice, later_round):
    client.force_login(alice)
    csv = client.get(reverse("surveys_analysis:trend_download", args=["csv"]), {"item": "barriers"})
    text = csv.content.decode("utf-8-sig")
    assert "Code,Statement,2016 survey %,2016 survey n,2016 survey base" in text
    assert "barrier.covid,Covid-19,,0,0,100.0,1,1" in text
