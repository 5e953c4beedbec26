"""The choices of the report pages: round, item, subgroup and what the base holds.

The item list depends on the round (a report table) or on every round (a trend), so the
choices are worked out from the submitted round; a page opened with no choices shows the
latest round's items.
"""

from __future__ import annotations

from django import forms

from panels.models import Round
from surveys.definitions import definition_of

from .selectors import SUBGROUPS, analysis_rounds, table_items, trend_items

FORMATS = ("csv", "xlsx")


class _Choices(forms.Form):
    points = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        label="Share answering",
        help_text="For a grid: the scale points counted (the first if none is ticked).",
        widget=forms.CheckboxSelectMultiple,
    )
    include_partial = forms.BooleanField(
        required=False, label="Include partial responses (not complete by the round's rule)"
    )
    dont_know_out = forms.BooleanField(
        required=False,
        label="Leave “don't know” and “not applicable” out of the base",
        help_text="The seed reports keep them in the base, as a category of their own.",
    )

    def _set_points(self, item) -> None:
        if item is None or item.type != "grid":
            del self.fields["points"]  # only a grid counts chosen scale points
            return
        self.fields["points"].choices = [(o.code, o.text) for o in item.scale]

    def chosen_points(self, item) -> list[int]:
        """Return the scale points to count for a grid (its first if none is chosen)."""
        points = self.cleaned_data.get("points") or []
        return points or ([item.scale[0].code] if item.scale else [])


class ReportForm(_Choices):
    round = forms.ModelChoiceField(queryset=Round.objects.none(), empty_label=None)
    item = forms.ChoiceField(label="Item or grid", choices=())
    by = forms.ChoiceField(
        label="Columns", choices=SUBGROUPS.items(), initial="all", required=False
    )
    sort = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=-1)

    field_order = ["round", "item", "by", "points", "include_partial", "dont_know_out"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rounds = analysis_rounds()
        self.fields["round"].queryset = Round.objects.filter(pk__in=[r.pk for r in rounds])
        round_ = self._chosen_round(rounds)
        self.round = round_
        self.definition = definition_of(round_.version) if round_ else None
        self.fields["item"].choices = table_items(round_.version) if round_ else []
        code = self.data.get("item") if self.is_bound else None
        item = self.definition.items.get(code) if self.definition and code else None
        self._set_points(item)

    def _chosen_round(self, rounds: list[Round]) -> Round | None:
        wanted = str(self.data.get("round", "")) if self.is_bound else ""
        found = next((r for r in rounds if str(r.pk) == wanted), None)
        if found is None and rounds and not self.is_bound:
            found = rounds[-1]
            self.initial["round"] = found.pk
        return found

    def clean_by(self) -> str:
        return self.cleaned_data["by"] or "all"

    @property
    def chosen_item(self):
        return self.definition.item(self.cleaned_data["item"])


class TrendForm(_Choices):
    item = forms.ChoiceField(label="Item or grid", choices=())

    field_order = ["item", "points", "include_partial", "dont_know_out"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rounds = analysis_rounds()
        self.fields["item"].choices = trend_items(rounds)
        code = self.data.get("item") if self.is_bound else None
        self.latest = None
        for round_ in reversed(rounds):
            definition = definition_of(round_.version)
            if code in definition.items:
                self.latest = definition.items[code]
                break
        self._set_points(self.latest)
