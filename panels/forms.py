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
        self.fields["source"].queryset = Round.objects.exclude(pk=target.pk).order_by("-year")
