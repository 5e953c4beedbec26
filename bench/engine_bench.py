"""Benchmark the questionnaire engine on one page submission.

Builds a synthetic version of about 300 items (every item type, page and item
conditions, conditional options, skips, piping), simulates a respondent up to
a page in the middle, then times what a page POST costs the engine: ``validate_page``
and one routing ``walk`` (what stands, the path, whether the page may be saved, the next
page); ``prune`` and ``path`` are timed alone too.
Prints the median and 95th percentile in milliseconds (target: median under 1 ms), then one-off
costs (loading, publishing checks, path exploration) for context.

    python bench/engine_bench.py [--runs 2000] [--items 300] [--page-runs 200]

In the same run it then serves that page to a respondent through Django with the
production settings (DEBUG off; on a throwaway database: PostgreSQL when DATABASE_URL is
set, else SQLite), times a page view and a page save, and prints the engine's share of
the time each takes (target: under 2%).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from surveys.engine import definition as definition_module  # noqa: E402
from surveys.engine import (  # noqa: E402 - after the sys.path line
    load_definition,
    path,
    pipe,
    prune,
    publish_problems,
    reachable_items,
    validate_page,
)
from surveys.engine.routing import walk  # noqa: E402
from surveys.engine.simulate import fill_page, simulate_response, synthetic_definition  # noqa: E402

MEMBER = {"site": "Barnsley", "site_short": "BAR", "cohort_year": 2013, "first_name": "Ann"}


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    """Return the duration of each run of ``fn`` in milliseconds."""
    durations = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        durations.append((time.perf_counter() - start) * 1000)
    return durations


def summary(label: str, durations: list[float]) -> str:
    """Return "label: median x ms, p95 y ms (n runs)"."""
    p95 = statistics.quantiles(durations, n=20)[-1] if len(durations) > 1 else durations[0]
    median = statistics.median(durations)
    return f"{label:<34} median {median:7.3f} ms   p95 {p95:7.3f} ms   ({len(durations)} runs)"


def once(label: str, fn: Callable[[], object]) -> str:
    start = time.perf_counter()
    fn()
    return f"{label:<34} {(time.perf_counter() - start) * 1000:9.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--page-runs", type=int, default=200, help="0 skips the page timing")
    args = parser.parse_args()

    data = synthetic_definition(args.items)
    defn = load_definition(data)
    rng = random.Random(7)
    answers, visited, _ = simulate_response(defn, MEMBER, rng)
    page_id = visited[len(visited) // 2]
    earlier = {k: v for k, v in answers.items() if defn.items.get(k.split(".other.")[0])}
    form = fill_page(defn, page_id, earlier, MEMBER, rng)
    page = defn.page(page_id)
    print(f"{len(defn.answer_codes())} answer codes on {len(defn.pages)} pages")
    print(f"submitting {page_id} ({len(page.flat_items())} items, {len(form)} fields)")
    print(f"with {len(answers)} answers already stored\n")

    def submit() -> None:
        # What a page save asks of the engine: validate the page, then walk the routing
        # once with the new answers, which gives what stands, the path (and so whether the
        # page may be saved at all) and the next page.
        result = validate_page(defn, page_id, form, answers, MEMBER)
        walk(defn, result.answers, MEMBER)

    timed(submit, 50)  # warm up caches
    engine = timed(submit, args.runs)
    print(summary("validate_page + walk", engine))
    print(
        summary(
            "  validate_page",
            timed(lambda: validate_page(defn, page_id, form, answers, MEMBER), args.runs),
        )
    )
    print(summary("  prune", timed(lambda: prune(defn, answers, MEMBER), args.runs)))
    print(summary("  path", timed(lambda: path(defn, answers, MEMBER), args.runs)))
    title = page.items[-1].text
    print(
        summary("  pipe (one text)", timed(lambda: pipe(title, defn, answers, MEMBER), args.runs))
    )
    print()
    definition_module._LOADED.clear()
    print(once("load_definition (cold)", lambda: load_definition(data)))
    print(summary("load_definition (cached)", timed(lambda: load_definition(data), 20)))
    print(once("publish_problems", lambda: publish_problems(data)))
    print(once("reachable_items", lambda: reachable_items(defn)))
    if args.page_runs:
        print()
        view, save = page_timings(data, page_id, answers, visited, form, args.page_runs)
        print(summary("respondent page view (GET)", view))
        print(summary("respondent page save (POST)", save))
        for label, served in (("page view", view), ("page save", save)):
            share = statistics.median(engine) / statistics.median(served) * 100
            print(f"engine share of a {label}: {share:.1f}% (target: under 2%)")


def page_timings(data, page_id, answers, visited, form, runs) -> tuple[list[float], list[float]]:
    """Serve the page to a respondent through Django; return view and save durations (ms)."""
    from _django import scratch_database, use_production_settings

    use_production_settings(Path(tempfile.mkdtemp(prefix="kip-engine-")))
    with scratch_database():
        from django.test import Client

        from panels.tokens import token_for
        from surveys.models import Response
        from surveys.services import response_start, version_publish, version_store
        from tests.conftest import add_member, make_round

        version = version_publish(version=version_store(data=data)[0])
        member = add_member(make_round("bench", version), first_name="Ann")
        response = response_start(member=member)
        done = visited[: visited.index(page_id)]
        Response.objects.filter(pk=response.pk).update(answers=answers, pages_done=done)
        client = Client()
        client.get(f"/r/{token_for(member.token_nonce)}/")
        url = f"/r/page/{page_id}/"
        revision = [0]

        def save() -> None:
            posted = {**form, "revision": str(revision[0]), "action": "later"}
            assert client.post(url, posted).status_code == 302
            revision[0] += 1

        timed(lambda: client.get(url), 10)
        view = timed(lambda: client.get(url), runs)
        timed(save, 10)
        return view, timed(save, runs)


if __name__ == "__main__":
    main()
