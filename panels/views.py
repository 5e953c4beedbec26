import csv

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from panels import importing, selectors, services
from panels.cells import spreadsheet_row
from panels.forms import CarryForwardForm, PanelImportForm, RoundForm
from panels.importing import ListFileError, read_list
from panels.models import ImportJob, Panel, Round
from panels.permissions import evaluator_required
from panels.tokens import token_for


@evaluator_required
def round_list(request):
    return render(request, "panels/round_list.html", {"rounds": selectors.round_list()})


@evaluator_required
def round_detail(request, pk):
    round_ = get_object_or_404(Round.objects.select_related("version"), pk=pk)
    rows = selectors.round_site_rows(round_)
    context = {
        "round": round_,
        "rows": rows,
        "has_members": any(row["size"] for row in rows),
        "carry_form": CarryForwardForm(target=round_),
    }
    return render(request, "panels/round_detail.html", context)


@evaluator_required
def panel_import(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    posted = request.method == "POST"
    form = PanelImportForm(request.POST if posted else None, request.FILES if posted else None)
    report = None
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        if importing.estimate_rows(upload.name, upload) > settings.PANEL_IMPORT_TASK_ROWS:
            job = services.import_job_create(
                round=round_, site=form.cleaned_data["site"], upload=upload, user=request.user
            )
            return redirect("panels:import_job", pk=round_.pk, job=job.pk)
        try:
            list_file = read_list(upload.name, upload)
        except ListFileError as exc:
            form.add_error("file", str(exc))
        else:
            report = services.panel_import(
                round=round_,
                list_file=list_file,
                site=form.cleaned_data["site"],
                user=request.user,
            )
            if report.ok:
                messages.success(request, report.summary())
                return redirect("panels:round_detail", pk=round_.pk)
    limits = {
        "rows": importing.MAX_ROWS,
        "columns": importing.MAX_COLUMNS,
        "attributes": importing.MAX_ATTRIBUTE_COLUMNS,
    }
    context = {"round": round_, "form": form, "report": report, "limits": limits}
    return render(request, "panels/panel_import.html", context)


def _job(pk, job) -> ImportJob:
    return get_object_or_404(ImportJob.objects.select_related("round"), pk=job, round_id=pk)


@evaluator_required
def import_job(request, pk, job):
    job = _job(pk, job)
    more = job.report.get("problems_total", 0) - len(job.report.get("problems", []))
    context = {"round": job.round, "job": job, "more": more}
    return render(request, "panels/import_job.html", context)


@evaluator_required
def import_job_status(request, pk, job):
    job = _job(pk, job)
    return JsonResponse(
        {
            "status": job.status,
            "label": job.get_status_display(),
            "rows_done": job.rows_done,
            "rows_total": job.rows_total,
            "finished": job.finished,
        }
    )


@evaluator_required
def import_job_problems(request, pk, job):
    """Every listed problem of a refused import, as a CSV to open beside the list."""
    job = _job(pk, job)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="problems-{job.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(["row", "column", "problem"])
    for p in job.report.get("problems", []):
        writer.writerow(spreadsheet_row([p["row"], p["column"], p["message"]]))
    return response


@require_POST
@evaluator_required
def round_carry_forward(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    form = CarryForwardForm(request.POST, target=round_)
    if not form.is_valid():
        messages.error(request, "Choose a round to copy the panels from.")
        return redirect("panels:round_detail", pk=round_.pk)
    try:
        report = services.round_carry_forward(source=form.cleaned_data["source"], target=round_)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            services.carry_summary(report),
        )
    return redirect("panels:round_detail", pk=round_.pk)


# The round's own pages: create and edit a round, and a site's list with its personal links.


@evaluator_required
def round_create(request):
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        round_ = form.save()
        messages.success(request, f"Created {round_}.")
        return redirect("panels:round_detail", pk=round_.pk)
    return render(request, "panels/round_form.html", {"form": form, "round": None})


@evaluator_required
def round_edit(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    form = RoundForm(request.POST or None, instance=round_)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved {round_}.")
        return redirect("panels:round_detail", pk=round_.pk)
    return render(request, "panels/round_form.html", {"form": form, "round": round_})


@evaluator_required
def panel_detail(request, pk, site):
    panel = get_object_or_404(
        Panel.objects.select_related("round", "site", "refreshed_by", "carried_from__round"),
        round_id=pk,
        site__code=site,
    )
    members = [(member, personal_link(member)) for member in selectors.panel_members(panel)]
    context = {"panel": panel, "round": panel.round, "members": members}
    return render(request, "panels/panel_detail.html", context)


def personal_link(member) -> str:
    """Return the member's personal link as their emails carry it."""
    return settings.SITE_URL + reverse("surveys:link", args=[token_for(member.token_nonce)])
