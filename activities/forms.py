from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from activities.models import StudySession, Theme
from tracker.constraints import DuplicateLinksMixin
from tracker.text import refuse_controls
from tracker.versioning import VersionedForm
from tracker.widgets import PlainSelect
from units.models import Official, Unit


class SessionForm(DuplicateLinksMixin, VersionedForm):
    """
    Log or correct a session: units and chairs limited to the user's subtree; a
    correction of a session someone else saved meanwhile is refused; a session the
    unit already has is named, with a link to correct it.
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
        self.user = user
        self.fields["unit"].queryset = Unit.objects.visible_to(user).active().order_by("path")
        self.fields["chair"].queryset = Official.objects.visible_to(user).order_by("full_name")
        self.fields["theme"].queryset = Theme.objects.visible_to(user).order_by("-year", "-quarter", "title")
        self.fields["year"].required = False
        self.fields["quarter"].required = False
        self.fields["quarter"].empty_value = None  # derived from the date when there is one
        self.fields["year"].help_text = _("Only for a session whose date is unknown.")
        self.fields["date"].widget.format = "%d/%m/%Y"
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                refuse_controls(field)

    def link_to(self, session):
        """Where the user corrects an existing session, if they may."""
        if not self.user.has_perm("activities.change_studysession"):
            return None
        if not StudySession.objects.visible_to(self.user).filter(pk=session.pk).exists():
            return None
        return reverse("activities:session-edit", args=[session.pk])

    def clean(self):
        cleaned = super().clean()
        theme = cleaned.get("theme")
        if theme is not None and not cleaned.get("topic"):
            # A thematic session's topic is its theme unless the unit names it otherwise.
            cleaned["topic"] = theme.title
        return cleaned
