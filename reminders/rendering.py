"""Merge fields and rendering of a message for one member.

Merge fields are data: each is a name written `{{ name }}` in a subject or body, with a
label and a function of the member giving its value. Any other name is refused when the
message is saved, so a typo never reaches a respondent.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape, linebreaks

from panels.tokens import optout_token_for, token_for

FIELD_PATTERN = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


@dataclass(frozen=True)
class MergeField:
    label: str
    value: Callable
    link: bool = False


def personal_url(member) -> str:
    """Return the member's personal link."""
    return f"{settings.SITE_URL}/r/{token_for(member.token_nonce)}/"


def optout_url(member) -> str:
    """Return the member's opt-out link (also the List-Unsubscribe target)."""
    return settings.SITE_URL + reverse("email_opt_out", args=[optout_token_for(member.token_nonce)])


def study_contact(round_) -> str:
    return round_.study_contact or settings.STUDY_CONTACT


def _closing_date(member) -> str:
    end = member.round.fieldwork_end
    return date_format(end, "j F Y") if end else ""


MERGE_FIELDS: dict[str, MergeField] = {
    "first_name": MergeField("First name", lambda m: m.contact.first_name),
    "full_name": MergeField(
        "Full name", lambda m: f"{m.contact.first_name} {m.contact.last_name}".strip()
    ),
    "site": MergeField("Site", lambda m: m.panel.site.name),
    "personal_link": MergeField("Personal link", personal_url, link=True),
    "opt_out_link": MergeField("Opt-out link", optout_url, link=True),
    "closing_date": MergeField("Closing date", _closing_date),
    "study_contact": MergeField("Study contact", lambda m: study_contact(m.round)),
}


def unknown_fields(text: str) -> list[str]:
    """Return the merge field names in text that are not merge fields, once each, in order."""
    seen = []
    for name in FIELD_PATTERN.findall(text):
        if name not in MERGE_FIELDS and name not in seen:
            seen.append(name)
    return seen


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def _values(member) -> dict[str, str]:
    return {name: str(field.value(member)) for name, field in MERGE_FIELDS.items()}


def _fill_text(text: str, values: dict[str, str]) -> str:
    return FIELD_PATTERN.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def _fill_html(text: str, values: dict[str, str]) -> str:
    """Return the body as HTML paragraphs, every value escaped, links made links."""

    def value(name):
        if name not in values:
            return escape("{{ " + name + " }}")
        if MERGE_FIELDS[name].link:
            return f'<a href="{escape(values[name])}">{escape(values[name])}</a>'
        return escape(values[name])

    parts = FIELD_PATTERN.split(text)
    # split() alternates literal text and field names: escape one, fill the other.
    out = [escape(part) if i % 2 == 0 else value(part) for i, part in enumerate(parts)]
    return linebreaks("".join(out), autoescape=False)


def started_unfinished(member) -> bool:
    """Return whether the member started a response and has not completed it."""
    from panels.models import Disposition

    if member.disposition == Disposition.COMPLETE:
        return False
    started = getattr(member, "started", None)
    if started is None:
        from surveys.models import Response

        started = Response.objects.filter(member_id=member.pk).exists()
    return started


def render(*, message, member) -> Rendered:
    """Return the message as this member gets it: subject, text part and HTML part."""
    body = message.body_started if message.body_started and started_unfinished(member) else None
    body = body or message.body
    values = _values(member)
    context = {
        "subject": _fill_text(message.subject, values),
        "text_body": _fill_text(body, values),
        "html_body": _fill_html(body, values),
        "opt_out_url": values["opt_out_link"],
        "study_contact": values["study_contact"],
    }
    return Rendered(
        subject=" ".join(render_to_string("emails/message-subject.txt", context).split()),
        text=render_to_string("emails/message-body.txt", context),
        html=render_to_string("emails/message-body.html", context),
    )
