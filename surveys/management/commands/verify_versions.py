from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from surveys.engine.checks import publish_problems
from surveys.engine.textio import content_hash
from surveys.models import Version, VersionStatus


class Command(BaseCommand):
    help = (
        "Recompute the content hash of every published questionnaire version and re-run the "
        "publishing checks; list every version that fails and exit non-zero if any does."
    )

    def handle(self, *args, **options):
        versions = Version.objects.filter(status=VersionStatus.PUBLISHED).select_related(
            "questionnaire"
        )
        failures = [line for version in versions for line in _failures(version)]
        for line in failures:
            self.stderr.write(line)
        if failures:
            n = len(failures)
            raise CommandError(
                ngettext(
                    "%(n)d published version failed verification.",
                    "%(n)d published versions failed verification.",
                    n,
                )
                % {"n": n}
            )
        n = len(versions)
        self.stdout.write(
            ngettext(
                "%(n)d published version verified: its hash and checks.",
                "%(n)d published versions verified: hashes and checks.",
                n,
            )
            % {"n": n}
        )


def _failures(version: Version) -> list[str]:
    """Return what is wrong with a published version ([] if nothing)."""
    actual = content_hash(version.definition)
    if actual != version.content_hash:
        return [
            f"{version}: the definition hashes to {actual}, not to its content hash"
            f" {version.content_hash or '(none)'}: it was changed after publishing."
        ]
    problems = publish_problems(version.definition)
    if problems:
        listed = "; ".join(problems[:5])
        return [f"{version}: published without passing the checks ({len(problems)}): {listed}"]
    return []
