"""Celery adapters: ids in, one service call. Every task is safe to run twice or on two
workers at once, because the outbox rows decide what is sent."""

import os

from celery import shared_task
from django.core.cache import cache

from reminders import services

# A drain comes back for rows waiting out a temporary failure at most this much later.
MAX_COUNTDOWN = 60


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def tick() -> None:
    """Every minute: start due messages, sweep stale claims, drain what waits."""
    for message_id in services.fieldwork_tick():
        drain_message.delay(message_id)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def drain_message(self, message_id: int, follow_up: bool = False) -> None:
    """Send a message's due rows; come back for those waiting out a retry."""
    key = f"reminders:follow-up:{message_id}"
    if follow_up:
        cache.delete(key)  # this follow-up is no longer waiting
    # Names this run of the task: threads of one worker share a pid.
    worker = f"{self.request.hostname or 'local'}:{os.getpid()}:{(self.request.id or '')[:8]}"
    result = services.message_drain(message_id=message_id, worker=worker)
    if result.retry_in is None:
        return
    countdown = min(result.retry_in, MAX_COUNTDOWN)
    # One follow-up waits per message, however many drains ran meanwhile (beat's included).
    if cache.add(key, 1, timeout=int(countdown) + MAX_COUNTDOWN):
        drain_message.apply_async((message_id, True), countdown=countdown)
