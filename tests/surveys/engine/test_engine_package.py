import random
import subprocess
import sys
from pathlib import Path

import pytest

from surveys.engine import load_definition, parse_text, publish_problems, reachable_items
from surveys.engine.simulate import simulate_response, synthetic_definition

ROOT = Path(__file__).resolve().parents[3]
SEED_QUESTIONNAIRES = sorted((ROOT / "surveys" / "questionnaires").glob("*.yaml"))


def test_the_engine_imports_nothing_from_django():
    code = (
        "import sys, surveys.engine, surveys.engine.simulate\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'django')\n"
        "print(','.join(loaded))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == ""


@pytest.mark.parametrize("source", SEED_QUESTIONNAIRES, ids=lambda p: p.name)
def test_each_seed_questionnaire_can_be_published_and_answered_to_the_end(source):
    data = parse_text(source.read_text(encoding="utf-8"))
    assert publish_problems(data) == []
    defn = load_definition(data)
    member = {"site": "Barnsley", "cohort_year": 2013, "cohort": 1}
    answers, visited, errors = simulate_response(defn, member, random.Random(1), skip_rate=0)
    assert errors == {}
    assert visited[-1] == defn.pages[-1].id
    assert answers["consent"] == 1


def test_the_synthetic_300_item_version_is_publishable_and_mixes_every_type():
    data = synthetic_definition(300)
    assert publish_problems(data) == []
    defn = load_definition(data)
    assert 300 <= len(defn.answer_codes()) < 330
    kinds = {item.type for item in defn.items.values()}
    assert kinds >= {"consent", "single", "multi", "grid", "row", "text", "longtext", "number"}
    assert kinds >= {"duration", "ranked", "hidden"}
    assert set(reachable_items(defn).values()) == {"always", "sometimes"}
