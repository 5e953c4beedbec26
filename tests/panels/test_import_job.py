"""Long contact lists are imported by a Celery task, with progress and the same report."""

import csv
import io
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from panels.models import Contact, ImportJob, ImportStatus, Member, Site
from panels.tasks import panel_import_job
from tests.panels.files import ROWS, csv_bytes, xlsx_bytes

ROOT = Path(__file__).resolve().parents[2]


def _post(client, round_, data: bytes, name="list.csv"):
    upload = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(reverse("panels:panel_import", args=[round_.pk]), {"file": upload})


def _job_urls(job):
    args = [job.round_id, job.pk]
    return (
        reverse("panels:import_job", args=args),
        reverse("panels:import_job_status", args=args),
    )


@pytest.fixture
def task_threshold(settings):
    settings.PANEL_IMPORT_TASK_ROWS = 2
    settings.MEDIA_ROOT = settings.VAR_DIR / "test-media"


@pytest.mark.django_db
def test_a_long_list_is_queued_shown_with_progress_then_imported_by_the_task(
    client, alice, round_2016, task_threshold, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks() as queued:
        response = _post(client, round_2016, csv_bytes(ROWS))
    job = ImportJob.objects.get()
    page_url, status_url = _job_urls(job)
    assert response["Location"] == page_url
    assert len(queued) == 1 and not Contact.objects.exists()
    page = client.get(page_url).content.decode()
    assert "Waiting to start" in page and "<progress" in page
    assert "js/job_progress.js" in page and 'http-equiv="refresh"' in page
    assert client.get(status_url).json()["finished"] is False

    assert panel_import_job(job.pk) == ImportStatus.DONE
    status = client.get(status_url).json()
    assert status["finished"] and (status["rows_done"], status["rows_total"]) == (3, 3)
    page = client.get(page_url).content.decode()
    assert "Imported 3 rows: 3 new contacts" in page and "<progress" not in page
    assert Member.objects.filter(round=round_2016).count() == 3
    job.refresh_from_db()
    assert not job.file and job.created_by == alice
    # A task delivered twice imports once.
    assert panel_import_job(job.pk) == ImportStatus.DONE


@pytest.mark.django_db
def test_a_refused_long_list_lists_the_first_problems_and_counts_the_rest(
    client, alice, round_2016, task_threshold, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    rows = [["", "Bad", f"not-an-email-{n}", "Barnsley", "", "", ""] for n in range(200)]
    with django_capture_on_commit_callbacks():
        _post(client, round_2016, csv_bytes([*ROWS, *rows]))
    job = ImportJob.objects.get()
    assert panel_import_job(job.pk) == ImportStatus.REFUSED
    page = client.get(_job_urls(job)[0]).content.decode()
    assert "Nothing was imported: 400 problems found" in page
    assert "The first 300 are listed; 100 more are not." in page
    assert page.count('<th scope="row">') == 300
    assert not Contact.objects.exists()
    download = client.get(reverse("panels:import_job_problems", args=[round_2016.pk, job.pk]))
    problems = list(csv.reader(io.StringIO(download.content.decode())))
    assert problems[0] == ["row", "column", "problem"] and len(problems) == 301
    assert problems[1][:2] == ["5", "first_name"]


@pytest.mark.django_db
def test_an_outsider_sees_no_import_job(client, alice, charlie, round_2016, task_threshold):
    client.force_login(alice)
    _post(client, round_2016, csv_bytes(ROWS))
    job = ImportJob.objects.get()
    client.force_login(charlie)
    for url in _job_urls(job):
        assert client.get(url).status_code == 403


def _worker_env() -> dict:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "VAR_DIR": str(settings.VAR_DIR),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }


@pytest.fixture
def celery_worker_process(settings):
    """A real Celery worker on the Redis broker, using the test database, on a queue of
    its own so that no other test's worker takes its task."""
    settings.PANEL_IMPORT_QUEUE = f"test-imports-{uuid.uuid4().hex}"
    celery = [sys.executable, "-m", "celery", "-A", "config"]
    worker = subprocess.Popen(
        [
            *celery,
            "worker",
            "-Q",
            settings.PANEL_IMPORT_QUEUE,
            "-P",
            "solo",
            "-l",
            "warning",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ],
        env=_worker_env(),
        cwd=ROOT,
    )
    yield worker
    worker.terminate()
    worker.wait(timeout=30)


def _list_of(rows: int) -> bytes:
    codes = [str(code) for code in Site.objects.values_list("code", flat=True)]
    lines = ["first_name,last_name,email,site,job_title"]
    for n in range(rows):
        lines.append(f"First{n},Last{n},person{n}@example.org,{codes[n % len(codes)]},Director")
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_150000_rows_through_the_web_form_are_imported_by_a_worker_with_progress(
    client, alice, round_2016, celery_worker_process
):
    data = _list_of(150_000)
    assert len(data) < 10 * 1024 * 1024
    client.force_login(alice)
    response = _post(client, round_2016, data)
    job = ImportJob.objects.get()
    assert response["Location"] == _job_urls(job)[0]
    seen = []
    for _ in range(600):
        status = client.get(_job_urls(job)[1]).json()
        seen.append(status["rows_done"])
        if status["finished"]:
            break
        assert celery_worker_process.poll() is None, "the worker stopped"
        time.sleep(0.5)
    assert status["status"] == ImportStatus.DONE
    assert any(0 < done < 150_000 for done in seen), "progress was shown on the way"
    page = client.get(_job_urls(job)[0]).content.decode()
    assert "Imported 150,000 rows: 150,000 new contacts" in page
    assert Member.objects.filter(round=round_2016).count() == 150_000


@pytest.mark.django_db
def test_a_workbook_declaring_more_rows_than_the_threshold_goes_to_the_task(
    client, alice, round_2016, task_threshold, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks() as queued:
        upload = SimpleUploadedFile("list.xlsx", xlsx_bytes(ROWS))
        client.post(reverse("panels:panel_import", args=[round_2016.pk]), {"file": upload})
    job = ImportJob.objects.get()
    assert len(queued) == 1 and job.file_name == "list.xlsx"
    assert panel_import_job(job.pk) == ImportStatus.DONE
    assert Member.objects.filter(round=round_2016).count() == 3


@pytest.mark.django_db
def test_a_job_that_breaks_is_shown_as_failed_with_nothing_imported(
    client, alice, round_2016, task_threshold, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks():
        _post(client, round_2016, csv_bytes(ROWS))
    job = ImportJob.objects.get()
    Path(job.file.path).unlink()  # the upload is gone from disk: the task cannot read it
    with pytest.raises(FileNotFoundError):
        panel_import_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.finished_at is not None
    assert "The import failed before it finished" in client.get(_job_urls(job)[0]).content.decode()
    assert not Contact.objects.exists()
