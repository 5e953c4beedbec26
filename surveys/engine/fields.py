"""Reading one item's form fields into typed answer values.

Each reader takes an item (already cut down to its shown options) and the
submitted data (a plain dict of lists, like a Django QueryDict) and returns
the values to store plus any errors, each keyed by the field it belongs to.
Requiredness is decided by ``validation.py``, not here.

Field names:
    <code>                       single, multi, consent, text, longtext, number, hidden,
                                 and each grid row (under the row's code)
    <code>.other.<option code>   typed-in text of an "other" option
    <row code>.label             typed-in label of an "other" grid row
    <code>.years, <code>.months  duration
    <code>.<n>                   ranked slot n (1-based)
    <code>.<n>.name, .email      nomination n (1-based)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .model import Item

Data = Mapping[str, Sequence[str] | str]

TEXT_MAX_LENGTH = {"text": 1000, "longtext": 20000}
OTHER_MAX_LENGTH = 500
HIDDEN_MAX_LENGTH = 1000
EMAIL = re.compile(r"^[^@\s,;<>()\"]+@[^@\s,;<>()\"]+\.[^@\s,;<>()\".]{2,}$")
# Numbers are written with the digits 0-9 only: a full-width or other script's digit is
# refused with the usual message rather than read as a number (re.ASCII, isascii below).
NUMBER = re.compile(r"^-?(\d{1,15}(\.\d{0,12})?|\.\d{1,12})$", re.ASCII)

CHOOSE_OFFERED = "Please choose one of the options shown."
ONE_VALUE = "Please give one answer here."
WHOLE_NUMBER = "Please enter a whole number."


@dataclass
class Reading:
    """What was read from an item's fields: values to store, and errors."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


# --- raw access -----------------------------------------------------------


class RepeatedField(ValueError):
    """A field that takes one value was submitted with several (never by the page)."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


def one(data: Data, name: str) -> str:
    """Return the submitted value of a field, stripped ("" if absent); raise
    RepeatedField when it came more than once, rather than let one of them win."""
    raw = data.get(name)
    if isinstance(raw, str):
        value = raw
    elif raw:
        if len(raw) > 1:
            raise RepeatedField(name)
        value = str(raw[0])
    else:
        value = ""
    return value.replace("\r\n", "\n").strip()


def many(data: Data, name: str) -> list[str]:
    """Return every non-blank submitted value of a field, stripped."""
    raw = data.get(name)
    values = [raw] if isinstance(raw, str) else list(raw or ())
    return [str(v).strip() for v in values if str(v).strip()]


def _code(text: str, item: Item) -> int | None:
    """Return the option code ``text`` names if the item offers it, else None."""
    if not text.isascii():
        return None
    try:
        code = int(text)
    except ValueError:
        return None
    return code if code in item.option_codes else None


def _too_long(text: str, limit: int) -> str | None:
    if len(text) <= limit:
        return None
    return f"Please shorten this to {limit} characters or fewer (it has {len(text)})."


def first_field(item: Item) -> str:
    """Return the field an item-level error (such as "required") is keyed by."""
    return {
        "duration": f"{item.code}.years",
        "ranked": f"{item.code}.1",
        "nominations": f"{item.code}.1.name",
    }.get(item.type, item.code)


# --- readers --------------------------------------------------------------


def _read_consent(item: Item, data: Data) -> Reading:
    text = one(data, item.code)
    if not text:
        return Reading()
    code = _code(text, item)
    if code is None:
        return Reading(errors={item.code: CHOOSE_OFFERED})
    return Reading({item.code: code})


def _read_single(item: Item, data: Data) -> Reading:
    text = one(data, item.code)
    if not text:
        return Reading()
    code = _code(text, item)
    if code is None:
        return Reading(errors={item.code: CHOOSE_OFFERED})
    reading = Reading({item.code: code})
    _read_other_texts(item, [code], data, reading)
    return reading


def _read_multi(item: Item, data: Data) -> Reading:
    parsed = [_code(text, item) for text in many(data, item.code)]
    if None in parsed:
        return Reading(errors={item.code: CHOOSE_OFFERED})
    codes = sorted({c for c in parsed if c is not None})
    if not codes:
        return Reading()
    reading = Reading({item.code: codes})
    _read_other_texts(item, codes, data, reading)
    error = _selection_error(item, codes)
    if error:  # an answer breaking the question's rules is not kept, even on Back or Later
        return Reading(errors={item.code: error, **reading.errors})
    return reading


def _selection_error(item: Item, codes: list[int]) -> str | None:
    """Return the error for an exclusive option combined or a count out of range."""
    for option in item.options:
        if option.exclusive and option.code in codes and len(codes) > 1:
            return f"“{option.text}” cannot be combined with other answers."
    if item.min is not None and len(codes) < item.min:
        return f"Select at least {_show(item.min)}."
    if item.max is not None and len(codes) > item.max:
        return f"Select no more than {_show(item.max)}."
    return None


def _read_other_texts(item: Item, codes: list[int], data: Data, reading: Reading) -> None:
    """Store the typed-in text of each chosen "other" option; require it."""
    for option in item.options:
        if not option.other or option.code not in codes:
            continue
        name = item.other_field(option.code)
        text = one(data, name)
        error = (
            _too_long(text, OTHER_MAX_LENGTH)
            if text
            else f"Please type in your answer for “{option.text}”."
        )
        if error:
            reading.errors[name] = error
        else:
            reading.values[name] = text


def _read_grid(item: Item, data: Data) -> Reading:
    reading = Reading()
    for row in item.rows:
        _read_row(row, data, reading)
    return reading


def _read_row(row: Item, data: Data, reading: Reading) -> None:
    """Read one row's rating (and typed-in label for an "other" row)."""
    text = one(data, row.code)
    code = _code(text, row) if text else None
    if text and code is None:
        reading.errors[row.code] = CHOOSE_OFFERED
        return
    label = one(data, row.label_field) if row.other else ""
    if row.other and code is not None and not label:
        reading.errors[row.label_field] = "Please type in what this row is about."
    elif label and code is None:
        reading.errors[row.code] = f"Please choose an answer for “{label}”."
    elif label and _too_long(label, OTHER_MAX_LENGTH):
        reading.errors[row.label_field] = _too_long(label, OTHER_MAX_LENGTH) or ""
    elif code is not None:
        reading.values[row.code] = code
        if label:
            reading.values[row.label_field] = label


def _read_text(item: Item, data: Data) -> Reading:
    text = one(data, item.code)
    if not text:
        return Reading()
    error = _too_long(text, item.max_length or TEXT_MAX_LENGTH.get(item.type, 1000))
    return Reading(errors={item.code: error}) if error else Reading({item.code: text})


def _read_hidden(item: Item, data: Data) -> Reading:
    text = one(data, item.code)[:HIDDEN_MAX_LENGTH]
    return Reading({item.code: text}) if text else Reading()


def _read_number(item: Item, data: Data) -> Reading:
    text = one(data, item.code).replace(" ", "")
    if not text:
        return Reading()
    if not NUMBER.match(text):
        return Reading(errors={item.code: "Please enter a number, such as 12."})
    value = float(text)
    if item.integer and not value.is_integer():
        return Reading(errors={item.code: WHOLE_NUMBER})
    number: int | float = int(text) if "." not in text else (int(value) if item.integer else value)
    error = _range_error(number, item.min, item.max)
    return Reading(errors={item.code: error}) if error else Reading({item.code: number})


def _range_error(value: float, low: float | None, high: float | None) -> str | None:
    """Return the error for a number outside [low, high], or None."""
    if (low is None or value >= low) and (high is None or value <= high):
        return None
    if low is not None and high is not None:
        return f"Please enter a number from {_show(low)} to {_show(high)}."
    if low is not None:
        return f"Please enter a number of at least {_show(low)}."
    return f"Please enter a number no more than {_show(high)}."


def _show(number: float | None) -> str:
    """Return a number as a respondent writes it: 5000, 2.5."""
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return str(number)


def _read_duration(item: Item, data: Data) -> Reading:
    years_field, months_field = f"{item.code}.years", f"{item.code}.months"
    years_text, months_text = one(data, years_field), one(data, months_field)
    if not years_text and not months_text:
        return Reading()
    reading = Reading()
    years, months = _whole(years_text), _whole(months_text)
    if years is None:
        reading.errors[years_field] = "Please enter the years as a whole number."
    elif item.max_years is not None and years > item.max_years:
        reading.errors[years_field] = f"Please enter no more than {item.max_years} years."
    if months is None or months > 11:
        reading.errors[months_field] = "Please enter the months as a whole number from 0 to 11."
    if not reading.errors:
        reading.values[item.code] = {"years": years, "months": months}
    return reading


def _whole(text: str) -> int | None:
    """Return a blank as 0, digits as their number, anything else as None."""
    if not text:
        return 0
    return int(text) if text.isascii() and text.isdecimal() and len(text) < 10 else None


def _read_ranked(item: Item, data: Data) -> Reading:
    names = [f"{item.code}.{n}" for n in range(1, len(item.slots) + 1)]
    texts = [one(data, name) for name in names]
    reading = Reading()
    for name, text in zip(names, texts, strict=True):
        error = _too_long(text, item.max_length or TEXT_MAX_LENGTH["text"])
        if error:
            reading.errors[name] = error
    while texts and not texts[-1]:
        texts.pop()
    if texts and not reading.errors:
        reading.values[item.code] = texts
    return reading


def _read_nominations(item: Item, data: Data) -> Reading:
    reading = Reading()
    people = []
    for n in range(1, int(item.max or 0) + 1):
        person = _read_nomination(f"{item.code}.{n}", data, reading)
        if person:
            people.append(person)
    if people and not reading.errors:
        reading.values[item.code] = people
    return reading


def _read_nomination(prefix: str, data: Data, reading: Reading) -> dict[str, str] | None:
    """Return one nomination {name, email}, or None when blank or invalid."""
    name, email = one(data, f"{prefix}.name"), one(data, f"{prefix}.email")
    if not name and not email:
        return None
    if not name:
        reading.errors[f"{prefix}.name"] = "Please give this person's name."
    if not email:
        reading.errors[f"{prefix}.email"] = f"Please give an email address for {name}."
    elif len(email) > 254 or not EMAIL.match(email):
        reading.errors[f"{prefix}.email"] = (
            "Please enter a valid email address, like name@example.org."
        )
    if len(name) > OTHER_MAX_LENGTH:
        reading.errors[f"{prefix}.name"] = _too_long(name, OTHER_MAX_LENGTH) or ""
    return {"name": name, "email": email} if name and email else None


def _read_nothing(item: Item, data: Data) -> Reading:
    return Reading()


READERS: dict[str, Callable[[Item, Data], Reading]] = {
    "consent": _read_consent,
    "info": _read_nothing,
    "single": _read_single,
    "multi": _read_multi,
    "grid": _read_grid,
    "text": _read_text,
    "longtext": _read_text,
    "number": _read_number,
    "duration": _read_duration,
    "ranked": _read_ranked,
    "nominations": _read_nominations,
    "hidden": _read_hidden,
}
