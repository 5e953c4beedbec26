"""Reference data of the seed study: its 25 sites and 14 organisation types."""

# (code, name, short name, cohort, cohort year, aliases); codes as listed at 2016 Q7.
SITES = [
    # The 2016 questionnaire (Q7) spells it "Airdale".
    (1, "Airedale, Wharfedale and Craven", "Airedale", 2, 2015, ["Airdale, Wharfedale and Craven"]),
    (2, "Barnsley", "Barnsley", 1, 2013, ["Stronger Barnsley Together"]),
    (3, "Blackpool and Fylde Coast", "Blackpool", 2, 2015, ["Blackpool & Fylde Coast"]),
    (4, "Camden", "Camden", 2, 2015, []),
    (5, "Cheshire", "Cheshire", 1, 2013, ["Connecting Care Across Cheshire"]),
    (6, "Cornwall", "Cornwall", 1, 2013, ["Living Well", "Cornwall and the Isles of Scilly"]),
    (
        7,
        "East London (WEL)",
        "WEL",
        1,
        2013,
        ["Waltham Forest, East London and City", "WELC", "East London"],
    ),
    (8, "Greater Manchester", "Greater Manchester", 2, 2015, []),
    (
        9,
        "Greenwich",
        "Greenwich",
        1,
        2013,
        ["Royal Greenwich Coordinated Care", "Greenwich Co-ordinated Care"],
    ),
    (10, "Islington", "Islington", 1, 2013, []),
    (11, "Kent", "Kent", 1, 2013, ["Kent Health and Social Care Integration Pioneer"]),
    (12, "Leeds", "Leeds", 1, 2013, []),
    (13, "Nottingham City", "Nottingham City", 2, 2015, []),
    (14, "Nottingham County", "Nottingham County", 2, 2015, []),
    (15, "North West London", "NW London", 1, 2013, ["Whole Systems Integrated Care"]),
    (16, "Sheffield", "Sheffield", 2, 2015, ["Integrated Commissioning Programme"]),
    (
        17,
        "South Devon and Torbay",
        "South Devon",
        1,
        2013,
        ["South Devon & Torbay", "JoinedUp", "Devon and Torbay"],
    ),
    (18, "South Somerset", "South Somerset", 2, 2015, ["Symphony Project"]),
    (19, "South Tyneside", "South Tyneside", 1, 2013, []),
    (20, "Southend", "Southend", 1, 2013, ["Southend on Sea"]),
    (
        21,
        "Staffordshire and Stoke",
        "Staffordshire",
        1,
        2013,
        [
            "Staffordshire & Stoke",
            "Transforming Cancer and End of Life Care",
            "Stoke and North Staffordshire",
        ],
    ),
    (22, "Vale of York", "Vale of York", 2, 2015, []),
    (23, "Wakefield", "Wakefield", 2, 2015, ["Connecting Care"]),
    (24, "West Norfolk", "West Norfolk", 2, 2015, []),
    (25, "Worcestershire", "Worcestershire", 1, 2013, ["Well Connected"]),
]

ANALYSIS_GROUPS = ["CCG", "Local Authority", "NHS provider", "Other"]

# (code, 2016 label, 2020 label, analysis group)
ORGANISATION_TYPES = [
    (1, "Clinical Commissioning Group (CCG)", None, "CCG"),
    (2, "Local Authority - Social Services", None, "Local Authority"),
    (3, "Local Authority - Public Health", None, "Local Authority"),
    (4, "Local Authority - Other", None, "Local Authority"),
    (5, "Joint appointment between CCG and Local Authority", None, "Local Authority"),
    (6, "NHS or Foundation Trust (acute)", "NHS Acute Trust", "NHS provider"),
    (7, "Mental Health Trust", "NHS Mental Health Trust", "NHS provider"),
    (8, "Community Health Trust", "NHS Community Health Services Trust", "NHS provider"),
    (9, "Care Trust", None, "NHS provider"),
    (10, "Voluntary or Community Organisation", None, "Other"),
    (
        11,
        "General Practice / Primary Care",
        "General Practice / Other Primary Care provider",
        "NHS provider",
    ),
    (12, "Private provider (please type in below)", None, "Other"),
    (
        13,
        "Patient / service user / carer / citizen (that is, not employed by any of the above "
        "organisations) (for example, Healthwatch member)",
        None,
        "Other",
    ),
    (14, "Other (please type in)", None, "Other"),
]


def install(apps) -> None:
    """Create or update the reference rows; safe to run again."""
    site_model = apps.get_model("panels", "Site")
    group_model = apps.get_model("panels", "AnalysisGroup")
    type_model = apps.get_model("panels", "OrganisationType")
    for code, name, short, cohort, year, aliases in SITES:
        site_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "cohort": cohort,
                "cohort_year": year,
                "aliases": aliases,
            },
        )
    groups = {}
    for position, name in enumerate(ANALYSIS_GROUPS):
        groups[name], _ = group_model.objects.get_or_create(
            name=name, defaults={"position": position}
        )
    for code, label_2016, label_2020, group in ORGANISATION_TYPES:
        labels = {"2016": label_2016, "2020": label_2020 or label_2016}
        type_model.objects.update_or_create(
            code=code,
            defaults={
                "label": label_2020 or label_2016,
                "labels_by_version": labels,
                "analysis_group": groups[group],
            },
        )
