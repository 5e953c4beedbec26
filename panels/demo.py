"""Fictional demo people for the 25 seed sites, on reserved example domains only."""

import random

from panels.importing import ListFile

# Per-site list sizes of the demo round: 360 in all, from 3 (code 21) to 36 (code 3),
# as in the seed study's first round.
LIST_SIZES = {
    1: 8,
    2: 14,
    3: 36,
    4: 12,
    5: 22,
    6: 12,
    7: 20,
    8: 14,
    9: 12,
    10: 14,
    11: 18,
    12: 17,
    13: 13,
    14: 18,
    15: 25,
    16: 9,
    17: 10,
    18: 9,
    19: 16,
    20: 10,
    21: 3,
    22: 6,
    23: 19,
    24: 12,
    25: 11,
}
FIRST_NAMES = [
    "Alex",
    "Sam",
    "Priya",
    "Tom",
    "Grace",
    "Omar",
    "Helen",
    "Ravi",
    "Chloe",
    "Daniel",
    "Aisha",
    "Peter",
    "Nadia",
    "George",
    "Ruth",
    "Kwame",
    "Lucy",
    "Imran",
    "Megan",
    "Stefan",
    "Joy",
    "Hamish",
    "Ingrid",
    "Yusuf",
    "Carmen",
    "Owen",
    "Fatima",
    "Declan",
    "Mei",
    "Bronwen",
]
LAST_NAMES = [
    "Ashworth",
    "Bramley",
    "Carrow",
    "Dunmore",
    "Ellery",
    "Fenwick",
    "Garside",
    "Hollins",
    "Ibbot",
    "Jessop",
    "Kirkland",
    "Lowther",
    "Marsden",
    "Nettleton",
    "Oakes",
    "Pemberton",
    "Quarmby",
    "Rushworth",
    "Sowerby",
    "Thackray",
    "Umpleby",
    "Varley",
    "Whitaker",
    "Yeadon",
]
JOB_TITLES = [
    "Pioneer Lead / Coordinator",
    "Chief Executive / Accountable Officer",
    "Director / Assistant Director",
    "Locality Manager",
    "Commissioning Officer",
    "Other Senior Manager",
    "Health Care Professional (Clinical)",
]
ORGANISATIONS = {
    1: "{site} CCG",
    2: "{site} Council adult social care",
    3: "{site} Council public health",
    5: "{site} joint commissioning",
    6: "{site} Hospitals NHS Trust",
    7: "{site} Mental Health NHS Trust",
    8: "{site} Community Health Services",
    10: "{site} Council for Voluntary Service",
    11: "{site} GP Federation",
    13: "Healthwatch {site}",
}


def demo_list(site_names: dict[int, str], seed: int = 2016) -> ListFile:
    """Return a contact list of fictional people for every site, sized as LIST_SIZES."""
    rng = random.Random(seed)
    columns = [
        "first_name",
        "last_name",
        "email",
        "site",
        "organisation",
        "organisation_type",
        "job_title",
    ]
    rows, number = [], 1
    for code, size in LIST_SIZES.items():
        for _ in range(size):
            number += 1
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            type_code = rng.choice(list(ORGANISATIONS))
            domain = "example.org" if number % 2 else "example.net"
            rows.append(
                (
                    number,
                    {
                        "first_name": first,
                        "last_name": last,
                        "email": f"{first}.{last}.{number}@{domain}".lower(),
                        "site": str(code),
                        "organisation": ORGANISATIONS[type_code].format(site=site_names[code]),
                        "organisation_type": str(type_code),
                        "job_title": rng.choice(JOB_TITLES),
                    },
                )
            )
    return ListFile(columns=columns, rows=rows)


def demo_history(*, source, rounds: list, seed: int = 2015) -> None:
    """Give each earlier round the source round's contacts, a few fewer the further back
    (lists grew over the years), with each site's list last updated a week before that
    round's fieldwork and carried from the round before."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from panels.models import Member, Panel
    from panels.services import round_carry_forward

    rng = random.Random(seed)
    previous = None
    for back, round_ in enumerate(reversed(rounds), start=1):
        round_carry_forward(source=source, target=round_)
        ids = list(Member.objects.filter(round=round_).order_by("pk").values_list("pk", flat=True))
        Member.objects.filter(pk__in=rng.sample(ids, len(ids) * back // 25)).delete()
        listed = timezone.make_aware(datetime.combine(round_.fieldwork_start, time(9)))
        Member.objects.filter(round=round_).update(added_at=listed - timedelta(days=1))
        Panel.objects.filter(round=round_).update(
            refreshed_at=listed - timedelta(days=7), carried_from=None
        )
        if previous is not None:
            _link_panels(earlier=round_, later=previous)
        previous = round_


def _link_panels(*, earlier, later) -> None:
    from panels.models import Panel

    earlier_panels = dict(Panel.objects.filter(round=earlier).values_list("site_id", "pk"))
    later_panels = list(Panel.objects.filter(round=later))
    for panel in later_panels:
        panel.carried_from_id = earlier_panels.get(panel.site_id)
    Panel.objects.bulk_update(later_panels, ["carried_from"])


LATE_PEOPLE = [("Rosa", "Calder"), ("Tariq", "Holme"), ("Wen", "Lindley"), ("Bea", "Ossett")]


def late_list(site_names: dict[int, str], code: int = 1) -> ListFile:
    """Return a site's short list that came after the invitation went out."""
    columns = ["first_name", "last_name", "email", "site", "organisation", "organisation_type"]
    rows = [
        (
            number,
            {
                "first_name": first,
                "last_name": last,
                "email": f"{first}.{last}.late@example.net".lower(),
                "site": str(code),
                "organisation": ORGANISATIONS[1].format(site=site_names[code]),
                "organisation_type": "1",
            },
        )
        for number, (first, last) in enumerate(LATE_PEOPLE, start=2)
    ]
    return ListFile(columns=columns, rows=rows)
