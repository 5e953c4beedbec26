from django.core.management.base import BaseCommand, CommandError

from surveys.engine.definition import DefinitionError, load_definition
from surveys.engine.diff import diff_versions, format_diff
from surveys.selectors import VersionNotFound, definition_from_ref


class Command(BaseCommand):
    help = (
        "Compare two questionnaire versions item code by item code and say which changes "
        "are safe for trends. A and B are stored versions (NAME:NUMBER) or definition files."
    )

    def add_arguments(self, parser):
        parser.add_argument("a")
        parser.add_argument("b")

    def handle(self, *args, a: str, b: str, **options):
        try:
            (name_a, data_a), (name_b, data_b) = definition_from_ref(a), definition_from_ref(b)
            changes = diff_versions(load_definition(data_a), load_definition(data_b))
        except (VersionNotFound, DefinitionError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{name_a} -> {name_b}")
        self.stdout.write(format_diff(changes))
