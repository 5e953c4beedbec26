"""Row generators: a round's responses as the rows of a wide or a long export.

An ``Export`` names what is exported (round, partials or not, identified or not); its
``columns`` come from the versions the round's responses were given on, and ``rows()``
yields one list of cells per response, reading the responses in chunks from a server-side
cursor so that memory stays flat however many there are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models.base import ModelState

from panels.models import Disposition, Round, Site
from surveys import completeness
from surveys.definitions import definition_of
from surveys.exports.columns import (
    DONT_KNOW,
    MISSING_LABELS,
    STATUS_NAMES,
    Column,
    VersionPlan,
    cells,
    statuses,
    union_columns,
    version_plan,
)
from surveys.exports.pseudonyms import ki_numbers_assign
from surveys.models import Response, Version

CHUNK = 2000
PROGRESS_EVERY = 500
RESPONSE_FIELDS = (
    "id", "member_id", "version_id", "answers", "not_asked", "pages_done", "started_at",
    "completed_at",
)  # fmt: skip
Progress = Callable[[int], None]


def _fixed_columns(identified: bool) -> list[Column]:
    sites = dict(Site.objects.values_list("code", "name"))
    fixed = [
        Column("ki_id", "", "Key-informant id (pseudonym, this round)", False),
        Column("site", "", "Site", True, sites),
        Column("cohort", "", "Cohort of the site", True),
        Column("organisation_group", "", "Organisation group", False),
        Column("job_title", "", "Job title(s) on the panel", False),
        Column(
            "complete",
            "",
            "Counts as complete by the round's rule",
            True,
            {1: "Complete", 0: "Partial"},
        ),
        Column("version", "", "Questionnaire version answered", True),
        Column("started_at", "", "Started (UTC)", False),
        Column("completed_at", "", "Reached the end (UTC)", False),
    ]
    if identified:
        fixed += [
            Column("first_name", "", "First name", False),
            Column("last_name", "", "Last name", False),
            Column("email", "", "Email", False),
            Column("organisation", "", "Organisation", False),
        ]
    return fixed


@dataclass
class Export:
    """What one export holds: a round's responses, complete only or with partials."""

    round: Round
    include_partial: bool = False
    identified: bool = False
    chunk_size: int = CHUNK
    _versions: dict[int, Version] = field(default_factory=dict, repr=False)

    def queryset(self):
        return (
            Response.objects.filter(member__round=self.round)
            .exclude(member__disposition=Disposition.REFUSED)
            .order_by("member__ki_number", "pk")
        )

    def fields(self) -> list[str]:
        """Return the fields read per response: the response's, then the fixed columns'."""
        fixed = [
            "member__ki_number", "member__panel__site__code", "member__panel__site__cohort",
            "member__organisation_type__analysis_group__name", "member__job_titles",
        ]  # fmt: skip
        if self.identified:
            fixed += [
                "member__contact__first_name", "member__contact__last_name",
                "member__contact__email", "member__organisation",
            ]  # fmt: skip
        return [*RESPONSE_FIELDS, *fixed]

    @cached_property
    def rule(self) -> completeness.CompletenessRule:
        return completeness.CompletenessRule.of(self.round)

    @cached_property
    def versions(self) -> list[Version]:
        """Return the versions answered in the round, the round's own first."""
        ids = set(self.queryset().values_list("version_id", flat=True).distinct())
        if self.round.version_id:
            ids.add(self.round.version_id)
        found = {v.pk: v for v in Version.objects.filter(pk__in=ids)}
        self._versions = found
        first = [found.pop(self.round.version_id)] if self.round.version_id in found else []
        return first + sorted(found.values(), key=lambda v: v.number)

    @cached_property
    def item_columns(self) -> list[Column]:
        definitions = [definition_of(v) for v in self.versions]
        return union_columns(definitions, identified=self.identified)

    @cached_property
    def columns(self) -> list[Column]:
        return _fixed_columns(self.identified) + self.item_columns

    @cached_property
    def plans(self) -> dict[int, VersionPlan]:
        self.versions  # noqa: B018 (fills _versions)
        return {
            pk: version_plan(definition_of(v), self.item_columns, identified=self.identified)
            for pk, v in {v.pk: v for v in self.versions}.items()
        }

    def total(self) -> int:
        """Return the number of responses read (an upper bound of the rows written)."""
        return self.queryset().count()

    def responses(self, progress: Progress | None = None) -> Iterator[tuple[Response, bool, tuple]]:
        """Yield (response, counts as complete, fixed fields) for each response exported.

        Rows are read as tuples in chunks from a server-side cursor; the response handed
        to the completeness rule is an unsaved instance holding what was read.
        """
        ki_numbers_assign(round=self.round)
        versions = {v.pk: v for v in self.versions}
        rows = self.queryset().values_list(*self.fields()).iterator(self.chunk_size)
        width = len(RESPONSE_FIELDS)
        for done, values in enumerate(rows, start=1):
            response = _response(values[:width])
            response.version = versions[response.version_id]
            complete = (
                completeness.classify(
                    rule=self.rule,
                    definition=definition_of(response.version),
                    answers=response.answers,
                    not_asked=response.not_asked,
                    completed_at=response.completed_at,
                )
                == "complete"
            )
            if progress and done % PROGRESS_EVERY == 0:
                progress(done)
            if complete or self.include_partial:
                yield response, complete, values[width:]

    def reached(self, response: Response, plan: VersionPlan) -> int | None:
        """Return the furthest page index of an unfinished response (None when finished)."""
        if response.completed_at is not None:
            return None
        return max((plan.pages.get(p, -1) for p in response.pages_done), default=-1)

    def fixed_cells(self, response: Response, complete: bool, fixed: tuple) -> list[Any]:
        ki_number, site, cohort, group, titles, *identity = fixed
        return [
            f"KI{ki_number}" if ki_number else "",
            site,
            cohort,
            group or "",
            "; ".join(map(str, titles or [])),
            int(complete),
            response.version.number,
            _when(response.started_at),
            _when(response.completed_at),
            *identity,
        ]

    def rows(self, progress: Progress | None = None) -> Iterator[list[Any]]:
        """Yield one row of cells per exported response (codes; missing codes negative)."""
        plans = self.plans
        for response, complete, fixed in self.responses(progress):
            plan = plans[response.version_id]
            row = self.fixed_cells(response, complete, fixed)
            row += cells(plan, response.answers, response.not_asked, self.reached(response, plan))
            yield row


def _response(values: tuple) -> Response:
    """Return an unsaved-looking Response holding the fields read (no defaults computed:
    this runs once per response exported)."""
    response = Response.__new__(Response)
    response.__dict__.update(zip(RESPONSE_FIELDS, values, strict=True))
    response._state = ModelState()
    response._state.adding, response._state.db = False, "default"
    return response


def _when(moment) -> str:
    return moment.isoformat(" ", "seconds") if moment else ""


def label_rows(export: Export, rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
    """Yield the rows with option codes and missing codes replaced by their labels."""
    lookups = [
        column.all_value_labels if column.value_labels or column.item_code else None
        for column in export.columns
    ]
    for row in rows:
        yield [
            lookup.get(cell, cell) if lookup is not None and type(cell) is int else cell
            for lookup, cell in zip(lookups, row, strict=True)
        ]


LONG_HEADER = [
    "ki_id", "round", "site", "cohort", "organisation_group", "item_code", "column",
    "value", "value_label", "status",
]  # fmt: skip


def long_rows(exports: list[Export], progress: Progress | None = None) -> Iterator[list[Any]]:
    """Yield the header, then one row per (response, column of its version).

    ``value`` is the answer as stored (a "Don't know" keeps its own code); ``status``
    says answered, dont_know, not_asked, skipped or not_reached. Rounds are joined on the
    item code.
    """
    yield LONG_HEADER
    for export in exports:
        yield from _long_rows_of(export, progress)


def _long_rows_of(export: Export, progress: Progress | None) -> Iterator[list[Any]]:
    columns, plans, name = export.item_columns, export.plans, export.round.name
    for response, complete, values in export.responses(progress):
        plan = plans[response.version_id]
        fixed = export.fixed_cells(response, complete, values)
        head = [fixed[0], name, fixed[1], fixed[2], fixed[3]]
        answers = response.answers
        status = statuses(plan, answers, response.not_asked, export.reached(response, plan))
        row = cells(plan, answers, response.not_asked, export.reached(response, plan))
        for column, (get, code), cell in zip(columns, plan.getters, row, strict=True):
            if get is None:
                continue
            state = status(code)
            if state is None and not column.free_number and type(cell) is int:
                state = cell if cell in STATUS_NAMES and cell != DONT_KNOW else None
            if state is not None:
                yield [*head, code, column.name, cell, MISSING_LABELS[state], STATUS_NAMES[state]]
                continue
            if cell == DONT_KNOW and column.dont_know:
                value = answers[code]
                yield [*head, code, column.name, value, column.dont_know[value], "dont_know"]
                continue
            label = column.value_labels.get(cell, "") if column.value_labels else ""
            yield [*head, code, column.name, cell, label, "answered"]
