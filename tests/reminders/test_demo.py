"""The demo shows the product alive on first start: an open round in fieldwork with its
schedule, every kind of disposition and responses, and four closed rounds before it."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from panels.models import Disposition, DispositionChange, Member, Round, RoundStatus
from reminders.mail import message_id_for
from reminders.models import Message, MessageKind, MessageStatus, OutboxStatus
from reminders.rendering import unknown_fields
from reminders.selectors import NOT_REMINDED, audience
from reminders.services import fieldwork_tick
from surveys.definitions import definition_of
from surveys.engine.routing import walk
from surveys.models import Response
from surveys.selectors import member_attributes

pytestmark = pytest.mark.django_db

DEMO_ROUND = "2020 survey (demo)"


@pytest.fixture
def demo(db):
    call_command("load_demo")
    return Round.objects.get(name=DEMO_ROUND)


def test_the_demo_round_has_the_study_schedule_with_two_sent_and_the_next_pending(demo):
    messages = list(Message.objects.filter(round=demo))
    now = timezone.now()

    assert [m.kind for m in messages] == [MessageKind.INVITATION] + [MessageKind.REMINDER] * 3
    invitation, first, second, third = messages
    assert [m.status for m in messages] == [
        MessageStatus.SENT,
        MessageStatus.SENT,
        MessageStatus.SCHEDULED,
        MessageStatus.SCHEDULED,
    ]
    assert invitation.send_at < first.send_at < now < second.send_at < third.send_at
    assert second.started_at is None and third.started_at is None

    members = Member.objects.filter(round=demo)
    # The list of 360 was invited; a site's late list of four came after, not yet invited.
    assert members.count() == 364
    assert invitation.outbox.count() == 360
    listed = members.filter(disposition=Disposition.LISTED)
    assert listed.count() == 4
    assert not invitation.outbox.filter(member__in=listed).exists()
    for message in (invitation, first):
        rows = message.outbox.filter(status=OutboxStatus.SENT)
        assert rows.exists() and all(row.sent_at < now for row in rows)
        # Everyone else on the list when it went out has a row saying why not, as the
        # sender writes them, so a member's timeline never reads as a gap.
        others = message.outbox.exclude(status=OutboxStatus.SENT)
        assert all(r.status == OutboxStatus.SUPPRESSED and r.reason for r in others)
        assert (
            rows.count() + others.count()
            == members.filter(added_at__lte=message.started_at).count()
        )
        row = rows.first()
        assert row.message_id_header == message_id_for(
            message_id=message.pk, member_id=row.member_id
        )
    # The reminder went only to those who had not finished or left by then.
    done_before = DispositionChange.objects.filter(
        member__round=demo, to_disposition__in=NOT_REMINDED, at__lt=first.send_at
    ).values("member")
    assert first.outbox.filter(status=OutboxStatus.SENT).exists()
    assert not first.outbox.filter(member__in=done_before, status=OutboxStatus.SENT).exists()
    assert not second.outbox.exists()

    # Beat finds nothing due today, and starts the second reminder when its time comes.
    assert fieldwork_tick(now=now) == []
    assert fieldwork_tick(now=second.send_at) == [second.pk]
    assert (
        second.outbox.filter(status=OutboxStatus.QUEUED).count() == audience(message=second).count()
    )
    assert not third.outbox.exists()

    for message in messages:
        for text in (message.subject, message.body, message.body_started):
            assert unknown_fields(text) == []
        assert "{{ personal_link }}" in message.body
        assert "{{ opt_out_link }}" in message.body
    addresses = Member.objects.values_list("contact__email", flat=True)
    assert all(a.endswith(("@example.org", "@example.net")) for a in addresses)


def test_the_demo_has_every_disposition_responses_and_earlier_rounds_and_loads_once(demo, capsys):
    _every_disposition_with_its_history(demo)
    _responses_follow_the_routing(demo)
    _earlier_rounds_closed_with_members_and_responses(demo)
    before = DispositionChange.objects.count()
    call_command("load_demo")
    assert "demo not loaded" in capsys.readouterr().out
    assert DispositionChange.objects.count() == before
    assert Round.objects.count() == 5


def _every_disposition_with_its_history(demo):
    members = Member.objects.filter(round=demo)
    found = set(members.values_list("disposition", flat=True))
    assert found == set(Disposition.values)
    not_eligible = members.filter(disposition=Disposition.NOT_ELIGIBLE)
    assert all(m.disposition_reason for m in not_eligible)
    coordinated = members.filter(disposition=Disposition.COORDINATED)
    assert all(m.coordinated_by.round_id == demo.pk for m in coordinated)
    # Every member but the late-listed has a history row leading to where they stand.
    for member in members.exclude(disposition=Disposition.LISTED):
        last = member.disposition_changes.last()
        assert last is not None and last.to_disposition == member.disposition, member
    complete = members.filter(disposition=Disposition.COMPLETE).first()
    steps = list(complete.disposition_changes.values_list("to_disposition", flat=True))
    assert steps == [Disposition.NOT_STARTED, Disposition.PARTIAL, Disposition.COMPLETE]


def _responses_follow_the_routing(demo):
    responses = Response.objects.filter(member__round__year__in=[2016, 2020]).select_related(
        "member__contact", "member__panel__site", "version"
    )
    assert responses.filter(member__round=demo, completed_at__isnull=False).exists()
    assert responses.filter(member__round=demo, completed_at__isnull=True).exists()
    for response in responses[:80]:
        defn = definition_of(response.version)
        walked = walk(defn, response.answers, member_attributes(response.member))
        assert walked.kept == response.answers  # nothing the routing would not keep
        assert response.pages_done == walked.pages[: len(response.pages_done)]
        assert (response.completed_at is not None) == (response.pages_done == walked.pages), (
            response.pages_done
        )
        if response.member.disposition == Disposition.COMPLETE:
            assert response.completed_at is not None


def _earlier_rounds_closed_with_members_and_responses(demo):
    earlier = Round.objects.exclude(pk=demo.pk).order_by("year")
    assert [r.name for r in earlier] == [f"{y} survey (demo)" for y in (2016, 2017, 2018, 2019)]
    assert {r.status for r in earlier} == {RoundStatus.CLOSED}
    assert demo.version != earlier[0].version  # the 2020 questionnaire, the 2016 before
    for round_ in earlier:
        members = Member.objects.filter(round=round_)
        assert 250 < members.count() <= 360
        assert not members.filter(disposition=Disposition.LISTED).exists()
        assert members.filter(disposition=Disposition.COMPLETE).count() > 50
        assert Response.objects.filter(member__round=round_, version=round_.version).exists()
        assert Message.objects.filter(round=round_, status=MessageStatus.SENT).count() == 4
    # The same people across rounds, so that retention means something.
    both = Member.objects.filter(round=earlier[3]).values("contact")
    assert Member.objects.filter(round=demo, contact__in=both).count() > 300
    # Items asked in both questionnaires have answers in rounds on each.
    answered_2016 = Response.objects.filter(member__round=earlier[0]).first().answers
    answered_2020 = Response.objects.filter(member__round=demo, completed_at__isnull=False)
    assert "consent" in answered_2016 and "consent" in answered_2020.first().answers
