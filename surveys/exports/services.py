"""Writing export files, running them as jobs, and logging every download."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from panels.models import Round
from surveys.exports import codebook as codebooks
from surveys.exports import renderers, sql
from surveys.exports.rows import Export, label_rows, long_rows
from surveys.models import DownloadLog, ExportFormat, ExportJob, ExportKind, ExportStatus

logger = logging.getLogger(__name__)

FORMATS = {
    ExportKind.WIDE: [ExportFormat.CSV, ExportFormat.XLSX, ExportFormat.SAV, ExportFormat.DTA],
    ExportKind.LONG: [ExportFormat.CSV, ExportFormat.XLSX],
    ExportKind.CODEBOOK: [ExportFormat.CSV, ExportFormat.XLSX, ExportFormat.HTML],
}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
    "dta": "application/x-stata-dta",
    "html": "text/html; charset=utf-8",
}
Progress = Callable[[int], None]


def file_name(*, round: Round, kind: str, format: str, identified: bool, partial: bool) -> str:
    """Return a download name such as ``2020-survey-wide-with-partials.sav``."""
    slug = re.sub(r"[^a-z0-9]+", "-", round.name.lower()).strip("-") or f"round-{round.pk}"
    parts = [slug, kind]
    if partial and kind != ExportKind.CODEBOOK:
        parts.append("with-partials")
    if identified and kind != ExportKind.CODEBOOK:
        parts.append("identified")
    return "-".join(parts) + "." + format


def export_write(
    *,
    round: Round,
    kind: str,
    format: str,
    path: str | Path,
    include_partial: bool = False,
    identified: bool = False,
    labels: bool = False,
    progress: Progress | None = None,
) -> int:
    """Write one export file at ``path``; return the number of data rows written."""
    if format not in FORMATS[kind]:
        raise ValueError(f"A {kind} export cannot be written as {format}.")
    if kind == ExportKind.CODEBOOK:
        return _write_codebook(round, format, path)
    export = Export(round=round, include_partial=include_partial, identified=identified)
    if kind == ExportKind.LONG:
        return _write_table(long_rows([export], progress), format, path)
    if format == ExportFormat.CSV and sql.supported(export):
        with open(path, "wb") as stream:
            renderers.write_csv_header([c.name for c in export.columns], stream)
            return sql.copy_wide(export, stream, labels=labels, progress=progress)
    if format == ExportFormat.SAV and sql.supported(export):
        return _write_sav_from_copy(export, Path(path), progress)
    if format in (ExportFormat.SAV, ExportFormat.DTA):
        writer = renderers.write_sav if format == ExportFormat.SAV else renderers.write_dta
        return writer(export.columns, export.rows(progress), str(path), export.total())
    rows = export.rows(progress)
    if labels:
        rows = label_rows(export, rows)
    header = [[c.name for c in export.columns]]
    return _write_table(_chain(header, rows), format, path)


def _write_sav_from_copy(export: Export, path: Path, progress: Progress | None) -> int:
    """Write a .sav from the rows the database draws, through a CSV beside it."""
    scratch = path.with_name(path.name + ".rows.csv")
    try:
        with open(scratch, "wb") as stream:
            sql.copy_wide(export, stream, spreadsheet=False, progress=progress)
        return renderers.write_sav_from_csv(export.columns, str(scratch), str(path))
    finally:
        scratch.unlink(missing_ok=True)


def _chain(first, rest):
    yield from first
    yield from rest


def _write_table(rows, format: str, path: str | Path) -> int:
    with open(path, "wb") as stream:
        return _write_stream(rows, format, stream)


def _write_stream(rows, format: str, stream: BinaryIO) -> int:
    if format == ExportFormat.CSV:
        return renderers.write_csv(rows, stream)
    return renderers.write_xlsx(rows, stream)


def _write_codebook(round: Round, format: str, path: str | Path) -> int:
    if format == ExportFormat.HTML:
        entries = codebooks.codebook_entries(round)
        html = render_to_string(
            "surveys/exports/codebook_file.html", {"round": round, "entries": entries}
        )
        Path(path).write_text(html, encoding="utf-8")
        return len(entries)
    return _write_table(codebooks.codebook_rows(round), format, path)


# --- jobs -------------------------------------------------------------------------------


def export_job_create(
    *,
    round: Round,
    kind: str,
    format: str,
    include_partial: bool,
    identified: bool,
    labels: bool,
    user,
) -> ExportJob:
    """Record an export to run and queue its task once the record is committed."""
    from surveys.tasks import export_job_task

    with transaction.atomic():
        job = ExportJob.objects.create(
            round=round,
            kind=kind,
            format=format,
            include_partial=include_partial,
            identified=identified,
            labels=labels,
            created_by=user,
        )
        queue = getattr(settings, "EXPORT_QUEUE", settings.CELERY_TASK_DEFAULT_QUEUE)
        transaction.on_commit(lambda: export_job_task.apply_async([job.pk], queue=queue))
    return job


def export_job_run(*, job_id: int) -> ExportJob:
    """Write a queued job's file, recording its progress; a job already started is left.

    A failure is recorded on the job with its reason (shown on the job's page).
    """
    started = ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=timezone.now()
    )
    job = ExportJob.objects.select_related("round").get(pk=job_id)
    if not started:
        return job
    try:
        _run(job)
    except Exception as exc:
        logger.exception("Export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error=str(exc) or type(exc).__name__,
            finished_at=timezone.now(),
        )  # fmt: skip
    job.refresh_from_db()
    return job


def _run(job: ExportJob) -> None:
    total = 0
    if job.kind != ExportKind.CODEBOOK:
        total = Export(round=job.round, include_partial=job.include_partial).total()
    ExportJob.objects.filter(pk=job.pk).update(rows_total=total)
    name = file_name(
        round=job.round, kind=job.kind, format=job.format,
        identified=job.identified, partial=job.include_partial,
    )  # fmt: skip
    stored = default_storage.get_available_name(f"exports/{job.pk}/{name}")
    path = Path(default_storage.path(stored))
    path.parent.mkdir(parents=True, exist_ok=True)

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=done)

    rows = export_write(
        round=job.round, kind=job.kind, format=job.format, path=path,
        include_partial=job.include_partial, identified=job.identified, labels=job.labels,
        progress=progress,
    )  # fmt: skip
    done = max(total, rows) if job.kind != ExportKind.CODEBOOK else rows
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE, file=stored, rows_done=done, rows_total=done,
        rows_written=rows, finished_at=timezone.now(), error="",
    )  # fmt: skip


def download_record(
    *,
    round: Round | None,
    kind: str,
    format: str,
    rows: int,
    user=None,
    username: str = "",
    via: str = "web",
    identified: bool = False,
    include_partial: bool = False,
    job: ExportJob | None = None,
) -> DownloadLog:
    """Log one download of export data; return the log row."""
    return DownloadLog.objects.create(
        user=user,
        username=username or (user.get_username() if user else ""),
        via=via,
        round=round,
        round_name=round.name if round else "all rounds",
        kind=kind,
        format=format,
        identified=identified,
        include_partial=include_partial,
        rows=rows,
        job=job,
    )
