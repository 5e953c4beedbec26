"""Ann on the 2020 questionnaire, and Ann having opened her link and consented."""

import re

import pytest

from tests.conftest import add_member, link_of, make_round


@pytest.fixture
def ann(seed_versions):
    return add_member(make_round("2020 survey", seed_versions[1]))


def revision_of(page) -> str:
    """Return the revision a respondent page names in its form."""
    return re.search(r'name="revision" value="(\d+)"', page.content.decode()).group(1)


def consent(client, ann) -> None:
    """Open Ann's link, start and consent: the organisation page is next."""
    client.get(link_of(ann))
    client.post("/r/start/")
    intro = client.get("/r/page/intro/")
    answer = {"revision": revision_of(intro), "consent": "1", "action": "next"}
    assert client.post("/r/page/intro/", answer)["Location"] == "/r/page/organisation/"


@pytest.fixture
def consented(client, ann):
    consent(client, ann)
    return client
