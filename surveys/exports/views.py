"""Export pages: start an export (POST), follow its progress, download the file (logged),
read the codebooks and the download log."""

import io

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from panels.models import Round
from panels.permissions import evaluator_required
from surveys.exports import codebook as codebooks
from surveys.exports.forms import ExportForm
from surveys.exports.permissions import admin_required, is_admin
from surveys.exports.renderers import missing_legend, write_csv
from surveys.exports.services import (
    CONTENT_TYPES,
    download_record,
    export_job_create,
    file_name,
)
from surveys.models import DownloadLog, ExportJob, ExportKind, ExportStatus


def _round(pk) -> Round:
    return get_object_or_404(Round.objects.select_related("version"), pk=pk)


def _job(pk, job) -> ExportJob:
    return get_object_or_404(ExportJob.objects.select_related("round"), pk=job, round_id=pk)


@admin_required
def round_exports(request, pk, form=None):
    round_ = _round(pk)
    context = {
        "round": round_,
        "form": form or ExportForm(),
        "jobs": round_.exports.select_related("created_by")[:10],
    }
    return render(
        request, "surveys/exports/round_exports.html", context, status=400 if form else 200
    )


@require_POST
@admin_required
def export_start(request, pk):
    round_ = _round(pk)
    form = ExportForm(request.POST)
    if not form.is_valid():
        return round_exports(request, pk, form=form)
    job = export_job_create(round=round_, user=request.user, **form.cleaned_data)
    return redirect("surveys_admin:export_job", pk=round_.pk, job=job.pk)


@admin_required
def export_job(request, pk, job):
    job = _job(pk, job)
    return render(request, "surveys/exports/job.html", {"round": job.round, "job": job})


@admin_required
def export_job_status(request, pk, job):
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


@admin_required
def export_download(request, pk, job):
    """Send a finished export's file, and log the download."""
    job = _job(pk, job)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404("This export has no file to download.")
    download_record(
        round=job.round, kind=job.kind, format=job.format, rows=job.rows_written,
        user=request.user, identified=job.identified, include_partial=job.include_partial,
        job=job,
    )  # fmt: skip
    name = file_name(
        round=job.round, kind=job.kind, format=job.format,
        identified=job.identified, partial=job.include_partial,
    )  # fmt: skip
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = CONTENT_TYPES[job.format]
    return response


@evaluator_required
def round_codebook(request, pk):
    round_ = _round(pk)
    context = {
        "round": round_,
        "entries": codebooks.codebook_entries(round_) if round_.version_id else [],
        "missing": missing_legend(),
        "can_export": is_admin(request.user),
    }
    return render(request, "surveys/exports/codebook.html", context)


def _csv(rows, name: str) -> tuple[HttpResponse, int]:
    """Return a small CSV (a codebook) as a download, and its number of data rows."""
    buffer = io.BytesIO()
    count = write_csv(rows, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response, count


@evaluator_required
def round_codebook_csv(request, pk):
    round_ = _round(pk)
    name = file_name(round=round_, kind="codebook", format="csv", identified=False, partial=False)
    response, rows = _csv(codebooks.codebook_rows(round_), name)
    download_record(
        round=round_, kind=ExportKind.CODEBOOK, format="csv", rows=rows, user=request.user
    )
    return response


def _rounds():
    return list(
        Round.objects.filter(version__isnull=False)
        .select_related("version")
        .order_by("year", "fieldwork_start", "pk")
    )


@evaluator_required
def codebook_across(request):
    rounds = _rounds()
    context = {"rounds": rounds, "rows": codebooks.across_rounds(rounds)}
    return render(request, "surveys/exports/codebook_across.html", context)


@evaluator_required
def codebook_across_csv(request):
    response, rows = _csv(codebooks.across_rows(_rounds()), "codebook-across-rounds.csv")
    download_record(
        round=None, kind=ExportKind.CODEBOOK, format="csv", rows=rows, user=request.user
    )
    return response


@admin_required
def download_log(request):
    entries = DownloadLog.objects.select_related("round")[:500]
    return render(request, "surveys/exports/download_log.html", {"entries": entries})
