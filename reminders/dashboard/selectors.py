"""Reads for the fieldwork dashboard, each a fixed number of queries whatever the round's size.

Every number reads member.disposition (kept live during fieldwork, frozen at close); the
dates of completion come from the disposition history.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from panels import rates
from panels.models import (
    Disposition,
    Member,
    OrganisationType,
    Panel,
    Round,
    RoundStatus,
)
from panels.selectors import NO_GROUP
from reminders.models import Message

# The rates each breakdown table shows beside its counts.
GROUP_RATES = ("study_frame", "study_eligible", "RR1", "RR2")
BREAKDOWNS = {"cohort": "Cohort", "org_group": "Organisation group", "job_title": "Job title"}
RATE_LABELS = {
    "study_frame": "Completes / sample frame",
    "study_eligible": "Completes / eligible base",
    "RR1": "RR1: completes / all cases",
    "RR2": "RR2: completes and partials / all cases",
    "RR3": "RR3: as RR1, with e of the unknown cases",
    "RR4": "RR4: as RR2, with e of the unknown cases",
    "RR5": "RR5: completes / cases of known eligibility",
    "RR6": "RR6: completes and partials / cases of known eligibility",
    "COOP1": "COOP1: completes / contacted",
    "COOP2": "COOP2: completes and partials / contacted",
    "COOP3": "COOP3: completes / contacted less those unable to answer",
    "COOP4": "COOP4: completes and partials / contacted less those unable",
    "REF1": "REF1: refusals and break-offs / all cases",
    "REF2": "REF2: as REF1, with e of the unknown cases",
    "REF3": "REF3: refusals and break-offs / cases of known eligibility",
    "CON1": "CON1: contacted / all cases",
    "CON2": "CON2: as CON1, with e of the unknown cases",
    "CON3": "CON3: contacted / cases of known eligibility",
}
STUDY_RATES = ("study_frame", "study_eligible")
# Responded, for retention: a complete questionnaire.
RESPONDED = Disposition.COMPLETE


@dataclass(frozen=True)
class GroupRow:
    name: str
    result: rates.Rates

    @property
    def members(self) -> int:
        return sum(self.result.counts.values())

    @property
    def complete(self) -> int:
        return self.result.counts.get(Disposition.COMPLETE, 0)

    @property
    def partial(self) -> int:
        counts = self.result.counts
        return counts.get(Disposition.PARTIAL, 0) + counts.get(Disposition.BREAK_OFF, 0)

    @property
    def eligible(self) -> int:
        return int(self.result.rates["study_eligible"].denominator)


@dataclass(frozen=True)
class SiteRow(GroupRow):
    cohort: int
    cohort_year: int
    refreshed_at: datetime.datetime | None

    @property
    def has_return(self) -> bool:
        return self.complete > 0


@dataclass(frozen=True)
class RoundNumbers:
    headline: rates.Rates
    sites: list[SiteRow]
    breakdowns: dict[str, list[GroupRow]]  # by cohort, org_group and job_title


def _add(into: dict[str, int], disposition: str, n: int) -> None:
    into[disposition] = into.get(disposition, 0) + n


def _counts_by_panel_type_and_titles(round_: Round) -> list[tuple]:
    """Return the round's members counted by panel, organisation type, list of job titles
    and disposition: one query over the members alone, no join (a site and a group are
    looked up after, and each title of a list counted in Python). Job titles are a short
    coded list in the study's questionnaires, so the rows stay few however large the round;
    the list is grouped by its stored text, which costs far less to hash than the JSON."""
    rows = (
        Member.objects.filter(round=round_)
        .values_list("panel_id", "organisation_type_id", "job_titles_key", "disposition")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return list(rows)


def _titles(job_titles) -> set:
    """Return a member's distinct job titles ({None}: none given), each counted once."""
    if isinstance(job_titles, str):
        job_titles = json.loads(job_titles)
    if isinstance(job_titles, list):
        found = {str(t) for t in job_titles if t not in (None, "")}
        if found:
            return found
    return {None}


def _group_keys() -> dict[int | None, tuple]:
    """Return each organisation type's analysis group as a sort key (one query)."""
    keys: dict[int | None, tuple] = {None: (True, 0, NO_GROUP)}
    types = OrganisationType.objects.select_related("analysis_group")
    for t in types:
        keys[t.pk] = (False, t.analysis_group.position, t.analysis_group.name)
    return keys


def round_numbers(*, round: Round, e: float | None = None) -> RoundNumbers:
    """Return every count and rate of the dashboard (three queries): overall, per site,
    per cohort, per organisation group and per job title from one pass over the members
    (a site's cohort is the site's, a type's group the type's; a member with several job
    titles counts under each)."""
    panels = list(Panel.objects.filter(round=round).select_related("site").order_by("site__code"))
    site_of = {panel.pk: panel.site_id for panel in panels}
    group_of = _group_keys()
    overall: dict[str, int] = {}
    by_site: dict[int, dict[str, int]] = {}
    by_group: dict[tuple, dict[str, int]] = {}
    by_title: dict[str | None, dict[str, int]] = {}
    for panel_id, type_id, titles, disposition, n in _counts_by_panel_type_and_titles(round):
        _add(overall, disposition, n)
        _add(by_site.setdefault(site_of[panel_id], {}), disposition, n)
        _add(by_group.setdefault(group_of[type_id], {}), disposition, n)
        for title in _titles(titles):
            _add(by_title.setdefault(title, {}), disposition, n)
    by_cohort: dict[int, dict[str, int]] = {}
    for panel in panels:
        for disposition, n in by_site.get(panel.site_id, {}).items():
            _add(by_cohort.setdefault(panel.site.cohort, {}), disposition, n)
    sites = [_site_row(panel, by_site.get(panel.site_id, {}), e) for panel in panels]
    breakdowns = {
        "cohort": [
            GroupRow(f"Cohort {c}", rates.compute(by_cohort[c], e=e)) for c in sorted(by_cohort)
        ],
        "org_group": [
            GroupRow(key[2], rates.compute(by_group[key], e=e)) for key in sorted(by_group)
        ],
        "job_title": [
            GroupRow(title or NO_GROUP, rates.compute(by_title[title], e=e))
            for title in sorted(by_title, key=lambda t: (t is None, t or ""))
        ],
    }
    return RoundNumbers(rates.compute(overall, e=e), sites, breakdowns)


def _site_row(panel: Panel, counts: dict[str, int], e: float | None) -> SiteRow:
    return SiteRow(
        name=panel.site.name,
        result=rates.compute(counts, e=e),
        cohort=panel.site.cohort,
        cohort_year=panel.site.cohort_year,
        refreshed_at=panel.refreshed_at,
    )


_COMPLETION_DAYS_SQL = """
    SELECT {day}, count(*)
    FROM (
        SELECT m.id, max(c.at) AS became_complete
        FROM panels_member m
        LEFT JOIN panels_dispositionchange c
            ON c.member_id = m.id AND c.to_disposition = %s
        WHERE m.round_id = %s AND m.disposition = %s
        GROUP BY m.id
    ) t
    GROUP BY 1
"""


def _completion_day_counts(round_: Round) -> tuple[dict[datetime.date, int], int]:
    """Return completes per day (in the study's time zone) of their latest change to
    complete, and how many complete members have no such change recorded (one query)."""
    day, day_params = connection.ops.datetime_cast_date_sql(
        "t.became_complete", (), timezone.get_current_timezone_name()
    )
    sql = _COMPLETION_DAYS_SQL.format(day=day)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*day_params, RESPONDED, round_.pk, RESPONDED])
        rows = cursor.fetchall()
    by_day, undated = {}, 0
    for found, n in rows:
        if found is None:
            undated += n
        else:
            by_day[_as_date(found)] = n
    return by_day, undated


def _as_date(value) -> datetime.date:
    """SQLite returns the day as text."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


@dataclass(frozen=True)
class DayRow:
    day: datetime.date
    number: int  # fieldwork day, 1 on the first day shown
    completes: int
    cumulative: int
    messages: list[str]


@dataclass(frozen=True)
class Progress:
    days: list[DayRow]
    messages: list[Message]
    undated: int

    def chart_data(self) -> dict:
        """Return what the chart script draws: one point per day, and the messages."""
        return {
            "labels": [f"Day {d.number} ({d.day:%d %b})" for d in self.days],
            "cumulative": [d.cumulative for d in self.days],
            "markers": [
                {"index": i, "label": label}
                for i, d in enumerate(self.days)
                for label in d.messages
            ],
        }


def _message_label(message: Message, reminder_number: int) -> str:
    if message.kind == "invitation":
        return "Invitation"
    return f"Reminder {reminder_number}"


def round_progress(*, round: Round, today: datetime.date | None = None) -> Progress:
    """Return cumulative completes by fieldwork day, from the first message or complete to
    today (an open round) or the last event, with each message on its day (two queries)."""
    by_day, undated = _completion_day_counts(round)
    messages = list(Message.objects.filter(round=round).order_by("send_at", "position"))
    labels: dict[datetime.date, list[str]] = {}
    reminders = 0
    for message in messages:
        reminders += message.kind != "invitation"
        day = timezone.localdate(message.send_at)
        labels.setdefault(day, []).append(_message_label(message, reminders))
    today = today or timezone.localdate()
    events = [*by_day, *(d for d in labels if d <= today or round.status != RoundStatus.OPEN)]
    if not events:
        return Progress(days=[], messages=messages, undated=undated)
    first, last = min(events), max(events)
    if round.status == RoundStatus.OPEN:
        last = max(last, today)
    days, total = [], 0
    for offset in range((last - first).days + 1):
        day = first + datetime.timedelta(days=offset)
        total += by_day.get(day, 0)
        days.append(DayRow(day, offset + 1, by_day.get(day, 0), total, labels.get(day, [])))
    return Progress(days=days, messages=messages, undated=undated)


def rounds_in_order() -> list[Round]:
    """Return every round, earliest first (one query)."""
    return list(Round.objects.order_by("year", "fieldwork_start", "name"))


@dataclass(frozen=True)
class TrendColumn:
    round: Round
    result: rates.Rates


def rate_trends(*, rounds: list[Round]) -> list[TrendColumn]:
    """Return each round's counts and rates, in the order given (one query)."""
    rows = (
        Member.objects.filter(round__in=rounds)
        .values_list("round_id", "disposition")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {r.pk: {} for r in rounds}
    for round_id, disposition, n in rows:
        counts[round_id][disposition] = n
    return [TrendColumn(round=r, result=rates.compute(counts[r.pk])) for r in rounds]


@dataclass(frozen=True)
class RetentionRow:
    round: Round
    previous: Round
    eligible_both: int
    responded_previous: int
    responded_this: int
    responded_both: int

    @property
    def retention(self) -> rates.Rate:
        """Responded both times, among those eligible both times."""
        return rates.rate(self.responded_both, self.eligible_both)

    @property
    def again(self) -> rates.Rate:
        """Of the previous round's respondents eligible both times, those who responded again."""
        return rates.rate(self.responded_both, self.responded_previous)


_RETENTION_SQL = """
    SELECT cur.round_id, prev.round_id,
        count(*),
        sum(CASE WHEN prev.disposition = %(responded)s THEN 1 ELSE 0 END),
        sum(CASE WHEN cur.disposition = %(responded)s THEN 1 ELSE 0 END),
        sum(CASE WHEN cur.disposition = %(responded)s AND prev.disposition = %(responded)s
            THEN 1 ELSE 0 END)
    FROM panels_member cur
    JOIN panels_member prev ON prev.contact_id = cur.contact_id
    WHERE {pairs}
      AND cur.disposition NOT IN ({excluded}) AND prev.disposition NOT IN ({excluded})
    GROUP BY cur.round_id, prev.round_id
"""


def round_retention(*, rounds: list[Round]) -> list[RetentionRow]:
    """Return, for each round after the first, its members who were also members of the
    round before (in the order given) and eligible both times, and how many of them
    responded each time (one query)."""
    pairs = list(zip(rounds[1:], rounds[:-1], strict=False))
    if not pairs:
        return []
    excluded = sorted(rates.DEFAULT_EXCLUDED)
    sql = _RETENTION_SQL.format(
        pairs=" OR ".join(
            f"(cur.round_id = %(cur{i})s AND prev.round_id = %(prev{i})s)"
            for i in range(len(pairs))
        ),
        excluded=", ".join(f"%(ex{i})s" for i in range(len(excluded))),
    )
    params: dict = {"responded": RESPONDED}
    for i, (cur, prev) in enumerate(pairs):
        params[f"cur{i}"], params[f"prev{i}"] = cur.pk, prev.pk
    for i, name in enumerate(excluded):
        params[f"ex{i}"] = name
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {(c, p): rest for c, p, *rest in cursor.fetchall()}
    return [
        RetentionRow(cur, prev, *(int(x or 0) for x in found.get((cur.pk, prev.pk), (0,) * 4)))
        for cur, prev in pairs
    ]
