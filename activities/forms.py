from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.duplicates import occasion_of, same_occasion
from activities.models import StudySession, Theme
from tracker.constraints import DuplicateLinksMixin
from tracker.periods import Quarter
from tracker.text import refuse_controls
from tracker.versioning import VersionedForm
from tracker.widgets import DateInput, PlainSelect
from units.models import Official, Unit


class AdoptedMinutesMixin:
    """
    Minutes the cell has adopted are locked: changing them, or the day they were adopted,
    needs a reason, which the audit history keeps beside the change (Hướng dẫn
    42-HD/BTCTW: the minutes are adopted at the end of the meeting).
    """

    LOCKED = ("minutes", "minutes_adopted_on")

    @property
    def minutes_locked(self):
        return bool(self.instance.pk and self.instance.minutes_adopted_on)

    def clean_adopted_minutes(self):
        """In clean(): the instance still holds what is stored."""
        changed = [name for name in self.LOCKED if name in self.changed_data and name not in self.errors]
        if not self.minutes_locked or not changed or "change_reason" in self.errors:
            return  # nothing locked changes, or what the user typed is wrong already
        reason = (self.cleaned_data.get("change_reason") or "").strip()
        if not reason:
            self.add_error(
                "change_reason",
                _("The minutes were adopted on %(day)s: say why they change.")
                % {"day": self.instance.minutes_adopted_on.strftime("%d/%m/%Y")},
            )
            return
        self.instance._change_reason = reason  # simple_history's reason of this change


def change_reason_field():
    field = forms.CharField(
        label=_("Why the adopted minutes change"),
        max_length=100,
        required=False,
        help_text=_("Needed only to change minutes already adopted; kept in the history."),
    )
    refuse_controls(field)
    return field


class SessionForm(AdoptedMinutesMixin, DuplicateLinksMixin, VersionedForm):
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
            # The meeting under the 2025 rules (activities/rules.py).
            "starts_at",
            "ends_at",
            "also_thematic",
            "documents_posted_on",
            "resolution_published_on",
            "minutes",
            "minutes_adopted_on",
            "version",
        ]
        widgets = {
            "unit": PlainSelect,
            "theme": PlainSelect,
            "chair": PlainSelect,
            "date": DateInput(attrs={"autocomplete": "off"}),
            "minutes_adopted_on": DateInput(attrs={"autocomplete": "off"}),
            "documents_posted_on": DateInput(attrs={"autocomplete": "off"}),
            "resolution_published_on": DateInput(attrs={"autocomplete": "off"}),
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "minutes": forms.Textarea(attrs={"rows": 3}),
        }

    required_css_class = "required"
    # What each empty choice says instead of Django's "---------".
    EMPTY_LABELS = {
        "unit": _("— Choose a unit —"),
        "kind": _("— Choose a kind of session —"),
        "quarter": _("— Choose a quarter —"),
        "theme": _("— Choose a theme —"),
        "format": _("— Choose a format —"),
        "chair": _("— Choose who chaired —"),
    }

    not_duplicate = forms.BooleanField(
        label=_("Save anyway: this is not a duplicate session"), label_suffix="", required=False
    )
    change_reason = change_reason_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not self.minutes_locked:
            del self.fields["change_reason"]
        self.fields["unit"].queryset = Unit.objects.visible_to(user).active().order_by("path")
        self.fields["chair"].queryset = Official.objects.visible_to(user).order_by("full_name")
        self.fields["theme"].queryset = Theme.objects.visible_to(user).order_by("-year", "-quarter", "title")
        self.fields["year"].required = False
        self.fields["quarter"].required = False
        self.fields["quarter"].empty_value = None  # derived from the date when there is one
        self.fields["year"].help_text = _("Only for a session whose date is unknown.")
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        for name, label in self.EMPTY_LABELS.items():
            field = self.fields[name]
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = label
            else:
                field.choices = [("", label), *[choice for choice in field.choices if choice[0] != ""]]
        for field in self.fields.values():
            if field.required:
                field.widget.attrs["aria-required"] = "true"
            if isinstance(field, forms.CharField):
                refuse_controls(field)

    @property
    def period_open(self):
        """Whether "Don't know the date?" starts open: an undated session, or an error there."""
        if any(name in self.errors for name in ("year", "quarter", "__all__")):
            return True
        return not self["date"].value() and bool(self["year"].value() or self["quarter"].value())

    @property
    def first_error(self):
        """The field the cursor goes to: the first with an error, in the page's order."""
        for bound_field in self:
            if bound_field.errors and not bound_field.is_hidden:
                return bound_field.name
        if self.non_field_errors():
            return "date"
        return None

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
        self.check_duplicates(cleaned)
        self.clean_adopted_minutes()
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # The very same session (its natural key) is an error of its own, with a link to
        # it: asking "is it another session?" beside it would only confuse.
        clash = any(
            error.code == "duplicate" for errors in self.errors.as_data().values() for error in errors
        )
        if clash and "not_duplicate" in self.errors:
            del self.errors["not_duplicate"]
            self.duplicates = []
        # A date or quarter that could not be taken is said beside it, not again at the top.
        period_error = any(name in self.errors for name in ("date", "year", "quarter"))
        if period_error and NON_FIELD_ERRORS in self.errors:
            kept = [error for error in self.errors.as_data()[NON_FIELD_ERRORS] if error.code != "no_period"]
            del self.errors[NON_FIELD_ERRORS]
            if kept:
                self.add_error(None, kept)
        # On a phone the first error may be a screen away from the top of the page.
        if self.first_error:
            self.fields[self.first_error].widget.attrs["autofocus"] = True

    def check_duplicates(self, cleaned):
        """
        A session the unit may have logged already (same kind and day; a thematic one
        in the same quarter): listed in `duplicates`, and saved only when the user says
        it is another one. A correction that keeps the day and kind is not asked again.
        """
        self.duplicates = []
        unit = cleaned.get("unit")
        new = StudySession(
            pk=self.instance.pk,
            unit_id=unit.pk if unit else None,
            kind=cleaned.get("kind"),
            date=cleaned.get("date"),
            year=cleaned.get("year"),
            quarter=cleaned.get("quarter"),
        )
        key = occasion_of(new)
        if key is None or (self.instance.pk is not None and key == occasion_of(self.instance)):
            return
        self.duplicates = list(same_occasion(new))
        if not self.duplicates:
            return
        if new.kind == StudySession.Kind.THEMATIC:
            self.duplicate_notice = _("%(unit)s already has a thematic session in %(quarter)s:") % {
                "unit": unit,
                "quarter": Quarter(key[2], key[3]).label,
            }
        else:
            self.duplicate_notice = _("%(unit)s already has a “%(kind)s” on %(date)s:") % {
                "unit": unit,
                "kind": new.get_kind_display(),
                "date": new.date.strftime("%d/%m/%Y"),
            }
        if not cleaned.get("not_duplicate"):
            self.add_error(
                "not_duplicate",
                _(
                    "Check the session listed above. If this is another session, tick “%(choice)s” and save again."
                )
                % {"choice": self.fields["not_duplicate"].label},
            )
