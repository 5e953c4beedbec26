"""The round page an evaluator works from: each site's list with its personal links, the
response counts, who refreshed each list, creating and editing a round, carrying forward."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from panels.models import Disposition, Member, Panel, Round
from panels.tokens import hash_token
from tests.conftest import add_member, make_round

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<code class="personal-link" id="link-(\d+)">([^<]+)</code>')


def _round_page(client, round_) -> str:
    return client.get(reverse("panels:round_detail", args=[round_.pk])).content.decode()


def _list_page(client, round_, site) -> str:
    url = reverse("panels:panel_detail", args=[round_.pk, site.code])
    return client.get(url).content.decode()


def test_each_site_with_a_list_links_to_it_and_a_site_without_one_does_not(
    client, alice, round_2016, barnsley, kent
):
    add_member(round_2016)
    client.force_login(alice)
    page = _round_page(client, round_2016)
    url = reverse("panels:panel_detail", args=[round_2016.pk, barnsley.code])
    assert f'<a href="{url}">Barnsley</a>' in page
    assert '<th scope="row">Kent<br>' in page
    missing = reverse("panels:panel_detail", args=[round_2016.pk, kent.code])
    assert client.get(missing).status_code == 404


def test_a_sites_list_shows_each_member_with_organisation_job_titles_and_disposition(
    client, alice, round_2016, barnsley
):
    member = add_member(round_2016, attr_x="1")
    Member.objects.filter(pk=member.pk).update(
        job_titles=["Director of Integration", "Chief Nurse"], disposition=Disposition.PARTIAL
    )
    client.force_login(alice)
    page = _list_page(client, round_2016, barnsley)
    assert "Barnsley: the list for 2016 survey" in page
    assert "1 member." in page
    assert "Ann Ashworth" in page and "ann.ashworth@example.org" in page
    assert "Barnsley CCG" in page
    assert "Director of Integration<br>Chief Nurse" in page
    assert "Started or partial" in page


def test_the_personal_link_on_a_list_opens_that_members_questionnaire(
    client, alice, seed_versions, barnsley
):
    round_ = make_round("2016 survey", seed_versions[0])
    member = add_member(round_)
    client.force_login(alice)
    (pk, link), *_ = LINK.findall(_list_page(client, round_, barnsley))
    assert int(pk) == member.pk
    assert link.startswith("http://") and "/r/" in link
    token = urlsplit(link).path.rstrip("/").rsplit("/", 1)[-1]
    assert hash_token(token) == member.token_hash
    respondent = Client()
    opened = respondent.get(urlsplit(link).path, follow=True)
    assert opened.status_code == 200
    assert "Please tell us how integration is going." in opened.content.decode()


def test_the_copy_button_is_offered_only_by_the_script_and_the_link_is_shown_as_text(
    client, alice, round_2016, barnsley
):
    add_member(round_2016)
    client.force_login(alice)
    page = _list_page(client, round_2016, barnsley)
    assert re.search(r'<button type="button" class="[^"]*copy-link"[^>]*hidden>Copy link', page)
    assert 'src="/static/js/copy_link.js"' in page
    assert "<script>" not in page
    assert LINK.search(page)


def test_a_list_page_costs_the_same_queries_for_one_member_or_thirty(
    client, alice, round_2016, barnsley, django_assert_max_num_queries
):
    client.force_login(alice)
    add_member(round_2016)
    with django_assert_max_num_queries(12) as one:
        _list_page(client, round_2016, barnsley)
    for n in range(29):
        add_member(round_2016, email=f"person{n}@example.org")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert _list_page(client, round_2016, barnsley).count('class="personal-link"') == 30


def test_the_round_page_counts_complete_and_started_responses_per_site(
    client, alice, round_2016, barnsley
):
    dispositions = [Disposition.COMPLETE, Disposition.PARTIAL, Disposition.BREAK_OFF]
    for n, disposition in enumerate([*dispositions, Disposition.NOT_STARTED]):
        member = add_member(round_2016, email=f"p{n}@example.org")
        Member.objects.filter(pk=member.pk).update(disposition=disposition)
    add_member(round_2016, site_name="Kent", email="k@example.org")
    client.force_login(alice)
    page = _round_page(client, round_2016)
    barnsley_row = re.search(r">Barnsley</a>.*?</th>(.*?)</tr>", page, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", barnsley_row, re.S)
    assert cells[0:3] == ["4", "1", "2"]  # list size, complete, started
    kent_row = re.search(r">Kent</a>.*?</th>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r"<td[^>]*>(.*?)</td>", kent_row, re.S)[0:3] == ["1", "0", "0"]


def test_the_round_page_names_who_refreshed_a_list_or_says_a_command_imported_it(
    client, alice, round_2016, barnsley
):
    add_member(round_2016)  # through the service, as the demo and import_panel do
    add_member(round_2016, site_name="Kent", email="k@example.org")
    Panel.objects.filter(site__name="Kent").update(refreshed_by=alice)
    client.force_login(alice)
    page = _round_page(client, round_2016)
    barnsley_row = re.search(r">Barnsley</a>.*?</th>(.*?)</tr>", page, re.S).group(1)
    assert '<span class="small">by a command, e.g. the demo</span>' in barnsley_row
    kent_row = re.search(r">Kent</a>.*?</th>(.*?)</tr>", page, re.S).group(1)
    assert '<span class="small">by alice</span>' in kent_row


def _round_form(**changes):
    form = {
        "name": "2021 survey",
        "year": "2021",
        "status": "planned",
        "fieldwork_start": "2021-04-15",
        "fieldwork_end": "2021-06-15",
        "version": "",
        "welcome_text": "Please tell us how integration is going.",
        "study_contact": "the research team at survey@example.org",
    }
    return {**form, **changes}


def test_an_evaluator_creates_a_round_from_the_round_list_and_is_taken_to_it(client, alice):
    client.force_login(alice)
    listing = client.get(reverse("panels:round_list")).content.decode()
    assert f'href="{reverse("panels:round_create")}">Create a round</a>' in listing
    response = client.post(reverse("panels:round_create"), _round_form(), follow=True)
    created = Round.objects.get(name="2021 survey")
    assert response.redirect_chain[-1][0] == reverse("panels:round_detail", args=[created.pk])
    assert "Created 2021 survey." in response.content.decode()
    assert created.fieldwork_end.isoformat() == "2021-06-15"


def test_the_round_form_puts_each_error_next_to_its_field_and_saves_nothing(client, alice):
    client.force_login(alice)
    form = _round_form(name="", status="open", fieldwork_end="2021-01-01")
    page = client.post(reverse("panels:round_create"), form).content.decode()
    assert "Not saved: 3 fields to correct, marked below." in page
    for field, message in [
        ("name", "This field is required."),
        ("fieldwork_end", "The fieldwork ends before it starts."),
        ("version", "Choose the questionnaire version before opening the round."),
    ]:
        at = page.index(f'id="id_{field}"')
        assert page.index(escape(message), at) - at < 600, field
    assert not Round.objects.exists()


def test_the_round_form_offers_published_versions_only(client, alice):
    from surveys.demo import load_seed_questionnaires
    from surveys.services import version_copy

    v2016, _ = load_seed_questionnaires()
    draft = version_copy(version=v2016)
    client.force_login(alice)
    page = client.get(reverse("panels:round_create")).content.decode()
    assert f'<option value="{v2016.pk}">' in page
    assert f'<option value="{draft.pk}">' not in page


def test_an_evaluator_edits_a_round_and_is_taken_back_to_it(client, alice, round_2016):
    client.force_login(alice)
    page = _round_page(client, round_2016)
    edit = reverse("panels:round_edit", args=[round_2016.pk])
    assert f'href="{edit}">Edit this round</a>' in page
    form = _round_form(
        name="2016 survey", year="2016", fieldwork_start="2016-04-15", fieldwork_end="2016-07-01"
    )
    response = client.post(edit, form, follow=True)
    assert response.redirect_chain[-1][0] == reverse("panels:round_detail", args=[round_2016.pk])
    assert "Saved 2016 survey." in response.content.decode()
    assert "Fieldwork: 15 Apr 2016 to 1 Jul 2016." in response.content.decode()
    round_2016.refresh_from_db()
    assert round_2016.fieldwork_end.isoformat() == "2016-07-01"


def test_a_round_with_answers_keeps_its_questionnaire_version(client, alice, seed_versions):
    from surveys.models import Response

    round_ = make_round("2016 survey", seed_versions[0])
    member = add_member(round_)
    Response.objects.create(member=member, version=round_.version)
    client.force_login(alice)
    edit = reverse("panels:round_edit", args=[round_.pk])
    assert "it can no longer change" in client.get(edit).content.decode()
    form = _round_form(name="2016 survey", status="open", version=str(seed_versions[1].pk))
    client.post(edit, form)
    round_.refresh_from_db()
    assert round_.version == seed_versions[0]


def test_carry_forward_on_a_round_with_no_earlier_round_says_so(client, alice, round_2016):
    client.force_login(alice)
    page = _round_page(client, round_2016)
    assert "There is no earlier round to copy panels from." in page
    assert 'name="source"' not in page


def test_carry_forward_offers_only_earlier_rounds(client, alice, round_2016, round_2017):
    client.force_login(alice)
    later = _round_page(client, round_2017)
    assert f'<option value="{round_2016.pk}">2016 survey</option>' in later
    assert "There is no earlier round to copy panels from." in _round_page(client, round_2016)


def test_carry_forward_into_a_round_with_members_is_not_offered(
    client, alice, round_2016, round_2017
):
    add_member(round_2017)
    client.force_login(alice)
    page = _round_page(client, round_2017)
    assert "This round already has panel members" in page
    assert 'name="source"' not in page


def test_outsiders_cannot_reach_the_round_forms_or_a_sites_list(
    client, charlie, round_2016, barnsley
):
    add_member(round_2016)
    client.force_login(charlie)
    urls = [
        reverse("panels:round_create"),
        reverse("panels:round_edit", args=[round_2016.pk]),
        reverse("panels:panel_detail", args=[round_2016.pk, barnsley.code]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403
    client.post(reverse("panels:round_create"), _round_form())
    assert not Round.objects.filter(name="2021 survey").exists()


def test_an_admin_sees_a_sites_list_too(client, bob, round_2016, barnsley):
    add_member(round_2016)
    client.force_login(bob)
    assert Group.objects.get(name="admin") in bob.groups.all()
    assert LINK.search(_list_page(client, round_2016, barnsley))


def test_the_import_page_splits_a_full_name_column_and_says_so(client, alice, round_2016):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from panels.models import Contact
    from tests.panels.files import csv_bytes

    data = csv_bytes(
        [["Bea de Vries", "bea@example.org", "Kent"]], header=["Full name", "email", "site"]
    )
    client.force_login(alice)
    upload = SimpleUploadedFile("l.csv", data, content_type="text/csv")
    url = reverse("panels:panel_import", args=[round_2016.pk])
    page = client.post(url, {"file": upload}, follow=True).content.decode()
    assert "Imported 1 row: 1 new contact" in page
    assert escape("taken from the 'Full name' column, split at its last space") in page
    assert Contact.objects.get().last_name == "Vries"


def test_a_contacts_job_titles_are_edited_one_a_line_in_the_admin(client, bob, round_2016):
    member = add_member(round_2016)
    contact = member.contact
    client.force_login(bob)
    url = reverse("admin:panels_contact_change", args=[contact.pk])
    form = {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "email": contact.email,
        "organisation": contact.organisation,
        "organisation_type": contact.organisation_type_id or "",
        "site": contact.site_id,
        "attributes": "{}",
        "job_titles": "Chief Nurse\nDirector of Integration",
        "_save": "Save",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    contact.refresh_from_db()
    assert contact.job_titles == ["Chief Nurse", "Director of Integration"]
    assert "Chief Nurse\nDirector of Integration</textarea>" in client.get(url).content.decode()


def test_a_sites_list_in_a_round_not_yet_open_says_the_links_wait_for_it(
    client, alice, round_2016, seed_versions, barnsley
):
    add_member(round_2016)
    client.force_login(alice)
    assert "The round is not open yet" in _list_page(client, round_2016, barnsley)
    open_round = make_round("2020 survey", seed_versions[1])
    add_member(open_round)
    assert "The round is not open yet" not in _list_page(client, open_round, barnsley)
