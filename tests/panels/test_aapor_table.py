"""The AAPOR mapping is one table in the code, and the README prints the same table."""

import re
from pathlib import Path

from panels.models import Disposition
from panels.rates import AAPOR_CODES

README = Path(__file__).resolve().parents[2] / "README.md"
ROW = re.compile(r"^\| `(\w+)`[^|]*\|[^|]*\| ([\d.]+) [^|]*\| (\w+) \|$")


def _readme_table() -> dict[str, tuple[str, str]]:
    rows = (ROW.match(line) for line in README.read_text(encoding="utf-8").splitlines())
    return {m[1]: (m[3], m[2]) for m in rows if m}


def test_every_disposition_has_one_aapor_code():
    assert set(AAPOR_CODES) == set(Disposition.values)


def test_the_readme_table_gives_each_disposition_the_codes_own_symbol_and_number():
    table = _readme_table()
    assert set(table) == set(AAPOR_CODES)
    for disposition, (symbol, label) in AAPOR_CODES.items():
        assert table[disposition] == (symbol, label.split()[0]), disposition


def test_coordinated_is_other_eligible_and_listed_is_unknown_eligibility():
    # notes/anchors-mission.md 3.3: answered for by another member is "other" (O), and a
    # member never invited is of unknown eligibility (3.11, UH), not a non-contact.
    assert AAPOR_CODES["coordinated"][0] == "O"
    assert AAPOR_CODES["listed"][0] == "UH"
    assert AAPOR_CODES["opted_out"][0] == "R" and AAPOR_CODES["undeliverable"][0] == "UO"
