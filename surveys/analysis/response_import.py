"""Importing the responses of a round run elsewhere: a wide file of answers by item code.

One row per respondent: an `email` column naming the round's member, then one column per
answer field of the round's version, named as the respondent pages name them (the item
code; `<code>.other.<n>` for an "other" text; `<code>.years` and `<code>.months` for a
duration; `<code>.<n>` for a ranked slot). A multiple choice lists its option codes
separated by semicolons. The file is checked against the version as a whole: if any cell
is wrong nothing is imported, and every wrong cell is named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from panels.importing import ListFile
from panels.models import Disposition, DispositionSource, Member, Round
from panels.services import member_disposition_set
from surveys.definitions import definition_of
from surveys.engine.fields import READERS
from surveys.engine.model import Definition, Item
from surveys.engine.routing import walk, walked_not_asked
from surveys.models import Response
from surveys.selectors import member_attributes

EMAIL = "email"
CODE_TYPES = frozenset({"single", "consent", "row"})
SEPARATOR = re.compile(r"[;,]")


@dataclass(frozen=True)
class CellProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


@dataclass
class ResponseImportReport:
    problems: list[CellProblem] = field(default_factory=list)
    imported: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def answer_fields(defn: Definition) -> dict[str, Item]:
    """Return every column a file may have, with the item (a grid row, not its grid) it
    answers."""
    found: dict[str, Item] = {}
    for code in defn.answer_codes():
        item = defn.item(code)
        for name in _fields_of(item):
            found[name] = item
    return found


def _fields_of(item: Item) -> tuple[str, ...]:
    if item.type == "duration":
        return (f"{item.code}.years", f"{item.code}.months")
    if item.type == "ranked":
        return tuple(f"{item.code}.{n}" for n in range(1, len(item.slots) + 1))
    if item.type == "nominations":
        numbers = range(1, int(item.max or 0) + 1)
        return tuple(f"{item.code}.{n}.{part}" for n in numbers for part in ("name", "email"))
    return (item.code, *item.companion_fields())


def _header_problems(columns: list[str], fields: dict[str, Item], version) -> list[CellProblem]:
    problems = [] if EMAIL in columns else [CellProblem(1, EMAIL, "the email column is missing")]
    for column in columns:
        if column and column != EMAIL and column not in fields:
            problems.append(
                CellProblem(1, column, f"unknown item code: {version} has no {column!r}")
            )
    return problems


def _option_problem(item: Item, text: str) -> str | None:
    """Return what is wrong with a cell meant to hold one option code, if anything."""
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is None or not number.is_integer():
        return f"value of the wrong type: {text!r} is not an option code (a whole number)"
    if int(number) not in item.option_codes:
        codes = ", ".join(str(c) for c in sorted(item.option_codes))
        return f"option {int(number)} is not in the list of {item.code} ({codes})"
    return None


def _closed_problems(item: Item, column: str, text: str) -> list[str]:
    if column != item.code or item.type not in CODE_TYPES | {"multi"}:
        return []
    parts = [p.strip() for p in SEPARATOR.split(text)] if item.type == "multi" else [text]
    return [p for p in (_option_problem(item, part) for part in parts if part) if p]


def _cell_data(column: str, item: Item, text: str) -> list[str]:
    if column == item.code and item.type == "multi":
        return [str(int(float(p))) for p in SEPARATOR.split(text) if p.strip()]
    if column == item.code and item.type in CODE_TYPES:
        return [str(int(float(text)))]
    return [text]


def _parse_row(number: int, values: dict[str, str], defn: Definition, fields, problems) -> dict:
    """Return a row's answers as stored; add a problem for each cell that is wrong."""
    data: dict[str, dict[str, list[str]]] = {}
    owners: dict[str, Item] = {}
    for column, text in values.items():
        item = fields.get(column)
        if item is None or not text:
            continue
        wrong = _closed_problems(item, column, text)
        problems.extend(CellProblem(number, column, message) for message in wrong)
        if wrong:
            continue
        owner = defn.item(item.grid) if item.type == "row" and item.grid else item
        data.setdefault(owner.code, {})[column] = _cell_data(column, item, text)
        owners[owner.code] = owner
    answers: dict = {}
    for owner, item_data in data.items():
        reading = READERS[owners[owner].type](owners[owner], item_data)
        for name, message in reading.errors.items():
            problems.append(CellProblem(number, name, f"value not accepted: {message}"))
        answers.update(reading.values)
    return answers


def _members_by_email(round_: Round) -> dict[str, Member]:
    members = Member.objects.filter(round=round_).select_related(
        "contact", "panel__site", "response"
    )
    return {m.contact.email.lower(): m for m in members}


def _member_problem(member: Member | None, email: str, seen: set[str]) -> str | None:
    if not email:
        return "the email is blank"
    if member is None:
        return f"unknown email: {email} is not a member of this round"
    if email in seen:
        return f"{email} is on an earlier row of this file too"
    if hasattr(member, "response"):
        return f"{email} already has a response in this round"
    return None


def _routing_problems(number, defn, answers, member, problems) -> tuple[dict, list[str], set]:
    walked = walk(defn, answers, member_attributes(member))
    for code in sorted(set(answers) - set(walked.kept)):
        problems.append(
            CellProblem(
                number,
                code,
                "answered, but the questionnaire's routing does not ask it "
                "(or does not offer this option) after the row's other answers",
            )
        )
    return walked.kept, walked.pages, walked_not_asked(defn, walked)


@transaction.atomic
def responses_import(
    *, round: Round, list_file: ListFile, reason: str = ""
) -> ResponseImportReport:
    """Import every row of the file as a complete response, or nothing if any cell is wrong.

    Each imported member's disposition becomes complete through the panels service, with
    the import as its source, so the round's rates count them.
    """
    report = ResponseImportReport()
    if round.version is None:
        report.problems.append(CellProblem(1, EMAIL, f"{round} has no questionnaire version"))
        return report
    defn = definition_of(round.version)
    fields = answer_fields(defn)
    report.problems += _header_problems(list_file.columns, fields, round.version)
    members, seen, rows = _members_by_email(round), set(), []
    for number, values in list_file.rows:
        email = values.get(EMAIL, "").lower()
        member = members.get(email)
        wrong = _member_problem(member, email, seen)
        seen.add(email)
        if wrong:
            report.problems.append(CellProblem(number, EMAIL, wrong))
        before = len(report.problems)
        answers = _parse_row(number, values, defn, fields, report.problems)
        # The routing follows the row's answers: it is checked once they are all right.
        if member is not None and len(report.problems) == before and not wrong:
            rows.append(
                (member, *_routing_problems(number, defn, answers, member, report.problems))
            )
    if report.problems:
        return report
    _save(round, rows, reason)
    report.imported = len(rows)
    return report


def _save(round_: Round, rows, reason: str) -> None:
    at = timezone.now()
    Response.objects.bulk_create(
        Response(
            member=member,
            version=round_.version,
            answers=answers,
            not_asked=sorted(not_asked),
            pages_done=pages,
            completed_at=at,
        )
        for member, answers, pages, not_asked in rows
    )
    for member, *_ in rows:
        member_disposition_set(
            member_id=member.pk,
            to=Disposition.COMPLETE,
            source=DispositionSource.IMPORT,
            at=at,
            reason=reason,
        )
