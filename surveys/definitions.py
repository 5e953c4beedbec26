"""Loaded (typed, compiled) definitions of stored versions, and their path explorations.

A published version is immutable, so its definition is loaded, and its content hash
checked, once per process, and its routing explored once per process; both are keyed
by the version and its content hash.
"""

from functools import lru_cache

from surveys.engine.definition import load_definition
from surveys.engine.model import Definition
from surveys.engine.paths import Exploration, explore
from surveys.engine.textio import content_hash
from surveys.models import Version


class TamperedVersion(Exception):
    """A published version's definition no longer matches the content hash it was published with."""


@lru_cache(maxsize=64)
def _published(version_id: int, stored_hash: str) -> Definition:
    version = Version.objects.select_related("questionnaire").get(pk=version_id)
    actual = content_hash(version.definition)
    if actual != version.content_hash or actual != stored_hash:
        raise TamperedVersion(
            f"{version} has been changed since it was published: its definition hashes to"
            f" {actual}, not to the content hash {version.content_hash or '(none)'} it carries."
            " Run `python manage.py verify_versions` and restore it from a dump or a backup."
        )
    return load_definition(version.definition)


def definition_of(version: Version) -> Definition:
    """Return the loaded definition of a version; published ones are loaded once per process.

    Raises TamperedVersion when a published version's definition does not match its hash.
    """
    if version.is_published:
        return _published(version.pk, version.content_hash)
    return load_definition(version.definition)


@lru_cache(maxsize=64)
def _published_exploration(version_id: int, stored_hash: str) -> Exploration:
    return explore(_published(version_id, stored_hash))


def exploration_of(version: Version) -> Exploration:
    """Return which items each respondent can reach; explored once per published version.

    The result is shared: read it, never change it.
    """
    if version.is_published:
        return _published_exploration(version.pk, version.content_hash)
    return explore(definition_of(version))
