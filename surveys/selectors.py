"""Reads of questionnaires and versions."""

from pathlib import Path

from surveys.models import Version


class VersionNotFound(LookupError):
    pass


def version_by_ref(ref: str) -> Version:
    """Return the version named `NAME:N` (questionnaire slug and version number)."""
    name, _, number = ref.rpartition(":")
    if not name or not number.isdigit():
        raise VersionNotFound(f"{ref!r} is not of the form NAME:NUMBER (e.g. kip:2).")
    return version_get(name, int(number))


def version_get(name: str, number: int) -> Version:
    """Return version `number` of questionnaire `name`."""
    version = (
        Version.objects.select_related("questionnaire")
        .filter(questionnaire__slug=name, number=number)
        .first()
    )
    if version is None:
        raise VersionNotFound(f"No version {number} of questionnaire {name!r}.")
    return version


def definition_from_ref(ref: str) -> tuple[str, dict]:
    """Return (title, definition) of a stored version `NAME:N` or of a definition file."""
    from surveys.engine.textio import parse_text

    path = Path(ref)
    if path.suffix.lower() in {".yaml", ".yml", ".json"} and path.exists():
        return str(path), parse_text(path.read_text(encoding="utf-8"))
    version = version_by_ref(ref)
    return f"{version.questionnaire.slug}:{version.number}", version.definition


def member_attributes(member) -> dict:
    """Return what routing and piping may read of a member: built-ins and free attributes."""
    contact, site = member.contact, member.panel.site
    return {
        **{str(k): v for k, v in (contact.attributes or {}).items()},
        "site": site.name,
        "site_short": site.short_name,
        "cohort": site.cohort,
        "cohort_year": site.cohort_year,
        "organisation": member.organisation,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
    }
