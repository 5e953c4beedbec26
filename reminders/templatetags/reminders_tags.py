"""The round's schedule and a member's messages, for pages of other apps to include."""

from django import template

from panels.models import Disposition
from reminders import selectors
from reminders.models import RoundSending

register = template.Library()

REASONS = {
    "completed": "completed the survey",
    "opted_out": "opted out",
    "no_connection": "no connection to the mail server",
}


@register.filter
def reason_label(code: str) -> str:
    """Return a reason code in words: "smtp_550" is "mail server refused it (550)"."""
    if code in REASONS:
        return REASONS[code]
    if code.startswith("smtp_"):
        return f"mail server replied {code[5:]}"
    try:
        return Disposition(code).label.lower()
    except ValueError:
        return code.replace("_", " ")


@register.inclusion_tag("reminders/_round_schedule.html")
def round_schedule(round):
    """What goes out next, when, and to how many members as things stand now."""
    rows = selectors.round_schedule(round_id=round.pk)
    paused = RoundSending.objects.filter(round=round, paused_at__isnull=False).exists()
    return {"round": round, "rows": rows, "next": selectors.next_out(rows), "paused": paused}


@register.inclusion_tag("reminders/_member_timeline.html")
def member_timeline(member):
    """Every message of the member's round: when it was queued, sent, or why not."""
    return {"member": member, "rows": selectors.member_timeline(member=member)}
