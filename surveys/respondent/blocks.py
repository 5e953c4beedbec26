"""The blocks a questionnaire page is drawn from: one per question, and the parts inside.

Each block draws itself from the bound form alone (`render(form)`; the signature is the
one crispy's layout objects have, so a block can still be laid out by crispy). Built with
format_html rather than templates: a grid is the largest thing a page draws (rows times
scale points), and a template per option made it most of a page's cost. Every piece of
text is escaped here or was escaped by the piping engine.
"""

from dataclasses import dataclass

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from surveys.engine.model import Item


def join_html(parts) -> SafeString:
    """Return the parts of HTML one after another."""
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped or safe already


def error_message(name: str, message: str, css: str = "invalid-feedback d-block") -> str:
    """Return a field's error message, with the id its input's aria-describedby names."""
    return format_html(
        '<p class="{}" id="{}-error"><span class="visually-hidden">Error: </span>{}</p>',
        css,
        name,
        message,
    )


class Block:
    """Ready-made, already escaped HTML (never a template)."""

    def __init__(self, html: str):
        self.html = html

    def render(self, form, context=None, template_pack=None, **kwargs):
        return self.html


class ItemBlock:
    """One question: its blocks inside a wrapper the page's script can show and hide.

    `hidden` draws a question the routing does not show yet but an answer on the same page
    may bring up; `added` marks one the answers just brought up.
    """

    def __init__(self, code: str, parts: list, *, hidden: bool = False, added: bool = False):
        self.code, self.parts, self.hidden, self.added = code, parts, hidden, added

    def render(self, form, context=None, template_pack=None, **kwargs):
        inner = join_html(p.render(form, context, template_pack, **kwargs) for p in self.parts)
        added = (
            mark_safe(
                '<p class="added-note"><span class="badge text-bg-info">New</span> '
                "Added because of your answer above</p>"
            )
            if self.added
            else ""
        )
        return format_html(
            '<div class="question-block{}" data-item="{}"{}>{}{}</div>',
            " question-added" if self.added else "",
            self.code,
            mark_safe(" hidden") if self.hidden else "",
            added,
            inner,
        )


class FieldsetBlock:
    """A question made of several boxes (duration, ranked, nominations): a fieldset whose
    legend is the question."""

    def __init__(self, legend: str, parts: list, css_class: str = ""):
        self.legend, self.parts, self.css_class = legend, parts, css_class

    def render(self, form, context=None, template_pack=None, **kwargs):
        inner = join_html(p.render(form, context, template_pack, **kwargs) for p in self.parts)
        if self.css_class:
            inner = format_html('<div class="{}">{}</div>', self.css_class, inner)
        return format_html(
            '<fieldset class="question mb-4"><legend class="question-text">{}</legend>{}'
            "</fieldset>",
            self.legend,
            inner,
        )


class GroupBlock:
    """Blocks side by side or one under another in a plain div (a nomination's two boxes)."""

    def __init__(self, parts: list, css_class: str):
        self.parts, self.css_class = parts, css_class

    def render(self, form, context=None, template_pack=None, **kwargs):
        inner = join_html(p.render(form, context, template_pack, **kwargs) for p in self.parts)
        return format_html('<div class="{}">{}</div>', self.css_class, inner)


@dataclass
class GridRow:
    """What a grid draws of one of its rows (statements)."""

    code: str
    text: str
    label: str | None
    required: bool
    other_label: str | None = None  # an "other" row: the label of the box naming it


class GridBlock:
    """A grid: the question at full width above a table with one row per statement.

    On a wide screen a table (statements as row headers, the scale as column headers); on
    a narrow one the stylesheet draws each statement with its ratings as a list of
    full-width options. Every radio is named by its statement and its rating.
    """

    def __init__(self, item: Item, text: str, rows: list[GridRow]):
        self.item, self.text, self.rows = item, text, rows
        self.points = [(str(p.code), escape(str(p.code)), escape(p.text)) for p in item.scale]

    def render(self, form, context=None, template_pack=None, **kwargs):
        head = format_html_join(
            "", '<th scope="col" class="grid-scale">{}</th>', ((s.text,) for s in self.item.scale)
        )
        code = self.item.code
        return format_html(
            '<div class="question grid-question mb-4" id="div_id_{}">'
            '<p class="question-text" id="{}-question">{}</p>'
            '<table class="grid-table grid-cols-{}" aria-labelledby="{}-question">'
            '<thead><tr><td class="grid-corner"></td>{}</tr></thead>'
            "<tbody>{}</tbody></table></div>",
            code,
            code,
            self.text,
            len(self.points),
            code,
            head,
            join_html(self._row(form, row) for row in self.rows),
        )

    def _row(self, form, row: GridRow) -> str:
        label_field = row.other_label and f"{row.code}.label"
        errors = form.errors.get(row.code, []) + (
            form.errors.get(label_field, []) if label_field else []
        )
        statement = format_html(
            '<span class="grid-statement" id="{}-text">{}{}</span>{}',
            row.code,
            format_html('<span class="item-label">{}</span> ', row.label) if row.label else "",
            row.text,
            mark_safe(' <span class="required-mark">(required)</span>') if row.required else "",
        )
        other = ""
        if label_field:
            other = format_html(
                '<span class="d-block mt-1"><label class="form-label small" for="id_{0}">{3}'
                '</label><input type="text" class="form-control form-control-sm{1}"'
                ' name="{0}" id="id_{0}" value="{2}" maxlength="300"></span>',
                label_field,
                " is-invalid" if errors else "",
                form[label_field].value() or "",
                row.other_label,
            )
        error = error_message(row.code, errors[0], "grid-error") if errors else ""
        return format_html(
            '<tr class="grid-row{}"><th scope="row" class="grid-row-text">{}{}{}</th>{}</tr>',
            " grid-row-error" if errors else "",
            statement,
            other,
            error,
            self._points(row.code, form[row.code].value(), bool(errors)),
        )

    def _points(self, name: str, value, invalid: bool) -> str:
        """Return the row's cells, one radio each; the scale's escaped texts are shared."""
        name, chosen = escape(name), "" if value is None else str(value)
        css = " is-invalid" if invalid else ""
        described = f' aria-describedby="{name}-error"' if invalid else ""
        return join_html(
            f'<td class="grid-point"><label class="grid-option" for="id_{name}_{n}">'
            f'<input class="form-check-input{css}" type="radio" name="{name}"'
            f' id="id_{name}_{n}" value="{code}"'
            f' aria-labelledby="{name}-text id_{name}_{n}-text"{described}'
            f'{" checked" if raw == chosen else ""}><span class="grid-option-text"'
            f' id="id_{name}_{n}-text">{text}</span></label></td>'
            for n, (raw, code, text) in enumerate(self.points)
        )


@dataclass
class OtherBox:
    """The box of an "other, please type in" option: its field and its label."""

    field: str
    label: str


class ChoiceBlock:
    """A single or multiple choice question: a fieldset whose legend is the question, with
    its help and error tied to it, and one full-width row per option. The box of an
    "other" option follows its option.
    """

    def __init__(self, name: str, legend: str, options: list[tuple[str, str]], **kwargs):
        self.name, self.legend = name, legend
        self.multiple, self.help = kwargs.get("multiple", False), kwargs.get("help", "")
        self.others: dict[str, OtherBox] = kwargs.get("others", {})
        self.options = [(code, escape(code), text) for code, text in options]

    def render(self, form, context=None, template_pack=None, **kwargs):
        errors = form.errors.get(self.name, [])
        described = [f"{self.name}-help"] if self.help else []
        error = ""
        if errors:
            described.append(f"{self.name}-error")
            error = error_message(self.name, errors[0])
        help_text = (
            format_html('<p class="form-text mt-0" id="{}-help">{}</p>', self.name, self.help)
            if self.help
            else ""
        )
        return format_html(
            '<div id="div_id_{}" class="question mb-4"><fieldset{}>'
            '<legend class="question-text">{}</legend>{}{}<div class="options">{}</div>'
            "</fieldset></div>",
            self.name,
            format_html(' aria-describedby="{}"', " ".join(described)) if described else "",
            self.legend,
            help_text,
            error,
            self._options(form, form[self.name].value(), " is-invalid" if errors else ""),
        )

    def _options(self, form, value, invalid: str) -> str:
        if value is None:
            value = []
        chosen = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)}
        kind, name = ("checkbox" if self.multiple else "radio"), escape(self.name)
        return join_html(
            f'<label class="option" for="id_{name}_{n}"><input type="{kind}"'
            f' class="form-check-input{invalid}" name="{name}" value="{code}"'
            f' id="id_{name}_{n}"{" checked" if raw in chosen else ""}>'
            f'<span class="option-text">{text}</span></label>'
            + (self._other(form, self.others[raw], f"id_{name}_{n}") if raw in self.others else "")
            for n, (raw, code, text) in enumerate(self.options)
        )

    def _other(self, form, box: OtherBox, option_id: str) -> str:
        """Return the box of an "other" option, drawn right under it."""
        errors = form.errors.get(box.field, [])
        value = form[box.field].value()
        attrs = {"class": "form-control" + (" is-invalid" if errors else "")}
        if errors:
            attrs |= {"aria-invalid": "true", "aria-describedby": f"{box.field}-error"}
        return format_html(
            '<div class="option-other" data-option="{}"><label class="form-label" for="id_{}">'
            '{}</label><input type="text" name="{}" id="id_{}" value="{}" maxlength="500"{}>'
            "{}</div>",
            option_id,
            box.field,
            box.label,
            box.field,
            box.field,
            value or "",
            flatatt(attrs),
            error_message(box.field, errors[0]) if errors else "",
        )


class InputBlock:
    """One text, number, email, long text or hidden field: its label, help and error tied
    to the input, like ChoiceBlock. `question` marks the label as a question's text (not a
    part's, like the "Years" of a duration)."""

    def __init__(self, name: str, help_text: str = "", *, question: bool = True):
        self.name, self.help, self.question = name, help_text, question

    def render(self, form, context=None, template_pack=None, **kwargs):
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
        return format_html(
            '<div id="div_id_{}" class="{}"><label for="id_{}" class="{}">{}</label>{}{}{}</div>',
            self.name,
            "question mb-4" if self.question else "mb-3",
            self.name,
            "form-label question-text" if self.question else "form-label",
            field.label,
            format_html('<p class="form-text mt-0" id="{}-help">{}</p>', self.name, self.help)
            if self.help
            else "",
            self._control(field.widget, value, flatatt(self._attrs(field, errors))),
            error_message(self.name, errors[0]) if errors else "",
        )

    def _attrs(self, field, errors) -> dict:
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
        return attrs

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
