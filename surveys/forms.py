from django import forms

from surveys.models import Version

MAX_DEFINITION_BYTES = 2 * 1024 * 1024


class DefinitionUploadForm(forms.Form):
    file = forms.FileField(
        label="Definition file", help_text="A questionnaire definition in YAML or JSON."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".yaml", ".yml", ".json")):
            raise forms.ValidationError("Upload a .yaml, .yml or .json file.")
        if upload.size > MAX_DEFINITION_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB.")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("The file is not UTF-8 text.") from exc


class DraftReplaceForm(DefinitionUploadForm):
    """Replace a draft's whole definition by an uploaded file."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "Replace this draft's definition"
        self.fields["file"].help_text = (
            "A YAML or JSON definition of the same questionnaire. It replaces the draft as a"
            " whole, or, if it has any problem, nothing changes."
        )


def version_name(version: Version) -> str:
    """Return how a person names a version: its title, its code and whether it is published."""
    status = version.get_status_display().lower()
    return f"{version.title} ({version.questionnaire.slug} v{version.number}, {status})"


class DiffForm(forms.Form):
    a = forms.ModelChoiceField(queryset=Version.objects.none(), label="Earlier version")
    b = forms.ModelChoiceField(queryset=Version.objects.none(), label="Later version")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        versions = Version.objects.select_related("questionnaire").order_by(
            "questionnaire__slug", "number"
        )
        for name in ("a", "b"):
            self.fields[name].queryset = versions
            self.fields[name].label_from_instance = version_name
