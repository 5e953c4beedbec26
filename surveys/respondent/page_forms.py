"""Turning the engine's shown items of a page into a Django form drawn by its blocks.

The engine validates; the form only renders (with the respondent's answers or the data
they posted) and carries the engine's messages next to each field. The blocks
(`blocks.py`) draw each question, and `PageForm.html` puts them one after another: the
same HTML as crispy's `{% crispy %}` tag drew from them, without its templates and layout
objects (a fifth of a page's time).
"""

import re
from collections.abc import Collection, Mapping
from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from surveys.engine.expressions import holds
from surveys.engine.model import Definition, Item
from surveys.engine.piping import pipe
from surveys.engine.validation import is_required
from surveys.respondent.blocks import (
    Block,
    ChoiceBlock,
    FieldsetBlock,
    GridBlock,
    GridRow,
    GroupBlock,
    InputBlock,
    ItemBlock,
    OtherBox,
    join_html,
)


class PageForm(forms.Form):
    """A page of the questionnaire; built by `page_form`."""

    blocks: list[ItemBlock]

    def html(self) -> SafeString:
        """Return the page's questions drawn, one block after another."""
        return join_html(block.render(self) for block in self.blocks)


def _label(text: str, required: bool, label: str | None = None) -> str:
    number = format_html('<span class="item-label">{}</span> ', label) if label else ""
    suffix = mark_safe(' <span class="required-mark">(required)</span>') if required else ""
    return mark_safe(f"{number}{text}{suffix}")  # noqa: S308 - text is piped, hence escaped


# "Private provider (please type in below)", "Yes (please type in how this has changed
# your views)": the instruction in brackets, and what it asks for when it says.
_TYPE_IN = re.compile(r"\s*\(\s*please\s+(?:type|write)\s+(?:it\s+)?in(?P<what>[^)]*)\)\s*$", re.I)


def other_label(option_text: str) -> str:
    """Return the label of an "other" option's box, from the option's (escaped) text."""
    match = _TYPE_IN.search(option_text)
    what = match["what"].strip() if match else ""
    if what and what.lower() not in {"below", "here"}:
        return format_html("Please type in {}", mark_safe(what))  # noqa: S308 - escaped text
    base = option_text[: match.start()] if match else option_text
    return format_html(
        "Please type in your answer for “{}”",
        mark_safe(base.rstrip(" ?:")),  # noqa: S308 - a part of escaped text
    )


class _Builder:
    def __init__(self, defn, answers, member):
        self.defn, self.answers, self.member = defn, answers, member
        self.fields: dict[str, forms.Field] = {}
        self.initial: dict[str, Any] = {}
        self.layout: list = []
        self.box_labels: dict[str, str] = {}  # an "other" option's box: its label

    def pipe(self, text: str) -> str:
        """Return the text with its pipes filled; the engine escapes all of it."""
        return mark_safe(pipe(text or "", self.defn, self.answers, self.member))  # noqa: S308

    def required(self, item: Item) -> bool:
        return is_required(item, self.answers, self.member)

    def add(self, name: str, field: forms.Field, initial=None) -> str:
        field.required = False
        self.fields[name] = field
        if initial not in (None, "", []):
            self.initial[name] = initial
        return name


def _help(item: Item, builder: _Builder) -> str:
    """Return the item's help text, piped (hence escaped), or ""."""
    return builder.pipe(item.help) if item.help else ""


def _choices(item: Item, builder: _Builder) -> list[tuple[str, str]]:
    return [(str(o.code), builder.pipe(o.text)) for o in item.options]


def _others(item: Item, builder: _Builder) -> dict[str, OtherBox]:
    """Add the box of each "other" option; return them by option code."""
    boxes = {}
    for option in item.options:
        if option.other:
            name = item.other_field(option.code)
            builder.add(name, forms.CharField(max_length=500), builder.answers.get(name))
            boxes[str(option.code)] = OtherBox(name, other_label(builder.pipe(option.text)))
            builder.box_labels[name] = boxes[str(option.code)].label
    return boxes


def _build_info(item, b):
    b.layout.append(
        Block(
            format_html(
                '<div class="info-text">{}</div>',
                mark_safe(_paragraphs(b.pipe(item.text))),  # noqa: S308
            )
        )
    )


def _paragraphs(text: str) -> str:
    parts = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "".join(f"<p>{p}</p>".replace("\n", "<br>") for p in parts)


def _build_consent(item, b):
    _build_info(item, b)
    value = b.answers.get(item.code)
    _add_choice(
        item,
        b,
        _label(format_html("{}", "Consent to take part"), True, item.label),
        [str(value)] if value is not None else None,
        multiple=True,
    )


def _build_single(item, b):
    value = b.answers.get(item.code)
    legend = _label(b.pipe(item.text), b.required(item), item.label)
    _add_choice(item, b, legend, str(value) if value is not None else None)


def _build_multi(item, b):
    value = b.answers.get(item.code) or []
    legend = _label(b.pipe(item.text), b.required(item), item.label)
    _add_choice(item, b, legend, [str(v) for v in value], multiple=True)


def _add_choice(item, b, legend: str, initial, *, multiple: bool = False) -> None:
    """Add a choice question: a field that only carries its value (the engine validates,
    ChoiceBlock draws it, with the boxes of its "other" options), and its block."""
    widget = forms.CheckboxSelectMultiple if multiple else forms.RadioSelect
    b.add(item.code, forms.Field(label=legend, widget=widget), initial)
    help_text = _help(item, b) if item.type != "consent" else ""
    b.layout.append(
        ChoiceBlock(
            item.code,
            legend,
            _choices(item, b),
            multiple=multiple,
            help=help_text,
            others=_others(item, b),
        )
    )


def _build_grid(item, b):
    rows = []
    for row in item.rows:
        if row.show_if is not None and not holds(row.show_if, b.answers, b.member):
            continue
        value = b.answers.get(row.code)
        # Drawn by GridBlock, validated by the engine: the field only carries the value.
        b.add(
            row.code,
            forms.CharField(widget=forms.RadioSelect),
            str(value) if value is not None else None,
        )
        text = b.pipe(row.text)
        if row.other:
            b.add(row.label_field, forms.CharField(max_length=300), b.answers.get(row.label_field))
        rows.append(
            GridRow(
                code=row.code,
                text=text,
                label=row.label,
                required=b.required(row),
                other_label=other_label(text) if row.other else None,
            )
        )
    b.layout.append(GridBlock(item, _label(b.pipe(item.text), False, item.label), rows))


def _build_text(item, b, widget=forms.TextInput):
    attrs = {"maxlength": item.max_length} if item.max_length else {}
    b.add(
        item.code,
        forms.CharField(
            label=_label(b.pipe(item.text), b.required(item), item.label),
            widget=widget(attrs=attrs),
        ),
        b.answers.get(item.code),
    )
    b.layout.append(InputBlock(item.code, _help(item, b)))


def _build_longtext(item, b):
    _build_text(item, b, widget=lambda attrs: forms.Textarea(attrs={**attrs, "rows": 5}))


def _build_number(item, b):
    attrs = {"inputmode": "numeric" if item.integer else "decimal"}
    value = b.answers.get(item.code)
    b.add(
        item.code,
        forms.CharField(
            label=_label(b.pipe(item.text), b.required(item), item.label),
            widget=forms.TextInput(attrs=attrs),
        ),
        None if value is None else str(value),
    )
    b.layout.append(InputBlock(item.code, _help(item, b)))


def _build_duration(item, b):
    value = b.answers.get(item.code) or {}
    numeric = forms.TextInput(attrs={"inputmode": "numeric", "class": "duration-input"})
    years = b.add(
        f"{item.code}.years", forms.CharField(label="Years", widget=numeric), value.get("years")
    )
    months = b.add(
        f"{item.code}.months", forms.CharField(label="Months", widget=numeric), value.get("months")
    )
    legend = _label(b.pipe(item.text), b.required(item), item.label)
    parts = [InputBlock(years, question=False), InputBlock(months, question=False)]
    b.layout.append(FieldsetBlock(legend, parts, css_class="duration"))


def _build_ranked(item, b):
    value = b.answers.get(item.code) or []
    names = []
    for n, slot in enumerate(item.slots, start=1):
        initial = value[n - 1] if n <= len(value) else None
        names.append(
            b.add(f"{item.code}.{n}", forms.CharField(label=slot.text, max_length=1000), initial)
        )
    legend = _label(b.pipe(item.text), b.required(item), item.label)
    b.layout.append(FieldsetBlock(legend, [InputBlock(n, question=False) for n in names]))


def _build_nominations(item, b):
    value = b.answers.get(item.code) or []
    parts = []
    for n in range(1, int(item.max or 3) + 1):
        entry = value[n - 1] if n <= len(value) else {}
        name = b.add(
            f"{item.code}.{n}.name",
            forms.CharField(label=f"Name {n}", max_length=200),
            entry.get("name"),
        )
        email = b.add(
            f"{item.code}.{n}.email",
            forms.CharField(
                label=f"Email address {n}", widget=forms.EmailInput(attrs={"autocomplete": "off"})
            ),
            entry.get("email"),
        )
        boxes = [InputBlock(name, question=False), InputBlock(email, question=False)]
        parts.append(GroupBlock(boxes, "nomination"))
    legend = _label(b.pipe(item.text), b.required(item), item.label)
    b.layout.append(FieldsetBlock(legend, parts))


def _build_hidden(item, b):
    b.add(
        item.code,
        forms.CharField(widget=forms.HiddenInput(attrs={"data-capture": item.source or "browser"})),
        b.answers.get(item.code),
    )
    b.layout.append(InputBlock(item.code))


BUILDERS = {
    "info": _build_info,
    "consent": _build_consent,
    "single": _build_single,
    "multi": _build_multi,
    "grid": _build_grid,
    "text": _build_text,
    "longtext": _build_longtext,
    "number": _build_number,
    "duration": _build_duration,
    "ranked": _build_ranked,
    "nominations": _build_nominations,
    "hidden": _build_hidden,
}


def page_form(
    defn: Definition,
    items: list[Item],
    answers: Mapping[str, Any],
    member: Mapping[str, Any],
    data=None,
    errors: Mapping[str, str] | None = None,
    *,
    hidden: Collection[str] = (),
    added: Collection[str] = (),
) -> PageForm:
    """Return the form of a page's items; bound to `data` with `errors` if given.

    Items named in `hidden` are drawn hidden (an answer on the page may bring them up),
    those in `added` marked as just brought up by the answers.
    """
    builder = _Builder(defn, answers, member)
    blocks = []
    for item in items:
        builder.layout = []
        BUILDERS[item.type](item, builder)
        blocks.append(
            ItemBlock(
                item.code, builder.layout, hidden=item.code in hidden, added=item.code in added
            )
        )
    form = PageForm(data=data, initial=builder.initial)
    form.fields.update(builder.fields)
    form.blocks = blocks
    if data is not None:
        form.full_clean()
        # Only the engine's messages count; Django's own checks are not the rules here.
        form._errors = ErrorDict(
            {
                name: form.error_class([_message(name, message, builder)])
                for name, message in (errors or {}).items()
                if name in form.fields
            }
        )
    return form


def _message(name: str, message: str, builder: _Builder) -> str:
    """Return the error as shown: an empty "other" box's in the words of its label."""
    if name in builder.box_labels and message.startswith("Please type in your answer for"):
        return format_html("{}.", builder.box_labels[name])
    return message


def error_anchor(form: PageForm, name: str) -> str:
    """Return the id of the input an error-summary link should move focus to."""
    widget = form.fields[name].widget
    auto_id = f"id_{name}"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{auto_id}_0"
    return auto_id
