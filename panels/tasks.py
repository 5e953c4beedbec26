"""Background work for panels: importing long contact lists."""

from celery import shared_task

from panels import services


@shared_task
def panel_import_job(job_id: int) -> str:
    """Import the list of an ImportJob; return its status."""
    return services.import_job_run(job_id=job_id).status
