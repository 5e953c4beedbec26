"""Rounds on the small test questionnaires, with responses worked by hand."""

import pytest
from django.utils import timezone

from panels.models import OrganisationType
from surveys.models import Response
from surveys.services import version_publish, version_store
from tests.conftest import add_member, make_round
from tests.surveys.analysis.definitions import ROWS_2016, ROWS_2020, definition


def published(data):
    version, _ = version_store(data=data)
    return version_publish(version=version)


def respond(round_, n, site, org_type, answers, *, not_asked=(), complete=True):
    """Give a new member of the round, at a site with an organisation type, a response."""
    member = add_member(round_, site, email=f"ki{n}.{round_.pk}@example.org")
    member.organisation_type = OrganisationType.objects.get(code=org_type)
    member.save(update_fields=["organisation_type"])
    return Response.objects.create(
        member=member,
        version=round_.version,
        answers={k if "." in k else k.replace("_", ".", 1): v for k, v in answers.items()},
        not_asked=list(not_asked),
        completed_at=timezone.now() if complete else None,
    )


def _round(name, year, version):
    round_ = make_round(name, version)
    round_.year = year
    round_.save(update_fields=["year"])
    return round_


@pytest.fixture
def early_round(db):
    return make_early_round()


@pytest.fixture
def later_round(early_round):
    return make_later_round()


def make_early_round():
    """Five complete responses and one partial, as in test_tables (cohort 1: Barnsley and
    Kent; cohort 2: Airedale and Wakefield; types 1 CCG, 2 Local Authority, 6 NHS provider)."""
    round_ = _round("2016 survey", 2016, published(definition(ROWS_2016)))
    respond(
        round_, 1, "Barnsley", 1, dict(post=1, channels=[1, 2], barrier_money=1, barrier_time=2)
    )
    respond(round_, 2, "Kent", 2, dict(post=2, channels=[1], barrier_money=1, barrier_time=4))
    respond(
        round_,
        3,
        "Airedale, Wharfedale and Craven",
        1,
        dict(post=3, barrier_money=2, barrier_time=1),
    )
    respond(round_, 4, "Wakefield", 2, dict(barrier_money=3), not_asked=("post", "channels"))
    respond(round_, 5, "Wakefield", 6, dict(post=1, channels=[2], barrier_money=4, barrier_time=1))
    respond(round_, 6, "Barnsley", 1, dict(post=2, barrier_money=1), complete=False)
    return round_


def make_later_round():
    """A later round on a new version that renumbers the barriers and adds one."""
    data = definition(ROWS_2020, role_label="Q5")
    data["title"] = "Test questionnaire, 2020"
    round_ = _round("2020 survey", 2020, published(data))
    respond(round_, 1, "Barnsley", 1, dict(barrier_money=1, barrier_time=3, barrier_covid=1))
    respond(round_, 2, "Kent", 2, dict(barrier_money=3))
    return round_
