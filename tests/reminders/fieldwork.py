"""A round in fieldwork, of any size, with a known mix of dispositions set through the
platform's service (so each has its history row and its date) and two messages sent."""

import datetime

from django.utils import timezone

from panels.importing import ListFile
from panels.models import Disposition, DispositionSource, Member, Round, RoundStatus
from panels.services import member_disposition_set, panel_import
from reminders.models import Message, MessageKind, MessageStatus

SITES = ["Barnsley", "Kent", "Greenwich", "Islington", "Leeds"]
# Member i's disposition is PATTERN[i % 10]: 3 complete, 1 partial, 1 opted out, 1 not
# eligible, 1 undeliverable and 3 invited with no response in every ten.
PATTERN = [
    Disposition.COMPLETE,
    Disposition.COMPLETE,
    Disposition.COMPLETE,
    Disposition.PARTIAL,
    Disposition.OPTED_OUT,
    Disposition.NOT_ELIGIBLE,
    Disposition.UNDELIVERABLE,
    Disposition.NOT_STARTED,
    Disposition.NOT_STARTED,
    Disposition.NOT_STARTED,
]
INVITED_DAYS_AGO = 6
REMINDED_DAYS_AGO = 2


def _row(i: int, prefix: str) -> dict:
    return {
        "first_name": f"Person{i}",
        "last_name": "Example",
        "email": f"{prefix}{i}@example.org",
        "site": SITES[i % len(SITES)],
        "organisation": "An organisation",
        "organisation_type": "1" if i % 2 else "2",
        "job_title": "Locality Manager" if i % 3 else "Director / Assistant Director",
    }


def fieldwork_round(
    *, size: int, name: str = "2020 survey", year: int = 2020, emails: str = "p", shift: int = 0
):
    """Return an open round of `size` members, member i with PATTERN[(i + shift) % 10];
    changes come at the time of the invitation (even i) or of the reminder (odd i)."""
    now = timezone.now()
    invited = now - datetime.timedelta(days=INVITED_DAYS_AGO)
    reminded = now - datetime.timedelta(days=REMINDED_DAYS_AGO)
    round_ = Round.objects.create(
        name=name, year=year, status=RoundStatus.OPEN, fieldwork_start=invited.date()
    )
    rows = [(i + 2, _row(i, emails)) for i in range(size)]
    report = panel_import(round=round_, list_file=ListFile(columns=list(rows[0][1]), rows=rows))
    assert report.ok, report.problems
    members = Member.objects.filter(round=round_).order_by("contact__email")
    by_number = {int(m.contact.email.split("@")[0][len(emails) :]): m for m in members}
    for i, member in sorted(by_number.items()):
        to = PATTERN[(i + shift) % len(PATTERN)]
        if to == Disposition.NOT_STARTED:
            continue
        at = invited if i % 2 == 0 else reminded
        reason = "left the post" if to == Disposition.NOT_ELIGIBLE else ""
        member_disposition_set(
            member_id=member.pk, to=to, source=DispositionSource.EVALUATOR, at=at, reason=reason
        )
    for kind, at in ((MessageKind.INVITATION, invited), (MessageKind.REMINDER, reminded)):
        Message.objects.create(
            round=round_,
            kind=kind,
            send_at=at,
            subject="Survey",
            body="Dear {{ first_name }}",
            status=MessageStatus.SENT,
            started_at=at,
            finished_at=at,
        )
    return round_
