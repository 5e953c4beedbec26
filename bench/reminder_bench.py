"""Send a reminder to a round of members through Celery and compare with raw smtplib.

    CELERY_BROKER_URL=redis://127.0.0.1:6379/3 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
    .venv/bin/python bench/reminder_bench.py [--members 20000]

A real worker process on Redis drains the outbox into an SMTP sink on loopback (aiosmtpd),
with every guarantee of the sender on (claim, re-check, one row per outcome). In the same
run raw smtplib pushes the same rendered messages over one reused connection. Printed:
the outbox insert beside a bare INSERT ... SELECT of the same rows, both senders'
messages per second, and last `ratio: X` (the sender's rate over the raw rate).
"""

import argparse
import logging
import os
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta

from _django import ROOT, scratch_database


class Counting:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += len(envelope.rcpt_tos)
        return "250 OK"


def _members(n: int):
    from panels import tokens
    from panels.models import Contact, Member, Panel, Round, Site

    round_ = Round.objects.create(name="bench", year=2026)
    panel = Panel.objects.create(round=round_, site=Site.objects.order_by("code").first())
    contacts = Contact.objects.bulk_create(
        (
            Contact(
                first_name=f"F{i}", last_name=f"L{i}", email=f"p{i}@example.org", site=panel.site
            )
            for i in range(n)
        ),
        batch_size=2000,
    )
    members = []
    for contact in contacts:
        nonce, token_hash = tokens.credentials()
        members.append(
            Member(
                round=round_, panel=panel, contact=contact, token_nonce=nonce, token_hash=token_hash
            )
        )
    Member.objects.bulk_create(members, batch_size=2000)
    return round_


def _message(round_):
    from django.utils import timezone

    from reminders.models import Message

    return Message.objects.create(
        round=round_,
        kind="reminder",
        send_at=timezone.now() - timedelta(minutes=1),
        subject="The survey of {{ site }}",
        body="Dear {{ first_name }},\n\nPlease answer: {{ personal_link }}\n\n{{ study_contact }}",
    )


def _bare_insert(round_, message) -> float:
    """Time the same rows put in the outbox by a bare INSERT ... SELECT, then remove them."""
    from django.db import connection

    from reminders.models import OutboxEntry

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO reminders_outboxentry (message_id, member_id, status, reason, detail, "
            "attempts, claimed_by, message_id_header, smtp_reply, queued_at, updated_at) "
            "SELECT %s, id, 'queued', '', '', 0, '', '', '', now(), now() "
            "FROM panels_member WHERE round_id = %s",
            [message.pk, round_.pk],
        )
    elapsed = time.perf_counter() - started
    OutboxEntry.objects.filter(message=message).delete()
    return elapsed


def _commit_latency(rounds: int = 200) -> float:
    """Return the seconds one committed single-row UPDATE takes here now (what the sender
    waits for once per email, overlapped with the next email's exchange)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_commit (id int PRIMARY KEY, n int)")
        cursor.execute("INSERT INTO bench_commit VALUES (1, 0)")
        started = time.perf_counter()
        for _ in range(rounds):
            cursor.execute("UPDATE bench_commit SET n = n + 1 WHERE id = 1")
        elapsed = (time.perf_counter() - started) / rounds
        cursor.execute("DROP TABLE bench_commit")
    return elapsed


def _worker(port: int, var_dir: str):
    from django.db import connection

    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "EMAIL_RATE_PER_MINUTE": "100000000",
        "CACHE_URL": os.environ["CELERY_BROKER_URL"],
        "VAR_DIR": var_dir,
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo"]
    command += ["--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "warning"]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def _wait_ready(app, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5):
            return
    raise SystemExit("The worker did not start.")


def _raw_rate(port: int, round_, message) -> float:
    from panels.models import Member
    from reminders.mail import build_email

    members = Member.objects.filter(round=round_).select_related("contact", "panel__site", "round")
    rendered = [
        (m.contact.email, build_email(message=message, member=m).message().as_bytes(linesep="\r\n"))
        for m in members
    ]
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for to, data in rendered:
            smtp.sendmail("survey@example.org", [to], data)
    return len(rendered) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=20_000)
    args = parser.parse_args()
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"):
        raise SystemExit("Set CELERY_BROKER_URL to a Redis database.")
    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)

    sink = Counting()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    with scratch_database() as vendor, tempfile.TemporaryDirectory() as var_dir:
        if vendor != "postgresql":
            raise SystemExit("Set DATABASE_URL to PostgreSQL.")
        from config.celery import app
        from reminders import services, tasks
        from reminders.models import OutboxEntry

        app.control.purge()
        round_ = _members(args.members)
        bare = _bare_insert(round_, _message(round_))
        message = _message(round_)
        started = time.perf_counter()
        services.message_enqueue(message_id=message.pk)
        queued = time.perf_counter() - started
        worker = _worker(controller.port, var_dir)
        try:
            _wait_ready(app)
            started = time.perf_counter()
            tasks.drain_message.delay(message.pk)
            rows = OutboxEntry.objects.filter(message=message, status="sent")
            while rows.count() < args.members:
                time.sleep(0.05)
            sender = args.members / (time.perf_counter() - started)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
        sink.count = 0
        raw = _raw_rate(controller.port, round_, message)
        assert sink.count == args.members
        commit = _commit_latency()
    controller.stop()
    print(f"members: {args.members}")
    print(f"outbox insert:        {queued:7.3f} s")
    print(f"bare INSERT...SELECT: {bare:7.3f} s ({queued / bare:.2f}x)")
    print(f"sender (Celery):      {sender:7.0f} msg/s")
    print(f"raw smtplib reuse:    {raw:7.0f} msg/s")
    print(f"one committed UPDATE: {commit * 1000:7.2f} ms (the sender waits for one per email)")
    print(f"ratio: {sender / raw:.2f}")


if __name__ == "__main__":
    main()
