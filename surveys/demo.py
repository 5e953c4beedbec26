"""The seed study's questionnaires, loaded and published for the demo."""

import random
from pathlib import Path

from surveys.definitions import definition_of
from surveys.engine.routing import page_after, path, walk, walked_not_asked
from surveys.engine.simulate import fill_page
from surveys.engine.textio import parse_text
from surveys.engine.validation import validate_page
from surveys.models import Response
from surveys.selectors import member_attributes
from surveys.services import version_publish, version_store

SEED_DIR = Path(__file__).resolve().parent / "questionnaires"
SEED_FILES = ["kip-2016.yaml", "kip-2020.yaml"]

WELCOME_2016 = """\
We are asking key managers, professionals and others involved in each of the 25 sites how \
health and social care integration is progressing in their area, so that we can understand \
what helps and what hinders it.

The survey takes about 20-25 minutes. If you cannot finish it in one sitting, your answers \
are saved so you can come back to it at another time, on any device, from the link in your \
email.

Your answers are strictly confidential: no-one outside the research team will see them, and \
no individual, organisation or site will be identified in what we report.

Taking part is entirely voluntary and you may withdraw at any stage."""


def load_seed_questionnaires() -> list:
    """Store and publish both seed questionnaires (once); return their versions in order."""
    versions = []
    for name in SEED_FILES:
        data = parse_text((SEED_DIR / name).read_text(encoding="utf-8"))
        version, _ = version_store(data=data)
        versions.append(version_publish(version=version))
    return versions


def simulated_answers(
    defn, member: dict, rng: random.Random, *, stop_after: int | None = None
) -> tuple[dict, list[str], list[str], bool]:
    """Answer a questionnaire page by page as a respondent would, through validation and
    routing as the respondent pages save them, stopping after `stop_after` pages (None:
    to the end). Return (answers, items not asked, pages done, whether it reached the end)."""
    answers: dict = {}
    done: list[str] = []
    page_id = path(defn, answers, member)[0]
    while page_id is not None and (stop_after is None or len(done) < stop_after):
        data = fill_page(defn, page_id, answers, member, rng)
        walked = walk(defn, validate_page(defn, page_id, data, answers, member).answers, member)
        answers = walked.kept
        done.append(page_id)
        page_id = page_after(walked.pages, defn, page_id)
    not_asked = sorted(walked_not_asked(defn, walk(defn, answers, member)))
    return answers, not_asked, done, page_id is None


def demo_response(*, member, version, rng: random.Random, share: float | None, at, done_at=None):
    """Return an unsaved response of the member: all the way through (share None) or
    stopped after that share of the pages; `at` and `done_at` are when it started and
    when it reached the end."""
    defn = definition_of(version)
    attributes = member_attributes(member)
    stop = None if share is None else max(1, round(share * len(defn.pages)))
    answers, not_asked, done, finished = simulated_answers(defn, attributes, rng, stop_after=stop)
    return Response(
        member=member,
        version=version,
        answers=answers,
        not_asked=not_asked,
        pages_done=done,
        revision=len(done),
        page_revisions={page: n for n, page in enumerate(done, start=1)},
        started_at=at,
        completed_at=done_at if finished else None,
    )


def save_demo_responses(responses: list) -> None:
    """Store the responses with the times they were given (started_at is otherwise now)."""
    started = [r.started_at for r in responses]
    Response.objects.bulk_create(responses, batch_size=500)
    for response, at in zip(responses, started, strict=True):
        response.started_at = at
    Response.objects.bulk_update(responses, ["started_at"], batch_size=500)
