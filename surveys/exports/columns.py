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

    return get


def _companion(key: str) -> Getter:
    """A typed-in text beside an answer: absent means its option was not chosen."""

    def get(answers, status):
        if status is not None:
            return status
        value = answers.get(key)
        return value if is_answered(value) else NOT_ASKED

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
        main = Column(code, code, label, True, labels, dk, _coded(code, frozenset(dk)), coded=True)
        typed = f"{label} (label typed in)"
        extra = [Column(item.label_field, code, typed, False, get=_companion(item.label_field))]
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
            )
            for o in item.options
        ]
        return columns + _others(item, label)
    if kind == "duration":
        return [
            Column(f"{code}.{part}", code, f"{label} ({part})", True, get=_part(code, getter))
            for part, getter in (("years", _key("years")), ("months", _key("months")))
        ]
    if kind == "ranked":
        return [
            Column(f"{code}.{n}", code, f"{label}: {slot.text}", False, get=_part(code, _at(n)))
            for n, slot in enumerate(item.slots, start=1)
        ]
    if kind == "nominations":
        count = Column(f"{code}.count", code, f"{label} (people named)", True, get=_part(code, len))
        if not identified:
            return [count]
        return [count, Column(f"{code}.people", code, f"{label} (names)", False, get=_people(code))]
    number = kind == "number"
    return [Column(code, code, label, number, get=_plain(code), free_number=number)]


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
    return VersionPlan(tuple(groups), page_index, {p.id: p.index for p in defn.pages})


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
    """Return the answer cells of one response, in the columns' order.

    Called once per response and column, so it is written for speed: the common cases
    inline, a getter called only for answered items of other types.
    """
    skipped = not_asked if isinstance(not_asked, set | frozenset) else set(not_asked)
    page_index = plan.page_index
    row: list[Any] = []
    append, extend = row.append, row.extend
    for code, kind, payload in plan.groups:
        if kind == ABSENT:
            extend([NOT_IN_VERSION] * payload)
            continue
        value = answers.get(code)
        if value is None or value == "" or value == []:
            if code in skipped:
                missing = NOT_ASKED
            elif reached is not None and page_index.get(code, 0) > reached:
                missing = NOT_REACHED
            else:
                missing = SKIPPED
            if kind == CODED:
                append(missing)
            else:
                extend([missing] * len(payload))
        elif kind == CODED:
            append(DONT_KNOW if value in payload else value)
        else:
            for get in payload:
                append(get(answers, None))
    return row


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
