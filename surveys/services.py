"""Writes to questionnaires, versions and responses."""

import copy
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from panels.models import Member, Round
from panels.services import member_response_saved
from surveys.completeness import CompletenessRule, classify
from surveys.definitions import definition_of
from surveys.engine.checks import publish_problems, publish_review
from surveys.engine.definition import DefinitionError, load_definition
from surveys.engine.routing import (
    Walk,
    page_after,
    page_before,
    path,
    walk,
    walked_items,
    walked_not_asked,
)
from surveys.engine.textio import content_hash
from surveys.engine.validation import page_fields, validate_page
from surveys.models import Questionnaire, Response, Version, VersionStatus
from surveys.selectors import member_attributes


class DefinitionRejected(Exception):
    """A definition cannot be stored or published; `problems` lists every reason."""

    def __init__(self, problems: list[str]):
        count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
        super().__init__(f"{count}: " + "; ".join(problems[:3]))
        self.problems = problems


def _structure_problems(data: dict) -> list[str]:
    """Return [] when ``data`` can be stored; else every problem the checks find, the
    structural ones and the rest (references, items...), so that one reading fixes all."""
    if not isinstance(data, dict) or not isinstance(data.get("questionnaire"), str):
        return ["The definition needs a 'questionnaire' name at the top level."]
    try:
        load_definition(data)
    except DefinitionError as exc:
        return publish_review(data).problems or [str(p) for p in exc.problems]
    return []


@transaction.atomic
def version_store(*, data: dict) -> tuple[Version, bool]:
    """Store a definition as a new draft of its questionnaire.

    Returns (version, created); when a version already holds the same definition, that
    version is returned and nothing is written.
    """
    problems = _structure_problems(data)
    if problems:
        raise DefinitionRejected(problems)
    questionnaire, _ = Questionnaire.objects.get_or_create(
        slug=data["questionnaire"], defaults={"title": data.get("title", data["questionnaire"])}
    )
    versions = list(questionnaire.versions.select_for_update().order_by("number"))
    digest = content_hash(data)
    for existing in versions:
        if content_hash(existing.definition) == digest:
            return existing, False
    latest = versions[-1] if versions else None
    version = Version.objects.create(
        questionnaire=questionnaire,
        number=(latest.number + 1) if latest else 1,
        title=data.get("title", questionnaire.title),
        definition=data,
        based_on=latest,
    )
    return version, True


@transaction.atomic
def version_copy(*, version: Version) -> Version:
    """Start a new draft as a copy of `version`; return the draft."""
    latest = version.questionnaire.versions.select_for_update().order_by("-number").first()
    return Version.objects.create(
        questionnaire=version.questionnaire,
        number=latest.number + 1,
        title=version.title,
        definition=version.definition,
        based_on=version,
    )


@transaction.atomic
def version_update_draft(*, version: Version, data: dict) -> Version:
    """Replace a draft's definition with `data`; return the draft.

    Raises DefinitionRejected listing every problem at once, and stores nothing, when
    the version is published or the definition cannot be loaded or names another
    questionnaire.
    """
    current = Version.objects.select_for_update().select_related("questionnaire").get(pk=version.pk)
    if current.is_published:
        raise DefinitionRejected(
            [f"{current} is published and cannot change; start a new draft from it."]
        )
    problems = _structure_problems(data)
    slug = current.questionnaire.slug
    if isinstance(data, dict) and data.get("questionnaire") not in (None, slug):
        problems.append(
            f"The definition is of questionnaire {data['questionnaire']!r}, not {slug!r}."
        )
    if problems:
        raise DefinitionRejected(problems)
    current.definition, current.title = data, data.get("title", current.title)
    current.save(update_fields=["definition", "title"])
    return current


@transaction.atomic
def version_publish(*, version: Version) -> Version:
    """Publish a draft after every publishing check passes; return the frozen version."""
    version = Version.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        return version
    problems = publish_problems(version.definition)
    if problems:
        raise DefinitionRejected([str(p) for p in problems])
    version.status = VersionStatus.PUBLISHED
    version.content_hash = content_hash(version.definition)
    version.published_at = timezone.now()
    version.save(update_fields=["status", "content_hash", "published_at"])
    return version


def round_use_version(*, round: Round, version: Version) -> Round:
    """Point a round at a published version."""
    if not version.is_published:
        raise DefinitionRejected([f"{version} is a draft: publish it before a round uses it."])
    round.version = version
    round.save(update_fields=["version"])
    return round


class StaleAnswers(Exception):
    """The page was submitted from an older state of the response than the stored one."""


class PageNotReachable(Exception):
    """The page is not on the respondent's path, or a page before it is not done."""


def page_reachable(pages: list[str], pages_done: list[str], page_id: str) -> bool:
    """Return whether a respondent on this path may open the page: every earlier one done."""
    if page_id not in pages:
        return False
    return all(p in pages_done for p in pages[: pages.index(page_id)])


@dataclass
class PageOutcome:
    """What happened to a submitted page."""

    response: Response
    errors: dict[str, str] = field(default_factory=dict)
    saved: bool = False
    go_to: str | None = None  # the page to show next, or None when the response is complete
    answers: dict = field(default_factory=dict)  # the answers with the submission applied
    walked: Walk | None = None  # the routing walked with them
    revealed: list[str] = field(default_factory=list)  # items the answers newly brought up


@transaction.atomic
def response_start(*, member: Member) -> Response:
    """Return the member's response, creating it (and marking them started) on first use."""
    response, created = Response.objects.get_or_create(
        member=member, defaults={"version": member.round.version}
    )
    if created:
        _keep_disposition(response, definition_of(response.version), member.round)
    return response


def _keep_disposition(
    response: Response, defn, round_: Round, walked: Walk | None = None, *, read=None
):
    """Set the member's disposition to what the round's rule gives the response now.

    The end counts as reached only while every page of the path is done: a respondent
    who refused consent and then gave it, or whose changed answers opened new pages, has
    not reached it until they finish again.
    """
    at_end = (
        walked is not None
        and response.completed_at is not None
        and set(walked.pages) <= set(response.pages_done)
    )
    at = response.completed_at if at_end else None
    if at_end and walked.ending == "consent":  # a consent not given ends the path there
        outcome, reason = "refused", "consent not given"
    else:
        outcome, reason = _rule_outcome(response, defn, round_, at), ""
    member_response_saved(
        member_id=response.member_id, outcome=outcome, at=at, reason=reason, read=read
    )


def _rule_outcome(response: Response, defn, round_: Round, completed_at) -> str:
    return classify(
        rule=CompletenessRule.of(round_),
        definition=defn,
        answers=response.answers,
        not_asked=response.not_asked,
        completed_at=completed_at,
    )


@transaction.atomic
def response_save_page(
    *,
    response: Response,
    page_id: str,
    data: Mapping[str, list[str]],
    revision: int,
    action: str,
    shown: Collection[str] | None = None,
) -> PageOutcome:
    """Validate and store one submitted page; return where the respondent goes next.

    `action` is "next" (the page must be valid), "back" or "later" (whatever is valid is
    kept, the rest dropped; on a completed response the page must be valid whatever the
    action, so a complete response never holds a gap). Raises StaleAnswers when this page
    was saved since `revision` (from another tab, or a resubmission) and the submission
    would change it, and PageNotReachable when the page is not one the respondent may
    save (off their path, or an earlier page not done). `shown` names the items the
    respondent was shown: when the answers bring up further items on the page, the page
    is saved and shown again with them.
    """
    defn = definition_of(response.version)
    if page_id not in defn.pages_by_id:
        raise PageNotReachable(page_id)
    member = member_attributes(response.member)
    # First from the response as the request read it, stored only if no save came in
    # between (its revision unchanged): one round trip fewer, and the row is locked for
    # the moment of the UPDATE alone. Should another save have come in, again from the
    # row as stored, locked.
    try:
        return _save_page(
            copy.copy(response), defn, member, page_id, data, revision, action, shown,
            read=response.member,
        )  # fmt: skip
    except _Moved:
        current = Response.objects.select_for_update().get(pk=response.pk)
        current.member = response.member
        return _save_page(current, defn, member, page_id, data, revision, action, shown)


class _Moved(Exception):
    """The response was saved since it was read: read it again, locked."""


def _save_page(
    current, defn, member, page_id, data, revision, action, shown, *, read=None
) -> PageOutcome:
    """Save the page on ``current``; ``read``: the member as the request read them, when
    ``current`` is the response read with them (see member_response_saved)."""
    result = validate_page(defn, page_id, data, current.answers, member)
    walked = walk(defn, result.answers, member)  # once: it decides what stands and the path
    # The path up to this page depends only on earlier pages' answers, so the walk with
    # the new answers tells whether the page may be saved at all.
    if not page_reachable(walked.pages, current.pages_done, page_id):
        raise PageNotReachable(page_id)
    if result.errors and (action == "next" or current.completed_at):
        return PageOutcome(
            response=current, errors=result.errors, answers=result.answers, walked=walked
        )
    if _stale(current, defn, page_id, revision):
        if _same_page(defn, page_id, current.answers, walked.kept):
            pages = walk(defn, current.answers, member).pages
            return _outcome(defn, pages, current, page_id, action, saved=False)
        raise StaleAnswers(page_id)
    revealed = _revealed(defn, page_id, walked, member, shown) if action == "next" else []
    _apply(current, defn, page_id, walked, "later" if revealed else action)
    _keep_disposition(current, defn, current.member.round, walked, read=read)
    outcome = _outcome(defn, walked.pages, current, page_id, action, saved=True)
    if revealed:
        outcome.go_to, outcome.revealed = page_id, revealed
    return outcome


def _stale(current: Response, defn, page_id: str, revision: int) -> bool:
    """Return whether a page made from `revision` may no longer reflect what is stored.

    Only a save of the same page since then makes it stale: saves of other pages are
    merged (the page's own answers are applied to the answers as stored now).
    """
    if revision == current.revision:
        return False
    if revision > current.revision:
        return True
    saved_at = current.page_revisions.get(page_id)
    if saved_at is None:  # never saved since revisions were kept per page: be careful
        owned = page_fields(defn.page(page_id))
        return page_id in current.pages_done or any(k in owned for k in current.answers)
    return saved_at > revision


def _revealed(defn, page_id: str, walked, member: dict, shown: Collection[str] | None):
    """Return the codes of items the page shows now that the respondent was not shown."""
    if shown is None:
        return []
    return [i.code for i in walked_items(defn, page_id, walked, member) if i.code not in shown]


def _same_page(defn, page_id, stored: dict, new: dict) -> bool:
    owned = page_fields(defn.page(page_id))
    return {k: v for k, v in stored.items() if k in owned} == {
        k: v for k, v in new.items() if k in owned
    }


SAVED_FIELDS = (
    "answers", "not_asked", "pages_done", "revision", "page_revisions", "completed_at",
    "updated_at",
)  # fmt: skip


def _apply(current: Response, defn, page_id, walked, action) -> None:
    current.answers = walked.kept
    current.not_asked = sorted(walked_not_asked(defn, walked))
    done = [p for p in current.pages_done if p in walked.pages and p != page_id]
    if action == "next":
        done.append(page_id)
    current.pages_done = sorted(done, key=lambda p: defn.page(p).index)
    current.revision += 1
    current.page_revisions = {**current.page_revisions, page_id: current.revision}
    finished = action == "next" and page_after(walked.pages, defn, page_id) is None
    if finished:
        current.completed_at = current.completed_at or timezone.now()
    current.updated_at = timezone.now()
    stored = Response.objects.filter(pk=current.pk, revision=current.revision - 1).update(
        **{name: getattr(current, name) for name in SAVED_FIELDS}
    )
    if not stored:
        raise _Moved


def _outcome(defn, pages, current, page_id, action, *, saved: bool) -> PageOutcome:
    if action == "next":
        go_to = page_after(pages, defn, page_id)
    elif action == "back":
        go_to = page_before(pages, defn, page_id) or page_id
    else:
        go_to = page_id
    return PageOutcome(response=current, saved=saved, go_to=go_to)


def resume_page(response: Response) -> str | None:
    """Return the first page on the respondent's path not yet completed (None: all done)."""
    defn = definition_of(response.version)
    member = member_attributes(response.member)
    for page_id in path(defn, response.answers, member):
        if page_id not in response.pages_done:
            return page_id
    return None
