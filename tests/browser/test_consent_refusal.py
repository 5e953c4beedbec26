"""A consent left unticked in the browser ends the survey as a refusal."""

import pytest
from playwright.sync_api import expect

from panels.models import Member
from tests.browser.respondent import next_page, open_link, start
from tests.conftest import optional_consent_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def member(db):
    """A member of a round whose consent may be left unticked (the author allows it)."""
    return optional_consent_member()


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
