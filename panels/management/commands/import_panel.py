from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from panels.importing import ListFileError, read_list
from panels.models import Round, Site
from panels.services import panel_import


class Command(BaseCommand):
    help = "Import a contact list (.csv or .xlsx) into a round's panels, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--round", required=True, help="The round's name.")
        parser.add_argument("--site", help="Import one site's list (name, short name or code).")

    def handle(self, *args, file: Path, round: str, site: str | None, **options):
        round_obj = Round.objects.filter(name=round).first()
        if round_obj is None:
            raise CommandError(f"No round named {round!r}.")
        site_obj = _find_site(site) if site else None
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        try:
            with file.open("rb") as stream:
                list_file = read_list(file.name, stream)
        except ListFileError as exc:
            raise CommandError(str(exc)) from exc
        report = panel_import(round=round_obj, list_file=list_file, site=site_obj)
        if not report.ok:
            for p in report.problems:
                self.stderr.write(f"row {p.row}, {p.column or '-'}: {p.message}")
            raise CommandError(f"Nothing imported: {len(report.problems)} problem(s).")
        self.stdout.write(report.summary())


def _find_site(name: str) -> Site:
    wanted = name.strip().lower()
    for site in Site.objects.all():
        if wanted in {n.lower() for n in site.all_names()} or wanted == str(site.code):
            return site
    raise CommandError(f"Unknown site {name!r}.")
