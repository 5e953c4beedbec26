"""Hypothesis strategies: random valid definitions and messy answer sets."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

SITES = ["Barnsley", "Cornwall", "Leeds"]
CHOICE_KINDS = ["single", "multi"]
PLAIN_KINDS = ["text", "longtext", "number", "duration", "ranked", "nominations", "hidden", "info"]

json_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | json_text
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(json_text, inner, max_size=4),
    max_leaves=20,
)
json_documents = st.dictionaries(json_text, json_values, max_size=6)


class _Known:
    """The items defined so far, for conditions that refer back."""

    def __init__(self) -> None:
        self.choices: list[tuple[str, str, list[int]]] = []  # (code, kind, option codes)
        self.answerable: list[str] = []


@st.composite
def conditions(draw: st.DrawFn, known: _Known, depth: int = 0) -> str:
    """Return a random condition over earlier items and member attributes."""
    options = ["member"]
    if known.choices:
        options += ["choice", "count"]
    if known.answerable:
        options.append("answered")
    if depth < 2:
        options += ["and", "or", "not"]
    kind = draw(st.sampled_from(options))
    if kind in ("and", "or"):
        left, right = draw(conditions(known, depth + 1)), draw(conditions(known, depth + 1))
        return f"({left}) {kind} ({right})"
    if kind == "not":
        return f"not ({draw(conditions(known, depth + 1))})"
    if kind == "answered":
        return f"answered({draw(st.sampled_from(known.answerable))})"
    if kind == "member":
        return f"member.site == '{draw(st.sampled_from(SITES))}'"
    code, choice_kind, codes = draw(st.sampled_from(known.choices))
    if kind == "count":
        return f"count({code}) >= {draw(st.integers(0, 3))}"
    value = draw(st.sampled_from(codes))
    if choice_kind == "multi":
        return f"{value} {draw(st.sampled_from(['in', 'not in']))} {code}"
    op = draw(st.sampled_from(["==", "!=", "in", "not in"]))
    return f"{code} {op} [{value}]" if "in" in op else f"{code} {op} {value}"


@st.composite
def choice_items(draw: st.DrawFn, code: str, kind: str, known: _Known) -> dict:
    codes = sorted(draw(st.sets(st.integers(1, 9), min_size=2, max_size=5)))
    options: list[dict[str, Any]] = [{"code": c, "text": f"Option {c}"} for c in codes]
    if draw(st.booleans()):
        options[-1]["other"] = True
    conditional = known.answerable and draw(st.booleans())
    if conditional:
        options[0]["show_if"] = draw(conditions(known))
    item = {"code": code, "type": kind, "text": f"Question {code}", "options": options}
    if kind == "multi" and draw(st.booleans()):
        options.append({"code": 99, "text": "None of these", "exclusive": True})
        codes.append(99)
    if kind == "multi" and draw(st.booleans()):
        item["max"] = draw(st.integers(1, len(codes)))
    item["required"] = draw(st.booleans())
    known.choices.append((code, kind, codes))
    return item


@st.composite
def grid_items(draw: st.DrawFn, code: str) -> dict:
    rows = [{"code": f"{code}.r{n}", "text": f"Row {n}"} for n in range(draw(st.integers(1, 3)))]
    if draw(st.booleans()):
        rows.append({"code": f"{code}.other", "text": "Other", "other": True})
    scale = [{"code": 1, "text": "Yes"}, {"code": 2, "text": "No"}]
    return {
        "code": code,
        "type": "grid",
        "text": "Rate",
        "scale": scale,
        "rows": rows,
        "required": draw(st.booleans()),
    }


def plain_item(code: str, kind: str, required: bool) -> dict:
    extra = {
        "number": {"min": 0, "max": 50},
        "ranked": {"slots": [{"code": 1, "text": "First"}, {"code": 2, "text": "Second"}]},
        "nominations": {"max": 2},
        "hidden": {"source": "browser"},
    }.get(kind, {})
    item = {"code": code, "type": kind, "text": f"Question {code}", **extra}
    if kind not in ("info", "hidden"):
        item["required"] = required
    return item


@st.composite
def items(draw: st.DrawFn, code: str, known: _Known) -> dict:
    kind = draw(st.sampled_from([*CHOICE_KINDS, *CHOICE_KINDS, "grid", *PLAIN_KINDS]))
    if kind in CHOICE_KINDS:
        item = draw(choice_items(code, kind, known))
    elif kind == "grid":
        item = draw(grid_items(code))
    else:
        item = plain_item(code, kind, draw(st.booleans()))
    if known.answerable and draw(st.integers(0, 3)) == 0:
        item["show_if"] = draw(conditions(known))
    if kind not in ("grid", "info"):
        known.answerable.append(code)
    if item.get("required") and draw(st.integers(0, 3)) == 0 and known.answerable[:-1]:
        del item["required"]
        item["required_if"] = draw(conditions(known))
    return item


@st.composite
def definitions(draw: st.DrawFn) -> dict:
    """Return a random definition the schema and the loader accept."""
    known = _Known()
    count = draw(st.integers(1, 6))
    pages = []
    if draw(st.booleans()):
        option = {"code": 1, "text": "I agree"}
        consent = {"code": "consent", "type": "consent", "text": "OK?", "option": option}
        pages.append({"id": "intro", "items": [consent]})
    for number in range(count):
        page: dict[str, Any] = {"id": f"p{number}"}
        if known.answerable and draw(st.integers(0, 2)) == 0:
            page["show_if"] = draw(conditions(known))
        size = draw(st.integers(1, 4))
        page["items"] = [draw(items(f"p{number}.q{n}", known)) for n in range(size)]
        skips = draw(st.integers(0, 2)) if known.answerable else 0
        targets = [f"p{n}" for n in range(number + 1, count)] + ["end"]
        page["skip"] = [
            {"if": draw(conditions(known)), "to": draw(st.sampled_from(targets))}
            for _ in range(skips)
        ]
        pages.append(page)
    return {"format": 1, "questionnaire": "generated", "pages": pages}


def _value(kind: str) -> st.SearchStrategy[Any]:
    """Return a strategy for stored values of a type, valid or not."""
    junk = st.none() | st.booleans() | st.text(max_size=3) | st.integers(-2, 100)
    codes = st.integers(0, 10) | st.just(99)
    valid = {
        "single": codes,
        "consent": st.just(1),
        "row": st.integers(1, 3),
        "multi": st.lists(codes, max_size=4),
        "number": st.integers(-5, 60),
        "duration": st.fixed_dictionaries(
            {"years": st.integers(0, 5), "months": st.integers(0, 11)}
        ),
        "ranked": st.lists(st.text(max_size=3), max_size=2),
        "nominations": st.lists(
            st.fixed_dictionaries({"name": st.just("A"), "email": st.just("a@example.org")})
        ),
    }.get(kind, st.text(max_size=5))
    return st.one_of(valid, valid, junk)  # valid twice as often, so companions are kept too


@st.composite
def messy_answers(draw: st.DrawFn, defn: Any) -> dict:
    """Return answers to random items, some invalid, some stale, with companions."""
    answers: dict[str, Any] = {}
    for code, item in defn.items.items():
        if item.holds_answer and draw(st.booleans()):
            answers[code] = draw(_value(item.type))
        for name in item.companion_fields():
            if draw(st.booleans()):
                answers[name] = draw(st.text(max_size=4))
    return answers
