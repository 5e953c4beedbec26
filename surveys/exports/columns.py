"""The columns of a wide export, built from questionnaire definitions (no ORM here).

One column per stored value: an item code (single, consent, number, text, grid row), or a
part of one (`<code>.<option>` per option of a multi, `<code>.years`/`.months`,
`<code>.<slot>` of a ranked item, `<code>.other.<n>` typed-in texts). Every cell that holds
no answer says why, with a code of its own, the same in every format:

    -1  not asked: the routing did not show the item to this respondent
    -2  asked and skipped
    -3  "Don't know" / "Not applicable" chosen (the option's own code is in the label)
    -4  not in this round's version (the response was given on a version without it)
    -5  not reached: a partial response stopped before the item's page

SPSS declares -9 to -1 user-missing on numeric columns, Stata writes them as .a to .e;
text columns carry them as the texts "-1" ... "-5" (not declared missing in the .sav:
string missing values of long strings are not read back reliably by other programs).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from surveys.engine.model import Definition, Item
from surveys.engine.values import is_answered

NOT_ASKED, SKIPPED, DONT_KNOW, NOT_IN_VERSION, NOT_REACHED = -1, -2, -3, -4, -5
MISSING_LABELS = {
    NOT_ASKED: "Not asked (routing)",
    SKIPPED: "Asked, no answer",
    DONT_KNOW: "Don't know / not applicable",
    NOT_IN_VERSION: "Not in this round's version",
    NOT_REACHED: "Not reached (response not finished)",
}
STATUS_NAMES = {
    NOT_ASKED: "not_asked",
    SKIPPED: "skipped",
    DONT_KNOW: "dont_know",
    NOT_IN_VERSION: "not_in_version",
    NOT_REACHED: "not_reached",
}
DONT_KNOW_TEXT = re.compile(r"^\s*(don'?t know|do not know|not applicable|n/?a\b)", re.I)

# (answers, status) -> cell; status is None when the item holds an answer, else a code.
Getter = Callable[[Mapping[str, Any], Any], Any]


@dataclass(frozen=True)
class Column:
    """One column of the wide export and of the .sav/.dta variable list."""

    name: str
    item_code: str
    label: str
    numeric: bool
    value_labels: Mapping[int, str] = field(default_factory=dict)
    # The original codes of the options exported as DONT_KNOW (-3), with their texts.
    dont_know: Mapping[int, str] = field(default_factory=dict)
    get: Getter | None = field(default=None, compare=False, repr=False)
    # A number typed by the respondent: any value is an answer (the rest: negative codes
    # are missing codes).
    free_number: bool = False
    # A choice answered by one code (single, consent, grid row): filled inline by cells().
    coded: bool = False
    # How the cell comes from the item's stored value, for the statement that draws the
    # export in SQL (surveys/exports/sql.py): ("coded",), ("plain",), ("selected", option),
    # ("companion", key), ("key", name), ("at", n), ("count",) or ("people",).
    source: tuple = field(default=(), compare=False)

    @property
    def all_value_labels(self) -> dict[int, str]:
        """Return the option labels plus the missing codes' labels (numeric columns)."""
        labels = dict(self.value_labels)
        for code, text in MISSING_LABELS.items():
            labels[code] = text
        if self.dont_know:
            own = "; ".join(f"{c} {t}" for c, t in sorted(self.dont_know.items()))
            labels[DONT_KNOW] = f"{MISSING_LABELS[DONT_KNOW]} (answered {own})"
        return labels


def item_label(defn: Definition, item: Item) -> str:
    """Return the full text an item's column is labelled with (a row names its grid)."""
    number = f"{item.label} " if item.label else ""
    if item.grid is not None:
        grid = defn.items[item.grid]
        return f"{number}{item.text} [{grid.label or grid.code}: {grid.text}]".strip()
    return f"{number}{item.text}".strip()


def dont_know_codes(item: Item) -> dict[int, str]:
    """Return the codes of the item's "Don't know / Not applicable" options."""
    points = item.options or item.scale
    return {o.code: o.text for o in points if DONT_KNOW_TEXT.match(o.text)}


def _coded(code: str, dk: frozenset) -> Getter:
    def get(answers, status):
        if status is not None:
            return status
        value = answers[code]
        return DONT_KNOW if value in dk else value

    return get


def _plain(key: str) -> Getter:
    def get(answers, status):
        return status if status is not None else answers[key]

    get.inline = "value"  # type: ignore[attr-defined]  (compile_fill writes it in line)
    return get


def _part(code: str, pick: Callable[[Any], Any]) -> Getter:
    def get(answers, status):
        if status is not None:
            return status
        value = pick(answers[code])
        return SKIPPED if value is None or value == "" else value

    return get


def _selected(code: str, option: int) -> Getter:
    def get(answers, status):
        return status if status is not None else int(option in answers[code])

    get.inline = f"(1 if {int(option)!r} in value else 0)"  # type: ignore[attr-defined]
    return get


def _companion(key: str) -> Getter:
    """A typed-in text beside an answer: absent means its option was not chosen."""

    def get(answers, status):
        if status is not None:
            return status
        value = answers.get(key)
        return value if is_answered(value) else NOT_ASKED

    get.companion = key  # type: ignore[attr-defined]
    return get


def _people(code: str) -> Getter:
    def get(answers, status):
        if status is not None:
            return status
        return "; ".join(f"{p.get('name', '')} <{p.get('email', '')}>" for p in answers[code])

    return get


def item_columns(defn: Definition, item: Item, *, identified: bool) -> list[Column]:
    """Return the columns of one answer-holding item."""
    label, code, kind = item_label(defn, item), item.code, item.type
    if kind in ("single", "consent", "row"):
        dk = dont_know_codes(item)
        labels = {o.code: o.text for o in item.options or item.scale if o.code not in dk}
        main = Column(
            code, code, label, True, labels, dk, _coded(code, frozenset(dk)), coded=True,
            source=("coded",),
        )  # fmt: skip
        typed = f"{label} (label typed in)"
        extra = [
            Column(
                item.label_field,
                code,
                typed,
                False,
                get=_companion(item.label_field),
                source=("companion", item.label_field),
            )  # fmt: skip
        ]
        return [main, *extra] if item.other else [main, *_others(item, label)]
    if kind == "multi":
        columns = [
            Column(
                f"{code}.{o.code}",
                code,
                f"{label}: {o.text}",
                True,
                {1: "Yes", 0: "No"},
                get=_selected(code, o.code),
                source=("selected", o.code),
            )
            for o in item.options
        ]
        return columns + _others(item, label)
    if kind == "duration":
        return [
            Column(
                f"{code}.{part}",
                code,
                f"{label} ({part})",
                True,
                get=_part(code, _key(part)),
                source=("key", part),
            )  # fmt: skip
            for part in ("years", "months")
        ]
    if kind == "ranked":
        return [
            Column(
                f"{code}.{n}",
                code,
                f"{label}: {slot.text}",
                False,
                get=_part(code, _at(n)),
                source=("at", n),
            )  # fmt: skip
            for n, slot in enumerate(item.slots, start=1)
        ]
    if kind == "nominations":
        count = Column(
            f"{code}.count", code, f"{label} (people named)", True, get=_part(code, len),
            source=("count",),
        )  # fmt: skip
        if not identified:
            return [count]
        people = Column(
            f"{code}.people", code, f"{label} (names)", False, get=_people(code),
            source=("people",),
        )  # fmt: skip
        return [count, people]
    number = kind == "number"
    return [
        Column(code, code, label, number, get=_plain(code), free_number=number, source=("plain",))
    ]


def _key(name: str) -> Callable[[Any], Any]:
    return lambda value: value.get(name) if isinstance(value, dict) else None


def _at(n: int) -> Callable[[Any], Any]:
    return lambda value: value[n - 1] if len(value) >= n else None


def _others(item: Item, label: str) -> list[Column]:
    return [
        Column(
            item.other_field(o.code),
            item.code,
            f"{label}: {o.text} (typed in)",
            False,
            get=_companion(item.other_field(o.code)),
            source=("companion", item.other_field(o.code)),
        )
        for o in item.options
        if o.other
    ]


def definition_columns(defn: Definition, *, identified: bool) -> list[Column]:
    """Return the columns of every answer-holding item, in questionnaire order."""
    return [
        column
        for code in defn.answer_codes()
        for column in item_columns(defn, defn.items[code], identified=identified)
    ]


def union_columns(definitions: Iterable[Definition], *, identified: bool) -> list[Column]:
    """Return the columns of several versions: the first one's order, then what others add.

    A column name found in several versions keeps the first version's labels, with the
    option labels of the others added for codes the first does not have.
    """
    by_name: dict[str, Column] = {}
    for defn in definitions:
        for column in definition_columns(defn, identified=identified):
            known = by_name.get(column.name)
            if known is None:
                by_name[column.name] = column
            elif set(column.value_labels) - set(known.value_labels):
                merged = {**column.value_labels, **known.value_labels}
                by_name[column.name] = Column(**{**known.__dict__, "value_labels": merged})
    return list(by_name.values())


FINISHED = 1 << 30  # the "furthest page reached" of a finished response
# How a run of columns of one item is filled (``VersionPlan.groups``).
CODED, GENERAL, ABSENT = 0, 1, 2


@dataclass(frozen=True)
class VersionPlan:
    """How to fill the columns from one version's responses.

    ``groups``: the columns in order as runs of one item code each, as
    (code, CODED, don't-know codes) for a choice answered by one code (the bulk of a
    questionnaire: grid rows), (code, GENERAL, getters) for the rest, and
    (code, ABSENT, number of columns) for an item the version does not have.
    """

    groups: tuple[tuple[str, int, Any], ...]
    page_index: Mapping[str, int]  # item code -> index of its page
    pages: Mapping[str, int]  # page id -> index
    fill: Callable = field(compare=False, repr=False)  # see compile_fill

    @property
    def getters(self) -> list[tuple[Getter | None, str]]:
        """Return (getter or None when not in the version, item code) per column."""
        flat: list[tuple[Getter | None, str]] = []
        for code, kind, payload in self.groups:
            if kind == ABSENT:
                flat += [(None, code)] * payload
            elif kind == CODED:
                flat.append((_coded(code, payload), code))
            else:
                flat += [(get, code) for get in payload]
        return flat


def version_plan(defn: Definition, columns: list[Column], *, identified: bool) -> VersionPlan:
    """Return how this version fills each column (NOT_IN_VERSION where it lacks one)."""
    own = {c.name: c for c in definition_columns(defn, identified=identified)}
    groups: list[tuple[str, int, Any]] = []
    for column in columns:
        mine = own.get(column.name)
        kind = ABSENT if mine is None else CODED if mine.coded else GENERAL
        last = groups[-1] if groups else None
        if last and last[0] == column.item_code and last[1] == kind == ABSENT:
            groups[-1] = (last[0], ABSENT, last[2] + 1)
        elif last and last[0] == column.item_code and last[1] == kind == GENERAL:
            groups[-1] = (last[0], GENERAL, (*last[2], mine.get))
        elif kind == CODED:
            groups.append((column.item_code, CODED, frozenset(mine.dont_know)))
        else:
            groups.append((column.item_code, kind, 1 if mine is None else (mine.get,)))
    page_index = {code: defn.pages_by_id[item.page_id].index for code, item in defn.items.items()}
    pages = {p.id: p.index for p in defn.pages}
    return VersionPlan(tuple(groups), page_index, pages, compile_fill(tuple(groups), page_index))


def statuses(
    plan: VersionPlan, answers: Mapping, not_asked: Iterable[str], reached: int | None
) -> Callable[[str], Any]:
    """Return a function giving an item code's missing code, or None when answered.

    ``reached``: for an unfinished response, the index of the furthest page saved; items on
    later pages count as not reached.
    """
    skipped = set(not_asked)

    def status(code: str) -> Any:
        if is_answered(answers.get(code)):
            return None
        if code in skipped:
            return NOT_ASKED
        if reached is not None and plan.page_index.get(code, 0) > reached:
            return NOT_REACHED
        return SKIPPED

    return status


def cells(plan: VersionPlan, answers: Mapping, not_asked: Iterable[str], reached) -> list:
    """Return the answer cells of one response, in the columns' order."""
    skipped = not_asked if isinstance(not_asked, set | frozenset) else set(not_asked)
    return plan.fill(answers, skipped, FINISHED if reached is None else reached)


def _inline(getter: Getter, name: str, names: dict) -> str:
    """Return the line appending an answered item's cell (in line for the common getters)."""
    inline, key = getattr(getter, "inline", None), getattr(getter, "companion", None)
    if inline is not None:
        return f"        append({inline})"
    if key is not None:
        text = f"get({key!r})"
        return f"        append({text} if {text} not in (None, '') else {NOT_ASKED})"
    names[name] = getter
    return f"        append({name}(answers, None))"


def compile_fill(groups: tuple, page_index: Mapping[str, int]) -> Callable:
    """Return ``fill(answers, skipped, reached)`` giving one response's cells.

    It runs once per response and column (20 million times for 100,000 responses of 200
    items), so it is built as straight-line code, one block per item, with the page of
    each item a constant: a loop over the groups costs twice as much. Every value in the
    code is a literal written by ``repr`` or a name bound below, never text of the
    questionnaire's, so no definition can inject code.
    """
    names: dict[str, Any] = {}
    lines = ["def fill(answers, skipped, reached):", "    get = answers.get", "    row = []"]
    lines += ["    append = row.append", "    extend = row.extend"]
    for n, (code, kind, payload) in enumerate(groups):
        if kind == ABSENT:
            names[f"absent{n}"] = [NOT_IN_VERSION] * payload
            lines.append(f"    extend(absent{n})")
            continue
        page = int(page_index.get(code, 0))
        missing = (
            f"({NOT_ASKED} if {code!r} in skipped else"
            f" {NOT_REACHED} if reached < {page} else {SKIPPED})"
        )
        lines.append(f"    value = get({code!r})")
        lines.append("    if value is None or value == '' or value == []:")
        if kind == CODED:
            names[f"dk{n}"] = payload
            lines.append(f"        append{missing}")
            lines.append("    else:")
            lines.append(f"        append({DONT_KNOW} if value in dk{n} else value)")
            continue
        lines.append(f"        extend(({missing},) * {len(payload)})")
        lines.append("    else:")
        for m, getter in enumerate(payload):
            lines.append(_inline(getter, f"get{n}_{m}", names))
    lines.append("    return row")
    exec("\n".join(lines), names)  # noqa: S102 (see the docstring)
    return names["fill"]


STATA_NAME = 28  # Stata allows 32; pyreadstat names each value-label set after its variable


def stata_name(name: str, taken: set[str]) -> str:
    """Return a Stata variable name for a column (letters, digits, _; at most 28)."""
    base = re.sub(r"[^A-Za-z0-9_]", "_", name)
    if not re.match(r"[A-Za-z_]", base):
        base = "v_" + base
    base = base[:STATA_NAME]
    candidate, n = base, 1
    while candidate.lower() in taken:
        n += 1
        suffix = f"_{n}"
        candidate = base[: STATA_NAME - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate
