"""Reads for the report tables: a round's responses with their subgroups, in one query.

Which responses count as complete is the round's rule (`surveys.completeness`), a
function of each response, so the responses are read once with their subgroups joined in
the database and the rule and the counting run over those rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from panels.models import AnalysisGroup, Round, Site
from surveys.completeness import counts_as_complete
from surveys.definitions import definition_of
from surveys.models import Response, Version

from .tables import TABLE_TYPES, Respondent, columns_of, frequency_table, grid_table
from .trends import RoundData, trend_table

SUBGROUPS = {
    "all": "All responses",
    "cohort": "Cohort",
    "group": "Organisation group",
    "site": "Site",
}
NOT_KNOWN = "Not known"


def cohort_label(cohort: int) -> str:
    return f"Cohort {cohort}"


def round_responses(*, round: Round, include_partial: bool = False) -> list[Response]:
    """Return the round's responses that count (complete by the round's rule, or all
    started ones with `include_partial`), each with its member's site and group loaded."""
    versions = {v.pk: v for v in Version.objects.filter(responses__member__round=round).distinct()}
    query = Response.objects.filter(member__round=round).select_related(
        "member__panel__site", "member__organisation_type__analysis_group"
    )
    kept = []
    for response in query.order_by("pk"):
        response.version = versions[response.version_id]  # one definition for all rows
        if include_partial or counts_as_complete(round=round, response=response):
            kept.append(response)
    return kept


def respondent_of(response: Response) -> Respondent:
    """Return a response as the tables see it."""
    member = response.member
    site = member.panel.site
    kind = member.organisation_type
    return Respondent(
        groups={
            "cohort": cohort_label(site.cohort),
            "group": kind.analysis_group.name if kind else NOT_KNOWN,
            "site": site.name,
        },
        answers=response.answers,
        not_asked=frozenset(response.not_asked),
    )


def round_respondents(*, round: Round, include_partial: bool = False) -> list[Respondent]:
    """Return the responses of a round that count, as the tables see them."""
    responses = round_responses(round=round, include_partial=include_partial)
    return [respondent_of(r) for r in responses]


def subgroup_order(by: str) -> list[str]:
    """Return the columns of a subgroup in the study's own order."""
    if by == "cohort":
        cohorts = Site.objects.order_by("cohort").values_list("cohort", flat=True).distinct()
        return [cohort_label(c) for c in cohorts]
    if by == "group":
        return [*AnalysisGroup.objects.values_list("name", flat=True), NOT_KNOWN]
    if by == "site":
        return list(Site.objects.values_list("name", flat=True))
    return []


def analysis_rounds() -> list[Round]:
    """Return the rounds with a questionnaire version, earliest first."""
    return list(
        Round.objects.filter(version__isnull=False)
        .select_related("version")
        .order_by("year", "fieldwork_start", "name")
    )


def table_items(version: Version) -> list[tuple[str, str]]:
    """Return (code, label) of every item of a version a table can be made of."""
    definition = definition_of(version)
    return [
        (item.code, _item_label(item))
        for item in definition.items.values()
        if item.type in TABLE_TYPES
    ]


def _item_label(item) -> str:
    number = f"{item.label} " if item.label else ""
    prefix = "  – " if item.type == "row" else ""
    text = item.text if len(item.text) <= 90 else item.text[:87] + "…"
    return f"{prefix}{number}{text} [{item.code}]"


def trend_items(rounds: Sequence[Round]) -> list[tuple[str, str]]:
    """Return (code, label) of every closed item or grid of any round, with the number of
    rounds that asked it; the latest wording names it."""
    found: dict[str, tuple[str, int]] = {}
    for round_ in reversed(rounds):
        for code, label in table_items(round_.version):
            name, count = found.get(code, (label, 0))
            found[code] = (name, count + 1)
    return [(code, f"{name} ({_rounds(n)})") for code, (name, n) in found.items()]


def _rounds(n: int) -> str:
    return "1 round" if n == 1 else f"{n} rounds"


def trend_rounds(*, code: str, include_partial: bool = False) -> list[RoundData]:
    """Return every round whose version asked this item code, with its responses."""
    data = []
    for round_ in analysis_rounds():
        definition = definition_of(round_.version)
        if code not in definition.items:
            continue
        respondents = round_respondents(round=round_, include_partial=include_partial)
        data.append(RoundData(round_.name, definition, respondents))
    return data


def report_table(
    *,
    round: Round,
    item,
    by: str,
    points: Sequence[int],
    include_partial: bool,
    dont_know_out: bool,
    sort: int | None,
):
    """Return the report table of a closed item or a grid for one round."""
    respondents = round_respondents(round=round, include_partial=include_partial)
    columns = columns_of(by, respondents, subgroup_order(by))
    options = {"by": by, "columns": columns, "dont_know_out": dont_know_out}
    if item.type == "grid":
        return grid_table(item, respondents, chosen=points, sort_by=sort, **options)
    return frequency_table(item, respondents, **options)


def trend_report(*, code: str, points: Sequence[int], include_partial: bool, dont_know_out: bool):
    """Return the trend table of an item code over every round that asked it."""
    rounds = trend_rounds(code=code, include_partial=include_partial)
    return trend_table(code, rounds, chosen=points, dont_know_out=dont_know_out)
