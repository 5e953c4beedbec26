import io

import pytest

from panels.importing import ListFileError, read_list
from panels.models import Contact, Member, Panel, Round
from panels.services import panel_import
from tests.panels.files import HEADER, ROWS, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def _import(round_, data: bytes, name="list.csv", **kwargs):
    return panel_import(round=round_, list_file=read_list(name, io.BytesIO(data)), **kwargs)


def test_a_clean_list_creates_contacts_and_one_panel_per_site(round_2016):
    report = _import(round_2016, csv_bytes(ROWS))
    assert report.ok
    assert (report.contacts_created, report.members_added) == (3, 3)
    sizes = {p.site.name: p.members.count() for p in Panel.objects.filter(round=round_2016)}
    assert sizes == {"Barnsley": 2, "Kent": 1}
    bea = Contact.objects.get(email="bea.bramley@example.org")
    assert bea.job_titles == ["Locality Manager", "Other Senior Manager"]
    assert bea.organisation_type.code == 2


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", False), ("utf-8", True), ("cp1252", False)]
)
def test_csv_in_utf8_with_or_without_bom_and_in_excels_windows_encoding(round_2016, encoding, bom):
    rows = [
        ["Zoë", "Dunmore", "zoe.dunmore@example.org", "Leeds", "Café Partnership – Leeds", "", ""]
    ]
    report = _import(round_2016, csv_bytes(rows, encoding=encoding, bom=bom))
    assert report.ok, report.problems
    contact = Contact.objects.get()
    assert (contact.first_name, contact.organisation) == ("Zoë", "Café Partnership – Leeds")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_excels_unicode_text_utf16_with_bom_and_tabs_is_read(round_2016, encoding):
    rows = [["Zoë", "Dunmore", "zoe.dunmore@example.org", "Leeds", "Café – Leeds", "", ""]]
    data = csv_bytes([*ROWS, *rows], encoding=encoding, bom=True, delimiter="\t")
    report = _import(round_2016, data, name="list.txt")
    assert report.ok, report.problems
    assert Contact.objects.get(email="zoe.dunmore@example.org").organisation == "Café – Leeds"
    assert Member.objects.filter(round=round_2016).count() == 4


def test_a_file_with_bytes_windows_1252_leaves_undefined_is_refused_naming_the_encodings():
    rows = [["Ann", "Ashworth", "ann@example.org", "Leeds", "Caf\x81", "", ""]]
    with pytest.raises(ListFileError) as refused:
        read_list("list.csv", io.BytesIO(csv_bytes(rows, encoding="latin-1")))
    message = str(refused.value)
    assert "0x81" in message
    assert "UTF-8" in message and "UTF-16" in message and "Windows-1252" in message


def test_utf16_without_a_byte_order_mark_is_refused_instead_of_read_as_garbage():
    data = csv_bytes(ROWS, encoding="utf-16-le")
    with pytest.raises(ListFileError, match="UTF-16 without a byte-order mark"):
        read_list("list.csv", io.BytesIO(data))


def test_a_quote_left_open_is_refused_instead_of_swallowing_the_rows_after_it():
    rows = [ROWS[0], ["Bea", "Bramley", '"bea@example.org', "Barnsley", "", "", ""], ROWS[2]]
    with pytest.raises(ListFileError, match="quote may have been left open"):
        read_list("list.csv", io.BytesIO(csv_bytes(rows)))


def test_a_value_too_long_for_a_csv_field_is_refused_with_a_message():
    rows = [["Ann", "Ashworth", "ann@example.org", "Leeds", "x" * 200_000, "", ""]]
    with pytest.raises(ListFileError, match="cannot be read as CSV"):
        read_list("list.csv", io.BytesIO(csv_bytes(rows)))


def test_lines_ending_in_a_lone_carriage_return_are_read(round_2016):
    data = csv_bytes(ROWS).replace(b"\r\n", b"\r")
    report = _import(round_2016, data)
    assert report.ok, report.problems
    assert Contact.objects.count() == 3


def test_a_nul_character_in_a_value_is_a_bad_row_and_nothing_is_saved(round_2016):
    nul = ["Bea", "Bram\x00ley", "bea@example.org", "Barnsley", "", "", ""]
    report = _import(round_2016, csv_bytes([ROWS[0], nul, ROWS[2]]))
    assert [(p.row, p.column) for p in report.problems] == [(3, "last_name")]
    assert "NUL" in report.problems[0].message
    assert Contact.objects.count() == 0


def test_the_2016_questionnaires_spelling_of_airedale_is_accepted(round_2016):
    row = ["Ann", "Ashworth", "ann@example.org", '"Airdale, Wharfedale and Craven"', "", "", ""]
    report = _import(round_2016, csv_bytes([row]))
    assert report.ok, report.problems
    assert Panel.objects.get(round=round_2016).site.name == "Airedale, Wharfedale and Craven"


@pytest.mark.parametrize(
    "header",
    [
        ["First name", "Surname", "E-mail", "Site", "Organization", "Org type", "Role"],
        [
            "Forename",
            "Last Name",
            "Email address",
            "Site name",
            "Organisation name",
            "Type of organisation",
            "Job titles",
        ],
    ],
)
def test_common_header_spellings_map_to_the_documented_columns(round_2016, header):
    report = _import(round_2016, csv_bytes(ROWS, header=header))
    assert report.ok, report.problems
    bea = Contact.objects.get(email="bea.bramley@example.org")
    assert (bea.last_name, bea.organisation, bea.organisation_type.code) == (
        "Bramley",
        "Barnsley Council",
        2,
    )
    assert bea.job_titles == ["Locality Manager", "Other Senior Manager"]


def test_two_headers_for_the_same_column_are_refused():
    header = [*HEADER, "E-mail"]
    with pytest.raises(ListFileError, match="'email' and 'E-mail' both give email"):
        read_list("list.csv", io.BytesIO(csv_bytes([[*ROWS[0], "x@example.org"]], header=header)))


def test_semicolon_separated_csv_is_read(round_2016):
    report = _import(round_2016, csv_bytes(ROWS, delimiter=";").replace(b"Locality Manager; ", b""))
    assert report.ok, report.problems
    assert Contact.objects.count() == 3


def test_xlsx_lists_are_read(round_2016):
    report = _import(round_2016, xlsx_bytes(ROWS), name="list.xlsx")
    assert report.ok
    assert Member.objects.filter(round=round_2016).count() == 3


def test_attribute_columns_become_contact_attributes_for_piping(round_2016):
    header = [*HEADER, "attr_board_member"]
    report = _import(round_2016, csv_bytes([[*ROWS[0], "yes"]], header=header))
    assert report.ok
    assert Contact.objects.get().attributes == {"board_member": "yes"}


BAD_ROWS = [
    (["Ann", "Ashworth", "not-an-email", "Barnsley", "", "", ""], "email", "not a valid email"),
    (["Ann", "Ashworth", "ann@example.org", "Atlantis", "", "", ""], "site", "Unknown site"),
    (
        ["Ann", "Ashworth", "ann@example.org", "Leeds", "", "Space agency", ""],
        "organisation_type",
        "Unknown organisation type",
    ),
    (["", "Ashworth", "ann@example.org", "Leeds", "", "", ""], "first_name", "empty"),
    (["Ann", "Ashworth", "ann@example.org", "", "", "", ""], "site", "Site is empty"),
]


@pytest.mark.parametrize(("row", "column", "message"), BAD_ROWS)
def test_one_bad_row_imports_nothing_and_names_its_row_and_reason(round_2016, row, column, message):
    report = _import(round_2016, csv_bytes([ROWS[0], row]))
    assert not report.ok
    assert [(p.row, p.column) for p in report.problems] == [(3, column)]
    assert message in report.problems[0].message
    assert Contact.objects.count() == 0
    assert Panel.objects.count() == 0


def test_every_bad_row_is_reported_at_once(round_2016):
    rows = [ROWS[0], *(r for r, _, _ in BAD_ROWS)]
    report = _import(round_2016, csv_bytes(rows))
    assert sorted({p.row for p in report.problems}) == [3, 4, 5, 6, 7]
    assert [p.row for p in report.problems] == sorted(p.row for p in report.problems)


def test_a_duplicate_of_a_bad_row_is_reported_too(round_2016):
    unknown_site = ["Ann", "Ashworth", "ann@example.org", "Atlantis", "", "", ""]
    duplicate = ["Ann", "Ashworth", "Ann@Example.org", "Leeds", "", "", ""]
    report = _import(round_2016, csv_bytes([unknown_site, ROWS[1], duplicate]))
    assert [(p.row, p.column) for p in report.problems] == [(2, "site"), (4, "email")]
    assert "first at row 2" in report.problems[1].message
    assert Contact.objects.count() == 0


def test_a_duplicate_email_in_the_file_is_reported_on_the_later_row(round_2016):
    dup = ["Ann", "Other", "ANN.ASHWORTH@example.org", "Kent", "", "", ""]
    report = _import(round_2016, csv_bytes([*ROWS, dup]))
    assert [(p.row, p.column) for p in report.problems] == [(5, "email")]
    assert "first at row 2" in report.problems[0].message
    assert Contact.objects.count() == 0


def test_a_contact_already_on_another_sites_panel_this_round_is_refused(round_2016):
    assert _import(round_2016, csv_bytes(ROWS)).ok
    moved = [["Ann", "Ashworth", "ann.ashworth@example.org", "Leeds", "", "", ""]]
    report = _import(round_2016, csv_bytes(moved))
    assert not report.ok
    assert "already on the panel of Barnsley" in report.problems[0].message
    assert (
        Member.objects.get(contact__email="ann.ashworth@example.org").panel.site.name == "Barnsley"
    )


@pytest.mark.parametrize("missing", ["email", "first_name", "last_name", "site"])
def test_a_missing_required_column_is_reported(round_2016, missing):
    header = [c for c in HEADER if c != missing]
    rows = [[v for c, v in zip(HEADER, r, strict=True) if c != missing] for r in ROWS]
    report = _import(round_2016, csv_bytes(rows, header=header))
    assert [(p.row, p.column) for p in report.problems] == [(1, missing)]
    assert Contact.objects.count() == 0


def test_the_site_column_is_optional_when_importing_one_sites_list(round_2016, barnsley):
    header = [c for c in HEADER if c != "site"]
    rows = [[v for c, v in zip(HEADER, r, strict=True) if c != "site"] for r in ROWS[:2]]
    report = _import(round_2016, csv_bytes(rows, header=header), site=barnsley)
    assert report.ok
    assert Panel.objects.get(round=round_2016).site == barnsley


def test_a_row_for_another_site_is_refused_when_importing_one_sites_list(round_2016, barnsley):
    report = _import(round_2016, csv_bytes(ROWS), site=barnsley)
    assert [(p.row, p.column) for p in report.problems] == [(4, "site")]


def test_reimporting_the_same_file_changes_nothing(round_2016, alice):
    data = csv_bytes(ROWS)
    assert _import(round_2016, data, user=alice).ok
    stamps = dict(Panel.objects.values_list("site__name", "refreshed_at"))
    updated = dict(Contact.objects.values_list("email", "updated_at"))
    report = _import(round_2016, data, user=alice)
    assert report.ok and not report.changed
    assert dict(Panel.objects.values_list("site__name", "refreshed_at")) == stamps
    assert dict(Contact.objects.values_list("email", "updated_at")) == updated
    assert (Contact.objects.count(), Member.objects.count()) == (3, 3)


def test_a_corrected_file_updates_contacts_instead_of_duplicating_them(round_2016, alice):
    assert _import(round_2016, csv_bytes(ROWS)).ok
    fixed = [list(r) for r in ROWS]
    fixed[0][1] = "Ashworth-Lee"
    fixed[0][2] = "Ann.Ashworth@Example.org"
    report = _import(round_2016, csv_bytes(fixed), user=alice)
    assert (report.contacts_created, report.contacts_updated) == (0, 1)
    assert Contact.objects.get(email__iexact="ann.ashworth@example.org").last_name == "Ashworth-Lee"
    barnsley = Panel.objects.get(round=round_2016, site__name="Barnsley")
    assert barnsley.refreshed_by == alice
    assert Panel.objects.get(round=round_2016, site__name="Kent").refreshed_by is None


def test_a_contact_moving_site_between_rounds_keeps_the_earlier_membership(round_2016, round_2017):
    assert _import(round_2016, csv_bytes(ROWS)).ok
    moved = [["Ann", "Ashworth", "ann.ashworth@example.org", "Leeds", "Leeds CCG", "1", ""]]
    assert _import(round_2017, csv_bytes(moved)).ok
    history = Member.objects.filter(contact__email="ann.ashworth@example.org").order_by(
        "round__year"
    )
    assert [(m.round.name, m.panel.site.name, m.organisation) for m in history] == [
        ("2016 survey", "Barnsley", "Barnsley CCG"),
        ("2017 survey", "Leeds", "Leeds CCG"),
    ]


def test_an_unsupported_file_type_is_refused():
    with pytest.raises(ListFileError, match="Unsupported file type"):
        read_list("list.pdf", io.BytesIO(b"%PDF"))


def test_an_empty_file_is_refused():
    with pytest.raises(ListFileError, match="empty"):
        read_list("list.csv", io.BytesIO(b""))


def test_a_damaged_workbook_is_refused():
    with pytest.raises(ListFileError, match="cannot be read"):
        read_list("list.xlsx", io.BytesIO(b"PK\x03\x04 not really a workbook"))


def test_import_into_a_round_does_not_touch_other_rounds(round_2016, round_2017):
    assert _import(round_2016, csv_bytes(ROWS)).ok
    assert Round.objects.get(pk=round_2017.pk).members.count() == 0
