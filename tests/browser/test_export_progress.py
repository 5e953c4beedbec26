"""An admin starts a large export in the browser, watches its bar move while a real Celery
worker writes the file, and downloads it."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from surveys.models import DownloadLog, ExportJob, ExportStatus
from tests.surveys.exports.conftest import bulk_respondents, seed_round

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROOT = Path(__file__).resolve().parents[2]
SCREENS = ROOT / "var" / "screens"
RESPONSES = 1500


@pytest.fixture
def export_worker(settings):
    """A real Celery worker on the Redis broker and the test database, on a queue of its
    own so that no other test's worker takes its task."""
    settings.EXPORT_QUEUE = f"test-exports-{uuid.uuid4().hex}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "VAR_DIR": str(settings.VAR_DIR),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    worker = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "config", "worker"),
            *("-Q", settings.EXPORT_QUEUE, "-P", "solo", "-l", "warning"),
            *("--without-mingle", "--without-gossip", "--without-heartbeat"),
        ],
        env=env,
        cwd=ROOT,
    )
    yield worker
    worker.terminate()
    worker.wait(timeout=30)


def logged_in_page(new_page, server, user, width):
    client = Client()
    client.force_login(user)
    page = new_page(viewport={"width": width, "height": 900}, accept_downloads=True)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server}]
    )
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return page, errors


def shot(page, name, width, *, full_page=True):
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = str(SCREENS / f"{name}-{width}.png")
    page.screenshot(path=path, full_page=full_page, timeout=60_000)


def test_an_admin_starts_a_large_export_sees_it_move_and_downloads_the_file(
    server, new_page, bob, seed_versions, export_worker, tmp_path
):
    round_ = seed_round("2016 survey", 2016, seed_versions[0])
    bulk_respondents(round_, RESPONSES, {"consent": 1, "barrier.lack_of_trust": 1})
    page, errors = logged_in_page(new_page, server, bob, 1280)
    page.goto(server + reverse("surveys_admin:round_exports", args=[round_.pk]))
    page.get_by_label("Excel (.xlsx)").check()
    page.get_by_role("button", name="Start the export").click()
    expect(page.locator("#export-count")).to_contain_text(f"of {RESPONSES:,} responses written")
    seen = set()
    for _ in range(600):
        if page.locator("#export-download").count():
            break
        if page.locator("#export-progress").count():
            seen.add(page.eval_on_selector("#export-progress", "bar => bar.value"))
        assert export_worker.poll() is None, "the worker stopped"
        page.wait_for_timeout(200)
    assert any(0 < value < RESPONSES for value in seen), f"the bar moved on the way: {seen}"
    expect(page.locator("#export-done")).to_contain_text(f"{RESPONSES:,} rows")
    with page.expect_download() as info:
        page.locator("#export-download").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == "2016-survey-wide.xlsx"
    sheet = load_workbook(path, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == RESPONSES + 1 and rows[0][0] == "ki_id"
    log = DownloadLog.objects.get()
    assert (log.username, log.rows, log.format) == ("bob", RESPONSES, "xlsx")
    assert not [e for e in errors if "Refused" in e or "Content Security Policy" in e], errors


@pytest.mark.parametrize("width", [390, 1280])
def test_the_export_pages_read_well_on_a_phone_and_a_desktop(
    server, new_page, bob, seed_versions, width
):
    round_ = seed_round("2016 survey", 2016, seed_versions[0])
    page, errors = logged_in_page(new_page, server, bob, width)
    page.goto(server + reverse("surveys_admin:round_exports", args=[round_.pk]))
    expect(page.get_by_role("heading", name="Exports of 2016 survey")).to_be_visible()
    shot(page, "exports", width)
    job = ExportJob.objects.create(
        round=round_, kind="wide", format="sav", status=ExportStatus.RUNNING,
        rows_total=10_000, rows_done=2_500, created_by=bob,
    )  # fmt: skip
    page.goto(server + reverse("surveys_admin:export_job", args=[round_.pk, job.pk]))
    expect(page.locator("#export-count")).to_have_text("2,500 of 10,000 responses written")
    ExportJob.objects.filter(pk=job.pk).update(rows_done=7_000)
    expect(page.locator("#export-count")).to_have_text("7,000 of 10,000 responses written")
    assert page.eval_on_selector("#export-progress", "bar => bar.value") == 7_000
    shot(page, "export-job", width)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.FAILED, error="No space left on device"
    )
    expect(page.locator("#export-failed")).to_contain_text("No space left on device")
    shot(page, "export-failed", width)
    page.goto(server + reverse("surveys_admin:round_codebook", args=[round_.pk]))
    expect(page.get_by_role("heading", name="Codebook of 2016 survey")).to_be_visible()
    shot(page, "codebook", width, full_page=False)  # 140 columns: the first screen
    page.goto(server + reverse("surveys_admin:codebook_across"))
    shot(page, "codebook-across", width, full_page=False)
    DownloadLog.objects.create(
        username="bob", round=round_, round_name=round_.name, kind="wide", format="sav", rows=97
    )
    page.goto(server + reverse("surveys_admin:download_log"))
    expect(page.get_by_role("table", name="Downloads")).to_contain_text("97")
    shot(page, "download-log", width)
    assert not [e for e in errors if "Refused" in e or "Content Security Policy" in e], errors
