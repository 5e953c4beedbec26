import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from panels.models import Contact, Member, Panel
from tests.panels.files import ROWS, csv_bytes

pytestmark = pytest.mark.django_db


def _pages(round_):
    return [
        reverse("panels:round_list"),
        reverse("panels:round_detail", args=[round_.pk]),
        reverse("panels:panel_import", args=[round_.pk]),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, round_2016):
    for url in _pages(round_2016):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_panels_address_leads_to_the_round_list(client, alice):
    client.force_login(alice)
    response = client.get("/panels/", follow=True)
    assert response.redirect_chain == [(reverse("panels:round_list"), 302)]
    assert response.status_code == 200


def test_an_outsider_cannot_reach_evaluator_pages(client, charlie, round_2016):
    client.force_login(charlie)
    for url in _pages(round_2016):
        assert client.get(url).status_code == 403
    upload = SimpleUploadedFile("l.csv", csv_bytes(ROWS), content_type="text/csv")
    response = client.post(reverse("panels:panel_import", args=[round_2016.pk]), {"file": upload})
    assert response.status_code == 403
    assert Contact.objects.count() == 0


def test_an_outsider_cannot_reach_the_admin(client, charlie):
    client.force_login(charlie)
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_evaluators_and_admins_see_the_round_with_every_site(client, request, persona, round_2016):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("panels:round_detail", args=[round_2016.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('<th scope="row">') == 25


def test_an_evaluator_imports_a_list_from_the_page(client, alice, round_2016):
    client.force_login(alice)
    upload = SimpleUploadedFile("l.csv", csv_bytes(ROWS), content_type="text/csv")
    response = client.post(
        reverse("panels:panel_import", args=[round_2016.pk]), {"file": upload}, follow=True
    )
    assert "Imported 3 rows" in response.content.decode()
    assert Panel.objects.get(round=round_2016, site__name="Barnsley").refreshed_by == alice


def test_the_import_page_lists_every_bad_row_and_saves_nothing(client, alice, round_2016):
    client.force_login(alice)
    bad = [
        ROWS[0],
        ["X", "Y", "bad-email", "Barnsley", "", "", ""],
        ["X", "Z", "z@example.org", "Atlantis", "", "", ""],
    ]
    upload = SimpleUploadedFile("l.csv", csv_bytes(bad), content_type="text/csv")
    response = client.post(reverse("panels:panel_import", args=[round_2016.pk]), {"file": upload})
    page = response.content.decode()
    assert "Nothing was imported: 2 problems found" in page
    assert "bad-email" in page and "Unknown site" in page
    assert Member.objects.count() == 0


def test_the_import_page_refuses_other_file_types_next_to_the_field(client, alice, round_2016):
    client.force_login(alice)
    upload = SimpleUploadedFile("l.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(reverse("panels:panel_import", args=[round_2016.pk]), {"file": upload})
    assert "Upload a .csv or .xlsx file." in response.content.decode()


def test_the_import_page_explains_a_file_in_an_unreadable_encoding_and_saves_nothing(
    client, alice, round_2016
):
    client.force_login(alice)
    rows = [["Ann", "Ashworth", "ann@example.org", "Leeds", "Caf\x8d", "", ""]]
    upload = SimpleUploadedFile("l.csv", csv_bytes(rows, encoding="latin-1"))
    response = client.post(reverse("panels:panel_import", args=[round_2016.pk]), {"file": upload})
    assert response.status_code == 200
    assert "is not valid UTF-8 or Windows-1252" in response.content.decode()
    assert Contact.objects.count() == 0


def test_the_import_page_reads_excels_unicode_text(client, alice, round_2016):
    client.force_login(alice)
    data = csv_bytes(ROWS, encoding="utf-16-le", bom=True, delimiter="\t")
    upload = SimpleUploadedFile("contacts.txt", data, content_type="text/plain")
    response = client.post(
        reverse("panels:panel_import", args=[round_2016.pk]), {"file": upload}, follow=True
    )
    assert "Imported 3 rows" in response.content.decode()


def test_the_round_page_shows_list_size_and_marks_carried_lists_as_not_updated(
    client, alice, round_2016, round_2017
):
    client.force_login(alice)
    upload = SimpleUploadedFile("l.csv", csv_bytes(ROWS), content_type="text/csv")
    client.post(reverse("panels:panel_import", args=[round_2016.pk]), {"file": upload})
    response = client.post(
        reverse("panels:round_carry_forward", args=[round_2017.pk]),
        {"source": round_2016.pk},
        follow=True,
    )
    page = response.content.decode()
    assert "Copied 2 panels with 3 members" in page
    assert page.count("not updated for this round") == 2
    assert "carried from 2016 survey" in page


def test_carry_forward_is_refused_on_get(client, alice, round_2016, round_2017):
    client.force_login(alice)
    url = reverse("panels:round_carry_forward", args=[round_2017.pk])
    assert client.get(url, {"source": round_2016.pk}).status_code == 405


def test_admin_lists_contacts_with_site_and_group_filters(client, bob, round_2016):
    client.force_login(bob)
    response = client.get("/admin/panels/contact/")
    assert response.status_code == 200
    page = response.content.decode()
    for title in ("By cohort", "By site", "By analysis group", "By organisation type"):
        assert title in page


def test_an_evaluator_sees_the_way_into_the_admin_and_an_outsider_does_not(client, alice, charlie):
    client.force_login(alice)
    assert 'href="/admin/">Admin</a>' in client.get(reverse("panels:round_list")).content.decode()
    assert client.get("/admin/").status_code == 200
    client.force_login(charlie)
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
