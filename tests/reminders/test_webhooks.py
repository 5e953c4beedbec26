"""A mail provider's bounce and complaint webhooks (Mailgun's, through django-anymail):
posted as the provider posts them, signed with the webhook signing key."""

import hashlib
import hmac
import importlib
import json
import secrets
import time

import pytest
from django.test import Client
from django.urls import clear_url_caches

from panels.models import Disposition
from reminders import services
from reminders.models import OutboxEntry, OutboxStatus
from tests.reminders.test_delivery import _message, _round

KEY = "key-" + secrets.token_hex(16)
URL = "/anymail/mailgun/tracking/"


def _reload_urls():
    import config.urls

    importlib.reload(config.urls)
    clear_url_caches()


@pytest.fixture
def mailgun(settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": KEY}
    _reload_urls()
    yield
    settings.ANYMAIL = {}
    _reload_urls()


def _sent(round_):
    """Send a reminder to the round's members (as the sender records it); return the rows."""
    reminder = _message(round_)
    services.message_enqueue(message_id=reminder.pk)
    entries = list(OutboxEntry.objects.filter(message=reminder).select_related("member__contact"))
    for entry in entries:
        entry.status = OutboxStatus.SENT
        entry.message_id_header = f"<message-{reminder.pk}.member-{entry.member_id}@example.org>"
        entry.save()
    return entries


def _event(entry, event: str, key: str = KEY, **extra) -> dict:
    """Mailgun's webhook body (https://documentation.mailgun.com, "Webhooks"), signed."""
    timestamp, token = str(int(time.time())), secrets.token_hex(25)
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256)
    return {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature.hexdigest()},
        "event-data": {
            "id": secrets.token_urlsafe(16),
            "timestamp": time.time(),
            "log-level": "error",
            "event": event,
            "recipient": entry.member.contact.email,
            "recipient-domain": "example.org",
            "message": {
                "headers": {
                    "to": entry.member.contact.email,
                    "message-id": entry.message_id_header.strip("<>"),
                    "from": "survey@example.org",
                    "subject": "The 2020 survey of Barnsley",
                },
                "attachments": [],
                "size": 2100,
            },
            "tags": [],
            "user-variables": {},
            **extra,
        },
    }


def _post(body) -> int:
    return Client().post(URL, json.dumps(body), content_type="application/json").status_code


def _next_reminder_reason(round_, entry) -> tuple[str, str]:
    reminder = _message(round_)
    services.message_enqueue(message_id=reminder.pk)
    row = OutboxEntry.objects.get(message=reminder, member=entry.member)
    return row.status, row.reason


BOUNCE = {
    "severity": "permanent",
    "reason": "bounce",
    "delivery-status": {
        "attempt-no": 1,
        "code": 550,
        "message": "5.1.1 The email account that you tried to reach does not exist.",
        "description": "",
        "mx-host": "mx.example.org",
    },
}


def test_a_permanent_bounce_marks_the_member_undeliverable_and_suppresses_the_next_reminder(
    mailgun, db
):
    round_ = _round(2)
    bounced, other = _sent(round_)
    assert _post(_event(bounced, "failed", **BOUNCE)) == 200
    bounced.member.refresh_from_db()
    other.member.refresh_from_db()
    assert bounced.member.disposition == Disposition.UNDELIVERABLE
    assert other.member.disposition != Disposition.UNDELIVERABLE
    change = bounced.member.disposition_changes.last()
    assert "does not exist" in change.reason
    assert _next_reminder_reason(round_, bounced) == (OutboxStatus.SUPPRESSED, "undeliverable")


def test_a_complaint_opts_the_member_out_of_reminders(mailgun, db):
    round_ = _round(1)
    (entry,) = _sent(round_)
    assert _post(_event(entry, "complained")) == 200
    entry.member.refresh_from_db()
    assert entry.member.opted_out_reminders_at is not None
    assert _next_reminder_reason(round_, entry) == (OutboxStatus.SUPPRESSED, "opted_out")


def test_a_temporary_failure_or_a_wrong_signature_changes_nothing(mailgun, db):
    round_ = _round(1)
    (entry,) = _sent(round_)
    deferred = {**BOUNCE, "severity": "temporary"}
    assert _post(_event(entry, "failed", **deferred)) == 200
    assert _post(_event(entry, "failed", key="key-forged", **BOUNCE)) == 400
    entry.member.refresh_from_db()
    assert entry.member.disposition != Disposition.UNDELIVERABLE
    assert _next_reminder_reason(round_, entry) == (OutboxStatus.QUEUED, "")


def test_without_a_signing_key_there_is_no_webhook(client, db):
    assert client.post(URL, "{}", content_type="application/json").status_code == 404
