"""The round's completeness rule: set while planned, fixed once fieldwork opens."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from panels.models import Round, RoundStatus
from panels.services import RuleFixed, round_completeness_set
from tests.conftest import make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(seed_versions):
    return make_round("2020 survey", seed_versions[1], status="planned")


def _open(round_):
    Round.objects.filter(pk=round_.pk).update(status=RoundStatus.OPEN)
    round_.refresh_from_db()
    return round_


def test_a_new_round_counts_a_response_complete_at_the_end(planned):
    assert planned.completeness_summary() == (
        "Complete when the end of the questionnaire is reached; a started response that is "
        "not complete is partial."
    )


def test_the_rule_is_set_while_the_round_is_planned(planned):
    round_completeness_set(round=planned, rule="share", share=0.8, break_off_below=0.5)
    planned.refresh_from_db()
    assert (planned.completeness_rule, planned.completeness_share) == ("share", 0.8)
    assert "at least 80% of the items the routing showed" in planned.completeness_summary()
    assert "break-off with under 50%" in planned.completeness_summary()


def test_the_service_refuses_to_change_the_rule_once_the_round_is_open(planned):
    _open(planned)
    with pytest.raises(RuleFixed):
        round_completeness_set(round=planned, rule="share", share=0.5)
    planned.refresh_from_db()
    assert planned.completeness_rule == "end"


def test_the_model_refuses_a_changed_rule_on_an_open_round(planned):
    _open(planned)
    planned.completeness_rule, planned.completeness_share = "share", 0.5
    with pytest.raises(ValidationError) as caught:
        planned.full_clean()
    assert "fixed once the round has opened" in str(caught.value)


def test_the_model_needs_items_for_the_named_items_rule(planned):
    planned.completeness_rule = "items"
    with pytest.raises(ValidationError, match="Name the items"):
        planned.full_clean()


def test_the_database_refuses_a_share_over_one(planned):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Round.objects.filter(pk=planned.pk).update(break_off_below=50)


def test_the_round_page_states_the_rule_and_links_to_change_it(client, alice, planned):
    client.force_login(alice)
    page = client.get(reverse("panels:round_detail", args=[planned.pk])).content.decode()
    assert "Complete when the end of the questionnaire is reached" in page
    assert reverse("panels:round_completeness", args=[planned.pk]) in page


def test_an_evaluator_sets_the_rule_from_its_page_in_percent(client, alice, planned):
    client.force_login(alice)
    url = reverse("panels:round_completeness", args=[planned.pk])
    response = client.post(
        url, {"rule": "items", "items": "consent, respondent.org_type", "break_off_below": "25"}
    )
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.completeness_items == ["consent", "respondent.org_type"]
    assert planned.break_off_below == 0.25


def test_unknown_item_codes_are_named_next_to_the_field(client, alice, planned):
    client.force_login(alice)
    url = reverse("panels:round_completeness", args=[planned.pk])
    page = client.post(url, {"rule": "items", "items": "consent q99", "break_off_below": "0"})
    assert page.status_code == 200
    assert "Not an item of" in page.content.decode() and "q99" in page.content.decode()
    planned.refresh_from_db()
    assert planned.completeness_rule == "end"


def test_a_share_is_asked_for_the_share_rule_and_kept_in_bounds(client, alice, planned):
    client.force_login(alice)
    url = reverse("panels:round_completeness", args=[planned.pk])
    page = client.post(url, {"rule": "share", "break_off_below": "120"}).content.decode()
    assert "Give the share for this rule." in page
    assert "less than or equal to 100" in page


def test_the_page_of_an_open_round_refuses_a_change(client, alice, planned):
    _open(planned)
    client.force_login(alice)
    url = reverse("panels:round_completeness", args=[planned.pk])
    assert "can no longer change" in client.get(url).content.decode()
    page = client.post(url, {"rule": "share", "share": "50", "break_off_below": "0"})
    assert "its completeness rule is fixed" in page.content.decode()
    planned.refresh_from_db()
    assert planned.completeness_rule == "end"
    round_page = client.get(reverse("panels:round_detail", args=[planned.pk])).content.decode()
    assert url not in round_page
    assert "Fixed since the round opened." in round_page


def test_an_outsider_cannot_change_the_rule(client, charlie, planned):
    client.force_login(charlie)
    url = reverse("panels:round_completeness", args=[planned.pk])
    assert client.post(url, {"rule": "share", "share": "50"}).status_code == 403
    planned.refresh_from_db()
    assert planned.completeness_rule == "end"
