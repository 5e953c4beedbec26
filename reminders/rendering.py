"""Merge fields and rendering of a message for one member.

Merge fields are data: each is a name written `{{ name }}` in a subject or body, with a
label and a function of the member giving its value. Any other name is refused when the
message is saved, so a typo never reaches a respondent.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
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
    before, after = _optout_path(get_script_prefix())
    return f"{settings.SITE_URL}{before}{optout_token_for(member.token_nonce)}{after}"


@lru_cache(maxsize=8)
def _optout_path(script_prefix: str) -> tuple[str, str]:
    """Return the opt-out path around its token (reversed once, not once per member)."""
    before, _, after = reverse("email_opt_out", args=["TOKEN"]).partition("TOKEN")
    return before, after


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


# The sender's rendering: the templates rendered once per message and body, then filled in
# per member. Each field stands in the rendered templates as a marker that no template
# changes (no character autoescaping or linebreaks touches), so putting the member's value,
# escaped in the HTML part, in place of its marker gives what render() gives; a member
# whose values hold a line break (linebreaks would read it) is rendered by render().

_MARK = "\x00{}\x00"
_MARKS = {name: _MARK.format(index) for index, name in enumerate(MERGE_FIELDS)}
_SUBJECT_MARK = _MARK.format("subject")
_MARKER = re.compile("\x00([a-z0-9]+)\x00")


class CompiledMessage:
    """A message's subject and one of its bodies, rendered once for many members."""

    def __init__(self, *, message, started: bool):
        self.message = message
        body = message.body_started if message.body_started and started else None
        self.started = started
        self.subject = message.subject
        context = {
            "subject": _SUBJECT_MARK,
            "text_body": _fill_text(body or message.body, _MARKS),
            "html_body": _fill_html(body or message.body, _MARKS),
            "opt_out_url": _MARKS["opt_out_link"],
            "study_contact": _MARKS["study_contact"],
        }
        self.text = render_to_string("emails/message-body.txt", context)
        self.html = render_to_string("emails/message-body.html", context)
        self._names = list(MERGE_FIELDS)

    def render(self, member, values: dict[str, str] | None = None) -> Rendered:
        """Return the message as this member gets it, as render() does."""
        values = values or _values(member)
        if any("\n" in value or "\r" in value for value in values.values()):
            return render(message=self.message, member=member)
        filled = _fill_text(self.subject, values)
        by_mark = {str(i): values[name] for i, name in enumerate(self._names)}
        escaped = {key: escape(value) for key, value in by_mark.items()}
        escaped["subject"] = escape(filled)
        return Rendered(
            subject=" ".join(filled.split()),
            text=_MARKER.sub(lambda match: by_mark[match.group(1)], self.text),
            html=_MARKER.sub(lambda match: escaped[match.group(1)], self.html),
        )


def member_values(member) -> dict[str, str]:
    """Return the member's merge field values."""
    return _values(member)
