"""The page's questions drawn by the form itself are the HTML crispy drew from the same
blocks, on every page of both seed questionnaires: empty, answered and with errors."""

import random

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django.http import QueryDict
from django.template import Context, Template
from django.urls import reverse

from surveys.definitions import definition_of
from surveys.engine.definition import load_definition
from surveys.engine.simulate import fill_page
from surveys.engine.textio import parse_text
from surveys.engine.validation import validate_page
from surveys.respondent.page_forms import page_form

SEEDS = {
    "2016": "surveys/questionnaires/kip-2016.yaml",
    "2020": "surveys/questionnaires/kip-2020.yaml",
}
MEMBER = {
    "site": "Barnsley",
    "site_short": "Barnsley",
    "cohort": 1,
    "cohort_year": 2013,
    "organisation": "Barnsley CCG",
    "first_name": "Ann",
    "last_name": "Ashworth",
}
CRISPY = Template("{% load crispy_forms_tags %}{% crispy form %}")


def _crispy(form) -> str:
    """Return the form drawn as the page drew it with crispy's tag, less the line breaks
    its template puts before and after (two, and one)."""
    form.helper = FormHelper()
    form.helper.form_tag, form.helper.disable_csrf = False, True
    form.helper.layout = Layout(*form.blocks)
    html = CRISPY.render(Context({"form": form}))
    assert html.startswith("\n\n<") and html.endswith(">\n")
    return html[2:-1]


def _definition(year: str):
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    return load_definition(parse_text((root / SEEDS[year]).read_text(encoding="utf-8")))


def _query(data: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values if isinstance(values, list) else [values])
    return query


def _pages(year: str):
    """Yield (page id, the three forms of the page): empty, answered, with errors."""
    defn, rng, answers = _definition(year), random.Random(16), {}
    for page in defn.pages:
        items = list(page.items)
        maybe = {item.code for item in items if item.show_if is not None}
        empty = page_form(defn, items, answers, MEMBER, hidden=maybe)
        data = fill_page(defn, page.id, answers, MEMBER, rng, skip_rate=0)
        answers = validate_page(defn, page.id, data, answers, MEMBER).answers
        answered = page_form(defn, items, answers, MEMBER, added=maybe)
        errors = {name: f"Please check {name}." for name in answered.fields}
        wrong = page_form(defn, items, answers, MEMBER, data=_query(data), errors=errors)
        yield page.id, (empty, answered, wrong)


@pytest.mark.parametrize("year", SEEDS)
def test_every_page_is_drawn_as_crispy_drew_it(year):
    pages = list(_pages(year))
    assert len(pages) > 10
    for page_id, forms in pages:
        for state, form in zip(("empty", "answered", "with errors"), forms, strict=True):
            assert str(form.html()) == _crispy(form), f"{year} page {page_id}, {state}"


@pytest.mark.django_db
def test_the_preview_draws_every_page_as_crispy_drew_it(client, alice, seed_versions):
    from surveys.engine.routing import walk, walked_items

    client.force_login(alice)
    for version in seed_versions:
        defn = definition_of(version)
        for page in defn.pages:
            items = walked_items(defn, page.id, walk(defn, {}, {}), {})
            url = reverse("surveys_admin:version_preview_page", args=[version.pk, page.id])
            form = page_form(defn, items, {}, {})
            assert str(form.html()) == _crispy(form), page.id
            assert str(form.html()) in client.get(url).content.decode(), page.id
