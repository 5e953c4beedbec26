import pytest
from django.core.management import CommandError, call_command

from panels.models import Contact, Member, Round, Site
from tests.panels.files import ROWS, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_import_panel_command_imports_a_csv(tmp_path, round_2016, capsys):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes(ROWS))
    call_command("import_panel", str(path), "--round", "2016 survey")
    assert "Imported 3 rows" in capsys.readouterr().out
    assert Member.objects.filter(round=round_2016).count() == 3


def test_import_panel_command_takes_one_sites_xlsx(tmp_path, round_2016):
    path = tmp_path / "list.xlsx"
    path.write_bytes(
        xlsx_bytes([r[:3] for r in ROWS[:2]], header=["first_name", "last_name", "email"])
    )
    call_command("import_panel", str(path), "--round", "2016 survey", "--site", "Barnsley")
    assert set(Member.objects.values_list("panel__site__name", flat=True)) == {"Barnsley"}


def test_import_panel_command_reports_every_bad_row_and_imports_nothing(
    tmp_path, round_2016, capsys
):
    path = tmp_path / "list.csv"
    path.write_bytes(
        csv_bytes(
            [
                ROWS[0],
                ["A", "B", "nope", "Barnsley", "", "", ""],
                ["C", "D", "c@example.org", "Nowhere", "", "", ""],
            ]
        )
    )
    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_panel", str(path), "--round", "2016 survey")
    err = capsys.readouterr().err
    assert "row 3, email" in err and "row 4, site" in err
    assert Contact.objects.count() == 0


def test_import_panel_command_refuses_an_unclosed_quote_with_a_message(tmp_path, round_2016):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes([ROWS[0], ["A", '"B', "a@example.org", "Kent", "", "", ""]]))
    with pytest.raises(CommandError, match="cannot be read as CSV"):
        call_command("import_panel", str(path), "--round", "2016 survey")
    assert Contact.objects.count() == 0


def test_import_panel_command_names_an_unknown_round(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes(ROWS))
    with pytest.raises(CommandError, match="No round named"):
        call_command("import_panel", str(path), "--round", "1999")


def test_load_demo_builds_the_seed_sized_round_on_example_domains_only(capsys):
    call_command("load_demo")
    demo = Round.objects.get(status="open")
    # The seed study's first list of 360, and a site's late list of four not yet invited.
    members = Member.objects.filter(round=demo).exclude(disposition="listed")
    assert members.count() == 360
    sizes = {s.code: members.filter(panel__site=s).count() for s in Site.objects.all()}
    assert min(sizes.values()) == 3 and sizes[21] == 3
    assert max(sizes.values()) == 36 and sizes[3] == 36
    domains = {e.rsplit("@", 1)[1] for e in Contact.objects.values_list("email", flat=True)}
    assert domains <= {"example.org", "example.net"}
    assert "evaluator / " in capsys.readouterr().out


def test_load_demo_leaves_an_existing_database_alone(round_2016, capsys):
    call_command("load_demo")
    assert Member.objects.count() == 0
    assert "demo not loaded" in capsys.readouterr().out
