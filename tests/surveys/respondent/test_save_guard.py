"""A save names the response as its request read it; when another save was stored in
between, the page is judged again against the row as stored, never written over it."""

import pytest

from surveys.models import Response
from surveys.services import StaleAnswers, response_save_page, response_start
from tests.conftest import add_member, make_round

pytestmark = pytest.mark.django_db


def save(response, page_id, revision, **answers):
    data = {code: [str(value)] for code, value in answers.items()}
    return response_save_page(
        response=response, page_id=page_id, data=data, revision=revision, action="next"
    )


def test_a_response_read_before_another_save_cannot_overwrite_it(seed_versions):
    ann = add_member(make_round("2020 survey", seed_versions[1]))
    response = response_start(member=ann)
    response.refresh_from_db()
    save(response, "intro", response.revision, consent=1)
    read_early = Response.objects.get(pk=response.pk)  # this request's read
    other_tab = Response.objects.get(pk=response.pk)
    save(other_tab, "organisation", other_tab.revision, **{"respondent.org_type": 1})
    with pytest.raises(StaleAnswers):
        save(read_early, "organisation", read_early.revision, **{"respondent.org_type": 2})
    stored = Response.objects.get(pk=response.pk)
    assert stored.answers["respondent.org_type"] == 1
    assert stored.revision == read_early.revision + 1


def test_a_response_read_before_another_page_was_saved_keeps_both_pages(seed_versions):
    ann = add_member(make_round("2020 survey", seed_versions[1]))
    response = response_start(member=ann)
    response.refresh_from_db()
    save(response, "intro", response.revision, consent=1)
    first = Response.objects.get(pk=response.pk)
    save(first, "organisation", first.revision, **{"respondent.org_type": 1})
    read_early = Response.objects.get(pk=response.pk)
    other_tab = Response.objects.get(pk=response.pk)
    outcome = save(other_tab, "intro", other_tab.revision, consent=1)  # the same answer again
    assert outcome.saved
    # Saved again from the older read: the organisation page is merged, not lost.
    save(read_early, "organisation", read_early.revision, **{"respondent.org_type": 1})
    stored = Response.objects.get(pk=response.pk)
    assert stored.answers["consent"] == 1 and stored.answers["respondent.org_type"] == 1
    assert stored.revision == read_early.revision + 2
