"""Evaluator pages for questionnaires: versions, publishing, comparing."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from panels.permissions import evaluator_required
from surveys import services
from surveys.definitions import definition_of, exploration_of
from surveys.engine import DefinitionError, diff_versions, dump_yaml, parse_text
from surveys.engine.checks import exploration_warnings, publish_review
from surveys.engine.paths import trend_items_lost
from surveys.engine.routing import walk, walked_items
from surveys.forms import DefinitionUploadForm, DiffForm, DraftReplaceForm
from surveys.models import Questionnaire, Version
from surveys.respondent.page_forms import page_form


@evaluator_required
def questionnaire_list(request):
    questionnaires = Questionnaire.objects.prefetch_related("versions__rounds")
    return render(
        request,
        "surveys/questionnaire_list.html",
        {"questionnaires": questionnaires, "form": DefinitionUploadForm()},
    )


@evaluator_required
def definition_upload(request):
    posted = request.method == "POST"
    form = DefinitionUploadForm(request.POST if posted else None, request.FILES if posted else None)
    problems = []
    if posted and form.is_valid():
        try:
            version, created = services.version_store(data=parse_text(form.cleaned_data["file"]))
        except DefinitionError as exc:
            problems = [str(p) for p in exc.problems]
        except services.DefinitionRejected as exc:
            problems = exc.problems
        else:
            messages.success(
                request,
                f"Stored as {version}." if created else f"Unchanged: the same as {version}.",
            )
            return redirect("surveys_admin:version_detail", pk=version.pk)
    return render(request, "surveys/definition_upload.html", {"form": form, "problems": problems})


def _get_version(pk) -> Version:
    return get_object_or_404(Version.objects.select_related("questionnaire"), pk=pk)


def _detail_context(version: Version, form: DraftReplaceForm) -> dict:
    """Return the version page's context: problems, warnings and which items are reached."""
    context = {"version": version, "problems": [], "warnings": [], "outline": None}
    if version.is_published:
        found = exploration_of(version)
        context["warnings"] = exploration_warnings(found, definition_of(version))
    else:
        context["form"] = form
        try:
            found = exploration_of(version)
        except DefinitionError:
            found = None
        review = publish_review(version.definition, found=found)
        context["problems"], context["warnings"] = review.problems, review.warnings
    if not context["problems"]:
        defn = definition_of(version)
        context["outline"] = [
            (page, [(item, found.reach(item.code)) for item in page.flat_items()])
            for page in defn.pages
        ]
        context["complete"] = found.complete
    return context


@evaluator_required
def version_detail(request, pk):
    version = _get_version(pk)
    context = _detail_context(version, DraftReplaceForm())
    return render(request, "surveys/version_detail.html", context)


@require_POST
@evaluator_required
def version_replace(request, pk):
    version = _get_version(pk)
    if version.is_published:
        messages.error(request, f"{version} is published and cannot change; copy it instead.")
        return redirect("surveys_admin:version_detail", pk=pk)
    form = DraftReplaceForm(request.POST, request.FILES)
    problems = _replace(version, form.cleaned_data["file"]) if form.is_valid() else None
    if problems == []:
        messages.success(request, f"Replaced the definition of {version}.")
        return redirect("surveys_admin:version_detail", pk=pk)
    for problem in problems or []:
        form.add_error("file", problem)
    context = _detail_context(_get_version(pk), form)
    return render(request, "surveys/version_detail.html", context)


def _replace(version: Version, text: str) -> list[str]:
    """Replace the draft's definition by ``text``; return the problems (nothing stored)."""
    try:
        services.version_update_draft(version=version, data=parse_text(text))
    except DefinitionError as exc:
        return [str(p) for p in exc.problems]
    except services.DefinitionRejected as exc:
        return exc.problems
    return []


@evaluator_required
def version_download(request, pk):
    version = get_object_or_404(Version.objects.select_related("questionnaire"), pk=pk)
    response = HttpResponse(dump_yaml(version.definition), content_type="application/yaml")
    name = f"{version.questionnaire.slug}-v{version.number}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@evaluator_required
def version_publish(request, pk):
    """Ask for confirmation (GET), then publish (POST)."""
    version = _get_version(pk)
    if version.is_published:
        messages.info(request, f"{version} is already published.")
        return redirect("surveys_admin:version_detail", pk=pk)
    if request.method == "GET":
        return render(request, "surveys/version_publish.html", {"version": version})
    try:
        version = services.version_publish(version=version)
    except services.DefinitionRejected as exc:
        count = "1 problem" if len(exc.problems) == 1 else f"{len(exc.problems)} problems"
        messages.error(request, f"Not published: {count} to fix, listed below.")
    else:
        messages.success(request, f"Published {version}; it can no longer change.")
        for warning in exploration_warnings(exploration_of(version), definition_of(version)):
            messages.warning(request, warning)
    return redirect("surveys_admin:version_detail", pk=pk)


@evaluator_required
def version_preview(request, pk, page_id=None):
    """Show a page of a version as a respondent would see it, before any answer.

    Nothing is stored: no member, no response; the form has no way to submit."""
    version = _get_version(pk)
    try:
        defn = definition_of(version)
    except DefinitionError:
        messages.error(request, f"{version} has problems to fix before it can be previewed.")
        return redirect("surveys_admin:version_detail", pk=pk)
    ids = [page.id for page in defn.pages]
    page_id = page_id or ids[0]
    if page_id not in ids:
        raise Http404("No such page.")
    number = ids.index(page_id) + 1
    page = defn.page(page_id)
    items = walked_items(defn, page_id, walk(defn, {}, {}), {})
    shown = {item.code for item in items}
    context = {
        "version": version,
        "page": page,
        "questions": page_form(defn, items, {}, {}).html(),
        # Before any answer the routing hides what depends on one: name it instead.
        "hidden": [item for item in page.items if item.code not in shown],
        "number": number,
        "total": len(ids),
        "previous": ids[number - 2] if number > 1 else None,
        "next": ids[number] if number < len(ids) else None,
    }
    return render(request, "surveys/version_preview.html", context)


@require_POST
@evaluator_required
def version_copy(request, pk):
    draft = services.version_copy(version=get_object_or_404(Version, pk=pk))
    messages.success(request, f"Started {draft} as a copy.")
    return redirect("surveys_admin:version_detail", pk=draft.pk)


@evaluator_required
def version_diff(request):
    form = DiffForm(request.GET or None)
    context = {"form": form, "changes": None, "lost": None, "cut_short": []}
    if form.is_valid():
        try:
            context.update(_comparison(form.cleaned_data["a"], form.cleaned_data["b"]))
        except DefinitionError as exc:
            form.add_error(None, f"A version cannot be read: {exc}")
    return render(request, "surveys/version_diff.html", context)


CHANGE_WORDS = {
    "identical": "identical",
    "wording_changed": "reworded",
    "options_changed": "options changed",
    "added": "added",
    "removed": "removed",
}
TREND_WORDS = {
    "safe": "safe",
    "comparable": "comparable",
    "break": "break in the series",
    "new": "new",
    "ended": "ended",
}


def _comparison(old: Version, new: Version) -> dict:
    """Return the changes item by item in words, their counts and the items no longer reached."""
    a, b = definition_of(old), definition_of(new)
    before, after = exploration_of(old), exploration_of(new)
    changes = diff_versions(a, b)
    rows = [
        {
            "code": c.code,
            "change": CHANGE_WORDS[c.status],
            "trend": TREND_WORDS[c.trend],
            "detail": c.detail,
        }
        for c in changes
    ]
    return {
        "old": old,
        "new": new,
        "changes": rows,
        "counts": [
            (word, sum(c.status == status for c in changes))
            for status, word in CHANGE_WORDS.items()
        ],
        "safe_count": sum(c.trend == "safe" for c in changes),
        "lost": trend_items_lost(a, b, before=before, after=after),
        "cut_short": [v for v, found in ((old, before), (new, after)) if not found.complete],
    }
