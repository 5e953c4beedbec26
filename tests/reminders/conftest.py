"""The real parts of the delivery tests: an SMTP server on loopback that records what it
receives, and Celery worker processes on Redis pointed at the test database."""

import os
import signal
import subprocess
import sys
import threading
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


class Recorder:
    """An aiosmtpd handler keeping every message received, refusing chosen recipients
    with a 550 and taking `delay` seconds over each message."""

    def __init__(self):
        self.received: list[dict] = []
        self.refuse: set[str] = set()
        self.delay = 0.0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)  # the whole server waits, as a slow relay would
        parsed = message_from_bytes(envelope.content)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received.append({"to": rcpt, "headers": parsed, "id": parsed["Message-ID"]})
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def recipients(self) -> list[str]:
        with self.lock:
            return [item["to"] for item in self.received]


class Sink:
    """The SMTP server; stop() and start() take it down and bring it back on its port."""

    def __init__(self):
        self.recorder = Recorder()
        self.port = None
        self.controller = None

    def start(self):
        self.controller = Controller(
            self.recorder, hostname="127.0.0.1", port=self.port or 0, ready_timeout=10
        )
        self.controller.start()
        self.port = self.controller.port if self.port is None else self.port
        return self

    def stop(self):
        self.controller.stop()

    def reset(self):
        self.recorder.received.clear()
        self.recorder.refuse.clear()
        self.recorder.delay = 0.0


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def sink():
    server = Sink()
    server.port = _free_port()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp(sink):
    sink.reset()
    yield sink
    sink.reset()


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _purge_broker(queue):
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete(queue, "unacked", "unacked_index", "unacked_mutex")


class Workers:
    """Celery worker processes started by the test, each a process of its own."""

    def __init__(self, env):
        self.env = env
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name="w1") -> subprocess.Popen:
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=warning",
            f"--hostname={name}@%h",
        ]
        log = open(Path(self.env["VAR_DIR"]) / f"{name}.log", "ab")  # noqa: SIM115
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        return self.processes[name]

    def wait_ready(self, name, timeout=60.0):
        """Wait until the worker answers a ping."""
        from config.celery import app

        def answers():
            replies = app.control.ping(timeout=0.5)
            return any(host.startswith(f"{name}@") for reply in replies for host in reply)

        answers.__doc__ = f"worker {name} answers"
        wait_for(answers, timeout=timeout, interval=0)

    def kill(self, name="w1"):
        process = self.processes.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self, name):
        process = self.processes.pop(name)
        process.terminate()
        process.wait(timeout=20)

    def stop_all(self):
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()


@pytest.fixture(scope="module")
def workers(django_db_setup, django_db_blocker, sink, tmp_path_factory, worker_id):
    if connection.vendor != "postgresql":
        pytest.skip("The delivery tests need PostgreSQL (DATABASE_URL).")
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("The delivery tests need Redis as the broker (CELERY_BROKER_URL).")
    from config.celery import app

    # A queue of this test process's own: another process's workers (pytest -n) point at
    # another test database and must never take these tasks.
    queue = f"test-reminders-{worker_id}"
    default_queue, app.conf.task_default_queue = app.conf.task_default_queue, queue
    _purge_broker(queue)
    env = {
        **os.environ,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DATABASE_URL": _test_database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "EMAIL_RATE_PER_MINUTE": "1000000",
        "EMAIL_RETRY_SECONDS": "1",
        "EMAIL_TIMEOUT": "5",
        "CACHE_URL": settings.CELERY_BROKER_URL,
        "VAR_DIR": str(tmp_path_factory.mktemp("worker")),
        "CONN_MAX_AGE": "0",
    }
    pool = Workers(env)
    pool.start()
    yield pool
    pool.stop_all()
    _purge_broker(queue)
    app.conf.task_default_queue = default_queue


def wait_for(condition, timeout=30.0, interval=0.1):
    """Wait until condition() is true; fail naming it after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"Still not true after {timeout} s: {condition.__doc__ or condition}")
