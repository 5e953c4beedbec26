"""Turning the engine's shown items of a page into a crispy-rendered Django form.

The engine validates; the form only renders (with the respondent's answers or the data
they posted) and carries the engine's messages next to each field.
"""

from collections.abc import Mapping
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.forms.utils import ErrorDict, flatatt
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from surveys.engine.model import Definition, Item
from surveys.engine.piping import pipe
from surveys.engine.validation import is_required


class Block:
    """A layout object that inserts ready-made, already escaped HTML (never a template)."""

    def __init__(self, html: str):
        self.html = html

    def render(self, form, context, template_pack=None, **kwargs):
        return self.html


def _error(name: str, message: str, css: str = "invalid-feedback d-block") -> str:
    """Return a field's error message, with the id its input's aria-describedby names."""
    return format_html(
        '<p class="{}" id="{}-error"><span class="visually-hidden">Error: </span>{}</p>',
        css,
        name,
        message,
    )


class GridBlock:
    """A layout object rendering a grid: a table with row headers, one fieldset per row.

    Built with format_html rather than a template: a grid is the largest thing a page
    draws (rows times scale points), and a template made it most of a page's cost.
    Every piece of text is escaped here or was escaped by the piping engine.
    """

    def __init__(self, item: Item, text: str, rows: list[dict]):
        self.item, self.text, self.rows = item, text, rows
        self.points = [(str(p.code), escape(str(p.code)), escape(p.text)) for p in item.scale]

    def render(self, form, context, template_pack=None, **kwargs):
        scale = self.item.scale
        head = format_html_join(
            "", '<th scope="col" class="grid-scale">{}</th>', ((s.text,) for s in scale)
        )
        body = mark_safe("".join(self._row(form, row) for row in self.rows))  # noqa: S308
        return format_html(
            '<div class="grid-question mb-4"><table class="table grid-table grid-cols-{}">'
            '<caption class="grid-caption">{}</caption>'
            '<thead><tr><td class="grid-corner"></td>{}</tr></thead>'
            "<tbody>{}</tbody></table></div>",
            len(scale),
            self.text,
            head,
            body,
        )

    def _row(self, form, row: dict) -> str:
        label_field = row["label_field"]
        errors = form.errors.get(row["field"], []) + (
            form.errors.get(label_field, []) if label_field else []
        )
        invalid = " is-invalid" if errors else ""
        text = format_html(
            "{}{}{}",
            format_html('<span class="item-label">{}</span> ', row["label"])
            if row["label"]
            else "",
            row["text"],
            mark_safe(' <span class="required-mark">(required)</span>') if row["required"] else "",
        )
        other = ""
        if row["other"]:
            other = format_html(
                '<span class="d-block mt-1"><label class="form-label small" for="id_{0}">'
                'Please type in</label><input type="text" class="form-control form-control-sm{1}"'
                ' name="{0}" id="id_{0}" value="{2}" maxlength="300"></span>',
                label_field,
                invalid,
                form[label_field].value() or "",
            )
        error = ""
        if errors:
            error = _error(row["code"], errors[0], "grid-error")
        return format_html(
            '<tr class="grid-row{}"><th scope="row" class="grid-row-text" id="{}-text">{}{}</th>'
            '<td colspan="{}" class="grid-cell"><fieldset{}><legend class="visually-hidden">'
            '{}{}</legend>{}<div class="grid-options">{}</div></fieldset></td></tr>',
            " grid-row-error" if errors else "",
            row["code"],
            text,
            other,
            len(self.item.scale),
            format_html(' aria-describedby="{}-error"', row["code"]) if errors else "",
            f"{row['label']} " if row["label"] else "",
            row["text"],
            error,
            self._options(row["field"], form[row["field"]].value(), invalid),
        )

    def _options(self, field: str, value, invalid: str) -> str:
        """Return the row's radio buttons; the scale's escaped codes and texts are shared."""
        name, chosen = escape(field), "" if value is None else str(value)
        return mark_safe(  # noqa: S308 - every piece below is escaped
            "".join(
                f'<div class="grid-option form-check"><input class="form-check-input{invalid}"'
                f' type="radio" name="{name}" id="id_{name}_{n}" value="{code}"'
                f'{" checked" if raw == chosen else ""}><label class="form-check-label'
                f' grid-option-label" for="id_{name}_{n}">{text}</label></div>'
                for n, (raw, code, text) in enumerate(self.points)
            )
        )


class ChoiceBlock:
    """A layout object rendering a single or multiple choice question: a fieldset whose
    legend is the question, with its help and error tied to it, and one input per option.

    Drawn like GridBlock, without a template per option: choices are most of a page.
    """

    def __init__(self, name: str, legend: str, options: list[tuple[str, str]], **kwargs):
        self.name, self.legend = name, legend
        self.multiple, self.help = kwargs.get("multiple", False), kwargs.get("help", "")
        self.options = [(code, escape(code), text) for code, text in options]

    def render(self, form, context, template_pack=None, **kwargs):
        errors = form.errors.get(self.name, [])
        described = [f"{self.name}-help"] if self.help else []
        error = ""
        if errors:
            described.append(f"{self.name}-error")
            error = _error(self.name, errors[0])
        help_text = (
            format_html('<p class="form-text mt-0" id="{}-help">{}</p>', self.name, self.help)
            if self.help
            else ""
        )
        return format_html(
            '<div id="div_id_{}" class="mb-3"><fieldset{}><legend class="form-label fs-6">{}'
            "</legend>{}{}<div>{}</div></fieldset></div>",
            self.name,
            format_html(' aria-describedby="{}"', " ".join(described)) if described else "",
            self.legend,
            help_text,
            error,
            self._inputs(form[self.name].value(), " is-invalid" if errors else ""),
        )

    def _inputs(self, value, invalid: str) -> str:
        if value is None:
            value = []
        chosen = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)}
        kind, name = ("checkbox" if self.multiple else "radio"), escape(self.name)
        return mark_safe(  # noqa: S308 - every piece below is escaped
            "".join(
                f'<div class="form-check"><input type="{kind}" class="form-check-input{invalid}"'
                f' name="{name}" value="{code}" id="id_{name}_{n}"'
                f'{" checked" if raw in chosen else ""}><label for="id_{name}_{n}"'
                f' class="form-check-label">{text}</label></div>'
                for n, (raw, code, text) in enumerate(self.options)
            )
        )


class InputBlock:
    """A layout object rendering one text, number, email, long text or hidden field: its
    label, help and error tied to the input, like ChoiceBlock, without crispy's template."""

    def __init__(self, name: str, help_text: str = ""):
        self.name, self.help = name, help_text

    def render(self, form, context, template_pack=None, **kwargs):
        bound = form[self.name]
        field, value = bound.field, bound.value()
        value = "" if value is None else str(value)
        if field.widget.is_hidden:
            attrs = flatatt(field.widget.attrs)
            return format_html(
                '<input type="hidden" name="{0}" id="id_{0}" value="{1}"{2}>',
                self.name,
                value,
                attrs,
            )
        errors = form.errors.get(self.name, [])
        described = [f"{self.name}-help"] if self.help else []
        described += [f"{self.name}-error"] if errors else []
        attrs = {**field.widget_attrs(field.widget), **field.widget.attrs}
        attrs["class"] = " ".join(
            part
            for part in ("form-control", attrs.get("class", ""), "is-invalid" if errors else "")
            if part
        )
        if errors:
            attrs["aria-invalid"] = "true"
        if described:
            attrs["aria-describedby"] = " ".join(described)
        return format_html(
            '<div id="div_id_{}" class="mb-3"><label for="id_{}" class="form-label">{}</label>'
            "{}{}{}</div>",
            self.name,
            self.name,
            field.label,
            format_html('<p class="form-text mt-0" id="{}-help">{}</p>', self.name, self.help)
            if self.help
            else "",
            self._control(field.widget, value, flatatt(attrs)),
            _error(self.name, errors[0]) if errors else "",
        )

    def _control(self, widget, value: str, attrs: str) -> str:
        if isinstance(widget, forms.Textarea):
            return format_html(
                '<textarea name="{0}" id="id_{0}"{1}>\n{2}</textarea>', self.name, attrs, value
            )
        kind = "email" if isinstance(widget, forms.EmailInput) else "text"
        return format_html(
            '<input type="{}" name="{}" id="id_{}" value="{}"{}>',
            kind,
            self.name,
            self.name,
            value,
            attrs,
        )


class PageForm(forms.Form):
    """A page of the questionnaire; built by `page_form`."""


def _label(text: str, required: bool, label: str | None = None) -> str:
    number = format_html('<span class="item-label">{}</span> ', label) if label else ""
    suffix = mark_safe(' <span class="required-mark">(required)</span>') if required else ""
    return mark_safe(f"{number}{text}{suffix}")  # noqa: S308 - text is piped, hence escaped


class _Builder:
    def __init__(self, defn, answers, member):
        self.defn, self.answers, self.member = defn, answers, member
        self.fields: dict[str, forms.Field] = {}
        self.initial: dict[str, Any] = {}
        self.layout: list = []

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


def _others(item: Item, builder: _Builder) -> list[str]:
    names = []
    for option in item.options:
        if option.other:
            name = item.other_field(option.code)
            label = format_html("Please type in ({})", builder.pipe(option.text))
            names.append(
                builder.add(
                    name, forms.CharField(label=label, max_length=500), builder.answers.get(name)
                )
            )
    return names


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
    b.layout.extend(InputBlock(name) for name in _others(item, b))


def _build_multi(item, b):
    value = b.answers.get(item.code) or []
    legend = _label(b.pipe(item.text), b.required(item), item.label)
    _add_choice(item, b, legend, [str(v) for v in value], multiple=True)
    b.layout.extend(InputBlock(name) for name in _others(item, b))


def _add_choice(item, b, legend: str, initial, *, multiple: bool = False) -> None:
    """Add a choice question: a field that only carries its value (the engine validates,
    ChoiceBlock draws it), and its block in the layout."""
    widget = forms.CheckboxSelectMultiple if multiple else forms.RadioSelect
    b.add(item.code, forms.Field(label=legend, widget=widget), initial)
    help_text = _help(item, b) if item.type != "consent" else ""
    b.layout.append(
        ChoiceBlock(item.code, legend, _choices(item, b), multiple=multiple, help=help_text)
    )


def _build_grid(item, b):
    rows = []
    for row in item.rows:
        if row.show_if is not None and not _holds(row, b):
            continue
        value = b.answers.get(row.code)
        # Drawn by GridBlock, validated by the engine: the field only carries the value.
        b.add(
            row.code,
            forms.CharField(widget=forms.RadioSelect),
            str(value) if value is not None else None,
        )
        label_field = None
        if row.other:
            label_field = b.add(
                row.label_field, forms.CharField(max_length=300), b.answers.get(row.label_field)
            )
        rows.append(
            {
                "code": row.code,
                "field": row.code,
                "label_field": label_field,
                "text": b.pipe(row.text),
                "label": row.label,
                "required": b.required(row),
                "other": row.other,
            }
        )
    b.layout.append(GridBlock(item, _label(b.pipe(item.text), False, item.label), rows))


def _holds(row, b) -> bool:
    from surveys.engine.expressions import holds

    return holds(row.show_if, b.answers, b.member)


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
    b.layout.append(
        Fieldset(legend, Div(InputBlock(years), InputBlock(months), css_class="duration"))
    )


def _build_ranked(item, b):
    value = b.answers.get(item.code) or []
    names = []
    for n, slot in enumerate(item.slots, start=1):
        initial = value[n - 1] if n <= len(value) else None
        names.append(
            b.add(f"{item.code}.{n}", forms.CharField(label=slot.text, max_length=1000), initial)
        )
    legend = _label(b.pipe(item.text), b.required(item), item.label)
    b.layout.append(Fieldset(legend, *[InputBlock(n) for n in names]))


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
        parts.append(Div(InputBlock(name), InputBlock(email), css_class="nomination"))
    legend = _label(b.pipe(item.text), b.required(item), item.label)
    b.layout.append(Fieldset(legend, *parts))


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
) -> PageForm:
    """Return the form of a page's shown items; bound to `data` with `errors` if given."""
    builder = _Builder(defn, answers, member)
    for item in items:
        BUILDERS[item.type](item, builder)
    form = PageForm(data=data, initial=builder.initial)
    form.fields.update(builder.fields)
    form.helper = FormHelper()
    form.helper.form_tag = False
    form.helper.disable_csrf = True
    form.helper.layout = Layout(*builder.layout)
    if data is not None:
        form.full_clean()
        # Only the engine's messages count; Django's own checks are not the rules here.
        form._errors = ErrorDict(
            {
                name: form.error_class([message])
                for name, message in (errors or {}).items()
                if name in form.fields
            }
        )
    return form


def error_anchor(form: PageForm, name: str) -> str:
    """Return the id of the input an error-summary link should move focus to."""
    widget = form.fields[name].widget
    auto_id = f"id_{name}"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{auto_id}_0"
    return auto_id
