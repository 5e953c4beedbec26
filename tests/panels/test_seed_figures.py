"""The seed study's published response rates, rebuilt from member-level data.

000_*.txt line 50: 360 invited, 98 completed questionnaires, a response rate of 27.2%;
23 opted out or said the questionnaire was coordinated for more than one member, an
"eligible" base of 337 and a response rate of 29.1%.
"""

import csv
import json

import pytest
from django.core.management import call_command

from panels.models import Round, Site

pytestmark = pytest.mark.django_db


def _write(path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_the_first_rounds_published_rates(tmp_path, capsys):
    Round.objects.create(name="2015 survey", year=2015)
    sites = list(Site.objects.values_list("name", flat=True))
    emails = [f"member{n}@example.org" for n in range(360)]
    contacts = [
        ("Pat", f"Member{n}", email, sites[n % len(sites)], "An organisation", "1")
        for n, email in enumerate(emails)
    ]
    header = ("first_name", "last_name", "email", "site", "organisation", "organisation_type")
    call_command(
        "import_panel", _write(tmp_path / "list.csv", header, contacts), round="2015 survey"
    )

    outcomes = [(email, "complete", "") for email in emails[:98]]
    outcomes += [(email, "opted_out", "") for email in emails[98:113]]
    outcomes += [(email, "coordinated", emails[0]) for email in emails[113:121]]
    outcomes += [(email, "no_response", "") for email in emails[121:]]
    outcome_file = _write(
        tmp_path / "outcomes.csv", ("email", "disposition", "coordinated_by"), outcomes
    )
    call_command("import_outcomes", outcome_file, round="2015 survey")
    capsys.readouterr()

    call_command("response_rates", "2015 survey", format="json")
    report = json.loads(capsys.readouterr().out)
    assert sum(report["counts"].values()) == 360
    assert report["counts"]["complete"] == 98
    assert report["counts"]["opted_out"] + report["counts"]["coordinated"] == 23
    assert round(report["rates"]["study_frame"] * 100, 1) == 27.2
    assert round(report["rates"]["study_eligible"] * 100, 1) == 29.1


def test_the_2020_rounds_started_and_analysed_counts(tmp_path, capsys):
    """003_*.txt lines 67-73: 427 listed, 70 started, 12 not far enough, 58 analysed.

    The 12 are imported as break-offs here; deriving them from a completeness rule is
    the round's rule, not this import.
    """
    Round.objects.create(name="2020 survey", year=2020)
    sites = list(Site.objects.values_list("name", flat=True))
    emails = [f"member{n}@example.org" for n in range(427)]
    contacts = [
        ("Pat", f"Member{n}", email, sites[n % len(sites)], "An organisation", "1")
        for n, email in enumerate(emails)
    ]
    header = ("first_name", "last_name", "email", "site", "organisation", "organisation_type")
    call_command(
        "import_panel", _write(tmp_path / "list.csv", header, contacts), round="2020 survey"
    )
    outcomes = [(email, "complete") for email in emails[:58]]
    outcomes += [(email, "break_off") for email in emails[58:70]]
    outcomes += [(email, "no_response") for email in emails[70:]]
    outcome_file = _write(tmp_path / "outcomes.csv", ("email", "disposition"), outcomes)
    call_command("import_outcomes", outcome_file, round="2020 survey")
    capsys.readouterr()

    call_command("response_rates", "2020 survey", format="json")
    report = json.loads(capsys.readouterr().out)
    counts = report["counts"]
    assert sum(counts.values()) == 427
    assert counts["complete"] + counts["break_off"] == 70
    assert counts["complete"] == 58
    assert round(report["rates"]["study_frame"] * 100, 1) == 13.6  # seeds-requirements O7
