import os
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.engine.checks import publish_problems
from surveys.engine.definition import (
    canonical_json,
    content_hash,
    dump_yaml,
    load_definition,
    parse_text,
)
from surveys.engine.expressions import holds
from surveys.engine.routing import path, prune, walk
from surveys.engine.simulate import simulate_response

from .strategies import SITES, definitions, json_documents, messy_answers

# HYPOTHESIS_EXAMPLES=5000 for a deeper run
EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "150"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@SETTINGS
@given(data=definitions(), seed=st.integers(0, 2**32), site=st.sampled_from(SITES))
def test_every_valid_answer_set_reaches_the_end_of_the_questionnaire(data, seed, site):
    defn = load_definition(data)
    member = {"site": site}
    answers, visited, errors = simulate_response(defn, member, random.Random(seed))
    assert errors == {}, "a respondent giving valid answers was refused"
    assert len(visited) == len(set(visited)) <= len(defn.pages)
    order = [defn.page(p).index for p in visited]
    assert order == sorted(order), "the path went backwards"
    assert visited == path(defn, answers, member)
    last = defn.page(visited[-1])
    ending = walk(defn, answers, member).ending
    if ending == "end_skip":
        assert any(s.to == "end" for s in last.skips)
    elif ending == "consent":
        assert any(i.type == "consent" for i in last.items)
    else:
        assert all(defn.page(p).index < len(defn.pages) for p in visited)


@SETTINGS
@given(st.data())
def test_after_pruning_hidden_items_never_hold_answers(data):
    defn = load_definition(data.draw(definitions()))
    member = {"site": data.draw(st.sampled_from(SITES))}
    answers = data.draw(messy_answers(defn))
    kept, not_asked = prune(defn, answers, member)
    shown = walk(defn, kept, member).shown
    for key in kept:
        code = key.split(".other.")[0].removesuffix(".label")
        assert code in shown, f"{key} is kept but {code} is not shown"
        assert code not in not_asked
    assert prune(defn, kept, member) == (kept, not_asked)
    assert all(kept[key] == answers[key] for key in kept if not isinstance(kept[key], list))


def reference_walk(defn, answers, member):
    """Walk the routing the plainest way: item by item, each condition read on the
    answers kept so far. The engine's walk, built for speed, must agree with it."""
    kept, shown, pages, ending = {}, set(), [], "last_page"
    index = 0
    while index < len(defn.pages):
        page = defn.pages[index]
        index += 1
        if not holds(page.show_if, kept, member):
            continue
        pages.append(page.id)
        for item in page.items:
            if not holds(item.show_if, kept, member):
                continue
            shown.add(item.code)
            for part in item.rows or (item,):
                shown.add(part.code)
                if part.type in ("info", "grid"):
                    continue
                offered = {
                    o.code for o in part.options or part.scale if holds(o.show_if, kept, member)
                }
                value, chosen = answers.get(part.code), []
                if part.type == "multi":
                    listed = value if isinstance(value, list) else []
                    value = [c for c in listed if _is_code(c, offered)] or None
                    chosen = value or []
                elif part.type in ("single", "consent", "row"):
                    value = value if _is_code(value, offered) else None
                    chosen = [value]
                elif value in ("", [], ()):
                    value = None
                if value is None:
                    continue
                kept[part.code] = value
                companions = [part.label_field] if part.other else []
                companions += [part.other_field(c) for c in chosen if c in part.other_codes]
                for name in companions:
                    if answers.get(name) not in (None, "", [], ()):
                        kept[name] = answers[name]
        refused = [i for i in page.items if i.type == "consent" and i.code in shown]
        if any(kept.get(i.code) != i.options[0].code for i in refused):
            ending = "consent"
            break
        rule = next((s for s in page.skips if holds(s.condition, kept, member)), None)
        if rule is not None and rule.to == "end":
            ending = "end_skip"
            break
        if rule is not None and defn.page(rule.to).index > page.index:
            index = defn.page(rule.to).index
    return pages, shown, kept, ending


def _is_code(value, offered):
    return type(value) is int and value in offered


@SETTINGS
@given(st.data())
def test_the_walk_agrees_with_a_plain_reading_of_the_routing_on_any_answers(data):
    defn = load_definition(data.draw(definitions()))
    member = {"site": data.draw(st.sampled_from(SITES))}
    answers = data.draw(messy_answers(defn))
    walked = walk(defn, answers, member)
    assert (walked.pages, walked.shown, walked.kept, walked.ending) == reference_walk(
        defn, answers, member
    )


@SETTINGS
@given(json_documents)
def test_yaml_written_by_the_engine_reads_back_unchanged(document):
    written = dump_yaml(document)
    assert parse_text(written) == document
    assert content_hash(parse_text(written)) == content_hash(document)


@SETTINGS
@given(definitions())
def test_a_definition_survives_yaml_and_json_round_trips_with_the_same_hash(data):
    assert parse_text(dump_yaml(data)) == data
    assert parse_text(canonical_json(data)) == data
    reordered = dict(reversed(list(data.items())))
    assert content_hash(reordered) == content_hash(data) == load_definition(data).content_hash


@SETTINGS
@given(definitions())
def test_publishing_checks_never_crash_on_a_generated_definition(data):
    problems = publish_problems(data)
    assert all(isinstance(p, str) and p.startswith("$") for p in problems)
