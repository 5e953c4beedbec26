"""Writes for the message schedule: the outbox and its sender (`sending`), and planning
messages on the evaluator pages (`planning`)."""

from reminders.services.planning import (
    MessageStarted,
    message_delete,
    message_save,
    message_send_test,
)
from reminders.services.sending import (
    BATCH_SIZE,
    CHECK_EVERY,
    CLAIM_STALE_AFTER,
    MAX_ATTEMPTS,
    RETRY_CAP,
    DrainResult,
    fieldwork_tick,
    insert_left_out,
    message_drain,
    message_enqueue,
    message_retry_failed,
    message_send_now,
    message_send_to_added,
    outbox_sweep_stale,
    retry_delay,
    round_pause,
    round_paused,
    round_resume,
)

__all__ = [
    "BATCH_SIZE",
    "CHECK_EVERY",
    "CLAIM_STALE_AFTER",
    "DrainResult",
    "fieldwork_tick",
    "insert_left_out",
    "MAX_ATTEMPTS",
    "message_delete",
    "message_drain",
    "message_enqueue",
    "message_retry_failed",
    "message_save",
    "message_send_now",
    "message_send_test",
    "message_send_to_added",
    "MessageStarted",
    "outbox_sweep_stale",
    "RETRY_CAP",
    "retry_delay",
    "round_pause",
    "round_paused",
    "round_resume",
]
