"""Evaluator pages for questionnaires: versions, publishing, comparing."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from panels.permissions import evaluator_required
from surveys import services
from surveys.definitions import definition_of
from surveys.engine import (
    DefinitionError,
    diff_versions,
    dump_yaml,
    parse_text,
    publish_problems,
    reachable_items,
    trend_items_lost,
)
from surveys.forms import DefinitionUploadForm, DiffForm
from surveys.models import Questionnaire, Version


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


@evaluator_required
def version_detail(request, pk):
    version = get_object_or_404(Version.objects.select_related("questionnaire"), pk=pk)
    problems = [] if version.is_published else publish_problems(version.definition)
    context = {"version": version, "problems": problems, "outline": None}
    if not problems:
        defn = definition_of(version)
        reach = reachable_items(defn)
        context["outline"] = [
            (page, [(item, reach.get(item.code)) for item in page.flat_items()])
            for page in defn.pages
        ]
    return render(request, "surveys/version_detail.html", context)


@evaluator_required
def version_download(request, pk):
    version = get_object_or_404(Version.objects.select_related("questionnaire"), pk=pk)
    response = HttpResponse(dump_yaml(version.definition), content_type="application/yaml")
    name = f"{version.questionnaire.slug}-v{version.number}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@evaluator_required
def version_publish(request, pk):
    version = get_object_or_404(Version, pk=pk)
    try:
        version = services.version_publish(version=version)
    except services.DefinitionRejected as exc:
        messages.error(request, f"Not published: {len(exc.problems)} problem(s) listed below.")
    else:
        messages.success(request, f"Published {version}; it can no longer change.")
    return redirect("surveys_admin:version_detail", pk=pk)


@require_POST
@evaluator_required
def version_copy(request, pk):
    draft = services.version_copy(version=get_object_or_404(Version, pk=pk))
    messages.success(request, f"Started {draft} as a copy.")
    return redirect("surveys_admin:version_detail", pk=draft.pk)


@evaluator_required
def version_diff(request):
    form = DiffForm(request.GET or None)
    changes = lost = None
    if form.is_valid():
        try:
            a, b = definition_of(form.cleaned_data["a"]), definition_of(form.cleaned_data["b"])
        except DefinitionError as exc:
            form.add_error(None, f"A version cannot be read: {exc}")
        else:
            changes, lost = diff_versions(a, b), trend_items_lost(a, b)
    return render(
        request, "surveys/version_diff.html", {"form": form, "changes": changes, "lost": lost}
    )
