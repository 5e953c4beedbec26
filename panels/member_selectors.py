"""Reads for the evaluator's member pages (kept apart from the rate selectors)."""

from django.db.models import Q, QuerySet

from panels.models import DispositionChange, Member, Round

MEMBER_LIST_LIMIT = 200


def round_members(*, round: Round, query: str = "") -> QuerySet[Member]:
    """Return the round's members (at most MEMBER_LIST_LIMIT) whose name, email,
    organisation or site holds ``query``, by site and name, in one query."""
    members = Member.objects.filter(round=round).select_related("contact", "panel__site")
    for word in query.split():
        members = members.filter(
            Q(contact__first_name__icontains=word)
            | Q(contact__last_name__icontains=word)
            | Q(contact__email__icontains=word)
            | Q(organisation__icontains=word)
            | Q(panel__site__name__icontains=word)
        )
    order = ("panel__site__code", "contact__last_name", "contact__first_name", "pk")
    return members.order_by(*order)[:MEMBER_LIST_LIMIT]


def member_history(*, member: Member) -> QuerySet[DispositionChange]:
    """Return the member's disposition changes, oldest first, with who made them."""
    return member.disposition_changes.select_related("by").order_by("at", "pk")


def member_coordinates(*, member: Member) -> QuerySet[Member]:
    """Return the members this member answers for."""
    return member.coordinates.select_related("contact").order_by("contact__last_name")
