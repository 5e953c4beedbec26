"""The preview of a version with routing: what the routing hides before any answer is named."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from surveys.services import version_store

pytestmark = pytest.mark.django_db

YES_NO = [{"code": 1, "text": "Yes"}, {"code": 2, "text": "No"}]
ROUTED = {
    "format": 1,
    "questionnaire": "routed",
    "title": "Routed",
    "pages": [
        {
            "id": "p1",
            "title": "Working together",
            "items": [
                {"code": "worked", "type": "single", "text": "Did it work?", "options": YES_NO},
                {
                    "code": "why",
                    "type": "text",
                    "text": "What made it work?",
                    "show_if": "worked == 1",
                },
            ],
        },
        {
            "id": "p2",
            "title": "What went wrong",
            "show_if": "worked == 2",
            "items": [{"code": "wrong", "type": "text", "text": "What went wrong?"}],
        },
    ],
}


def test_the_preview_names_the_questions_and_pages_the_routing_shows_only_after_an_answer(
    client, alice
):
    draft, _ = version_store(data=ROUTED)
    client.force_login(alice)
    first = client.get(reverse("surveys_admin:version_preview", args=[draft.pk])).content.decode()
    assert "Did it work?" in first
    assert "1 question is asked here only after an earlier answer calls for it" in first
    assert (
        '<code class="text-reset">why</code> What made it work?: asked when '
        '<code class="text-reset">worked == 1</code>'
    ) in first
    second = client.get(
        reverse("surveys_admin:version_preview_page", args=[draft.pk, "p2"])
    ).content.decode()
    assert escape("A respondent sees this page only when") in second
    assert '<code class="text-reset">worked == 2</code>' in second
    assert "What went wrong?" in second


def test_the_preview_of_a_page_without_routing_adds_no_notice(client, alice, seed_versions):
    client.force_login(alice)
    url = reverse("surveys_admin:version_preview", args=[seed_versions[0].pk])
    page = client.get(url).content.decode()
    assert "only after an earlier answer" not in page
    assert "sees this page only when" not in page
