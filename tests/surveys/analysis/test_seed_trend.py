"""The seed study's barriers followed from the 2016 to the 2020 questionnaire (Figure 4.2)."""

import pytest
from django.urls import reverse

from tests.surveys.analysis.conftest import _round, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_rounds(seed_versions):
    first = _round("2016 survey", 2016, seed_versions[0])
    last = _round("2020 survey", 2020, seed_versions[1])
    # 2016: 2 of 3 "very significant" (1); 2020: 1 of 4, and a "don't know / not applicable".
    for n, code in enumerate([1, 1, 2], start=1):
        respond(first, n, "Barnsley", 1, {"barrier.different_cultures": code})
    for n, code in enumerate([1, 2, 3, 4], start=1):
        respond(last, n, "Kent", 2, {"barrier.different_cultures": code})
    return first, last


def test_the_seed_barriers_join_on_their_code_though_2016_and_2020_number_them_apart(
    client, alice, seed_rounds
):
    client.force_login(alice)
    query = {"item": "barriers", "points": 1}
    table = client.get(reverse("surveys_analysis:trend"), query).context["table"]
    rows = {row.code: row for row in table.rows}
    cultures = rows["barrier.different_cultures"]
    assert [(c.count, c.base) for c in cultures.cells] == [(2, 3), (1, 4)]
    assert cultures.label == "The different cultures of the partner organisations."
    assert [c.base for c in rows["barrier.staff_turnover"].cells] == [0, 0]  # 2020 only
    assert "barrier.lack_of_trust" in rows  # 2016 only, still followed
    item = client.get(
        reverse("surveys_analysis:trend"), {"item": "barrier.different_cultures"}
    ).context["table"]
    assert "asked as Q13 (3) in 2016 survey, Q13 (1) in 2020 survey" in item.notes[0]
    without_dont_know = client.get(
        reverse("surveys_analysis:trend"),
        {"item": "barrier.different_cultures", "dont_know_out": "on"},
    ).context["table"]
    assert without_dont_know.bases == [3, 3]
