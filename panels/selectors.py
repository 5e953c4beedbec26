"""Reads of panels and rounds, computed in the database."""

from django.db import connection
from django.db.models import Count, Q, QuerySet

from panels.models import Disposition, Member, Panel, Round, Site

# How members are grouped for counts: the field named and the field that orders the groups.
GROUPINGS = {
    "site": ("panel__site__name", "panel__site__code"),
    "cohort": ("panel__site__cohort", "panel__site__cohort"),
    "org_group": (
        "organisation_type__analysis_group__name",
        "organisation_type__analysis_group__position",
    ),
}
GROUP_CHOICES = (*GROUPINGS, "job_title")
NO_GROUP = "(not given)"


def round_list() -> QuerySet[Round]:
    """Return rounds with their number of panels and members."""
    return Round.objects.annotate(
        panel_count=Count("panels", distinct=True), member_count=Count("members", distinct=True)
    ).order_by("-year", "name")


STARTED = (Disposition.PARTIAL, Disposition.BREAK_OFF)


def round_site_rows(round_: Round) -> list[dict]:
    """Return one row per site: its panel in the round (or None), list size, how many of
    its members completed and how many started without completing, last updated."""
    panels = {
        p.site_id: p
        for p in Panel.objects.filter(round=round_)
        .select_related("refreshed_by", "carried_from__round")
        .annotate(
            size=Count("members"),
            complete=Count("members", filter=Q(members__disposition=Disposition.COMPLETE)),
            started=Count("members", filter=Q(members__disposition__in=STARTED)),
        )
    }
    rows = []
    for site in Site.objects.order_by("code"):
        panel = panels.get(site.pk)
        rows.append(
            {
                "site": site,
                "panel": panel,
                "size": panel.size if panel else 0,
                "stale": panel_not_updated(panel),
            }
        )
    return rows


def panel_members(panel: Panel) -> QuerySet[Member]:
    """Return a panel's members by name, with what the panel page shows of each."""
    return (
        Member.objects.filter(panel=panel)
        .select_related("contact", "organisation_type")
        .order_by("contact__last_name", "contact__first_name", "pk")
    )


def panel_not_updated(panel: Panel | None) -> bool:
    """Return whether a list was never refreshed, or carried over and not refreshed since."""
    if panel is None:
        return False
    if panel.refreshed_at is None:
        return True
    carried = panel.carried_from
    return (
        carried is not None
        and carried.refreshed_at is not None
        and (panel.refreshed_at <= carried.refreshed_at)
    )


def round_disposition_counts(*, round: Round) -> dict[str, int]:
    """Return the number of the round's members in each disposition, in one query."""
    rows = (
        Member.objects.filter(round=round)
        .values_list("disposition")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def round_disposition_counts_by(*, round: Round, by: str) -> dict[str, dict[str, int]]:
    """Return disposition counts per group (site, cohort, org_group or job_title), in
    one query; a member with several job titles counts under each of them."""
    if by == "job_title":
        rows = _job_title_rows(round)
    elif by in GROUPINGS:
        field, order = GROUPINGS[by]
        rows = (
            Member.objects.filter(round=round)
            .values_list(field, "disposition")
            .annotate(n=Count("pk"))
            .order_by(order, field)
        )
    else:
        raise ValueError(f"Cannot group by {by!r}; choose one of {', '.join(GROUP_CHOICES)}.")
    groups: dict[str, dict[str, int]] = {}
    for group, disposition, n in rows:
        name = _group_name(by, group)
        counts = groups.setdefault(name, {})
        counts[disposition] = counts.get(disposition, 0) + n
    return groups


def _group_name(by: str, group) -> str:
    if group is None or group == "":
        return NO_GROUP
    return f"Cohort {group}" if by == "cohort" else str(group)


# A member's job titles, one row each (a member with none: one row with no title).
_JOB_TITLE_SQL = {
    "postgresql": """
        SELECT title, m.disposition, count(*)
        FROM panels_member m
        LEFT JOIN LATERAL jsonb_array_elements_text(
            CASE WHEN jsonb_typeof(m.job_titles) = 'array' THEN m.job_titles END
        ) AS t(title) ON true
        WHERE m.round_id = %s
        GROUP BY title, m.disposition
        ORDER BY title NULLS LAST, m.disposition
    """,
    # The first-run database: the same rows through SQLite's JSON table function.
    "sqlite": """
        SELECT t.value, m.disposition, count(*)
        FROM panels_member m
        LEFT JOIN json_each(
            CASE WHEN json_type(m.job_titles) = 'array' THEN m.job_titles END
        ) AS t
        WHERE m.round_id = %s
        GROUP BY t.value, m.disposition
        ORDER BY t.value IS NULL, t.value, m.disposition
    """,
}


def _job_title_rows(round_: Round) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(_JOB_TITLE_SQL[connection.vendor], [round_.pk])
        return cursor.fetchall()
