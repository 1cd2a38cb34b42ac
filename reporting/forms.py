from django import forms
from django.utils.translation import gettext_lazy as _

from reporting.models import EmailPreference
from tracker.text import refuse_controls

ACTIONS = ("submit", "accept", "return", "excuse")


class ReviewForm(forms.Form):
    """What a reviewer posts: the step, a reason (returning or excusing needs one), the version read."""

    action = forms.ChoiceField(choices=[(action, action) for action in ACTIONS], widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to return the report or excuse the unit; the unit reads it."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        refuse_controls(self.fields["reason"])


class EmailPreferenceForm(forms.ModelForm):
    class Meta:
        model = EmailPreference
        fields = ["reminders"]
