"""The Django admin is the evaluators' tool for reference data, rounds and contacts."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from panels.models import AnalysisGroup, Member, OrganisationType, Round
from tests.conftest import add_member, make_round

pytestmark = pytest.mark.django_db


def _type_form(org_type, group):
    return {
        "code": org_type.code,
        "label": org_type.label,
        "labels_by_version": '{"2016": "Care Trust", "2020": "Care Trust"}',
        "analysis_group": group.pk,
        "_save": "Save",
    }


def test_an_evaluator_moves_an_organisation_type_to_another_analysis_group(client, alice):
    care_trust = OrganisationType.objects.get(code=9)
    other = AnalysisGroup.objects.get(name="Other")
    client.force_login(alice)
    url = reverse("admin:panels_organisationtype_change", args=[care_trust.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _type_form(care_trust, other))
    assert response.status_code == 302
    care_trust.refresh_from_db()
    assert care_trust.analysis_group == other


def test_an_outsider_cannot_change_an_organisation_type_in_the_admin(client, charlie):
    care_trust = OrganisationType.objects.get(code=9)
    other = AnalysisGroup.objects.get(name="Other")
    client.force_login(charlie)
    url = reverse("admin:panels_organisationtype_change", args=[care_trust.pk])
    assert client.get(url)["Location"].startswith(reverse("admin:login"))
    client.post(url, _type_form(care_trust, other))
    care_trust.refresh_from_db()
    assert care_trust.analysis_group.name == "NHS provider"


def test_an_evaluator_logs_in_through_the_admin_log_in_page(client, alice):
    response = client.post(
        reverse("admin:login"), {"username": "alice", "password": "pw-alice", "next": "/admin/"}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_an_outsider_is_refused_at_the_admin_log_in_page(client, charlie):
    response = client.post(
        reverse("admin:login"), {"username": "charlie", "password": "pw-charlie"}
    )
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_an_evaluator_creates_a_round_in_the_admin(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("admin:panels_round_add"),
        {"name": "2021 survey", "year": "2021", "status": "planned", "_save": "Save"},
    )
    assert response.status_code == 302
    assert Round.objects.filter(name="2021 survey").exists()


def test_an_evaluator_finds_a_contact_by_name_in_the_admin(client, alice, round_2016):
    add_member(round_2016)
    client.force_login(alice)
    response = client.get(reverse("admin:panels_contact_changelist"), {"q": "ashworth"})
    assert response.status_code == 200
    assert "ann.ashworth@example.org" in response.content.decode()


def test_an_evaluator_moves_a_person_to_another_sites_list_by_removing_and_reimporting(
    client, alice, round_2016
):
    member = add_member(round_2016, site_name="Barnsley")
    client.force_login(alice)
    url = reverse("admin:panels_member_delete", args=[member.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    moved = add_member(round_2016, site_name="Kent")
    assert moved.panel.site.name == "Kent"


def test_a_member_who_has_answered_cannot_be_deleted_and_the_admin_says_why(
    client, alice, seed_versions
):
    from surveys.models import Response

    round_ = make_round("2016 survey", seed_versions[0])
    member = add_member(round_)
    Response.objects.create(member=member, version=round_.version)
    client.force_login(alice)
    url = reverse("admin:panels_member_delete", args=[member.pk])
    page = client.post(url, {"post": "yes"}).content.decode()
    assert "would require deleting the following protected related objects" in page
    assert "permission" not in page
    assert Member.objects.filter(pk=member.pk).exists()


def test_the_round_list_offers_an_evaluator_to_create_a_round(client, alice):
    client.force_login(alice)
    page = client.get(reverse("panels:round_list")).content.decode()
    assert f'href="{reverse("panels:round_create")}">Create a round</a>' in page


def _member_form(member, **changes):
    form = {
        "round": member.round_id,
        "panel": member.panel_id,
        "contact": member.contact_id,
        "organisation": member.organisation,
        "organisation_type": member.organisation_type_id or "",
        "job_titles": "",
        "disposition": member.disposition,
        "_save": "Save",
    }
    return {**form, **changes}


def test_a_member_cannot_be_put_on_a_panel_of_another_round_in_the_admin(
    client, bob, round_2016, round_2017
):
    member = add_member(round_2016)
    other_round_panel = add_member(round_2017, email="bea@example.org").panel
    client.force_login(bob)
    url = reverse("admin:panels_member_change", args=[member.pk])
    response = client.post(url, _member_form(member, panel=other_round_panel.pk))
    assert response.status_code == 200
    assert "This is a panel of 2017 survey; the member is in 2016 survey." in (
        response.content.decode()
    )
    member.refresh_from_db()
    assert member.panel.round == round_2016


def test_a_member_can_be_moved_to_another_sites_panel_of_the_same_round_in_the_admin(
    client, bob, round_2016
):
    member = add_member(round_2016)
    kent_panel = add_member(round_2016, site_name="Kent", email="bea@example.org").panel
    client.force_login(bob)
    url = reverse("admin:panels_member_change", args=[member.pk])
    assert client.post(url, _member_form(member, panel=kent_panel.pk)).status_code == 302
    member.refresh_from_db()
    assert member.panel.site.name == "Kent"


def test_a_round_cannot_be_opened_in_the_admin_without_a_questionnaire_version(client, bob):
    client.force_login(bob)
    response = client.post(
        reverse("admin:panels_round_add"),
        {"name": "2021 survey", "year": "2021", "status": "open", "_save": "Save"},
    )
    assert response.status_code == 200
    assert "Choose the questionnaire version before opening the round." in (
        response.content.decode()
    )
    assert not Round.objects.filter(name="2021 survey").exists()


def test_a_round_with_a_published_version_can_be_opened_in_the_admin(client, alice, seed_versions):
    client.force_login(alice)
    response = client.post(
        reverse("admin:panels_round_add"),
        {
            "name": "2021 survey",
            "year": "2021",
            "status": "open",
            "version": seed_versions[1].pk,
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    assert Round.objects.get(name="2021 survey").version == seed_versions[1]


def test_a_members_job_titles_are_edited_one_a_line_in_the_admin(client, bob, round_2016):
    member = add_member(round_2016)
    client.force_login(bob)
    url = reverse("admin:panels_member_change", args=[member.pk])
    titles = "Director of Integration\n\n  Chief Nurse  \n"
    assert client.post(url, _member_form(member, job_titles=titles)).status_code == 302
    member.refresh_from_db()
    assert member.job_titles == ["Director of Integration", "Chief Nurse"]
    page = client.get(url).content.decode()
    assert "Director of Integration\nChief Nurse</textarea>" in page
    assert "One job title a line." in page
    assert '["Director' not in page


def _answered(seed_versions):
    from surveys.definitions import definition_of
    from surveys.models import Response

    round_ = make_round("2016 survey", seed_versions[0])
    member = add_member(round_)
    defn = definition_of(round_.version)
    single = [i for p in defn.pages for i in p.flat_items() if i.type == "single"]
    first, last = single[0], single[-1]
    answers = {first.code: first.options[0].code, last.code: last.options[-1].code}
    response = Response.objects.create(member=member, version=round_.version, answers=answers)
    return response, first, last


def test_a_response_in_the_admin_reads_as_its_questions_and_answers_in_order(
    client, bob, seed_versions
):
    response, first, last = _answered(seed_versions)
    bob.is_superuser = True
    bob.save()
    client.force_login(bob)
    page = client.get(reverse("admin:surveys_response_change", args=[response.pk]))
    html = page.content.decode()
    assert "<h1>Response of Ann Ashworth to 2016 survey</h1>" in html
    assert f"Response of {response.member_id}" not in html
    first_at = html.index(escape(first.text))
    last_at = html.index(escape(last.text))
    assert first_at < html.index(escape(first.options[0].text), first_at) < last_at
    assert escape(last.options[-1].text) in html[last_at:]
    assert "no answer" in html


def test_nobody_can_delete_a_response_from_the_admin(client, bob, seed_versions):
    from surveys.models import Response

    response, _, _ = _answered(seed_versions)
    bob.is_superuser = True
    bob.save()
    client.force_login(bob)
    change = client.get(reverse("admin:surveys_response_change", args=[response.pk]))
    assert reverse("admin:surveys_response_delete", args=[response.pk]) not in (
        change.content.decode()
    )
    client.post(reverse("admin:surveys_response_delete", args=[response.pk]), {"post": "yes"})
    client.post(
        reverse("admin:surveys_response_changelist"),
        {"action": "delete_selected", "_selected_action": [response.pk], "post": "yes"},
    )
    assert Response.objects.filter(pk=response.pk).exists()
    listing = client.get(reverse("admin:surveys_response_changelist")).content.decode()
    assert "delete_selected" not in listing


def test_undoing_one_opt_out_in_the_admin_says_so_in_a_sentence(client, bob, round_2016):
    from django.utils import timezone

    member = add_member(round_2016)
    Member.objects.filter(pk=member.pk).update(opted_out_reminders_at=timezone.now())
    client.force_login(bob)
    page = client.post(
        reverse("admin:panels_member_changelist"),
        {"action": "undo_opt_out", "_selected_action": [member.pk]},
        follow=True,
    ).content.decode()
    assert "Undid the opt-out of 1 member." in page
    assert "member(s)" not in page
