"""A small questionnaire whose answers bring up further questions on the same page."""

from tests.conftest import make_round

FOLLOW_UPS = {
    "format": 1,
    "questionnaire": "follow-ups",
    "title": "Follow-ups",
    "pages": [
        {
            "id": "role",
            "items": [
                {
                    "code": "lead",
                    "type": "single",
                    "required": True,
                    "text": "Do you lead the programme?",
                    "options": [{"code": 1, "text": "Yes"}, {"code": 2, "text": "No"}],
                },
                {
                    "code": "lead.years",
                    "type": "number",
                    "required": True,
                    "show_if": "lead == 1",
                    "text": "For how many years?",
                },
                {"code": "team", "type": "number", "text": "How many people work with you?"},
            ],
        },
        {
            "id": "views",
            "items": [
                {
                    "code": "pace",
                    "type": "single",
                    "text": "Is integration going fast enough?",
                    "options": [{"code": 1, "text": "Yes"}, {"code": 2, "text": "No"}],
                },
                {
                    "code": "pace.why",
                    "type": "text",
                    "show_if": "pace == 2",
                    "text": "What holds it back?",
                },
            ],
        },
        {
            "id": "closing",
            "items": [{"code": "comments", "type": "text", "text": "Anything else?"}],
        },
    ],
}


def follow_up_round():
    """Return an open round on the follow-ups questionnaire, published."""
    from surveys.services import version_publish, version_store

    version, _ = version_store(data=FOLLOW_UPS)
    return make_round("Follow-up round", version_publish(version=version))
