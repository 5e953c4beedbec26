"""An evaluator plans a round's invitation and two reminders, previews one, sends a test
to themself, and after a real worker has sent them reads the counts and a member's
timeline, on a phone and on a desktop."""

import os
import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from panels.models import Member
from reminders.models import Message, OutboxEntry
from tests.reminders import conftest as delivery
from tests.reminders.conftest import wait_for
from tests.reminders.test_delivery import _round

# The delivery tests' real parts: an SMTP server on loopback and a Celery worker on Redis.
sink, smtp, workers = delivery.sink, delivery.smtp, delivery.workers

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}
SHOTS = os.environ.get("SCREENSHOT_DIR")
MAIN_BODY = re.compile(r"^\s*Body\W*$")  # not the body for members who started


def _check(page, name, size, within=None):
    """No sideways scrolling, nothing axe objects to (within a part of the page, if
    given); a screenshot when asked for."""
    if SHOTS:
        # Chromium leaves a sandboxed frame blank in a full-page capture.
        whole = not page.locator("iframe").count()
        page.screenshot(path=f"{SHOTS}/{name}-{size}.png", full_page=whole)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {size}"
    results = Axe().run(page, context=within)
    assert not results.violations_count, results.generate_report()


def _logged_in(new_page, server, user, size):
    client = Client()
    client.force_login(user)
    width, height = SIZES[size]
    page = new_page(viewport={"width": width, "height": height})
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server}]
    )
    return page


def _local(days: float) -> str:
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _plan(page, *, kind, days, subject, body):
    page.get_by_role(
        "link", name=f"Plan {'the invitation' if kind == 'invitation' else 'a reminder'}"
    ).click()
    page.get_by_label("Kind").select_option(kind)
    page.get_by_label("Send at").fill(_local(days))
    page.get_by_label("Subject").fill(subject)
    page.get_by_label(MAIN_BODY).fill(body)
    page.get_by_role("button", name="Save the message").click()
    expect(page.get_by_text("The message is planned.")).to_be_visible()
    page.get_by_role("link", name="Messages", exact=True).click()


def _send_now(page, server, message, *, expected, at_sink):
    page.goto(server + reverse("reminders:message_detail", args=[message.pk]))
    page.get_by_role("button", name="Send now").click()
    expect(page.get_by_text("Sending has started.")).to_be_visible()

    def delivered():
        return at_sink() == expected

    delivered.__doc__ = f"{expected} messages at the SMTP server"
    wait_for(delivered)


@pytest.mark.parametrize("size", SIZES)
def test_an_evaluator_plans_previews_tests_and_follows_a_round_of_messages(
    server,
    new_page,
    alice,
    workers,
    smtp,
    settings,
    size,
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    round_ = _round(4)
    page = _logged_in(new_page, server, alice, size)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(server + reverse("panels:round_detail", args=[round_.pk]))
    expect(page.get_by_text("No invitation or reminder is planned")).to_be_visible()
    page.get_by_role("link", name="Plan and follow the messages").click()
    _check(page, "schedule-empty", size)

    # A typo in a merge field is refused, named next to the field.
    page.get_by_role("link", name="Plan the invitation").click()
    page.get_by_label("Send at").fill(_local(1))
    page.get_by_label("Subject").fill("Our survey of {{ site }}")
    page.get_by_label(MAIN_BODY).fill("Dear {{ frist_name }},\n\n{{ personal_link }}")
    page.get_by_role("button", name="Save the message").click()
    expect(page.get_by_text("Unknown merge field: {{ frist_name }}.")).to_be_visible()
    _check(page, "message-form", size)
    page.get_by_label(MAIN_BODY).fill("Dear {{ first_name }},\n\n{{ personal_link }}")
    page.get_by_role("button", name="Save the message").click()
    expect(page.get_by_text("4 members as things stand now")).to_be_visible()
    page.get_by_role("link", name="Messages", exact=True).click()

    reminder = "Dear {{ first_name }}, a reminder.\n\n{{ personal_link }}"
    _plan(page, kind="reminder", days=8, subject="Reminder: {{ site }}", body=reminder)
    _plan(page, kind="reminder", days=15, subject="Last call: {{ site }}", body=reminder)
    expect(page.get_by_role("cell", name="4 as things stand now")).to_have_count(3)
    expect(page.get_by_text("Next out: Invitation")).to_be_visible()
    _check(page, "schedule", size)

    # Preview the first reminder as the third member, and send a test of it.
    page.get_by_role("link", name="Reminder 1").first.click()
    page.get_by_role("link", name="Preview and send a test").click()
    page.get_by_label("Find a member by name or email").fill("m2@example.org")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="Preview as Ann2 Ashworth").click()
    expect(page.locator(".email-subject")).to_have_text("Reminder: Barnsley")
    expect(page.locator(".email-text")).to_contain_text("Dear Ann2, a reminder.")
    html = page.frame_locator("iframe.email-html")
    expect(html.get_by_text("Dear Ann2, a reminder.")).to_be_visible()
    # The frame's document loads after the page: a click before that may be lost, so the
    # click must lead to the next page.
    page.wait_for_load_state("load")
    send = page.get_by_role("button", name="Send a test to alice@example.org")
    send.scroll_into_view_if_needed()
    with page.expect_navigation():
        send.click()
    expect(page.get_by_text("Test sent to alice@example.org, as Ann2 Ashworth")).to_be_visible()
    _check(page, "preview", size)
    wait_for(lambda: smtp.recorder.recipients() == ["alice@example.org"])
    assert not OutboxEntry.objects.exists()

    # A real worker sends the invitation, then the first reminder after one member completed.
    invitation, first, _second = Message.objects.filter(round=round_).order_by("send_at")
    _send_now(page, server, invitation, expected=5, at_sink=smtp.recorder.count)
    ann0 = Member.objects.get(contact__email="m0@example.org")
    Member.objects.filter(pk=ann0.pk).update(disposition="complete")
    _send_now(page, server, first, expected=8, at_sink=smtp.recorder.count)
    page.reload()
    counts = page.get_by_role("table", name="Members by what happened to their message")
    expect(counts.get_by_role("row", name="Sent 3")).to_be_visible()
    expect(counts.get_by_role("row", name="Suppressed 1")).to_be_visible()
    reasons = page.get_by_role("table", name="Reasons recorded")
    expect(reasons.get_by_role("row", name="suppressed completed the survey 1")).to_be_visible()
    expect(page.get_by_text("can no longer change")).to_be_visible()
    _check(page, "message", size)

    page.get_by_role("link", name="Every member's row of this message").click()
    page.get_by_label("Status").select_option("suppressed")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("1 member.")).to_be_visible()
    _check(page, "outbox", size)
    page.get_by_role("link", name="Ann0 Ashworth").click()
    expect(page.get_by_role("heading", name="Messages to Ann0 Ashworth")).to_be_visible()
    timeline = page.locator(".timeline > li")
    expect(timeline.nth(0)).to_contain_text("Sent")
    expect(timeline.nth(1)).to_contain_text("Not sent: completed the survey.")
    expect(timeline.nth(2)).to_contain_text("Planned for")
    _check(page, "member", size)

    page.goto(server + reverse("panels:round_detail", args=[round_.pk]))
    expect(page.get_by_text("Next out: Reminder 2")).to_be_visible()
    expect(page.get_by_text("to 3 members as things stand now")).to_be_visible()
    # The rest of the round page is another part's: axe looks at the schedule's section.
    _check(page, "round", size, within="section[aria-labelledby=round-schedule-heading]")
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
