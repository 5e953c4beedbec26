"""What values mean in conditions: answered, counts and null-safe comparisons.

Every comparison with a missing value (None) is false, values of different
kinds compare unequal (a number and a numeric string compare as numbers),
and nothing here can raise on a respondent's partial answers.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any


def is_answered(value: Any) -> bool:
    """Return whether a stored value counts as an answer (not None/""/[])."""
    return value is not None and value != "" and value != [] and value != ()


def truthy(value: Any) -> bool:
    """Return the truth of a value used as a condition."""
    return value if isinstance(value, bool) else is_answered(value)


def count_of(value: Any) -> int:
    """Return the number of selections: a list's length, else 1 or 0."""
    if isinstance(value, list | tuple):
        return len(value)
    return 1 if is_answered(value) else 0


_NUMBER_TYPES = (int, float)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _as_number(value: Any) -> Any:
    """Return a numeric string as a number, anything else unchanged."""
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def _pair(a: Any, b: Any) -> tuple[Any, Any]:
    """Return ``a, b`` with a number/string pair brought to numbers."""
    if _is_number(a) and isinstance(b, str):
        return a, _as_number(b)
    if _is_number(b) and isinstance(a, str):
        return _as_number(a), b
    return a, b


def _equal(a: Any, b: Any) -> bool:
    if type(a) is type(b):
        return a == b
    a, b = _pair(a, b)
    if _is_number(a) != _is_number(b) or isinstance(a, bool) != isinstance(b, bool):
        return False
    return a == b


def _ordered(op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    """Return a null-safe ordering that is false across kinds (numbers vs text)."""

    def compare_ordered(a: Any, b: Any) -> bool:
        if a is None or b is None:
            return False
        kinds = type(a), type(b)  # two numbers, or two texts: the usual case, decided here
        if (kinds[0] in _NUMBER_TYPES and kinds[1] in _NUMBER_TYPES) or kinds == (str, str):
            return op(a, b)
        a, b = _pair(a, b)
        if (_is_number(a) and _is_number(b)) or (isinstance(a, str) and isinstance(b, str)):
            return op(a, b)
        return False

    return compare_ordered


def _contains(a: Any, b: Any) -> bool:
    if isinstance(b, list | tuple):
        return any(_equal(a, x) for x in b)
    if isinstance(a, str) and isinstance(b, str):
        return a in b
    return _equal(a, b)


def _null_safe(fn: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    return lambda a, b: a is not None and b is not None and fn(a, b)


# Operators on two values of the same kind (both int, both float or both text).
_SAME_KIND: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "==": _null_safe(_equal),
    "!=": _null_safe(lambda a, b: not _equal(a, b)),
    "in": _null_safe(_contains),
    "not in": _null_safe(lambda a, b: not _contains(a, b)),
    "<": _ordered(operator.lt),
    "<=": _ordered(operator.le),
    ">": _ordered(operator.gt),
    ">=": _ordered(operator.ge),
}


def compare_to_literal(
    op: str, name: str, value: Any, in_answers: bool
) -> Callable[[Mapping[str, Any], Mapping[str, Any]], bool]:
    """Return a closure comparing an answer (or a member attribute) with a literal.

    The same as ``compare(op, answers.get(name), value)``, with the usual case (a value
    of the literal's own type) decided without a further call.
    """
    general, kind = OPERATORS[op], type(value)
    if op not in _SAME_KIND or value is None or kind not in (int, str, float):
        if in_answers:
            return lambda answers, member: general(answers.get(name), value)
        return lambda answers, member: general(member.get(name), value)
    same_kind = _SAME_KIND[op]

    def compare_answer(answers: Mapping[str, Any], member: Mapping[str, Any]) -> bool:
        found = (answers if in_answers else member).get(name)
        if found.__class__ is kind:
            return same_kind(found, value)
        return general(found, value)

    return compare_answer


def compare(op: str, a: Any, b: Any) -> bool:
    """Return the comparison ``a op b``; always false when a side is None."""
    return OPERATORS[op](a, b)
