"""The evaluator's member page and the round's tracking pages, in a real browser."""

import pytest
from django.urls import reverse

from panels.models import Contact, Round
from panels.services import member_invited
from tests.browser.pages import logged_in
from tests.browser.test_evaluator_pages import SHOTS, SIZES, _check
from tests.conftest import add_member, make_round

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _shot(page, name, size):
    """No sideways scrolling, nothing axe objects to; a whole-page picture when asked."""
    _check(page, name, size)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}-{size}.png", full_page=True)


@pytest.fixture
def members(seed_versions):
    round_ = make_round("2020 survey", seed_versions[1], status="planned")
    ann = add_member(round_)
    bea = add_member(round_, site_name="Kent", email="bea.brown@example.org")
    Contact.objects.filter(pk=bea.contact_id).update(first_name="Bea", last_name="Brown")
    Round.objects.filter(pk=round_.pk).update(status="open")
    member_invited(member_id=ann.pk, at=None)
    return ann, bea


@pytest.mark.parametrize("size", SIZES)
def test_an_evaluator_records_a_disposition_and_sees_it_in_the_history(
    server, new_page, alice, members, size
):
    ann, bea = members
    page = logged_in(new_page, server, *SIZES[size])
    page.goto(server + reverse("panels:member_list", args=[ann.round_id]))
    _shot(page, "member-list", size)
    page.get_by_role("link", name="Ann Ashworth").click()
    assert page.get_by_role("heading", name="Ann Ashworth").is_visible()
    _shot(page, "member", size)

    page.get_by_label("Coordinated: another member answers for them").check()
    page.get_by_role("button", name="Record").click()
    error = page.locator("#div_id_coordinated_by").get_by_text("Choose the member who answers")
    assert error.is_visible()
    _shot(page, "member-error", size)

    page.get_by_label("Not eligible", exact=True).check()
    page.get_by_label("Why not eligible").select_option("duplicate listing")
    page.get_by_role("button", name="Record").click()
    assert page.get_by_text("The disposition is recorded.").is_visible()
    history = page.get_by_role("list", name="Every change of Ann Ashworth's disposition")
    last = history.locator("li").last
    assert "From invited, no response to not eligible" in last.inner_text()
    assert "Why: duplicate listing" in last.inner_text()
    assert "An evaluator (alice)" in last.inner_text()
    _shot(page, "member-recorded", size)


@pytest.mark.parametrize("size", SIZES)
def test_the_rule_the_close_and_the_file_pages_read_well(
    server, new_page, alice, members, seed_versions, size
):
    ann, _ = members
    planned = make_round("2021 survey", seed_versions[1], status="planned")
    page = logged_in(new_page, server, *SIZES[size])
    page.goto(server + reverse("panels:round_detail", args=[planned.pk]))
    page.get_by_role("link", name="Change the completeness rule").click()
    page.get_by_label("A share of the items the routing showed is answered").check()
    page.get_by_label("Share of the shown items to answer (%)").fill("80")
    page.get_by_label("Break-off below (%)").fill("50")
    _shot(page, "completeness", size)
    page.get_by_role("button", name="Save the rule").click()
    assert page.get_by_text("at least 80% of the items the routing showed").is_visible()
    if SHOTS:  # the round page itself is checked by its own tests
        page.screenshot(path=f"{SHOTS}/round-rule-{size}.png", full_page=True)

    page.goto(server + reverse("panels:round_detail", args=[ann.round_id]))
    page.get_by_role("link", name="Record dispositions from a file").click()
    _shot(page, "dispositions-file", size)
    page.goto(server + reverse("panels:round_detail", args=[ann.round_id]))
    page.get_by_role("link", name="Close the round").click()
    _shot(page, "close", size)
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Close the round").click()
    assert page.get_by_text("2020 survey is closed: 2 dispositions are final.").is_visible()
