from django import forms


class OptOutForm(forms.Form):
    scope = forms.ChoiceField(
        label="What would you like?",
        choices=[
            ("reminders", "Stop reminding me about this round's survey"),
            ("study", "Take me off the study: no more surveys or emails"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose one of the two options."},
    )
