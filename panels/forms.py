from pathlib import Path

from django import forms

from panels.models import Round, Site

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
