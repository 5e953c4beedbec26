"""Benchmark the questionnaire engine on one page submission.

Builds a synthetic version of about 300 items (every item type, page and item
conditions, conditional options, skips, piping), simulates a respondent up to
a page in the middle, then times what a page POST costs the engine: ``validate_page``
and one routing ``walk`` (what stands, the path, whether the page may be saved, the next
page); ``prune`` and ``path`` are timed alone too.
Prints the median and 95th percentile in milliseconds (target: median under 1 ms), then one-off
costs (loading, publishing checks, path exploration) for context.

    python bench/engine_bench.py [--runs 2000] [--items 300] [--page-runs 200] [--rounds 10]

In the same run it then serves that page to a respondent through Django with the
production settings (DEBUG off; on a throwaway database: PostgreSQL when DATABASE_URL is
set, else SQLite) and prints the engine's share of the time a page view and a page save
take (target: under 2%). The machine's speed drifts, so this part runs in rounds, each
timing the engine, the view and the save in turn, and a share is taken within a round.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
    parser.add_argument("--rounds", type=int, default=10, help="rounds of the page timing")
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
        page_shares(data, page_id, answers, visited, form, submit, args)


def page_shares(data, page_id, answers, visited, form, submit, args) -> None:
    """Time the page's view and save beside the engine, round by round, and print shares.

    This machine's speed drifts over seconds, so each round times the engine, a page
    view and a page save one after another and the share is taken within the round.
    """
    with served_page(data, page_id, answers, visited, form) as (view, save):
        engine_all, view_all, save_all, view_shares, save_shares = [], [], [], [], []
        runs, page_runs = max(args.runs // args.rounds, 20), max(args.page_runs // args.rounds, 5)
        for _ in range(args.rounds):
            engine = timed(submit, runs)
            viewed, saved = timed(view, page_runs), timed(save, page_runs)
            engine_all += engine
            view_all += viewed
            save_all += saved
            view_shares.append(statistics.median(engine) / statistics.median(viewed) * 100)
            save_shares.append(statistics.median(engine) / statistics.median(saved) * 100)
    print(f"{args.rounds} rounds, each timing the engine, a page view and a page save in turn:")
    print(summary("validate_page + walk", engine_all))
    print(summary("respondent page view (GET)", view_all))
    print(summary("respondent page save (POST)", save_all))
    for label, shares in (("page view", view_shares), ("page save", save_shares)):
        low, high = min(shares), max(shares)
        print(
            f"engine share of a {label}: {statistics.median(shares):.1f}% median of the rounds "
            f"({low:.1f}% to {high:.1f}%; target: under 2%)"
        )


@contextmanager
def served_page(data, page_id, answers, visited, form) -> Iterator[tuple[Callable, Callable]]:
    """Yield a page view and a page save of a respondent, through Django with production
    settings, on a throwaway database."""
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

        def view() -> None:
            assert client.get(url).status_code == 200

        def save() -> None:
            posted = {**form, "revision": str(revision[0]), "action": "later"}
            assert client.post(url, posted).status_code == 302
            revision[0] += 1

        timed(view, 10)  # warm up
        timed(save, 10)
        yield view, save


if __name__ == "__main__":
    main()
