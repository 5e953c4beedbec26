"""The fieldwork dashboard and the trends page, as an evaluator reads and downloads them."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from panels.models import Member
from tests.reminders.fieldwork import fieldwork_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_20(db):
    return fieldwork_round(size=20)


def _csv(client, url) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    return list(csv.reader(io.StringIO(response.content.decode())))


def _dashboard(client, round_, query=""):
    return client.get(reverse("dashboard:round", args=[round_.pk]) + query).content.decode()


def test_the_headline_gives_both_rate_families_with_counts_and_intervals(client, alice, round_20):
    client.force_login(alice)
    page = _dashboard(client, round_20)
    # 6 complete of 20; 2 opted out and 2 not eligible leave the study's base of 16.
    assert "Completes / sample frame" in page
    assert '<strong>30.0%</strong> <span class="rate-detail">95% CI 14.5% to 51.9%' in page
    assert "(6 / 20)" in page and "(6 / 16)" in page and "37.5%" in page
    # AAPOR: I 6, P 2, R 2, NE 2, UO 2, UH 6; e = 10 / 12 by proportional allocation.
    assert "e = 0.833</strong> (proportional allocation)" in page
    assert "RR1: completes / all cases" in page and "(6 / 18)" in page


def test_a_given_e_is_used_and_printed_and_a_bad_one_is_refused_beside_the_field(
    client, alice, round_20
):
    client.force_login(alice)
    page = _dashboard(client, round_20, "?e=0.5")
    assert "e = 0.500</strong> (given)" in page
    assert "(6 / 14)" in page  # RR3: 6 / (10 + 0.5 * 8)
    page = _dashboard(client, round_20, "?e=1.5")
    assert 'id="e-error"' in page and "less than or equal to 1" in page
    assert "(proportional allocation)" in page


def test_the_site_table_gives_list_size_last_update_and_whether_a_site_has_a_return(
    client, alice, round_20
):
    client.force_login(alice)
    rows = _csv(client, reverse("dashboard:round_table_csv", args=[round_20.pk, "sites"]))
    header, body = rows[0], {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert header[:6] == [
        "site",
        "cohort",
        "last updated",
        "at least one return",
        "members",
        "complete",
    ]
    assert set(body) == {"Barnsley", "Kent", "Greenwich", "Islington", "Leeds"}
    assert body["Barnsley"]["members"] == "4" and body["Barnsley"]["complete"] == "2"
    assert body["Barnsley"]["at least one return"] == "yes"
    assert body["Islington"]["at least one return"] == "no"  # two partials, no complete
    assert body["Leeds"]["eligible base"] == "2"  # two opted out of four
    assert body["Kent"]["last updated"]
    page = _dashboard(client, round_20)
    assert "data-sortable" in page and '<th scope="row">Islington</th>' in page


def test_breakdowns_by_cohort_organisation_group_and_job_title(client, alice, round_20):
    client.force_login(alice)
    rows = _csv(client, reverse("dashboard:round_table_csv", args=[round_20.pk, "job_title"]))
    counts = {r[0]: (r[1], r[2]) for r in rows[1:]}
    # i % 3 == 0 is a director: i = 0, 3, ..., 18 (7 members, 3 complete: 0, 12 and... )
    assert counts["Director / Assistant Director"][0] == "7"
    assert counts["Locality Manager"][0] == "13"
    assert int(counts["Director / Assistant Director"][1]) + int(counts["Locality Manager"][1]) == 6
    page = _dashboard(client, round_20)
    for heading in ("By cohort", "By organisation group", "By job title"):
        assert heading in page
    # Several titles count under each; none under "(not given)".
    members = Member.objects.filter(round=round_20).order_by("pk")
    Member.objects.filter(pk=members[0].pk).update(job_titles=["Locality Manager", "GP"])
    Member.objects.filter(pk=members[1].pk).update(job_titles=[])
    rows = _csv(client, reverse("dashboard:round_table_csv", args=[round_20.pk, "job_title"]))
    members_by_title = {r[0]: int(r[1]) for r in rows[1:]}
    assert members_by_title["GP"] == 1 and members_by_title["(not given)"] == 1
    assert [r[0] for r in rows[1:]][-1] == "(not given)"
    assert sum(members_by_title.values()) == 21
    cohorts = _csv(client, reverse("dashboard:round_table_csv", args=[round_20.pk, "cohort"]))
    assert [r[:2] for r in cohorts[1:]] == [["Cohort 1", "20"]]
    groups = _csv(client, reverse("dashboard:round_table_csv", args=[round_20.pk, "org_group"]))
    assert [r[:2] for r in groups[1:]] == [["CCG", "10"], ["Local Authority", "10"]]


def test_completes_by_day_add_up_with_the_invitation_and_reminder_on_their_days(
    client, alice, round_20
):
    client.force_login(alice)
    rows = _csv(client, reverse("dashboard:round_table_csv", args=[round_20.pk, "days"]))
    days = rows[1:]
    assert len(days) == 7  # from the invitation six days ago to today
    assert days[0][2:] == ["4", "4", "Invitation"]  # completes 0, 2, 10 and 12
    assert days[4][2:] == ["2", "6", "Reminder 1"]  # completes 1 and 11
    assert days[-1][3] == "6"
    page = _dashboard(client, round_20)
    assert 'id="progress-data" type="application/json"' in page
    assert '"cumulative": [4, 4, 4, 4, 6, 6, 6]' in page
    # A member made complete with no change recorded is counted, but not given a day.
    Member.objects.filter(round=round_20, disposition="not_started").filter(
        pk=Member.objects.filter(round=round_20, disposition="not_started").first().pk
    ).update(disposition="complete")
    page = _dashboard(client, round_20)
    assert "1 complete member with no recorded date of completion is not in the chart" in page
    assert '"cumulative": [4, 4, 4, 4, 6, 6, 6]' in page


def test_every_table_is_spreadsheet_safe(client, alice, round_20):
    Member.objects.filter(round=round_20).update(job_titles=['=HYPERLINK("x")'])
    client.force_login(alice)
    rows = _csv(client, reverse("dashboard:round_table_csv", args=[round_20.pk, "job_title"]))
    assert rows[1][0] == '\'=HYPERLINK("x")'
    for table in ("headline", "counts", "cohort", "org_group"):
        assert (
            len(_csv(client, reverse("dashboard:round_table_csv", args=[round_20.pk, table]))) > 1
        )
    assert (
        client.get(reverse("dashboard:round_table_csv", args=[round_20.pk, "nope"])).status_code
        == 404
    )


def test_trends_and_retention_across_two_rounds(client, alice):
    fieldwork_round(size=10, name="2019 survey", year=2019)
    fieldwork_round(size=10, name="2020 survey", year=2020, shift=1)
    client.force_login(alice)
    rows = _csv(client, reverse("dashboard:trends_csv"))
    assert [r[0] for r in rows[1:]] == ["2019 survey", "2020 survey"]
    header = rows[0]
    frame = header.index("study_frame")
    assert [r[frame] for r in rows[1:]] == ["0.3", "0.3"]
    # Eligible both times: all but members 3, 4 and 5; complete 2019: 0, 1, 2; 2020: 0, 1, 9.
    rows = _csv(client, reverse("dashboard:retention_csv"))
    assert rows[1][:6] == ["2020 survey", "2019 survey", "7", "3", "3", "2"]
    assert rows[1][8] == "0.2857"
    page = client.get(reverse("dashboard:trends")).content.decode()
    assert "Retention from round to round" in page and "(2 / 7)" in page
    assert "RR1: completes / all cases" in page


def test_the_pages_are_for_evaluators_only(client, charlie, round_20):
    urls = [
        reverse("dashboard:round", args=[round_20.pk]),
        reverse("dashboard:round_table_csv", args=[round_20.pk, "sites"]),
        reverse("dashboard:trends"),
        reverse("dashboard:retention_csv"),
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(charlie)
    for url in urls:
        assert client.get(url).status_code == 403


def test_the_round_page_links_to_its_dashboard(client, alice, round_20):
    client.force_login(alice)
    page = client.get(reverse("panels:round_detail", args=[round_20.pk])).content.decode()
    assert reverse("dashboard:round", args=[round_20.pk]) in page


# The number of queries does not grow with the round: pinned at two sizes.
# The user and the evaluator check come first on every request (the session is cached);
# a page adds the user's permissions, which the menu reads for its Admin link.
AUTH = 2
MENU = 2


@pytest.mark.parametrize("size", [10, 60])
def test_the_dashboard_makes_a_constant_number_of_queries(
    client, alice, size, django_assert_num_queries
):
    round_ = fieldwork_round(size=size)
    client.force_login(alice)
    # the round; panels; organisation types; counts by panel, type and job titles;
    # completes by day; messages
    with django_assert_num_queries(AUTH + 6 + MENU):
        client.get(reverse("dashboard:round", args=[round_.pk]))


@pytest.mark.parametrize("size", [10, 60])
def test_the_csv_tables_make_a_constant_number_of_queries(
    client, alice, size, django_assert_num_queries
):
    round_ = fieldwork_round(size=size)
    client.force_login(alice)
    for table, queries in (("sites", 4), ("job_title", 4), ("days", 3), ("headline", 4)):
        with django_assert_num_queries(AUTH + queries):
            client.get(reverse("dashboard:round_table_csv", args=[round_.pk, table]))


@pytest.mark.parametrize("size", [10, 60])
def test_trends_make_a_constant_number_of_queries(client, alice, size, django_assert_num_queries):
    fieldwork_round(size=size, name="2019 survey", year=2019)
    fieldwork_round(size=size, name="2020 survey", year=2020, shift=1)
    client.force_login(alice)
    with django_assert_num_queries(AUTH + 3 + MENU):  # rounds, counts by round, retention
        client.get(reverse("dashboard:trends"))


@pytest.mark.parametrize("size", [10, 60])
def test_response_rates_makes_a_constant_number_of_queries(size, django_assert_num_queries, capsys):
    fieldwork_round(size=size)
    with django_assert_num_queries(3):  # the round, the counts, the counts by job title
        call_command("response_rates", "2020 survey", by="job_title", format="json")
