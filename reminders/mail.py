"""The email of a message to one member."""

import contextlib
import re
import secrets
import smtplib
import socket
import time
from email.header import Header
from email.utils import formatdate, parseaddr
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address

from reminders.rendering import (
    CompiledMessage,
    member_values,
    optout_url,
    render,
    study_contact,
)

CRLF = "\r\n"

ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def message_id_for(*, message_id: int, member_id: int) -> str:
    """Return the Message-ID of a message to a member: the same on every try, so that a
    receiver can tell a resend after a crash from a new message."""
    return f"<message-{message_id}.member-{member_id}@{_domain(settings.DEFAULT_FROM_EMAIL)}>"


@lru_cache(maxsize=4)
def _domain(from_email: str) -> str:
    return parseaddr(from_email)[1].rpartition("@")[2] or "localhost"


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


# The sender's composition. Django's EmailMultiAlternatives goes through the email package's
# generator, which costs more per message than the SMTP exchange itself; the sender writes
# the same MIME structure directly: the message's fixed headers once, the member's own
# (To, Subject, Date, Message-ID, List-Unsubscribe) and the two parts filled in per member.
# Whatever this writer does not handle plainly (a line longer than SMTP allows, a value
# holding a line break) goes through build_email() instead.

MAX_LINE = 998  # RFC 5322's limit on a line, in bytes


def _header(name: str, value: str) -> str:
    """Return a header line; a value that is not short plain ASCII is encoded (RFC 2047)
    and folded as the email package would."""
    if value.isascii() and len(name) + len(value) < 76:
        return f"{name}: {value}{CRLF}"
    return _encoded_header(name, value)


@lru_cache(maxsize=1024)
def _encoded_header(name: str, value: str) -> str:
    try:
        value.encode("ascii")
        charset = "us-ascii"
    except UnicodeEncodeError:
        charset = "utf-8"
    return f"{name}: {Header(value, charset, header_name=name).encode(linesep=CRLF)}{CRLF}"


def _date_header() -> str:
    now = int(time.time())
    return _dated(now, settings.EMAIL_USE_LOCALTIME)


@lru_cache(maxsize=4)
def _dated(now: int, localtime: bool) -> str:
    return f"Date: {formatdate(now, localtime=localtime)}{CRLF}"


def _part(content_type: str, text: str) -> str | None:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    encoded = text.encode()
    if any(len(line) > MAX_LINE for line in encoded.split(b"\n")):
        return None
    encoding = "7bit" if len(encoded) == len(text) else "8bit"
    return (
        f'Content-Type: {content_type}; charset="utf-8"{CRLF}MIME-Version: 1.0{CRLF}'
        f"Content-Transfer-Encoding: {encoding}{CRLF}{CRLF}" + text.replace("\n", CRLF)
    )


PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+")


def _address(address: str) -> str:
    """Return the address as Django's sanitize_address() writes it: as it is when plain
    ASCII (nothing to encode), else encoded."""
    if PLAIN_ADDRESS.fullmatch(address):
        return address
    return sanitize_address(address, "utf-8")


class Composer:
    """Writes the emails of one message as bytes ready for SMTP, member after member."""

    def __init__(self, *, message):
        self.message = message
        self.from_email = sanitize_address(settings.DEFAULT_FROM_EMAIL, "utf-8")
        self.boundary = f"=_kip_{secrets.token_hex(12)}"
        reply_to = ", ".join(sanitize_address(a, "utf-8") for a in _reply_to(message.round))
        self.fixed = (
            f'Content-Type: multipart/alternative; boundary="{self.boundary}"{CRLF}'
            f"MIME-Version: 1.0{CRLF}"
            + f"From: {self.from_email}{CRLF}"
            + f"Reply-To: {reply_to}{CRLF}"
            + f"List-Unsubscribe-Post: List-Unsubscribe=One-Click{CRLF}"
            f"Auto-Submitted: auto-generated{CRLF}"
        )
        self.compiled: dict[bool, CompiledMessage] = {}

    def compose(self, member, *, started: bool) -> tuple[str, str, bytes]:
        """Return the envelope recipient, the Message-ID and the email of the message to
        the member, the body for those who started if `started`."""
        member.started = started
        if started not in self.compiled:
            self.compiled[started] = CompiledMessage(message=self.message, started=started)
        values = member_values(member)
        rendered = self.compiled[started].render(member, values)
        to = _address(member.contact.email)
        message_id = message_id_for(message_id=self.message.pk, member_id=member.pk)
        text = _part("text/plain", rendered.text)
        html = _part("text/html", rendered.html)
        unsubscribe = values["opt_out_link"]
        fits = text is not None and html is not None and self.boundary not in text + html
        if not fits or not unsubscribe.isascii() or "\n" in rendered.subject + unsubscribe:
            email = build_email(message=self.message, member=member)
            return to, message_id, email.message().as_bytes(linesep=CRLF)
        mark = f"{CRLF}--{self.boundary}"
        data = (
            self.fixed
            + _header("Subject", rendered.subject)
            + f"To: {to}{CRLF}"
            + _date_header()
            + f"Message-ID: {message_id}{CRLF}"
            + f"List-Unsubscribe: <{unsubscribe}>{CRLF}"
            + f"{mark}{CRLF}{text}{mark}{CRLF}{html}{mark}--{CRLF}"
        )
        return to, message_id, data.encode()


def _quoted(data: bytes) -> bytes:
    """Return the DATA of an email: CRLF line ends, leading dots doubled (RFC 5321), as
    smtplib does; the regular expressions run only when there is something to change."""
    crlf = data.count(b"\r\n")
    if data.count(b"\r") != crlf or data.count(b"\n") != crlf:
        data = re.sub(rb"(?:\r\n|\n|\r(?!\n))", CRLF.encode(), data)
    if data.startswith(b".") or b"\n." in data:
        data = re.sub(rb"(?m)^\.", b"..", data)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def _refused(smtp, code: int) -> None:
    if code == 421:
        smtp.close()
        return
    with contextlib.suppress(smtplib.SMTPServerDisconnected):
        smtp.rset()


def send_holding(smtp: smtplib.SMTP, from_addr: str, to: str, data: bytes, before_end) -> None:
    """Send one email as smtplib's sendmail() does, but call before_end() just before the
    data's final line: until that line the server has accepted nothing, so work done by
    before_end (confirming that the previous email is recorded as sent) overlaps this
    one's whole exchange and still comes before the server can accept it. Raise what
    sendmail() raises; if before_end raises, the connection is dropped with nothing
    accepted and the error goes up."""
    smtp.ehlo_or_helo_if_needed()
    code, reply = smtp.mail(from_addr)
    if code != 250:
        _refused(smtp, code)
        raise smtplib.SMTPSenderRefused(code, reply, from_addr)
    code, reply = smtp.rcpt(to)
    if code not in (250, 251):
        _refused(smtp, code)
        raise smtplib.SMTPRecipientsRefused({to: (code, reply)})
    smtp.putcmd("data")
    code, reply = smtp.getreply()
    if code != 354:
        _refused(smtp, code)
        raise smtplib.SMTPDataError(code, reply)
    if smtp.sock is not None and smtp.sock.family != socket.AF_UNIX:
        # The data goes in two writes: without this the final line would wait for the
        # acknowledgement of the first (Nagle's algorithm), some 40 ms.
        smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    smtp.send(_quoted(data))
    try:
        before_end()
    except BaseException:
        smtp.close()
        raise
    smtp.send(b".\r\n")
    code, reply = smtp.getreply()
    if code != 250:
        _refused(smtp, code)
        raise smtplib.SMTPDataError(code, reply)
