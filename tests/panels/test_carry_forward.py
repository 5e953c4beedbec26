import datetime
import io

import pytest

from panels.importing import read_list
from panels.models import Contact, Member, Panel
from panels.selectors import round_site_rows
from panels.services import panel_import, round_carry_forward
from tests.panels.files import ROWS, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled_2016(round_2016, alice):
    report = panel_import(
        round=round_2016, list_file=read_list("l.csv", io.BytesIO(csv_bytes(ROWS))), user=alice
    )
    assert report.ok
    return round_2016


def test_carry_forward_copies_every_panel_and_member(filled_2016, round_2017):
    report = round_carry_forward(source=filled_2016, target=round_2017)
    assert (report.panels, report.members, report.left_out) == (2, 3, 0)
    sizes = {p.site.name: p.members.count() for p in Panel.objects.filter(round=round_2017)}
    assert sizes == {"Barnsley": 2, "Kent": 1}


def test_contacts_who_left_the_study_are_left_out(filled_2016, round_2017):
    Contact.objects.filter(email="cal.carrow@example.net").update(
        left_study_on=datetime.date(2016, 12, 1)
    )
    report = round_carry_forward(source=filled_2016, target=round_2017)
    assert (report.members, report.left_out) == (2, 1)
    assert not Member.objects.filter(
        round=round_2017, contact__email="cal.carrow@example.net"
    ).exists()


def test_each_panel_keeps_its_last_updated_date_and_shows_where_it_came_from(
    filled_2016, round_2017, alice
):
    old = Panel.objects.get(round=filled_2016, site__name="Barnsley")
    round_carry_forward(source=filled_2016, target=round_2017)
    new = Panel.objects.get(round=round_2017, site__name="Barnsley")
    assert (new.refreshed_at, new.refreshed_by, new.carried_from) == (old.refreshed_at, alice, old)


def test_carry_forward_into_a_round_that_has_members_is_refused(filled_2016, round_2017):
    round_carry_forward(source=filled_2016, target=round_2017)
    with pytest.raises(ValueError, match="already has panel members"):
        round_carry_forward(source=filled_2016, target=round_2017)
    assert Member.objects.filter(round=round_2017).count() == 3


def test_a_contact_who_moved_site_is_carried_onto_the_new_sites_list(filled_2016, round_2017, kent):
    Contact.objects.filter(email="ann.ashworth@example.org").update(site=kent)
    round_carry_forward(source=filled_2016, target=round_2017)
    member = Member.objects.get(round=round_2017, contact__email="ann.ashworth@example.org")
    assert member.panel.site == kent


def test_importing_an_unchanged_list_confirms_a_carried_list_for_the_new_round(
    filled_2016, round_2017, bob
):
    round_carry_forward(source=filled_2016, target=round_2017)
    stale = [row["site"].name for row in round_site_rows(round_2017) if row["stale"]]
    assert stale == ["Barnsley", "Kent"]
    list_file = read_list("l.csv", io.BytesIO(csv_bytes(ROWS[:2])))
    report = panel_import(round=round_2017, list_file=list_file, user=bob)
    assert report.ok and report.panels_refreshed == 1
    stale = [row["site"].name for row in round_site_rows(round_2017) if row["stale"]]
    assert stale == ["Kent"]
    assert Panel.objects.get(round=round_2017, site__name="Barnsley").refreshed_by == bob


def test_importing_the_same_list_again_after_confirming_it_changes_nothing(
    filled_2016, round_2017, bob
):
    round_carry_forward(source=filled_2016, target=round_2017)
    data = csv_bytes(ROWS)
    panel_import(round=round_2017, list_file=read_list("l.csv", io.BytesIO(data)), user=bob)
    stamps = dict(Panel.objects.filter(round=round_2017).values_list("site_id", "refreshed_at"))
    report = panel_import(round=round_2017, list_file=read_list("l.csv", io.BytesIO(data)))
    assert report.ok and not report.changed
    after = dict(Panel.objects.filter(round=round_2017).values_list("site_id", "refreshed_at"))
    assert after == stamps


def test_carry_forward_fills_an_empty_panel_the_new_round_already_has(
    filled_2016, round_2017, barnsley
):
    empty = Panel.objects.create(round=round_2017, site=barnsley)
    report = round_carry_forward(source=filled_2016, target=round_2017)
    assert (report.panels, report.members) == (2, 3)
    sizes = {p.site.name: p.members.count() for p in Panel.objects.filter(round=round_2017)}
    assert sizes == {"Barnsley": 2, "Kent": 1}
    empty.refresh_from_db()
    assert empty.carried_from == Panel.objects.get(round=filled_2016, site=barnsley)
