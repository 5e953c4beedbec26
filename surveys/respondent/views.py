"""The respondent's pages: personal link, welcome, questionnaire pages, opt-out.

A personal link is swapped for a session on first use and the browser is sent to a URL
without the token. Opening any page (a GET) never starts a response, burns a token or opts
anyone out: mail scanners open every link.
"""

import logging

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from panels import services as panel_services
from panels.models import Member, RoundStatus
from panels.tokens import hash_token, optout_nonce, well_formed
from surveys import ratelimit, services
from surveys.definitions import TamperedVersion, definition_of
from surveys.engine.routing import path, walk, walked_items, with_visible_options
from surveys.engine.validation import validate_page
from surveys.models import Response
from surveys.respondent.forms import OptOutForm
from surveys.respondent.members import member_where
from surveys.respondent.page_forms import error_anchor, page_form
from surveys.respondent.submissions import choose_typed_others, follow_ups, owner
from surveys.selectors import member_attributes

logger = logging.getLogger(__name__)

SESSION_KEY = "respondent_member"
OPTOUT_SESSION_KEY = "respondent_opt_out_member"  # opens the opt-out form only
NOTICE_KEY = "respondent_notice"  # a notice for the next page shown, set before a redirect


def _member_for_token(token: str) -> Member | None:
    if not well_formed(token):
        return None
    return member_where(token_hash=hash_token(token))


def _member_for_optout_token(token: str) -> Member | None:
    nonce = optout_nonce(token)
    return None if nonce is None else member_where(token_nonce=nonce)


def _slow_down(request, wait: int):
    response = render(
        request,
        "surveys/respondent/slow_down.html",
        {"minutes": max(1, -(-wait // 60))},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def _neutral(request, status=404):
    return render(
        request,
        "surveys/respondent/neutral.html",
        {"study_contact": settings.STUDY_CONTACT},
        status=status,
    )


@never_cache
def link(request, token):
    """Exchange a personal link for a session, then redirect to a URL without the token."""
    if wait := ratelimit.retry_after(request):
        return _slow_down(request, wait)
    member = _member_for_token(token)
    if member is None:
        ratelimit.count_failure(request)
        return _neutral(request)
    if not _launched(member.round):
        return _neutral(request)
    request.session.cycle_key()
    request.session[SESSION_KEY] = member.pk
    response = HttpResponseRedirect(reverse("surveys:welcome"))
    response["Referrer-Policy"] = "no-referrer"
    return response


def _session_member(request) -> Member | None:
    member_id = request.session.get(SESSION_KEY)
    if member_id is None:
        return None
    return member_where(pk=member_id)


def _launched(round_) -> bool:
    """A round not yet open, or with no questionnaire to answer, is not there yet."""
    return round_.status != RoundStatus.PLANNED and round_.version_id is not None


def respondent_view(view):
    """Give the view the session's member; refuse unknown, planned and closed rounds."""

    def wrapper(request, *args, **kwargs):
        member = _session_member(request)
        if member is None or not _launched(member.round):
            return _neutral(request)
        if member.round.status == RoundStatus.CLOSED:
            return render(request, "surveys/respondent/closed.html", {"round": member.round})
        try:
            return view(request, member, *args, **kwargs)
        except TamperedVersion:
            # Never answer on a questionnaire that is not the one published; the error
            # reaches the team through the log, the respondent is told to come back.
            logger.exception("Respondent page refused: the round's version was tampered with")
            context = {"study_contact": member.round.study_contact or settings.STUDY_CONTACT}
            return render(request, "surveys/respondent/unavailable.html", context, status=503)

    wrapper.__name__ = view.__name__
    return never_cache(wrapper)


def _response(member) -> Response | None:
    """Return the member's response as fetched with the member (None before they start)."""
    try:
        response = member.response
    except Response.DoesNotExist:
        return None
    if response.version_id == member.round.version_id:
        response.version = member.round.version
    return response


@respondent_view
def welcome(request, member):
    response = _response(member)
    if response and response.is_complete:
        return render(
            request,
            "surveys/respondent/complete.html",
            {
                "round": member.round,
                "response": response,
                "member": member,
                "can_change": member.round.allow_changes_after_completion,
            },
        )
    return render(
        request,
        "surveys/respondent/welcome.html",
        {"round": member.round, "response": response, "member": member},
    )


@require_POST
@respondent_view
def start(request, member):
    first_page = definition_of(member.round.version).pages[0].id  # checked before any write
    response = services.response_start(member=member)
    if response.is_complete and not member.round.allow_changes_after_completion:
        return redirect("surveys:welcome")
    return redirect("surveys:page", page_id=services.resume_page(response) or first_page)


def _page_context(member, response, walked, answers, attrs, page_id, form, notice=None):
    defn = definition_of(response.version)
    assumed = _consent_assumed(defn, answers)
    pages = walked.pages if assumed == answers else path(defn, assumed, attrs)
    page = defn.page(page_id)
    number = pages.index(page_id) + 1 if page_id in pages else 1
    errors = [(error_anchor(form, name), errs[0]) for name, errs in form.errors.items()]
    return {
        "round": member.round,
        "member": member,
        "response": response,
        "page": page,
        "form": form,
        "questions": form.html(),  # not {{ form.html }}: an item may be coded "html"
        "number": number,
        "total": len(pages),
        "title": defn.title,
        "first": number == 1,
        "errors": errors,
        "notice": notice,
        "percent": int(100 * (number - 1) / max(len(pages), 1)),
    }


def _consent_assumed(defn, answers: dict) -> dict:
    """Return the answers with any consent not yet given assumed, to count the pages ahead."""
    assumed = dict(answers)
    for item in defn.items.values():
        if item.type == "consent" and item.code not in assumed and item.options:
            assumed[item.code] = item.options[0].code
    return assumed


def _walk(response, attrs):
    """Walk the routing once for this request: it gives the path and what stands."""
    return walk(definition_of(response.version), response.answers, attrs)


@require_http_methods(["GET", "POST"])
@respondent_view
def page(request, member, page_id):
    response = _response(member)
    if response is None:
        return redirect("surveys:welcome")
    if response.is_complete and not member.round.allow_changes_after_completion:
        return redirect("surveys:welcome")
    attrs = member_attributes(member)
    if request.method == "POST":  # the save checks the page is on the path, with one walk
        return _submit(request, member, response, page_id, attrs)
    walked = _walk(response, attrs)
    if not services.page_reachable(walked.pages, response.pages_done, page_id):
        return redirect("surveys:resume")
    notice = _notice(request, page_id)
    added = notice.get("codes", []) if notice else []
    return _show(
        request, member, response, page_id, attrs, walked=walked, notice=notice, added=added
    )


def _notice(request, page_id) -> dict | None:
    """Return the notice left for this page (or for whichever page shows next), once."""
    notice = request.session.pop(NOTICE_KEY, None)
    if notice and notice.get("page") in (None, page_id):
        return notice
    return None


def _show(
    request,
    member,
    response,
    page_id,
    attrs,
    *,
    walked=None,
    answers=None,
    data=None,
    errors=None,
    notice=None,
    added=(),
    status=200,
):
    """Render a page; `answers` (default: the stored ones) decide what it shows.

    The page's questions that an answer on it can bring up are drawn too, hidden, for the
    page's script to show as soon as the routing says so.
    """
    defn = definition_of(response.version)
    answers = response.answers if answers is None else answers
    walked = walked or walk(defn, answers, attrs)
    items = walked_items(defn, page_id, walked, attrs)
    shown = [item.code for item in items]
    may_change = follow_ups(defn, page_id)
    hidden = may_change.difference(shown)
    if hidden:
        items = _with_hidden(defn, page_id, walked, attrs, items, hidden)
    form = page_form(
        defn, items, answers, attrs, data=data, errors=errors, hidden=hidden, added=added
    )
    context = _page_context(member, response, walked, answers, attrs, page_id, form, notice)
    context["shown"], context["follow_ups"] = shown, sorted(may_change)
    return render(request, "surveys/respondent/page.html", context, status=status)


def _with_hidden(defn, page_id, walked, attrs, items, hidden) -> list:
    """Return the page's items in order: those shown, and those in `hidden`."""
    shown = {item.code: item for item in items}
    return [
        shown.get(item.code) or with_visible_options(item, walked.kept, attrs)
        for item in defn.page(page_id).items
        if item.code in shown or item.code in hidden
    ]


@require_POST
@respondent_view
def page_shown(request, member, page_id):
    """Return which questions of the page the routing shows with the answers as posted.

    Saves nothing: the page's script asks as the answers change, and the page's save
    decides again.
    """
    response = _response(member)
    defn = response and definition_of(response.version)
    if defn is None or page_id not in defn.pages_by_id:
        return JsonResponse({"shown": []}, status=404)
    attrs = member_attributes(member)
    data = {key: request.POST.getlist(key) for key in request.POST}
    answers = validate_page(defn, page_id, data, response.answers, attrs).answers
    items = walked_items(defn, page_id, walk(defn, answers, attrs), attrs)
    return JsonResponse({"shown": [item.code for item in items]})


def _submit(request, member, response, page_id, attrs):
    action = request.POST.get("action", "next")
    if action not in {"next", "back", "later"}:
        action = "next"
    if request.POST.get("response", str(response.pk)) != str(response.pk):
        # A page of another personal link, opened before a later link took this browser:
        # nothing is saved, and the respondent goes on where the later link's survey stands.
        request.session[NOTICE_KEY] = {"kind": "other_link"}
        return redirect("surveys:resume")
    shown = set(request.POST.getlist("shown")) if "shown" in request.POST else None
    defn = definition_of(response.version)
    if page_id not in defn.pages_by_id:
        return redirect("surveys:resume")
    posted = {key: request.POST.getlist(key) for key in request.POST}
    data, typed = choose_typed_others(_posted_items(defn, page_id, shown), posted)
    if typed:  # text typed for an option not chosen: say so, save nothing
        return _show(
            request, member, response, page_id, attrs, data=_query(data), errors=typed, status=422
        )
    try:
        outcome = _save(request, response, page_id, data, action, shown, attrs)
    except services.PageNotReachable:
        return redirect("surveys:resume")
    except services.StaleAnswers:
        response.refresh_from_db()
        notice = {"kind": "conflict"}
        return _show(request, member, response, page_id, attrs, notice=notice, status=409)
    if outcome.errors or (outcome.revealed and not outcome.saved):
        return _show_errors(request, member, outcome, page_id, attrs, _query(data))
    if outcome.revealed:
        request.session[NOTICE_KEY] = _revealed_notice(outcome, page_id)
        return redirect("surveys:page", page_id=page_id)
    if action == "later":
        return redirect("surveys:saved")
    if outcome.go_to is None:
        return redirect("surveys:welcome")
    return redirect("surveys:page", page_id=outcome.go_to)


def _query(data: dict) -> QueryDict:
    """Return posted data as the form binds it (several values to a name)."""
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values)
    return query


def _posted_items(defn, page_id: str, shown) -> list:
    """Return the page's items the respondent was shown (all of them if not said)."""
    items = defn.page(page_id).items
    return list(items) if shown is None else [item for item in items if item.code in shown]


def _save(request, response, page_id, data, action, shown, attrs) -> services.PageOutcome:
    """Save the page; questions the answers bring up are never errors, whatever they need.

    Where the only errors are of questions the respondent has not seen yet, what is valid
    is kept (as "Save and finish later" does) and the page is shown again with them.
    """
    revision = _revision(request)
    save_page = services.response_save_page
    outcome = save_page(
        response=response, page_id=page_id, data=data, revision=revision, action=action, shown=shown
    )
    if not outcome.errors or shown is None or action != "next":
        return outcome
    defn = definition_of(response.version)
    items = walked_items(defn, page_id, outcome.walked, attrs)
    added = [item.code for item in items if item.code not in shown]
    if not added:
        return outcome
    outcome.errors = {
        name: message for name, message in outcome.errors.items() if owner(name, items) not in added
    }
    if not outcome.errors and not outcome.response.completed_at:
        answers, walked = outcome.answers, outcome.walked
        outcome = save_page(
            response=response, page_id=page_id, data=data, revision=revision, action="later"
        )
        outcome.answers, outcome.walked = answers, walked
    outcome.revealed = added
    return outcome


def _revision(request) -> int:
    try:
        return int(request.POST.get("revision", "-1"))
    except ValueError:
        return -1


def _revealed_notice(outcome, page_id: str) -> dict:
    """Return the notice of questions the answers brought up on the page."""
    return {
        "kind": "revealed",
        "page": page_id,
        "count": len(outcome.revealed),
        "codes": outcome.revealed,
        "saved": outcome.saved,
    }


def _show_errors(request, member, outcome, page_id, attrs, data):
    """Show the page as posted, with what its answers bring up, and every error."""
    notice = _revealed_notice(outcome, page_id) if outcome.revealed else None
    return _show(
        request,
        member,
        outcome.response,
        page_id,
        attrs,
        answers=outcome.answers,
        walked=outcome.walked,
        data=data,
        errors=outcome.errors,
        notice=notice,
        added=outcome.revealed,
        status=422 if outcome.errors else 200,
    )


@respondent_view
def resume(request, member):
    response = _response(member)
    if response is None:
        return redirect("surveys:welcome")
    page_id = services.resume_page(response)
    if page_id is None:
        return redirect("surveys:welcome")
    return redirect("surveys:page", page_id=page_id)


@respondent_view
def saved(request, member):
    return render(
        request, "surveys/respondent/saved.html", {"round": member.round, "member": member}
    )


@require_http_methods(["GET", "POST"])
@respondent_view
def opt_out(request, member):
    return _opt_out(request, member, back=reverse("surveys:resume"))


def _opt_out(request, member, back=None):
    """The opt-out form; `back` leads to the survey (only where the session opens it)."""
    form = OptOutForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        member = panel_services.member_opt_out(member=member, scope=form.cleaned_data["scope"])
        return render(
            request,
            "surveys/respondent/opted_out.html",
            {"round": member.round, "scope": form.cleaned_data["scope"], "back": back},
        )
    return render(
        request,
        "surveys/respondent/opt_out.html",
        {"round": member.round, "form": form, "back": back},
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def email_opt_out(request, token):
    """The opt-out link of an email, swapped for a session (no token in the form's action).

    Only the RFC 8058 one-click POST of a mail client records here, without CSRF: it stops
    reminders and nothing more. Any other request is sent on to the confirmation form,
    which needs the CSRF token like every form.
    """
    if wait := ratelimit.retry_after(request, scope="opt-out"):
        return _slow_down(request, wait)
    member = _member_for_optout_token(token)
    if member is None:
        ratelimit.count_failure(request, scope="opt-out")
        return _neutral(request)
    if not _launched(member.round):
        return _neutral(request)
    if request.method == "POST" and request.POST.get("List-Unsubscribe") == "One-Click":
        panel_services.member_opt_out(member=member, scope="reminders")
        return render(
            request,
            "surveys/respondent/opted_out.html",
            {"round": member.round, "scope": "reminders"},
        )
    request.session.cycle_key()
    request.session[OPTOUT_SESSION_KEY] = member.pk
    response = HttpResponseRedirect(reverse("email_opt_out_confirm"))
    response.status_code = 303
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def email_opt_out_confirm(request):
    """The confirmation form of an email's opt-out link: GET asks, POST records."""
    member_id = request.session.get(OPTOUT_SESSION_KEY)
    member = None if member_id is None else member_where(pk=member_id)
    if member is None or not _launched(member.round):
        return _neutral(request)
    # The same browser may have the survey open: then the way back leads there.
    in_survey = request.session.get(SESSION_KEY) == member.pk
    return _opt_out(request, member, back=reverse("surveys:resume") if in_survey else None)
