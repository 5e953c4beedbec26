"""A consent left unticked in the browser ends the survey as a refusal."""

import pytest
from playwright.sync_api import expect

from panels.models import Member
from surveys.demo import SEED_DIR, SEED_FILES
from surveys.engine.textio import parse_text
from surveys.services import version_publish, version_store
from tests.browser.respondent import next_page, open_link, start
from tests.conftest import add_member, make_round

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def member(db):
    data = parse_text((SEED_DIR / SEED_FILES[0]).read_text(encoding="utf-8"))
    for page in data["pages"]:
        for item in page["items"]:
            if item["type"] == "consent":
                item["required"] = False
    version, _ = version_store(data=data)
    return add_member(make_round("2016 survey", version_publish(version=version)))


def test_a_consent_refused_in_the_browser_ends_with_a_refusal(server, new_page, member):
    page = new_page()
    open_link(page, server, member)
    start(page)
    next_page(page)  # the consent box left unticked
    page.goto(server + "/r/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you: you chose not to take part"
    )
    assert Member.objects.get(pk=member.pk).disposition == "refused"
