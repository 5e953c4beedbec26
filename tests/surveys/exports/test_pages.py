"""Export pages: admins only, a POST starts an export, a download is logged."""

import pytest
from django.urls import reverse

from surveys.exports.services import export_job_run
from surveys.models import DownloadLog, ExportJob, ExportStatus
from surveys.tasks import export_job_task
from tests.surveys.exports.conftest import member_of, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_2016(rounds):
    round_ = rounds[0]
    for n in range(3):
        respond(member_of(round_, n), {"consent": 1, "barrier.lack_of_trust": 1})
    return round_


def start(client, round_, capture, **data):
    """Post the form; the task it queues is not sent (the test runs it when it needs to)."""
    with capture():
        return client.post(
            reverse("surveys_admin:export_start", args=[round_.pk]),
            {"kind": "wide", "format": "csv", **data},
        )


def urls(job):
    args = [job.round_id, job.pk]
    return [
        reverse(f"surveys_admin:{name}", args=args)
        for name in ("export_job", "export_job_status", "export_download")
    ]


def test_an_admin_starts_an_export_follows_it_and_downloads_a_logged_file(
    client, bob, round_2016, django_capture_on_commit_callbacks
):
    client.force_login(bob)
    page = client.get(reverse("surveys_admin:round_exports", args=[round_2016.pk]))
    assert page.status_code == 200 and b"Start the export" in page.content
    response = start(client, round_2016, django_capture_on_commit_callbacks, format="sav")
    job = ExportJob.objects.get()
    page_url, status_url, download_url = urls(job)
    assert response["Location"] == page_url
    assert "Waiting to start" in client.get(page_url).content.decode()
    assert export_job_task(job.pk) == ExportStatus.DONE
    status = client.get(status_url).json()
    assert status == {
        "status": "done", "label": "Ready to download", "rows_done": 3, "rows_total": 3,
        "finished": True,
    }  # fmt: skip
    assert b"Download the file" in client.get(page_url).content
    assert not DownloadLog.objects.exists()
    download = client.get(download_url)
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="2016-survey-wide.sav"'
    assert b"".join(download.streaming_content)[:4] == b"$FL2"
    log = DownloadLog.objects.get()
    assert (log.user, log.round, log.kind, log.format, log.rows, log.identified) == (
        bob, round_2016, "wide", "sav", 3, False,
    )  # fmt: skip
    log_page = client.get(reverse("surveys_admin:download_log")).content.decode()
    assert "bob" in log_page and "2016 survey" in log_page


@pytest.mark.parametrize("who", ["alice", "charlie"])
def test_an_evaluator_or_an_outsider_is_refused_every_export_page(
    client, request, who, bob, round_2016, django_capture_on_commit_callbacks
):
    client.force_login(bob)
    start(client, round_2016, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    client.force_login(request.getfixturevalue(who))
    refused = [
        reverse("surveys_admin:round_exports", args=[round_2016.pk]),
        reverse("surveys_admin:download_log"),
        *urls(job),
    ]
    for url in refused:
        assert client.get(url).status_code == 403, url
    assert start(client, round_2016, django_capture_on_commit_callbacks).status_code == 403
    assert ExportJob.objects.count() == 1
    assert not DownloadLog.objects.exists()


def test_someone_not_logged_in_is_sent_to_log_in_and_gets_no_file(
    client, bob, round_2016, django_capture_on_commit_callbacks
):
    client.force_login(bob)
    start(client, round_2016, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    client.logout()
    for url in urls(job):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not DownloadLog.objects.exists()


def test_a_get_never_starts_an_export(client, bob, round_2016):
    client.force_login(bob)
    response = client.get(reverse("surveys_admin:export_start", args=[round_2016.pk]))
    assert response.status_code == 405
    assert not ExportJob.objects.exists()


def test_a_long_export_cannot_be_asked_for_as_spss_and_the_form_says_so(client, bob, round_2016):
    client.force_login(bob)
    response = client.post(
        reverse("surveys_admin:export_start", args=[round_2016.pk]),
        {"kind": "long", "format": "sav"},
    )
    assert response.status_code == 400
    assert "A long export is written as CSV or Excel only." in response.content.decode()
    assert not ExportJob.objects.exists()


def test_a_failed_export_shows_why_on_its_page(client, bob, round_2016, monkeypatch):
    from surveys.exports import services

    def broken(**kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(services, "export_write", broken)
    job = ExportJob.objects.create(round=round_2016, kind="wide", format="csv", created_by=bob)
    assert export_job_task(job.pk) == ExportStatus.FAILED
    client.force_login(bob)
    page = client.get(urls(job)[0]).content.decode()
    assert "The export failed" in page and "No space left on device" in page
    assert client.get(urls(job)[2]).status_code == 404


def test_a_job_delivered_twice_is_written_once(bob, round_2016):
    job = ExportJob.objects.create(round=round_2016, kind="wide", format="csv", created_by=bob)
    first = export_job_run(job_id=job.pk)
    again = export_job_run(job_id=job.pk)
    assert first.status == again.status == ExportStatus.DONE
    assert first.file.name == again.file.name


def test_evaluators_read_the_codebook_and_its_download_is_logged(client, alice, round_2016):
    client.force_login(alice)
    page = client.get(reverse("surveys_admin:round_codebook", args=[round_2016.pk]))
    assert page.status_code == 200
    assert "barrier.lack_of_trust" in page.content.decode()
    download = client.get(reverse("surveys_admin:round_codebook_csv", args=[round_2016.pk]))
    assert download.content.startswith(b"\xef\xbb\xbfcolumn,spss_name")
    assert DownloadLog.objects.get().kind == "codebook"
    assert client.get(reverse("surveys_admin:codebook_across")).status_code == 200
