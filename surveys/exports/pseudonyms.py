"""Key-informant ids: KI1, KI2, ... per round, never derived from a name or an email.

A member gets a number the first time the round is exported after they have a response:
the numbers go on from the round's highest, to the new respondents in a random order (so
that the order of the list imported, often alphabetical, cannot be read back from them),
in one UPDATE. A number once given is never changed.
"""

from django.db import connection, transaction
from django.db.models import Max

from panels.models import Member, Round

_ASSIGN = """
UPDATE panels_member SET ki_number = numbered.n + %(base)s
FROM (
    SELECT m.id, ROW_NUMBER() OVER (ORDER BY RANDOM()) AS n
    FROM panels_member m JOIN surveys_response r ON r.member_id = m.id
    WHERE m.round_id = %(round)s AND m.ki_number IS NULL
) AS numbered
WHERE panels_member.id = numbered.id
"""


@transaction.atomic
def ki_numbers_assign(*, round: Round) -> int:
    """Number the round's respondents who have no key-informant number yet; return how many.

    The round's row is locked first, so two exports starting together number each member
    once.
    """
    Round.objects.select_for_update().filter(pk=round.pk).first()
    members = Member.objects.filter(round=round)
    if not members.filter(ki_number__isnull=True, response__isnull=False).exists():
        return 0
    base = members.aggregate(top=Max("ki_number"))["top"] or 0
    with connection.cursor() as cursor:
        cursor.execute(_ASSIGN, {"base": base, "round": round.pk})
        return cursor.rowcount
