"""The forms of the evaluator pages: a planned message, and the outbox filters."""

from django import forms
from django.conf import settings
from django.utils import timezone

from reminders.models import Message, MessageKind, OutboxStatus
from reminders.rendering import MERGE_FIELDS

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


def merge_field_help() -> str:
    names = ", ".join("{{ " + name + " }}" for name in MERGE_FIELDS)
    return f"Merge fields: {names}."


class MessageForm(forms.ModelForm):
    """A message of the round's schedule; send_at is read in the study's time zone."""

    class Meta:
        model = Message
        fields = ["kind", "send_at", "subject", "body", "body_started"]
        widgets = {
            "send_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_MINUTE),
            "body": forms.Textarea(attrs={"rows": 12}),
            "body_started": forms.Textarea(attrs={"rows": 8}),
        }
        labels = {"body_started": "Body for members who started but did not finish"}

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.round = round
        self.fields["kind"].choices = MessageKind.choices
        self.fields["send_at"].label = f"Send at ({settings.TIME_ZONE} time)"
        self.fields["send_at"].help_text = "Date and time in the study's time zone."
        self.fields["send_at"].input_formats = [LOCAL_MINUTE, "%Y-%m-%d %H:%M"]
        self.fields["body"].help_text = merge_field_help()
        self.fields["body_started"].help_text = "Leave blank to send them the body above."

    def _others(self):
        others = Message.objects.filter(round=self.instance.round)
        return others.exclude(pk=self.instance.pk) if self.instance.pk else others

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if kind == MessageKind.INVITATION and self._others().filter(kind=kind).exists():
            raise forms.ValidationError("This round has an invitation already: plan a reminder.")
        return kind

    def clean_send_at(self):
        send_at = self.cleaned_data["send_at"]
        if send_at <= timezone.now():
            raise forms.ValidationError(
                "Choose a time in the future. To send a message at once, save it and use Send now."
            )
        return send_at

    def clean(self):
        cleaned = super().clean()
        kind, send_at = cleaned.get("kind"), cleaned.get("send_at")
        if not kind or not send_at:
            return cleaned
        invitation = self._others().filter(kind=MessageKind.INVITATION).first()
        if kind == MessageKind.REMINDER and invitation and send_at <= invitation.send_at:
            self.add_error("send_at", "A reminder goes out after the invitation.")
        first_reminder = self._others().filter(kind=MessageKind.REMINDER).order_by("send_at")
        first_reminder = first_reminder.first()
        if kind == MessageKind.INVITATION and first_reminder and send_at >= first_reminder.send_at:
            self.add_error("send_at", "The invitation goes out before the reminders.")
        return cleaned


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), *OutboxStatus.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = forms.ChoiceField(required=False, widget=forms.Select(attrs={"class": "form-select"}))
    q = forms.CharField(
        required=False,
        label="Name or email",
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )

    def __init__(self, *args, reasons: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", "Any reason"), *((r, r) for r in reasons)]


class MemberSearchForm(forms.Form):
    q = forms.CharField(required=False, label="Find a member by name or email", max_length=100)
