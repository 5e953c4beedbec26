"""The page of a long import follows its progress by itself, then shows the report."""

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from panels.models import ImportJob, ImportStatus

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("width", [390, 1280])
def test_the_progress_bar_moves_and_the_report_appears_without_reloading_by_hand(
    server, new_page, alice, round_2016, width
):
    job = ImportJob.objects.create(
        round=round_2016,
        file_name="national.csv",
        status=ImportStatus.RUNNING,
        rows_total=10_000,
        rows_done=2_000,
        created_by=alice,
    )
    client = Client()
    client.force_login(alice)
    page = new_page(viewport={"width": width, "height": 900})
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server}]
    )
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server + reverse("panels:import_job", args=[round_2016.pk, job.pk]))
    expect(page.locator("#import-count")).to_have_text("2,000 of 10,000 rows checked")

    ImportJob.objects.filter(pk=job.pk).update(rows_done=6_000)
    expect(page.locator("#import-count")).to_have_text("6,000 of 10,000 rows checked")
    assert page.eval_on_selector("#import-progress", "bar => bar.value") == 6_000

    summary = "Imported 10,000 rows: 10,000 new contacts, 0 updated."
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE, rows_done=10_000, report={"summary": summary}
    )
    expect(page.locator(".alert-success")).to_have_text(summary)
    expect(page.locator("progress")).to_have_count(0)
    # Nothing refused by the Content Security Policy (the favicon's 404 is not ours).
    assert not [e for e in errors if "Refused" in e or "Content Security Policy" in e], errors
