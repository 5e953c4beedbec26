"""Small questionnaires for the report-table tests, as plain definition documents."""

SCALE = [
    {"code": 1, "text": "Very significant"},
    {"code": 2, "text": "Fairly significant"},
    {"code": 3, "text": "Not a significant barrier"},
    {"code": 4, "text": "Don't know"},
]


def definition(rows, *, questionnaire="t", role_label="Q1") -> dict:
    """Return a one-page questionnaire: a single choice, a multiple choice and a grid
    whose rows are given as (code, label, text)."""
    return {
        "format": 1,
        "questionnaire": questionnaire,
        "title": "Test questionnaire",
        "pages": [
            {
                "id": "about",
                "items": [
                    {
                        "code": "post",
                        "type": "single",
                        "label": role_label,
                        "text": "Which best describes your role?",
                        "options": [
                            {"code": 1, "text": "Strategic"},
                            {"code": 2, "text": "Operational"},
                            {"code": 3, "text": "Don't know"},
                        ],
                    },
                    {
                        "code": "channels",
                        "type": "multi",
                        "label": "Q2",
                        "text": "How do you hear about the programme?",
                        "show_if": "post != 3",
                        "options": [{"code": 1, "text": "Email"}, {"code": 2, "text": "Phone"}],
                    },
                    {
                        "code": "staff",
                        "type": "number",
                        "text": "How many staff work on the programme?",
                        "min": 0,
                        "integer": True,
                    },
                    {
                        "code": "barriers",
                        "type": "grid",
                        "label": "Q3",
                        "text": "How significant is each barrier?",
                        "scale": SCALE,
                        "rows": [
                            {"code": code, "label": label, "text": text}
                            for code, label, text in rows
                        ],
                    },
                ],
            }
        ],
    }


ROWS_2016 = [
    ("barrier.money", "Q3 (3)", "Financial constraints"),
    ("barrier.time", "Q3 (4)", "Competing demands on time"),
]
# The same statements renumbered and shown in another order, and one new statement.
ROWS_2020 = [
    ("barrier.time", "Q13 (1)", "Competing demands on time"),
    ("barrier.covid", "Q13 (2)", "Covid-19"),
    ("barrier.money", "Q13 (3)", "Financial constraints"),
]
