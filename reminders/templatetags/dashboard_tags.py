"""Formatting of rates on the dashboard pages: a percentage, its interval and its counts."""

from django import template

from panels.rates import Rate

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    """Return a fraction as a percentage with one decimal, or a dash when there is none."""
    return "–" if value is None else f"{value * 100:.1f}%"


@register.filter
def count(value: float) -> str:
    """Return a count, with two decimals only when e made it fractional."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


@register.filter
def sort_value(rate: Rate) -> str:
    """Return what a sortable table orders a rate cell by (no rate sorts first)."""
    return "-1" if rate.value is None else f"{rate.value:.6f}"


@register.inclusion_tag("reminders/dashboard/_rate.html")
def rate_cell(rate: Rate) -> dict:
    """Render a rate with its 95% interval and the counts it comes from."""
    return {"rate": rate}
