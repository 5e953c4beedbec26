"""The files read back by other programs: the .sav by GNU PSPP, the .dta by pandas, the
XLSX by openpyxl."""

import csv
import shutil
import subprocess

import pandas as pd
import pytest
from openpyxl import load_workbook

from surveys.exports.columns import DONT_KNOW, NOT_IN_VERSION, SKIPPED
from surveys.exports.services import export_write
from tests.surveys.exports.conftest import member_of, respond

pytestmark = pytest.mark.django_db
LONG_TEXT = "A comment " * 60  # 600 characters


@pytest.fixture
def round_2016(rounds):
    round_ = rounds[0]
    respond(
        member_of(round_, 1),
        {
            "consent": 1,
            "respondent.org_type": 3,
            "barrier.lack_of_trust": 1,
            "barrier.different_cultures": 4,
            "comments": "Très bien «quoted»",
        },
    )
    respond(member_of(round_, 2), {"consent": 1, "barrier.lack_of_trust": 2, "comments": LONG_TEXT})
    return round_


def pspp(tmp_path, sav, commands: str) -> tuple[str, dict[str, list[list[str]]]]:
    """Run GNU PSPP on the file; return its messages and its output tables by title."""
    assert shutil.which("pspp"), "GNU PSPP is needed (Debian: apt-get install pspp)"
    script = tmp_path / "check.sps"
    script.write_text(f"GET FILE='{sav}'.\n{commands}\n", encoding="utf-8")
    out = tmp_path / "check.csv"
    run = subprocess.run(
        ["pspp", "-O", "format=csv", "-o", str(out), str(script)],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    tables: dict[str, list[list[str]]] = {}
    for block in out.read_text(encoding="utf-8").split("\n\n"):
        lines = block.strip().splitlines()
        if lines and lines[0].startswith("Table: "):
            tables[lines[0][7:]] = list(csv.reader(lines[1:]))
    return run.stdout + run.stderr + out.read_text(encoding="utf-8"), tables


def test_pspp_reads_the_variable_labels_value_labels_and_missing_values(round_2016, tmp_path):
    sav = tmp_path / "wide.sav"
    assert export_write(round=round_2016, kind="wide", format="sav", path=sav) == 2
    report, tables = pspp(
        tmp_path,
        sav,
        "DISPLAY DICTIONARY /VARIABLES=barrier.lack_of_trust respondent.org_type.\n"
        "LIST /VARIABLES=ki_id barrier.lack_of_trust barrier.different_cultures"
        " barrier.number_of_partners.",
    )
    assert "warning" not in report.lower() and "error" not in report.lower(), report
    header, *variables = tables["Variables"]
    variables = {v[0]: dict(zip(header, v, strict=True)) for v in variables}
    barrier = variables["barrier.lack_of_trust"]
    assert barrier["Label"].startswith(
        "Q13 (1) A lack of trust and confidence between partner organisations."
    )
    assert barrier["Missing Values"] == "-9 THRU -1"
    assert variables["respondent.org_type"]["Label"] == (
        "Q2 What type of organisation do you work for or represent?"
    )
    labels, current = {}, None
    for name, value, label in (r for r in tables["Value Labels"][1:] if len(r) == 3):
        current = name or current
        labels.setdefault(current, {})[value] = label
    barrier_labels = labels[barrier["Label"]]
    assert barrier_labels["1"] == "Very significant barrier"
    assert barrier_labels["-1[a]"] == "Not asked (routing)"  # [a]: user-missing
    assert barrier_labels["-2[a]"] == "Asked, no answer"
    assert barrier_labels["-3[a]"] == "Don't know / not applicable (answered 4 Don't know)"
    assert barrier_labels["-4[a]"] == "Not in this round's version"
    assert labels["Q2 What type of organisation do you work for or represent?"]["3"] == (
        "Local Authority - Public Health"
    )
    data = sorted((row[1:] for row in tables["Data List"][1:]), key=lambda row: row[0])
    assert data == [["1", str(DONT_KNOW), str(SKIPPED)], ["2", str(SKIPPED), str(SKIPPED)]]


def test_a_label_longer_than_spss_allows_is_cut_in_the_file_but_whole_in_the_codebook(
    rounds, tmp_path
):
    import pyreadstat

    round_2016, _ = rounds
    respond(member_of(round_2016, 1), {"consent": 1})
    sav = tmp_path / "wide.sav"
    export_write(round=round_2016, kind="wide", format="sav", path=sav)
    _, meta = pyreadstat.read_sav(str(sav), metadataonly=True)
    consent = meta.column_names_to_labels["consent"]
    assert len(consent.encode()) <= 255 and consent.endswith("...")
    codebook = tmp_path / "codebook.csv"
    export_write(round=round_2016, kind="codebook", format="csv", path=codebook)
    assert "please click 'I agree to take part in the survey' below." in codebook.read_text(
        encoding="utf-8-sig"
    )


def test_pandas_reads_the_stata_file_with_labels_and_missing_codes(round_2016, tmp_path):
    dta = tmp_path / "wide.dta"
    export_write(round=round_2016, kind="wide", format="dta", path=dta)
    df = pd.read_stata(dta, convert_categoricals=False, convert_missing=True)
    df = df.sort_values("barrier_lack_of_trust").reset_index(drop=True)
    assert sorted(df["ki_id"]) == ["KI1", "KI2"]
    assert df.loc[0, "barrier_lack_of_trust"] == 1 and df.loc[1, "barrier_lack_of_trust"] == 2
    dk = df.loc[0, "barrier_different_cultures"]
    skipped = df.loc[1, "barrier_different_cultures"]
    assert (str(dk), str(skipped)) == (".c", ".b")  # Stata's extended missing values
    assert df.loc[0, "comments"] == "Très bien «quoted»"
    assert df.loc[1, "comments"] == LONG_TEXT
    with pd.io.stata.StataReader(dta) as reader:
        labels = reader.variable_labels()
        value_labels = reader.value_labels()
    assert labels["barrier_lack_of_trust"].startswith("Q13 (1) A lack of trust")
    assert len(labels["consent"]) <= 80
    barrier_labels = next(v for v in value_labels.values() if 3 in v and "barrier" in v[3])
    assert barrier_labels[1] == "Very significant barrier"


def test_openpyxl_reads_the_workbook_cell_for_cell(round_2016, tmp_path):
    xlsx = tmp_path / "wide.xlsx"
    export_write(round=round_2016, kind="wide", format="xlsx", path=xlsx)
    sheet = load_workbook(xlsx, read_only=True).active
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    rows = sorted(
        (dict(zip(header, r, strict=True)) for r in rows), key=lambda r: r["barrier.lack_of_trust"]
    )
    assert rows[0]["barrier.lack_of_trust"] == 1
    assert rows[0]["barrier.different_cultures"] == DONT_KNOW
    assert rows[1]["barrier.different_cultures"] == SKIPPED
    assert rows[0]["comments"] == "Très bien «quoted»"
    assert NOT_IN_VERSION not in rows[0].values()
