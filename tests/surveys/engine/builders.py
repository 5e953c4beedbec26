"""Small builders for definitions in tests: write only what a test is about."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from surveys.engine.definition import load_definition, parse_text
from surveys.engine.model import Definition

SAMPLE = Path(__file__).with_name("sample.yaml")
MEMBER = {"site": "Barnsley", "site_short": "BAR", "cohort_year": 2013, "region": "North"}


def sample_data() -> dict:
    """Return the sample questionnaire (every item type) as a dict."""
    return parse_text(SAMPLE.read_text(encoding="utf-8"))


def sample() -> Definition:
    """Return the sample questionnaire, loaded."""
    return load_definition(sample_data())


def single(code: str, codes: tuple[int, ...] = (1, 2, 3), **extra: Any) -> dict:
    """Return a single choice item offering ``codes`` (labelled "Option <n>")."""
    options = [{"code": c, "text": f"Option {c}"} for c in codes]
    return {"code": code, "type": "single", "text": f"Question {code}", "options": options, **extra}


def multi(code: str, codes: tuple[int, ...] = (1, 2, 3), **extra: Any) -> dict:
    """Return a multiple choice item offering ``codes``."""
    return {**single(code, codes), "type": "multi", **extra}


def text(code: str, **extra: Any) -> dict:
    """Return a short text item."""
    return {"code": code, "type": "text", "text": f"Question {code}", **extra}


def page(page_id: str, *items: dict, **extra: Any) -> dict:
    """Return a page holding ``items``."""
    return {"id": page_id, "items": list(items), **extra}


def document(*pages: dict, **extra: Any) -> dict:
    """Return a whole definition dict with these pages."""
    return {"format": 1, "questionnaire": "test", "title": "Test", "pages": list(pages), **extra}


def build(*pages: dict, **extra: Any) -> Definition:
    """Return a loaded definition with these pages."""
    return load_definition(document(*pages, **extra))
