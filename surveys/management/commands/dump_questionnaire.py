import sys

from django.core.management.base import BaseCommand, CommandError

from surveys.engine.textio import dump_yaml
from surveys.selectors import VersionNotFound, version_get


class Command(BaseCommand):
    help = "Write a stored questionnaire version out as YAML, exactly as it was loaded."

    def add_arguments(self, parser):
        # --version names the questionnaire version here, not the program's version.
        for action in list(parser._actions):
            if "--version" in action.option_strings:
                parser._handle_conflict_resolve(None, [("--version", action)])
        parser.add_argument("name", help="The questionnaire's name (slug).")
        parser.add_argument("--version", type=int, required=True, dest="number")
        parser.add_argument("--output", "-o", help="A file to write (default: standard output).")

    def handle(self, *args, name: str, number: int, output: str | None, **options):
        try:
            version = version_get(name, number)
        except VersionNotFound as exc:
            raise CommandError(str(exc)) from exc
        text = dump_yaml(version.definition)
        if output:
            with open(output, "w", encoding="utf-8") as stream:
                stream.write(text)
        else:
            sys.stdout.write(text)
