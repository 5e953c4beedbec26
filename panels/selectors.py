"""Reads of panels and rounds, computed in the database."""

from django.db.models import Count, QuerySet

from panels.models import Panel, Round, Site


def round_list() -> QuerySet[Round]:
    """Return rounds with their number of panels and members."""
    return Round.objects.annotate(
        panel_count=Count("panels", distinct=True), member_count=Count("members", distinct=True)
    ).order_by("-year", "name")


def round_site_rows(round_: Round) -> list[dict]:
    """Return one row per site: its panel in the round (or None), list size, last updated."""
    panels = {
        p.site_id: p
        for p in Panel.objects.filter(round=round_)
        .select_related("refreshed_by", "carried_from__round")
        .annotate(size=Count("members"))
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
