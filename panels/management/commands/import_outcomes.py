from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from panels.importing import ListFileError, read_list
from panels.models import Round
from panels.services import outcomes_import


class Command(BaseCommand):
    help = (
        "Record final dispositions of a round's members from a CSV or XLSX file (email, "
        "disposition, optional reason, optional coordinated_by email), all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--round", required=True, help="The round's name.")

    def handle(self, *args, file: Path, round: str, **options):
        round_obj = Round.objects.filter(name=round).first()
        if round_obj is None:
            raise CommandError(f"No round named {round!r}.")
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        try:
            with file.open("rb") as stream:
                list_file = read_list(file.name, stream)
        except ListFileError as exc:
            raise CommandError(str(exc)) from exc
        report = outcomes_import(round=round_obj, list_file=list_file)
        if not report.ok:
            for p in report.problems:
                self.stderr.write(f"row {p.row}, {p.column or '-'}: {p.message}")
            raise CommandError(f"Nothing imported: {len(report.problems)} problem(s).")
        self.stdout.write(report.summary())
