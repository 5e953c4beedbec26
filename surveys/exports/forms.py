from django import forms

from surveys.exports.services import FORMATS
from surveys.models import ExportFormat, ExportKind


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What",
        choices=[(k.value, k.label) for k in (ExportKind.WIDE, ExportKind.LONG)],
        widget=forms.RadioSelect,
        initial=ExportKind.WIDE,
    )
    format = forms.ChoiceField(
        label="File format",
        choices=[(f.value, f.label) for f in FORMATS[ExportKind.WIDE]],
        widget=forms.RadioSelect,
        initial=ExportFormat.CSV,
    )
    include_partial = forms.BooleanField(
        label="Include partial responses too",
        required=False,
        help_text="Complete only counts as complete by the round's rule; the column "
        "complete says which each row is.",
    )
    labels = forms.BooleanField(
        label="Option labels instead of codes (CSV and Excel)", required=False
    )
    identified = forms.BooleanField(
        label="Identified: add names and emails",
        required=False,
        help_text="Pseudonymous by default (key-informant ids). Every download is logged.",
    )

    def clean(self):
        data = super().clean()
        kind, format = data.get("kind"), data.get("format")
        if kind and format and format not in FORMATS[kind]:
            self.add_error("format", "A long export is written as CSV or Excel only.")
        return data
