from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from panels.importing import ListFileError, read_list
from panels.models import Round
from surveys.analysis.response_import import responses_import


class Command(BaseCommand):
    help = (
        "Import a round's responses collected elsewhere, from a wide CSV or XLSX file: an "
        "email column and one column per item code. All or nothing: every wrong cell is named."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv or .xlsx file, one row per respondent.")
        parser.add_argument("--round", required=True, dest="round_name", help="The round's name.")

    def handle(self, *args, file: str, round_name: str, **options):
        round_ = Round.objects.select_related("version").filter(name=round_name).first()
        if round_ is None:
            raise CommandError(f"No round is named {round_name!r}.")
        path = Path(file)
        try:
            with path.open("rb") as stream:
                list_file = read_list(path.name, stream)
        except (OSError, ListFileError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        report = responses_import(
            round=round_, list_file=list_file, reason=f"imported from {path.name}"
        )
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            count = len(report.problems)
            raise CommandError(
                f"Nothing imported: {count} problem{'s' if count != 1 else ''} in {path.name}."
            )
        self.stdout.write(
            f"Imported {report.imported} complete responses into {round_}; their members are"
            " marked complete."
        )
