from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from surveys.engine.checks import publish_review
from surveys.engine.definition import DefinitionError
from surveys.engine.textio import parse_text
from surveys.selectors import VersionNotFound, version_get
from surveys.services import (
    DefinitionRejected,
    version_publish,
    version_store,
    version_update_draft,
)


class Command(BaseCommand):
    help = (
        "Validate a questionnaire definition (YAML or JSON) and store it as a draft, or "
        "replace an existing draft with it (--replace-draft N)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--publish", action="store_true", help="Publish it as well.")
        parser.add_argument(
            "--replace-draft",
            type=int,
            metavar="N",
            help="Replace draft version N of the questionnaire the file names.",
        )

    def handle(self, *args, file: Path, publish: bool, replace_draft: int | None, **options):
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        try:
            data = parse_text(file.read_text(encoding="utf-8"))
            with transaction.atomic():
                version, state = self._store(data, replace_draft)
                if publish:
                    version = version_publish(version=version)
        except (DefinitionError, DefinitionRejected) as exc:
            raise CommandError(_listing(exc.problems)) from exc
        except VersionNotFound as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{file}: {state} {version}")
        review = publish_review(version.definition)
        for problem in [] if version.is_published else review.problems:
            self.stdout.write(f"  to fix before publishing: {problem}")
        for warning in review.warnings:
            self.stdout.write(f"  warning: {warning}")

    def _store(self, data, replace_draft: int | None):
        """Return (version, what happened) after storing the definition."""
        if replace_draft is None:
            version, created = version_store(data=data)
            return version, "stored as" if created else "unchanged:"
        name = data.get("questionnaire") if isinstance(data, dict) else None
        if not isinstance(name, str):
            raise DefinitionRejected(
                ["The definition needs a 'questionnaire' name at the top level."]
            )
        draft = version_get(name, replace_draft)
        return version_update_draft(version=draft, data=data), "replaced"


def _listing(problems) -> str:
    lines = [f"  {p}" for p in problems]
    count = "1 problem" if len(lines) == 1 else f"{len(lines)} problems"
    return f"The definition has {count}; nothing was stored:\n" + "\n".join(lines)
