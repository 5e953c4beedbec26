"""What a submitted page means before the engine reads it, and what its errors are about.

Pure helpers of the page view (no database): which questions an answer on the same page
can bring up, which error belongs to which question, and what to do with the text of an
"other" box whose option was not chosen.
"""

from collections.abc import Collection, Mapping

from surveys.engine.model import Definition, Item

Data = Mapping[str, list[str]]


def follow_ups(defn: Definition, page_id: str) -> set[str]:
    """Return the codes of the page's items that an answer on the same page can bring up."""
    page = defn.page(page_id)
    return {
        item.code
        for item in page.items
        if item.show_if is not None and item.show_if.refs & page.fields
    }


def owner(field: str, items: Collection[Item]) -> str | None:
    """Return the code of the item (of those given) a form field belongs to, or None.

    A field is an item's code or starts with it and a dot ("lead.years" belongs to the
    item lead.years, not to lead, when both are given: the longest code wins).
    """
    best = None
    for item in items:
        for code in (item.code, *(row.code for row in item.rows)):
            if (field == code or field.startswith(code + ".")) and (
                best is None or len(code) > len(best[1])
            ):
                best = (item.code, code)
    return best[0] if best else None


def choose_typed_others(items: Collection[Item], data: Data) -> tuple[dict, dict[str, str]]:
    """Return the data with each "other" option whose box was typed in chosen, and the
    errors of boxes typed in whose option cannot be chosen (another single answer is).

    Without the page's script, typing in a box does not tick its option; the text must not
    be dropped without a word.
    """
    data, errors = {key: list(values) for key, values in data.items()}, {}
    for item in items:
        if item.type not in ("single", "multi"):
            continue
        for option in item.options:
            box = item.other_field(option.code)
            if not option.other or not "".join(data.get(box, [])).strip():
                continue
            chosen = [v for v in data.get(item.code, []) if v]
            if str(option.code) in chosen:
                continue
            if item.type == "multi" or not chosen:
                data[item.code] = [*chosen, str(option.code)]
            else:
                errors[box] = (
                    f"You typed this in for “{option.text}” but chose another "
                    "answer: choose that option to keep the text, or clear the box."
                )
    return data, errors
