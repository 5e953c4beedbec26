"""The routing expression language: parse once, evaluate many times.

A small safe language (never Python ``eval``), parsed with a lark LALR grammar
into a tree of frozen nodes and compiled into closures, so that evaluating a
condition costs a few function calls. What values mean (missing answers,
``in``, counts, comparisons that never raise) is in ``values.py``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from .values import OPERATORS, compare, compare_to_literal, count_of, is_answered, truthy

__all__ = [
    "Expr",
    "ExpressionError",
    "compare",
    "count_of",
    "evaluate",
    "holds",
    "is_answered",
    "member_references",
    "parse_expression",
    "references",
    "truthy",
    "walk",
]

GRAMMAR = r"""
?start: disj
?disj: conj (_OR conj)*
?conj: neg (_AND neg)*
?neg: _NOT neg -> not_
    | comparison
?comparison: operand
    | operand OP operand -> compare
    | operand _IN operand -> in_
    | operand _NOT _IN operand -> not_in
?operand: literal
    | "[" [literal ("," literal)*] "]" -> list_
    | NAME "(" disj ")" -> call
    | NAME -> ref
    | "(" disj ")"
?literal: NUMBER -> number
    | STRING -> string
    | _TRUE -> true
    | _FALSE -> false
_OR: "or"
_AND: "and"
_NOT: "not"
_IN: "in"
_TRUE: "true"
_FALSE: "false"
OP: "==" | "!=" | "<=" | ">=" | "<" | ">"
NAME: /[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*/
NUMBER: /-?[0-9]+(\.[0-9]+)?/
STRING: /'[^']*'|"[^"]*"/
%ignore /[ \t\r\n]+/
"""

_HINTS = {
    "=": "; use == to compare",
    "&": "; write 'and'",
    "|": "; write 'or'",
    "!": "; write 'not'",
}
KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false"})
FUNCTIONS = frozenset({"answered", "count"})
MEMBER_PREFIX = "member."

_PARSER = Lark(GRAMMAR, parser="lalr", start="start")

_TERMINAL_NAMES = {
    "NAME": "an item code",
    "NUMBER": "a number",
    "STRING": "a string",
    "OP": "a comparison",
    "_OR": "'or'",
    "_AND": "'and'",
    "_NOT": "'not'",
    "_IN": "'in'",
    "_TRUE": "'true'",
    "_FALSE": "'false'",
    "LPAR": "'('",
    "RPAR": "')'",
    "LSQB": "'['",
    "RSQB": "']'",
    "COMMA": "','",
    "$END": "the end",
}


class ExpressionError(ValueError):
    """A syntax error in an expression; ``position`` is the 1-based column."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at column {position})")
        self.message = message
        self.position = position


# --- the tree -------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class ListLiteral:
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Ref:
    code: str


@dataclass(frozen=True)
class MemberRef:
    attr: str


@dataclass(frozen=True)
class Call:
    name: str
    arg: Ref | MemberRef


@dataclass(frozen=True)
class Compare:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class BoolOp:
    op: str
    operands: tuple[Node, ...]


Node = Literal | ListLiteral | Ref | MemberRef | Call | Compare | Not | BoolOp
Evaluator = Callable[[Mapping[str, Any], Mapping[str, Any]], Any]


@dataclass(frozen=True)
class Expr:
    """A parsed, compiled expression. Equal when the source text is equal."""

    src: str
    node: Node = field(compare=False, repr=False)
    fn: Evaluator = field(compare=False, repr=False)
    # The truth of the value as a condition (``truthy(fn(...))``), in fewer steps.
    test: Evaluator = field(compare=False, repr=False)
    refs: frozenset[str] = field(compare=False, repr=False)
    member_refs: frozenset[str] = field(compare=False, repr=False)


# --- parsing --------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def parse_expression(src: str) -> Expr:
    """Return the compiled expression for ``src``; raise ExpressionError."""
    if not isinstance(src, str) or not src.strip():
        raise ExpressionError("the expression is empty", 1)
    try:
        tree = _PARSER.parse(src)
    except UnexpectedInput as exc:
        raise _syntax_error(src, exc) from None
    node = _build(tree)
    names = [n for n in walk(node) if isinstance(n, Ref | MemberRef)]
    return Expr(
        src=src,
        node=node,
        fn=_compile(node),
        test=_compile_test(node),
        refs=frozenset(n.code for n in names if isinstance(n, Ref)),
        member_refs=frozenset(n.attr for n in names if isinstance(n, MemberRef)),
    )


_STRINGS = re.compile(r"'[^']*'|\"[^\"]*\"")
_CALL = re.compile(r"([a-z_][a-z0-9_.]*)\s*\(")


def _unknown_call(src: str) -> ExpressionError | None:
    """Return an error for the first call of a function that does not exist."""
    blanked = _STRINGS.sub(lambda m: " " * len(m.group(0)), src)
    for match in _CALL.finditer(blanked):
        if match.group(1) not in FUNCTIONS and match.group(1) not in KEYWORDS:
            known = " and ".join(sorted(FUNCTIONS))
            message = f"unknown function {match.group(1)!r} (known: {known})"
            return ExpressionError(message, match.start() + 1)
    return None


def _syntax_error(src: str, exc: UnexpectedInput) -> ExpressionError:
    """Return a readable ExpressionError for a lark exception."""
    unknown = _unknown_call(src)
    if unknown is not None and unknown.position < (exc.column if exc.column > 0 else len(src) + 1):
        return unknown
    if isinstance(exc, UnexpectedCharacters):
        char = src[exc.pos_in_stream]
        hint = _HINTS.get(char, "; item codes are lowercase" if char.isupper() else "")
        return ExpressionError(f"unexpected character {char!r}{hint}", exc.column)
    if isinstance(exc, UnexpectedToken) and exc.token.type != "$END":
        expected = _describe_expected(exc.accepts or exc.expected)
        message = f"unexpected {exc.token.value!r}, expected {expected}"
        return ExpressionError(message, exc.token.column)
    expected = _describe_expected(getattr(exc, "accepts", None) or getattr(exc, "expected", ()))
    return ExpressionError(f"the expression ends early, expected {expected}", len(src) + 1)


def _describe_expected(terminals: Any) -> str:
    """Return the expected terminals as words, e.g. "a number or ')'"."""
    words = sorted({_TERMINAL_NAMES.get(t, t) for t in terminals})
    if not words:
        return "more"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _build(tree: Tree | Token) -> Node:
    """Return the node for a lark (sub)tree; raise ExpressionError on misuse."""
    if isinstance(tree, Token):
        raise ExpressionError(f"unexpected {tree.value!r}", tree.column)
    builder = _BUILDERS[tree.data]
    return builder(tree.children)


def _build_ref(children: list) -> Node:
    token = children[0]
    name = str(token)
    if name == "member" or name.startswith(MEMBER_PREFIX):
        attr = name[len(MEMBER_PREFIX) :]
        if not attr or "." in attr:
            raise ExpressionError("write a member attribute as member.<attr>", token.column)
        return MemberRef(attr)
    return Ref(name)


def _build_call(children: list) -> Node:
    token, arg_tree = children
    if str(token) not in FUNCTIONS:
        known = " and ".join(sorted(FUNCTIONS))
        raise ExpressionError(f"unknown function {str(token)!r} (known: {known})", token.column)
    arg = _build(arg_tree)
    if not isinstance(arg, Ref | MemberRef):
        position = token.column + len(token) + 1
        raise ExpressionError(f"{token}() takes an item code", position)
    return Call(str(token), arg)


def _build_number(children: list) -> Node:
    text = str(children[0])
    return Literal(float(text) if "." in text else int(text))


def _build_list(children: list) -> Node:
    values = tuple(_build(c).value for c in children if c is not None)
    return ListLiteral(values)


def _build_compare(children: list) -> Node:
    left, op, right = children
    return Compare(str(op), _build(left), _build(right))


def _build_boolop(op: str) -> Callable[[list], Node]:
    def build(children: list) -> Node:
        return BoolOp(op, tuple(_build(c) for c in children))

    return build


def _build_membership(op: str) -> Callable[[list], Node]:
    def build(children: list) -> Node:
        return Compare(op, _build(children[0]), _build(children[1]))

    return build


_BUILDERS: dict[str, Callable[[list], Node]] = {
    "ref": _build_ref,
    "call": _build_call,
    "number": _build_number,
    "string": lambda ch: Literal(str(ch[0])[1:-1]),
    "true": lambda ch: Literal(True),
    "false": lambda ch: Literal(False),
    "list_": _build_list,
    "compare": _build_compare,
    "in_": _build_membership("in"),
    "not_in": _build_membership("not in"),
    "not_": lambda ch: Not(_build(ch[0])),
    "conj": _build_boolop("and"),
    "disj": _build_boolop("or"),
}


def walk(node: Node) -> Iterator[Node]:
    """Yield ``node`` and every node below it, depth first."""
    yield node
    if isinstance(node, Compare):
        yield from walk(node.left)
        yield from walk(node.right)
    elif isinstance(node, Not):
        yield from walk(node.operand)
    elif isinstance(node, BoolOp):
        for operand in node.operands:
            yield from walk(operand)
    elif isinstance(node, Call):
        yield node.arg


# --- compiling ------------------------------------------------------------


def _compile(node: Node) -> Evaluator:
    """Return a closure evaluating ``node`` over (answers, member)."""
    if isinstance(node, Literal | ListLiteral):
        value = node.value if isinstance(node, Literal) else node.values
        return lambda answers, member: value
    if isinstance(node, Ref):
        code = node.code
        return lambda answers, member: answers.get(code)
    if isinstance(node, MemberRef):
        attr = node.attr
        return lambda answers, member: member.get(attr)
    if isinstance(node, Call):
        inner, fn = _compile(node.arg), count_of if node.name == "count" else is_answered
        if isinstance(node.arg, Ref):  # answered(q3), count(q5): read the answer directly
            code = node.arg.code
            return lambda answers, member: fn(answers.get(code))
        return lambda answers, member: fn(inner(answers, member))
    if isinstance(node, Compare):
        return _compile_compare(node)
    if isinstance(node, Not):
        inner = _compile(node.operand)
        return lambda answers, member: not truthy(inner(answers, member))
    return _compile_boolop(node)


def _compile_compare(node: Compare) -> Evaluator:
    if isinstance(node.left, Ref | MemberRef) and isinstance(node.right, Literal):
        # "q3 == 1", "member.cohort_year >= 2015": most of them, in one step
        name = node.left.code if isinstance(node.left, Ref) else node.left.attr
        return compare_to_literal(node.op, name, node.right.value, isinstance(node.left, Ref))
    left, right, op = _compile(node.left), _compile(node.right), OPERATORS[node.op]
    return lambda answers, member: op(left(answers, member), right(answers, member))


def _compile_test(node: Node) -> Evaluator:
    """Return a closure giving the truth of ``node`` as a condition, always a bool.

    Comparisons, ``not``, ``answered`` and and/or of those are bools already, so a
    condition such as ``q3 == 1 or answered(q4)`` is decided without ``truthy``.
    """
    if isinstance(node, Compare):
        return _compile_compare(node)
    if isinstance(node, Not):
        inner = _compile_test(node.operand)
        return lambda answers, member: not inner(answers, member)
    if isinstance(node, Call) and node.name == "answered" and isinstance(node.arg, Ref):
        code = node.arg.code
        return lambda answers, member: is_answered(answers.get(code))
    if isinstance(node, BoolOp):
        parts = tuple(_compile_test(o) for o in node.operands)
        if len(parts) == 2:
            first, second = parts
            if node.op == "and":
                return lambda answers, member: first(answers, member) and second(answers, member)
            return lambda answers, member: first(answers, member) or second(answers, member)
        if node.op == "and":
            return lambda answers, member: all(p(answers, member) for p in parts)
        return lambda answers, member: any(p(answers, member) for p in parts)
    value = _compile(node)
    return lambda answers, member: truthy(value(answers, member))


def _compile_boolop(node: BoolOp) -> Evaluator:
    parts = tuple(_compile(o) for o in node.operands)
    if len(parts) == 2:  # the usual case, without a generator
        first, second = parts
        if node.op == "and":
            return lambda answers, member: (
                truthy(first(answers, member)) and truthy(second(answers, member))
            )
        return lambda answers, member: (
            truthy(first(answers, member)) or truthy(second(answers, member))
        )
    if node.op == "and":
        return lambda answers, member: all(truthy(p(answers, member)) for p in parts)
    return lambda answers, member: any(truthy(p(answers, member)) for p in parts)


# --- public helpers -------------------------------------------------------


def evaluate(expr: Expr | str, answers: Mapping[str, Any], member: Mapping[str, Any]) -> Any:
    """Return the value of ``expr`` for these answers and member attributes."""
    if isinstance(expr, str):
        expr = parse_expression(expr)
    return expr.fn(answers, member)


def holds(expr: Expr | None, answers: Mapping[str, Any], member: Mapping[str, Any]) -> bool:
    """Return whether a condition is true; a missing condition (None) holds."""
    if expr is None:
        return True
    return expr.test(answers, member)


def references(expr: Expr | str) -> set[str]:
    """Return the item codes the expression reads."""
    if isinstance(expr, str):
        expr = parse_expression(expr)
    return set(expr.refs)


def member_references(expr: Expr | str) -> set[str]:
    """Return the member attribute names the expression reads."""
    if isinstance(expr, str):
        expr = parse_expression(expr)
    return set(expr.member_refs)
