"""A round's message schedule, one outbox row per (message, member), and a round's pause."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from reminders.rendering import unknown_fields


class MessageKind(models.TextChoices):
    INVITATION = "invitation", "Invitation"
    REMINDER = "reminder", "Reminder"


class MessageStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"


class Message(models.Model):
    """One email of a round's schedule: the invitation or a reminder."""

    round = models.ForeignKey("panels.Round", on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=MessageKind.choices)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order among messages sent at the same time."
    )
    send_at = models.DateTimeField(help_text="When it goes out, in the study's time zone.")
    subject = models.CharField(max_length=200)
    body = models.TextField(help_text="Merge fields in double braces, e.g. {{ first_name }}.")
    body_started = models.TextField(
        blank=True,
        help_text="For members who started but did not finish; blank sends the body above.",
    )
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.SCHEDULED
    )
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "send_at", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"],
                condition=models.Q(kind="invitation"),
                name="message_one_invitation_per_round",
            ),
        ]
        indexes = [models.Index(fields=["status", "send_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.send_at:%d %b %Y} ({self.round})"

    def clean(self) -> None:
        if self.pk and Message.objects.filter(pk=self.pk, started_at__isnull=False).exists():
            raise ValidationError("This message has started sending and can no longer change.")
        errors = {}
        for name in ("subject", "body", "body_started"):
            unknown = unknown_fields(getattr(self, name) or "")
            if unknown:
                plural = "" if len(unknown) == 1 else "s"
                named = ", ".join("{{ " + field + " }}" for field in unknown)
                errors[name] = f"Unknown merge field{plural}: {named}."
        if errors:
            raise ValidationError(errors)

    @property
    def editable(self) -> bool:
        return self.started_at is None


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SUPPRESSED = "suppressed", "Suppressed"


class OutboxEntry(models.Model):
    """A message to one member, decided once: queued, claimed, then sent, failed or
    suppressed, with the reason."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="outbox")
    member = models.ForeignKey("panels.Member", on_delete=models.CASCADE, related_name="outbox")
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED
    )
    reason = models.CharField(
        max_length=40, blank=True, help_text="Why it failed or was suppressed, as a short code."
    )
    detail = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=200, blank=True)
    # The email's Message-ID header; "message_id" is the foreign key's column.
    message_id_header = models.CharField("Message-ID", max_length=250, blank=True)
    smtp_reply = models.TextField(blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "outbox entries"
        ordering = ["message", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "member"], name="outbox_one_per_message_and_member"
            ),
        ]
        indexes = [
            models.Index(fields=["message", "status", "next_attempt_at"]),
            models.Index(fields=["status", "claimed_at"]),
            models.Index(fields=["member", "queued_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.message} to member {self.member_id}: {self.status}"


class RoundSending(models.Model):
    """Whether a round's sending is paused, and by whom."""

    round = models.OneToOneField("panels.Round", on_delete=models.CASCADE, related_name="sending")
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.round}: {'paused' if self.paused_at else 'sending'}"
