from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import StudySession, Theme
from tracker.versioning import VersionedForm
from tracker.widgets import PlainSelect
from units.models import Official, Unit


class SessionForm(VersionedForm):
    """
    Log or correct a session: units and chairs limited to the user's subtree; a
    correction of a session someone else saved meanwhile is refused.
    """

    class Meta:
        model = StudySession
        fields = [
            "unit",
            "kind",
            "date",
            "year",
            "quarter",
            "theme",
            "topic",
            "format",
            "chair",
            "attended",
            "expected",
            "has_self_criticism",
            "reviews_study",
            "minutes",
            "version",
        ]
        widgets = {
            "unit": PlainSelect,
            "theme": PlainSelect,
            "chair": PlainSelect,
            "date": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}),
            "minutes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).active().order_by("path")
        self.fields["chair"].queryset = Official.objects.visible_to(user).order_by("full_name")
        self.fields["theme"].queryset = Theme.objects.visible_to(user).order_by("-year", "-quarter", "title")
        self.fields["year"].required = False
        self.fields["quarter"].required = False
        self.fields["quarter"].empty_value = None  # derived from the date when there is one
        self.fields["year"].help_text = _("Only for a session whose date is unknown.")
        self.fields["date"].widget.format = "%d/%m/%Y"

    def clean(self):
        cleaned = super().clean()
        theme = cleaned.get("theme")
        if theme is not None and not cleaned.get("topic"):
            # A thematic session's topic is its theme unless the unit names it otherwise.
            cleaned["topic"] = theme.title
        return cleaned
