"""A consent not given in the respondent pages is a refusal, not a complete."""

import re

import pytest

from panels.models import DispositionChange
from tests.conftest import link_of, optional_consent_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann(db):
    """A member of a round whose consent may be left unticked (the author allows it)."""
    return optional_consent_member()


def _post_intro(client, member, answers):
    client.get(link_of(member))
    client.post("/r/start/")
    page = client.get("/r/page/intro/").content.decode()
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
    return client.post("/r/page/intro/", {"revision": revision, "action": "next", **answers})


def test_a_consent_not_given_ends_the_survey_as_a_refusal(client, ann):
    response = _post_intro(client, ann, {})
    assert response.status_code == 302
    ann.refresh_from_db()
    assert ann.disposition == "refused"
    change = DispositionChange.objects.filter(member=ann).last()
    assert (change.to_disposition, change.source, change.reason) == (
        "refused",
        "respondent",
        "consent not given",
    )


def test_a_consent_given_goes_on_without_a_refusal(client, ann):
    _post_intro(client, ann, {"consent": "1"})
    ann.refresh_from_db()
    assert ann.disposition == "partial"


def test_the_respondent_is_told_they_chose_not_to_take_part(client, ann):
    _post_intro(client, ann, {})
    page = client.get("/r/").content.decode()
    assert "you chose not to take part" in page
    assert "your answers are complete" not in page
