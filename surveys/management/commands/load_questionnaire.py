from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from surveys.engine.checks import publish_problems
from surveys.engine.definition import DefinitionError
from surveys.engine.textio import parse_text
from surveys.services import DefinitionRejected, version_publish, version_store


class Command(BaseCommand):
    help = "Validate a questionnaire definition (YAML or JSON) and store it as a draft."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--publish", action="store_true", help="Publish it as well.")

    def handle(self, *args, file: Path, publish: bool, **options):
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        try:
            data = parse_text(file.read_text(encoding="utf-8"))
        except DefinitionError as exc:
            raise CommandError(_listing(exc.problems)) from exc
        try:
            with transaction.atomic():
                version, created = version_store(data=data)
                if publish:
                    version = version_publish(version=version)
        except DefinitionRejected as exc:
            raise CommandError(_listing(exc.problems)) from exc
        state = "stored as" if created else "unchanged:"
        self.stdout.write(f"{file}: {state} {version}")
        if not version.is_published:
            problems = publish_problems(version.definition)
            for problem in problems:
                self.stdout.write(f"  to fix before publishing: {problem}")


def _listing(problems) -> str:
    lines = [f"  {p}" for p in problems]
    return f"The definition has {len(lines)} problem(s):\n" + "\n".join(lines)
