"""Background work for surveys: writing large exports."""

from celery import shared_task

from surveys.exports import services


@shared_task
def export_job_task(job_id: int) -> str:
    """Write the file of an ExportJob; return its status."""
    return services.export_job_run(job_id=job_id).status
