"""Disposition counts of a round, overall and by group, in a constant number of queries."""

import pytest

from panels.models import Member, OrganisationType
from panels.selectors import round_disposition_counts, round_disposition_counts_by
from tests.conftest import add_member

pytestmark = pytest.mark.django_db

# site, email, disposition, job titles
PEOPLE = [
    ("Barnsley", "a@example.org", "complete", ["Chief Executive"]),
    ("Barnsley", "b@example.org", "not_started", ["Chief Executive", "Lead"]),
    ("Barnsley", "c@example.org", "opted_out", []),
    ("Kent", "d@example.org", "complete", ["Lead"]),
    ("Kent", "e@example.org", "undeliverable", ["Lead"]),
]


def _load(round_, people=PEOPLE):
    for site, email, disposition, titles in people:
        member = add_member(round_, site_name=site, email=email)
        Member.objects.filter(pk=member.pk).update(disposition=disposition, job_titles=titles)


def test_counts_of_the_whole_round(round_2016, django_assert_num_queries):
    _load(round_2016)
    with django_assert_num_queries(1):
        counts = round_disposition_counts(round=round_2016)
    assert counts == {"complete": 2, "not_started": 1, "opted_out": 1, "undeliverable": 1}


def test_counts_by_site(round_2016, django_assert_num_queries):
    _load(round_2016)
    with django_assert_num_queries(1):
        groups = round_disposition_counts_by(round=round_2016, by="site")
    assert groups == {
        "Barnsley": {"complete": 1, "not_started": 1, "opted_out": 1},
        "Kent": {"complete": 1, "undeliverable": 1},
    }


def test_counts_by_cohort_and_organisation_group(round_2016, barnsley, kent):
    _load(round_2016)
    group = OrganisationType.objects.get(code=1).analysis_group.name
    assert round_disposition_counts_by(round=round_2016, by="org_group") == {
        group: {"complete": 2, "not_started": 1, "opted_out": 1, "undeliverable": 1}
    }
    by_cohort = round_disposition_counts_by(round=round_2016, by="cohort")
    assert sum(sum(c.values()) for c in by_cohort.values()) == 5
    assert by_cohort[f"Cohort {kent.cohort}"]["undeliverable"] == 1


def test_a_member_counts_under_each_of_their_job_titles(round_2016):
    _load(round_2016)
    assert round_disposition_counts_by(round=round_2016, by="job_title") == {
        "Chief Executive": {"complete": 1, "not_started": 1},
        "Lead": {"complete": 1, "not_started": 1, "undeliverable": 1},
        "(not given)": {"opted_out": 1},
    }


@pytest.mark.parametrize("by", ["site", "cohort", "org_group", "job_title"])
def test_the_query_count_does_not_grow_with_the_round(round_2016, by, django_assert_num_queries):
    more = [("Kent", f"x{n}@example.org", "partial", ["Lead", f"T{n}"]) for n in range(12)]
    _load(round_2016, PEOPLE + more)
    with django_assert_num_queries(1):
        groups = round_disposition_counts_by(round=round_2016, by=by)
    assert sum(sum(c.values()) for c in groups.values()) >= 17


def test_an_unknown_grouping_is_named(round_2016):
    with pytest.raises(ValueError, match="Cannot group by 'colour'"):
        round_disposition_counts_by(round=round_2016, by="colour")
