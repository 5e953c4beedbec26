"""Rounds on the seed questionnaires, and responses stored the way the respondent pages
store them (answers pruned by the routing, `not_asked` from the same walk)."""

import pytest
from django.utils import timezone

from panels.models import Disposition, Member, Round
from surveys.definitions import definition_of
from surveys.engine.routing import prune
from surveys.models import Response
from surveys.selectors import member_attributes
from surveys.services import round_use_version
from tests.conftest import add_member


def seed_round(name, year, version):
    round_ = Round.objects.create(name=name, year=year, status="open")
    return round_use_version(round=round_, version=version)


@pytest.fixture
def rounds(seed_versions):
    """The 2016 survey on the 2016 questionnaire, the 2020 survey on the 2020 one."""
    v2016, v2020 = seed_versions
    return seed_round("2016 survey", 2016, v2016), seed_round("2020 survey", 2020, v2020)


def respond(member: Member, answers: dict, *, complete: bool = True, pages_done=None):
    """Store a response with the answers the routing keeps; return it."""
    version = member.round.version
    defn = definition_of(version)
    kept, not_asked = prune(defn, answers, member_attributes(member))
    pages = [p.id for p in defn.pages] if pages_done is None else pages_done
    response = Response.objects.create(
        member=member,
        version=version,
        answers=kept,
        not_asked=sorted(not_asked),
        pages_done=pages,
        completed_at=timezone.now() if complete else None,
    )
    Member.objects.filter(pk=member.pk).update(
        disposition=Disposition.COMPLETE if complete else Disposition.PARTIAL
    )
    return response


def member_of(round_, n, site="Barnsley"):
    return add_member(round_, site, email=f"person{n}.{round_.year}@example.org")


def bulk_respondents(round_, count: int, answers: dict) -> None:
    """Add `count` members who all completed with the same answers, in a few queries."""
    import secrets

    from panels.models import Contact, Panel, Site

    site = Site.objects.get(name="Barnsley")
    panel, _ = Panel.objects.get_or_create(round=round_, site=site)
    contacts = Contact.objects.bulk_create(
        Contact(first_name="P", last_name=f"N{n}", email=f"bulk{n}@example.org", site=site)
        for n in range(count)
    )
    members = Member.objects.bulk_create(
        Member(
            round=round_,
            panel=panel,
            contact=contact,
            disposition=Disposition.COMPLETE,
            token_nonce=secrets.token_hex(16),
            token_hash=secrets.token_hex(32),
        )
        for contact in contacts
    )
    defn = definition_of(round_.version)
    kept, not_asked = prune(defn, answers, {})
    now = timezone.now()
    Response.objects.bulk_create(
        Response(
            member=member,
            version=round_.version,
            answers=kept,
            not_asked=sorted(not_asked),
            pages_done=[p.id for p in defn.pages],
            completed_at=now,
        )
        for member in members
    )
