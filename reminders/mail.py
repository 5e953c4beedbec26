"""The email of a message to one member."""

import re
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from reminders.rendering import optout_url, render, study_contact

ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def message_id_for(*, message_id: int, member_id: int) -> str:
    """Return the Message-ID of a message to a member: the same on every try, so that a
    receiver can tell a resend after a crash from a new message."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<message-{message_id}.member-{member_id}@{domain}>"


def _reply_to(round_) -> list[str]:
    found = ADDRESS.search(study_contact(round_))
    return [found.group(0)] if found else [settings.DEFAULT_FROM_EMAIL]


def build_email(*, message, member, to: str | None = None) -> EmailMultiAlternatives:
    """Return the email of message for member, with a text and an HTML part, sent to
    their address, or to `to` (a test send) with the member's own links."""
    rendered = render(message=message, member=member)
    unsubscribe = optout_url(member)
    email = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to or member.contact.email],
        reply_to=_reply_to(member.round),
        headers={
            "Message-ID": message_id_for(message_id=message.pk, member_id=member.pk),
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    email.attach_alternative(rendered.html, "text/html")
    return email
