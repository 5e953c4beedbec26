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
