"""python manage.py export_responses ROUND --format csv|xlsx|sav|dta|long|codebook -o FILE"""

import getpass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from panels.models import Round
from surveys.exports.services import download_record, export_write
from surveys.models import ExportKind

FORMATS = {
    "csv": (ExportKind.WIDE, "csv"),
    "xlsx": (ExportKind.WIDE, "xlsx"),
    "sav": (ExportKind.WIDE, "sav"),
    "dta": (ExportKind.WIDE, "dta"),
    "long": (ExportKind.LONG, "csv"),
    "codebook": (ExportKind.CODEBOOK, "csv"),
}


class Command(BaseCommand):
    help = (
        "Write a round's responses (wide CSV, XLSX, SPSS .sav, Stata .dta, or long CSV) or its "
        "codebook to a file, the same file the export pages give. Pseudonymous unless "
        "--identified. The download is logged. A long export or codebook ending in .xlsx is "
        "written as Excel, a codebook ending in .html as a web page."
    )

    def add_arguments(self, parser):
        parser.add_argument("round", help="The round's name, e.g. '2020 survey'.")
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument("--include-partial", action="store_true")
        parser.add_argument("--identified", action="store_true", help="Add names and emails.")
        parser.add_argument("--labels", action="store_true", help="Option labels, not codes.")
        parser.add_argument("-o", "--output", required=True, help="The file to write.")

    def handle(self, *args, **options):
        round_ = Round.objects.filter(name=options["round"]).first()
        if round_ is None:
            names = ", ".join(Round.objects.values_list("name", flat=True)) or "none"
            raise CommandError(f"No round named {options['round']!r} (rounds: {names}).")
        kind, format = FORMATS[options["format"]]
        path = Path(options["output"])
        suffix = path.suffix.lower().lstrip(".")
        if kind != ExportKind.WIDE and suffix in ("xlsx", "html"):
            format = suffix
        if kind == ExportKind.LONG and format == "html":
            raise CommandError("A long export is written as CSV or XLSX.")
        rows = export_write(
            round=round_, kind=kind, format=format, path=path,
            include_partial=options["include_partial"], identified=options["identified"],
            labels=options["labels"],
        )  # fmt: skip
        download_record(
            round=round_, kind=kind, format=format, rows=rows, via="command",
            username=getpass.getuser(), identified=options["identified"],
            include_partial=options["include_partial"],
        )  # fmt: skip
        self.stdout.write(f"Wrote {rows} rows to {path}.")
