import re
from pathlib import Path

from django import forms

from panels.models import CompletenessKind, Disposition, Member, Round, RoundStatus, Site

MAX_LIST_BYTES = 10 * 1024 * 1024


class PanelImportForm(forms.Form):
    file = forms.FileField(
        label="Contact list",
        help_text=(
            "A .csv (UTF-8, or Excel's Windows encoding), a .txt saved as Excel's Unicode "
            "Text, or an .xlsx file; the first row holds the column names."
        ),
    )
    site = forms.ModelChoiceField(
        queryset=Site.objects.order_by("code"),
        required=False,
        empty_label="Sites named in the file's 'site' column",
        help_text="Choose a site to import one site's list without a 'site' column.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in {".csv", ".xlsx", ".txt"}:
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        if upload.size > MAX_LIST_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB.")
        return upload


class CarryForwardForm(forms.Form):
    source = forms.ModelChoiceField(
        queryset=Round.objects.none(),
        label="Copy the panels of",
        help_text=(
            "Contacts who left the study are left out; each list keeps its last-updated date."
        ),
    )

    def __init__(self, *args, target: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = (
            Round.objects.exclude(pk=target.pk).filter(year__lte=target.year).order_by("-year")
        )

    @property
    def has_choices(self) -> bool:
        """Return whether there is an earlier round to copy from."""
        return self.fields["source"].queryset.exists()


class RoundForm(forms.ModelForm):
    """A round's name, calendar, questionnaire and the words respondents see around it."""

    class Meta:
        model = Round
        fields = [
            "name",
            "year",
            "status",
            "fieldwork_start",
            "fieldwork_end",
            "version",
            "welcome_text",
            "study_contact",
            "allow_changes_after_completion",
        ]
        widgets = {
            "fieldwork_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "fieldwork_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "welcome_text": forms.Textarea(attrs={"rows": 5}),
            "study_contact": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"version": "Questionnaire version"}
        help_texts = {
            "study_contact": "Who respondents can contact with questions, as a sentence would "
            "name them, e.g. “the research team at survey@example.org”.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = self.fields["version"]
        # A round asks a published (frozen) version only; the admin offers the same.
        version.queryset = (
            version.queryset.model.objects.filter(status="published")
            .select_related("questionnaire")
            .order_by("questionnaire__slug", "number")
        )
        version.empty_label = "None chosen yet"
        status = self.fields["status"]
        if self.instance.pk and self.instance.status == RoundStatus.CLOSED:
            status.disabled = True
            status.help_text = "A closed round stays closed: its final dispositions are frozen."
        else:
            # Closing freezes every member's final disposition, so it has its own page.
            status.choices = [c for c in status.choices if c[0] != RoundStatus.CLOSED]
            status.help_text = "To close the round, use “Close the round” on its page."
        version.label_from_instance = lambda v: f"{v.title} ({v.questionnaire.slug} v{v.number})"
        if self.instance.pk and self.instance.members.filter(response__isnull=False).exists():
            # Every response keeps the version it was answered on: once answers exist the
            # round's questionnaire stays as it is.
            version.disabled = True
            version.help_text = "Respondents have answered this version: it can no longer change."

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("fieldwork_start"), cleaned.get("fieldwork_end")
        if start and end and end < start:
            self.add_error("fieldwork_end", "The fieldwork ends before it starts.")
        return cleaned


def definition_codes(definition) -> set[str]:
    """Return every string 'code' in a version's stored definition (items, grid rows)."""
    found: set[str] = set()
    stack = [definition]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("code"), str):
                found.add(node["code"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


class PercentField(forms.DecimalField):
    """A share entered as a percentage (0 to 100), cleaned to a fraction (0 to 1)."""

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=100, max_digits=5, decimal_places=1, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, float):
            return round(value * 100, 1)
        return value

    def clean(self, value):
        cleaned = super().clean(value)
        return None if cleaned is None else float(cleaned) / 100


class CompletenessForm(forms.Form):
    rule = forms.ChoiceField(
        label="A started response is complete when",
        choices=CompletenessKind.choices,
        widget=forms.RadioSelect,
    )
    items = forms.CharField(
        label="Items that must be answered",
        required=False,
        help_text="Item codes separated by commas or spaces (for the named items rule).",
    )
    share = PercentField(
        label="Share of the shown items to answer (%)",
        required=False,
        help_text="For the share rule: e.g. 80 for four in five of the items the routing showed.",
    )
    break_off_below = PercentField(
        label="Break-off below (%)",
        help_text="A started response that is not complete, with under this share of the "
        "shown items answered, is a break-off; at or above it, a partial.",
    )

    def __init__(self, *args, round: Round, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "rule": round.completeness_rule,
                "items": ", ".join(round.completeness_items),
                "share": round.completeness_share,
                "break_off_below": round.break_off_below,
            },
        )
        super().__init__(*args, **kwargs)
        self.round = round

    def clean_items(self) -> list[str]:
        codes = [c for c in re.split(r"[\s,;]+", self.cleaned_data["items"]) if c]
        version = self.round.version
        if codes and version is not None:
            unknown = [c for c in codes if c not in definition_codes(version.definition)]
            if unknown:
                raise forms.ValidationError(
                    f"Not an item of {version.title}: {', '.join(unknown)}."
                )
        return codes

    def clean(self):
        data = super().clean()
        rule = data.get("rule")
        if rule == CompletenessKind.ITEMS and not data.get("items") and "items" not in self.errors:
            self.add_error("items", "Name at least one item for this rule.")
        if rule == CompletenessKind.SHARE and data.get("share") is None:
            self.add_error("share", "Give the share for this rule.")
        return data


NOT_ELIGIBLE_REASONS = [
    ("left the post", "Left the post"),
    ("duplicate listing", "Duplicate listing"),
    ("screened out", "Screened out"),
]


class MemberDispositionForm(forms.Form):
    disposition = forms.ChoiceField(
        label="Record",
        widget=forms.RadioSelect,
        choices=[
            (Disposition.OPTED_OUT, "Opted out"),
            (Disposition.COORDINATED, "Coordinated: another member answers for them"),
            (Disposition.NOT_ELIGIBLE, "Not eligible"),
            (Disposition.UNAVAILABLE, "Unavailable for the whole fieldwork"),
            (Disposition.OTHER, "Other"),
        ],
    )
    coordinated_by = forms.ModelChoiceField(
        queryset=Member.objects.none(),
        required=False,
        empty_label="Choose a member",
        label="Member who answers for them",
        help_text="For coordinated: a member of the same round.",
    )
    not_eligible_reason = forms.ChoiceField(
        label="Why not eligible",
        required=False,
        choices=[("", "Choose a reason"), *NOT_ELIGIBLE_REASONS],
    )
    reason = forms.CharField(
        label="Reason or note",
        required=False,
        max_length=Member._meta.get_field("disposition_reason").max_length,
        help_text="Required for other.",
    )

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        others = (
            Member.objects.filter(round_id=member.round_id)
            .exclude(pk=member.pk)
            .select_related("contact", "panel__site")
            .order_by("panel__site__code", "contact__last_name", "contact__first_name")
        )
        field = self.fields["coordinated_by"]
        field.queryset = others
        field.label_from_instance = lambda m: (
            f"{m.contact.full_name} ({m.panel.site.short_name}), {m.contact.email}"
        )

    def clean(self):
        data = super().clean()
        to = data.get("disposition")
        if to == Disposition.COORDINATED and not data.get("coordinated_by"):
            self.add_error("coordinated_by", "Choose the member who answers for them.")
        if to == Disposition.NOT_ELIGIBLE and not data.get("not_eligible_reason"):
            self.add_error("not_eligible_reason", "Choose why the member is not eligible.")
        if to == Disposition.OTHER and not data.get("reason", "").strip():
            self.add_error("reason", "Say what happened.")
        return data

    def reason_text(self) -> str:
        """Return the reason to record: the chosen one for not eligible, with any note."""
        note = self.cleaned_data.get("reason", "").strip()
        if self.cleaned_data["disposition"] != Disposition.NOT_ELIGIBLE:
            return note
        chosen = self.cleaned_data["not_eligible_reason"]
        return f"{chosen}: {note}" if note else chosen


class DispositionsImportForm(forms.Form):
    file = forms.FileField(
        label="Dispositions file",
        help_text="A .csv or .xlsx file with the columns email, disposition, and optional "
        "reason and coordinated_by.",
    )

    def clean_file(self):
        return PanelImportForm.clean_file(self)


class RoundCloseForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that every member's disposition becomes final and responses "
        "can no longer change it.",
        error_messages={"required": "Tick the box to confirm the close."},
    )
