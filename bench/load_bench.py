"""Load benchmark: many respondents opening and saving pages, served by gunicorn on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/load_bench.py [--members 3000] [--rounds 3] [--seconds 10]

Builds a throwaway PostgreSQL database with the 2020 seed questionnaire, an open round of
``--members`` members (each with a distinct personal link and a session, their response
saved up to the Q11 grid page), collects the static files, and starts gunicorn with the
production settings (DEBUG off, the cache on Redis: ``CACHE_URL``, default
redis://127.0.0.1:6379/14). Then wrk (Debian: ``apt-get install wrk``) drives each of
these in turn, ``--rounds`` times over, for ``--seconds`` at ``--connections`` concurrent
connections:

- a bare Django view that makes three queries and renders a template (the baseline),
- opening a personal link (a different member and client address every request),
- viewing the Q11 grid page (GET, a different member every request),
- saving it (POST with Next, a different member every request, each save from the
  revision the member's previous one left, so every save is stored).

Prints requests per second and the median over the rounds of the p50 and p99 latency of
each, and each one's ratio to the bare view's. Target: the page view and the page save
each within 1.3x of the bare view's p99, and requests a second at least 0.6x (opening a
link), 0.9x (a view) and 0.8x (a save) of the bare view's.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from importlib import import_module
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PAGE = "progress"  # the Q11 grid of the 2020 questionnaire: eight rows on one scale
SCENARIOS = [
    ("bare", "bare view (3 queries)", 200),
    ("link", "open a personal link", 302),
    ("view", "page view (GET)", 200),
    ("save", "page save (POST)", 302),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=3000)
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of every scenario, in turn")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument(
        "--page", default=PAGE, help="the 2020 page viewed and saved (e.g. organisation: Q3, Q4)"
    )
    args = parser.parse_args()
    args.threads = min(args.threads, args.connections)  # wrk needs a connection per thread
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server: this measures the production setup.")
    if not shutil.which("wrk"):
        sys.exit("wrk is needed (Debian or Ubuntu: apt-get install wrk).")

    work = Path(tempfile.mkdtemp(prefix="kip-load-"))
    sys.path.insert(0, str(BENCH))
    from _django import scratch_database, use_production_settings

    use_production_settings(work / "var", os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/14"))

    try:
        with scratch_database():
            run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args, work: Path) -> None:
    from django.db import connection

    print(f"Setting up {args.members} members with the 2020 questionnaire ...", flush=True)
    started = time.perf_counter()
    round_, form, members = populate(args.members, args.page)
    print(f"  ready in {time.perf_counter() - started:.1f} s", flush=True)
    database_url = _with_database(os.environ["DATABASE_URL"], connection.settings_dict["NAME"])
    connection.close()  # gunicorn's workers get the database to themselves
    (work / "form.txt").write_text(form)
    with gunicorn(database_url, args.workers, work) as base_url:
        print(
            f"gunicorn: {args.workers} sync workers, PostgreSQL, DEBUG off; wrk: "
            f"{args.threads} threads, {args.connections} connections, {args.seconds} s each;"
            f" page {args.page}\n",
            flush=True,
        )
        for name, _, _ in SCENARIOS:
            wrk(args, base_url, work, members, name, seconds=2)  # warm up
        runs: dict[str, list[dict]] = {name: [] for name, _, _ in SCENARIOS}
        saved = 0
        for number in range(1, args.rounds + 1):
            print(f"round {number} of {args.rounds}: ", end="", flush=True)
            for name, _, _ in SCENARIOS:
                before = _revisions(round_)
                runs[name].append(wrk(args, base_url, work, members, name, seconds=args.seconds))
                saved += _revisions(round_) - before if name == "save" else 0
                print(f"{name} p99 {runs[name][-1]['p99_ms']:.0f} ms  ", end="", flush=True)
            print()
    report(runs, saved)


def populate(count: int, page: str = PAGE):
    """Create the round, its members, their responses and sessions; return the round, the
    url-encoded form of a valid Q11 submission, and (member id, session key, CSRF secret,
    token) for every member."""
    from django.conf import settings

    from panels.importing import ListFile
    from panels.models import Disposition, Member, Site
    from panels.services import panel_import
    from panels.tokens import token_for
    from surveys.definitions import definition_of
    from surveys.demo import load_seed_questionnaires
    from surveys.models import Response
    from surveys.respondent.views import SESSION_KEY
    from surveys.selectors import member_attributes
    from tests.conftest import make_round

    version = load_seed_questionnaires()[1]
    round_ = make_round("Load test", version)
    sites = list(Site.objects.values_list("name", flat=True))
    rows = [
        (
            n + 2,
            {
                "first_name": f"Member{n}",
                "last_name": "Load",
                "email": f"member{n}@example.org",
                "site": sites[n % len(sites)],
            },
        )
        for n in range(count)
    ]
    columns = ["first_name", "last_name", "email", "site"]
    report = panel_import(round=round_, list_file=ListFile(columns=columns, rows=rows))
    assert report.ok, report.problems[:5]
    members = list(Member.objects.filter(round=round_).select_related("panel__site", "contact"))
    defn = definition_of(version)
    answers, done, form = _answers_up_to(defn, page, member_attributes(members[0]))
    Response.objects.bulk_create(
        Response(member=m, version=version, answers=answers, pages_done=done) for m in members
    )
    Member.objects.filter(round=round_).update(disposition=Disposition.PARTIAL)
    credentials = [
        (
            m.pk,
            _session(settings.SESSION_ENGINE, {SESSION_KEY: m.pk}),
            secrets.token_hex(16),
            token_for(m.token_nonce),
        )
        for m in members
    ]
    return round_, form, credentials


def _session(engine: str, data: dict) -> str:
    """Create a session as opening a personal link does; return its key."""
    store = import_module(engine).SessionStore()
    store.update(data)
    store.create()
    return store.session_key


def _answers_up_to(defn, page_id: str, attrs: dict) -> tuple[dict, list[str], str]:
    """Answer every page before `page_id` validly; return (answers, pages done, the
    url-encoded form of a valid submission of `page_id`)."""
    from surveys.engine.routing import next_page, path
    from surveys.engine.simulate import fill_page
    from surveys.engine.validation import validate_page

    rng, answers, done = random.Random(7), {}, []
    current = path(defn, answers, attrs)[0]
    while current != page_id:
        data = fill_page(defn, current, answers, attrs, rng, skip_rate=0)
        result = validate_page(defn, current, data, answers, attrs)
        assert not result.errors, (current, result.errors)
        answers, done = result.answers, [*done, current]
        current = next_page(defn, current, answers, attrs)
    data = fill_page(defn, page_id, answers, attrs, rng, skip_rate=0)
    assert not validate_page(defn, page_id, data, answers, attrs).errors
    return answers, done, urlencode(data, doseq=True)


def _members_file(work: Path, members: list[tuple]) -> Path:
    """Write every member's session key, CSRF secret, token and current revision."""
    from surveys.models import Response

    revisions = dict(Response.objects.values_list("member_id", "revision"))
    path = work / "members.tsv"
    path.write_text(
        "".join(f"{key}\t{csrf}\t{token}\t{revisions[pk]}\n" for pk, key, csrf, token in members)
    )
    return path


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


class gunicorn:  # noqa: N801 - used as a context manager, like open()
    """Start gunicorn with the bench site on a free port; yield its address; stop it."""

    def __init__(self, database_url: str, workers: int, work: Path):
        self.env = {**os.environ, "DATABASE_URL": database_url}
        self.env["DJANGO_SETTINGS_MODULE"] = "loadsite.settings"
        self.workers, self.log = workers, work / "gunicorn.log"

    def __enter__(self) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--pythonpath",
            str(BENCH),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(self.workers),
            "--error-logfile",
            str(self.log),
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)
        url = f"http://127.0.0.1:{port}"
        _wait_for(url + "/bench/bare/", self.process, self.log)
        return url

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def _wait_for(url: str, process: subprocess.Popen, log: Path) -> None:
    for _ in range(150):
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - loopback
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer {url}:\n{log.read_text()}")


def wrk(args, base_url: str, work: Path, members, scenario: str, *, seconds: int) -> dict:
    """Run wrk on one scenario; return its figures (requests, seconds, p50/p99 in ms, ...)."""
    members = _members_file(work, members)
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-s",
        str(BENCH / "load.lua"),
        base_url,
        "--",
        scenario,
        str(members),
        str(args.threads),
        str(work / "form.txt"),
        args.page,
    ]
    finished = subprocess.run(command, capture_output=True, text=True)
    if finished.returncode:
        sys.exit(f"wrk failed:\n{finished.stdout}{finished.stderr}")
    output = finished.stdout
    line = next(x for x in output.splitlines() if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def _revisions(round_) -> int:
    """Return how many page saves the round's responses have stored in all."""
    from django.db.models import Sum

    from surveys.models import Response

    return Response.objects.filter(member__round=round_).aggregate(n=Sum("revision"))["n"] or 0


def _rate(run: dict) -> float:
    return run["requests"] / run["seconds"]


def _combined(runs: list[dict]) -> dict:
    """Return one scenario's rounds together: all requests, the median p50 and p99."""
    statuses: dict[str, int] = {}
    for run in runs:
        for status, n in run["statuses"].items():
            statuses[status] = statuses.get(status, 0) + n
    return {
        "rate": sum(r["requests"] for r in runs) / sum(r["seconds"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
        "p50_ms": statistics.median(r["p50_ms"] for r in runs),
        "p99_ms": statistics.median(r["p99_ms"] for r in runs),
        "socket_errors": sum(r["socket_errors"] for r in runs),
        "statuses": statuses,
    }


def report(runs: dict[str, list[dict]], saved: int) -> None:
    results = {name: _combined(scenario_runs) for name, scenario_runs in runs.items()}
    bare = results["bare"]
    print(f"\nmedians of {len(runs['bare'])} rounds")
    print(f"{'':<24}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'p50 x':>8}{'p99 x':>8}  responses")
    for name, label, expected in SCENARIOS:
        r = results[name]
        ratios = r["p50_ms"] / bare["p50_ms"], r["p99_ms"] / bare["p99_ms"]
        statuses = ", ".join(f"{n} x {status}" for status, n in sorted(r["statuses"].items()))
        unexpected = r["requests"] - r["statuses"].get(str(expected), 0) + r["socket_errors"]
        flag = f"  ({unexpected} unexpected!)" if unexpected else ""
        print(
            f"{label:<24}{r['rate']:9.0f}{r['p50_ms']:9.1f}{r['p99_ms']:9.1f}"
            f"{ratios[0]:8.2f}{ratios[1]:8.2f}  {statuses}{flag}"
        )
    print(f"\npage saves stored in the database during the save runs: {saved}")
    # Targets: requests a second at least these shares of the bare view's, p99 within 1.3x.
    for name, least in (("link", 0.6), ("view", 0.9), ("save", 0.8)):
        rate = results[name]["rate"] / bare["rate"]
        p99 = results[name]["p99_ms"] / bare["p99_ms"]
        each = ", ".join(
            f"{_rate(r) / _rate(b):.2f}x / {r['p99_ms'] / b['p99_ms']:.2f}x"
            for r, b in zip(runs[name], runs["bare"], strict=True)
        )
        verdict = "meets" if rate >= least and p99 <= 1.3 else "misses"
        print(
            f"{name}: {rate:.2f}x the bare view's requests a second, p99 {p99:.2f}x"
            f" ({verdict} the targets of {least}x and 1.3x; round by round {each})"
        )


if __name__ == "__main__":
    main()
