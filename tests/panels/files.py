"""Contact list files as evaluators produce them."""

import codecs
import io

from openpyxl import Workbook

HEADER = [
    "first_name",
    "last_name",
    "email",
    "site",
    "organisation",
    "organisation_type",
    "job_title",
]


BOMS = {
    "utf-8": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
}


def csv_bytes(rows, header=HEADER, encoding="utf-8", bom=False, delimiter=",") -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join(r) for r in rows]
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    return (BOMS[encoding] + data) if bom else data


def xlsx_bytes(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ROWS = [
    [
        "Ann",
        "Ashworth",
        "ann.ashworth@example.org",
        "Barnsley",
        "Barnsley CCG",
        "1",
        "Director / Assistant Director",
    ],
    [
        "Bea",
        "Bramley",
        "bea.bramley@example.org",
        "Barnsley",
        "Barnsley Council",
        "2",
        "Locality Manager; Other Senior Manager",
    ],
    [
        "Cal",
        "Carrow",
        "cal.carrow@example.net",
        "Kent",
        "Kent County Council",
        "Local Authority - Other",
        "",
    ],
]
