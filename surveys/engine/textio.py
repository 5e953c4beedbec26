"""Reading and writing definition documents: YAML/JSON text, canonical JSON, hash.

The YAML loader is "safe" and a little stricter than PyYAML's default, so a
hand-written questionnaire means what it looks like: only ``true``/``false``
are booleans (``No`` stays a string), dates stay strings, and a key given
twice in one mapping is an error instead of silently keeping the last one.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import yaml

from .problems import DefinitionError, Problem


class _Loader(yaml.SafeLoader):
    """SafeLoader reading YAML 1.2 scalars (no octal, yes/no or dates); no duplicate keys."""


_DROPPED = (":bool", ":int", ":float", ":timestamp")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith(_DROPPED)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tTfF"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))
_Loader.add_constructor("tag:yaml.org,2002:int", lambda loader, node: int(node.value))


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict:
    """Return the mapping for ``node``; raise on a key given twice."""
    loader.flatten_mapping(node)
    seen: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} is given twice in this mapping", mark
            )
        seen[key] = loader.construct_object(value_node, deep=True)
    return seen


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _Dumper(yaml.SafeDumper):
    """SafeDumper that indents lists under their key and writes blocks with ``|``.

    It quotes any string that either YAML 1.1 or our loader would read as
    something else, so the output reads back the same everywhere.
    """

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_UNICODE_BREAKS = ("\x85", "\u2028", "\u2029")


def _represent_str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    # PyYAML falls back to a quoted style when a literal block cannot hold the value.
    if any(char in value for char in _UNICODE_BREAKS):
        style: str | None = '"'  # only double quotes escape them; elsewhere they fold
    else:
        style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.yaml_implicit_resolvers = {
    first: yaml.SafeDumper.yaml_implicit_resolvers.get(first, [])
    + _Loader.yaml_implicit_resolvers.get(first, [])
    for first in set(yaml.SafeDumper.yaml_implicit_resolvers) | set(_Loader.yaml_implicit_resolvers)
}


def parse_text(text: str) -> dict:
    """Return the mapping held by a YAML or JSON document; raise DefinitionError."""
    data = _parse(text)
    if not isinstance(data, dict):
        raise DefinitionError([Problem("$", "the document must be a mapping of keys to values")])
    return data


def _parse(text: str) -> Any:
    """Return the parsed document: JSON when it is JSON, else YAML."""
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            pass  # YAML flow style also starts with "{"
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise DefinitionError([_yaml_problem(exc)]) from None


def _yaml_problem(exc: yaml.YAMLError) -> Problem:
    """Return a Problem naming the line and column of a YAML error."""
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "$"
    message = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    return Problem(where, f"{context}: {message}" if context else str(message))


def dump_yaml(data: Any) -> str:
    """Return stable, readable YAML for ``data`` (key order kept, long lines unfolded)."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=1 << 20,
        default_flow_style=False,
    )


def canonical_json(data: Any) -> str:
    """Return the canonical JSON text: sorted keys, no spaces, UTF-8 characters."""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def content_hash(data: Any) -> str:
    """Return the SHA-256 hex digest of the canonical JSON of ``data``."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()
