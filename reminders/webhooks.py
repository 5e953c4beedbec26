"""A mail provider's bounce and complaint webhooks (through django-anymail), fed to the
same services as the sender's own permanent failures and the one-click opt-out.

Only Mailgun's tracking webhook is mounted (`/anymail/mailgun/tracking/`, see
config/urls.py), and only when its signing key is set: anymail checks each call's
HMAC-SHA256 signature with MAILGUN_WEBHOOK_SIGNING_KEY. An event is taken only when its
Message-ID is one the sender wrote and its recipient is that email's member, so a webhook
can act only on the member the email went to.
"""

import logging

from anymail.signals import EventType, tracking
from django.dispatch import receiver

from panels import services as panel_services
from panels.models import DispositionSource
from reminders.models import OutboxEntry, OutboxStatus

logger = logging.getLogger(__name__)

UNDELIVERABLE = {EventType.BOUNCED, EventType.REJECTED}
OPTED_OUT = {EventType.COMPLAINED, EventType.UNSUBSCRIBED}


def _entry(event) -> OutboxEntry | None:
    if not event.message_id:
        return None
    entry = (
        OutboxEntry.objects.filter(message_id_header=event.message_id, status=OutboxStatus.SENT)
        .select_related("member__contact")
        .first()
    )
    if entry is None or (event.recipient or "").lower() != entry.member.contact.email.lower():
        return None
    return entry


@receiver(tracking, dispatch_uid="reminders.provider_event")
def provider_event(sender, event, esp_name, **kwargs) -> None:
    """Mark the member undeliverable on a bounce, opted out of reminders on a complaint or
    an unsubscribe; ignore every other event (opens and clicks are not tracked)."""
    if event.event_type not in UNDELIVERABLE | OPTED_OUT:
        return
    entry = _entry(event)
    if entry is None:
        logger.warning(
            "%s %s event for an unknown email %s", esp_name, event.event_type, event.message_id
        )
        return
    if event.event_type in UNDELIVERABLE:
        detail = event.mta_response or event.description or ""
        panel_services.member_undeliverable(
            member_id=entry.member_id, reason=f"{esp_name} {event.event_type}: {detail}"[:300]
        )
    else:
        panel_services.member_opt_out(
            member=entry.member, scope="reminders", source=DispositionSource.SENDER
        )
