"""Loaded (typed, compiled) definitions of stored versions, cached per process."""

from functools import lru_cache

from surveys.engine.definition import load_definition
from surveys.engine.model import Definition
from surveys.models import Version


@lru_cache(maxsize=64)
def _published(
    version_id: int,
    content_hash: str,
) -> Definition:
    return load_definition(Version.objects.values_list("definition", flat=True).get(pk=version_id))


def definition_of(version: Version) -> Definition:
    """Return the loaded definition of a version; published ones are loaded once per process."""
    if version.is_published:
        return _published(version.pk, version.content_hash)
    return load_definition(version.definition)
