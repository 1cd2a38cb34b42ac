"""
The register of a cell's party members (đảng viên), as the national party-member
database (CSDL đảng viên 3.0) and the Sổ tay đảng viên điện tử app list them, keyed by
the party card number. Personal data: only users of the member's unit subtree see a
member, and exporting members is a permission of its own.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from tracker.constraints import Check, Unique, choices_check, not_blank
from tracker.text import NFCCharField, NFCTextField
from tracker.versioning import Versioned
from units.models import ScopedQuerySet, Unit, UnitKind, source_field

# Units whose members meet in them: a cell under a committee, or a grassroots cell.
MEETING_UNITS = (UnitKind.CELL, UnitKind.GRASSROOTS_CELL)

card_number_valid = RegexValidator(
    r"^[0-9]{6,12}$", _("A party card number is 6 to 12 digits, without spaces or dots.")
)


class MemberQuerySet(ScopedQuerySet):
    def on_register(self, day):
        """
        Members of their cell on `day`: joined (or transferred in) by then, and not
        transferred out or deceased before it.
        """
        gone = MemberStatus.objects.filter(
            member=models.OuterRef("pk"), kind__in=MemberStatus.LEAVING, starts_on__lte=day
        )
        arrived_later = MemberStatus.objects.filter(
            member=models.OuterRef("pk"), kind=MemberStatus.Kind.TRANSFERRED_IN, starts_on__gt=day
        )
        return self.filter(
            models.Q(joined_on__isnull=True) | models.Q(joined_on__lte=day),
            ~models.Exists(gone),
            ~models.Exists(arrived_later),
        )

    def with_exemption(self, day):
        """Each member with `is_exempt`: exempt from meetings on `day` (never when `day` is None)."""
        if day is None:
            return self.annotate(is_exempt=models.Value(False))
        return self.annotate(is_exempt=models.Exists(self.exemptions(day)))

    @staticmethod
    def exemptions(day):
        return MemberStatus.objects.filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day),
            member=models.OuterRef("pk"),
            kind=MemberStatus.Kind.EXEMPT,
            starts_on__lte=day,
        )

    def exempt_on(self, day):
        """Members exempt from meetings (miễn sinh hoạt) on `day`."""
        return self.filter(models.Exists(self.exemptions(day)))


class Member(Versioned):
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("party cell"),
        on_delete=models.PROTECT,
        related_name="members",
        help_text=_("The cell the member meets in."),
    )
    card_number = models.CharField(
        _("party card number"),
        max_length=12,
        unique=True,
        validators=[card_number_valid],
        help_text=_("As on the party card and in the national party-member database."),
        error_messages={"unique": _("Another member already has this party card number.")},
    )
    full_name = NFCCharField(_("full name"), max_length=255)
    born_on = models.DateField(_("date of birth"), null=True, blank=True)
    joined_on = models.DateField(_("date joined the party"), null=True, blank=True)
    official_on = models.DateField(_("date made official"), null=True, blank=True)
    official = models.ForeignKey(
        "units.Official",
        verbose_name=_("official"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        help_text=_("When the member is also one of the officials the tracker lists."),
    )
    note = NFCTextField(_("note"), blank=True)
    source = source_field()

    objects = MemberQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        verbose_name = _("party member")
        verbose_name_plural = pgettext_lazy("model", "party members")
        ordering = ["unit__path", "full_name", "card_number"]
        constraints = [
            not_blank("full_name", "member_name_not_blank"),
            not_blank("card_number", "member_card_not_blank"),
            Check(
                condition=models.Q(born_on__isnull=True)
                | models.Q(joined_on__isnull=True)
                | models.Q(born_on__lt=models.F("joined_on")),
                name="member_born_before_joining",
                field="joined_on",
                message=_("The date joined must be after the date of birth."),
            ),
            Check(
                condition=models.Q(joined_on__isnull=True)
                | models.Q(official_on__isnull=True)
                | models.Q(joined_on__lte=models.F("official_on")),
                name="member_official_after_joining",
                field="official_on",
                message=_("The date made official cannot be before the date joined."),
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.card_number})"

    def clean(self):
        super().clean()
        if self.unit_id is not None and self.unit.kind not in MEETING_UNITS:
            raise ValidationError({"unit": _("A member belongs to a party cell, not to a committee.")})


class MemberStatusQuerySet(ScopedQuerySet):
    scope_path = "member__unit__path"


class MemberStatusKind(models.TextChoices):
    EXEMPT = "exempt", _("Exempt from meetings")
    TRANSFERRED_IN = "transferred_in", _("Transferred in")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    DECEASED = "deceased", _("Deceased")


class MemberStatus(Versioned):
    """A change in a member's standing from a day: exempt for a period, transferred, deceased."""

    Kind = MemberStatusKind
    LEAVING = (MemberStatusKind.TRANSFERRED_OUT, MemberStatusKind.DECEASED)

    member = models.ForeignKey(
        Member, verbose_name=_("party member"), on_delete=models.CASCADE, related_name="statuses"
    )
    kind = models.CharField(_("status"), max_length=20, choices=MemberStatusKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(
        _("until"), null=True, blank=True, help_text=_("For an exemption; empty while it lasts.")
    )
    reason = NFCTextField(_("reason"), blank=True)

    objects = MemberStatusQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        default_permissions = ("add", "change", "delete", "view")
        verbose_name = _("member status")
        verbose_name_plural = _("member statuses")
        ordering = ["member", "starts_on"]
        constraints = [
            choices_check("kind", MemberStatusKind, "member_status_kind_valid"),
            Unique(
                fields=["member", "kind", "starts_on"],
                name="member_status_once_a_day",
                field="starts_on",
                message=_("This member already has this status from that day."),
            ),
            Check(
                condition=models.Q(ends_on__isnull=True) | models.Q(kind=MemberStatusKind.EXEMPT),
                name="member_status_end_only_for_exemption",
                field="ends_on",
                message=_("Only an exemption from meetings has an end date."),
            ),
            Check(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="member_status_ends_after_start",
                field="ends_on",
                message=_("The end date cannot be before the start date."),
            ),
            Check(
                condition=~models.Q(kind=MemberStatusKind.EXEMPT) | ~models.Q(reason=""),
                name="member_exemption_has_reason",
                field="reason",
                message=_("Give the reason for the exemption from meetings."),
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.get_kind_display()} {self.starts_on:%d/%m/%Y}"


LEAVE_REASON_MESSAGE = _("Give the reason for the absence with leave.")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Absent with leave")
    UNEXCUSED = "unexcused", _("Absent without leave")
    EXEMPT = "exempt", _("Exempt")


class AttendanceQuerySet(ScopedQuerySet):
    scope_path = "session__unit__path"


class Attendance(models.Model):
    """
    One member at one meeting (điểm danh). When a session has them, its attended and
    expected figures are counted from them (members.services.attendance_record).
    """

    Status = AttendanceStatus

    session = models.ForeignKey(
        "activities.StudySession",
        verbose_name=_("study session"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("party member"), on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(
        pgettext_lazy("model", "attendance"), max_length=10, choices=AttendanceStatus.choices
    )
    reason = NFCCharField(_("reason"), max_length=255, blank=True)

    objects = AttendanceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        verbose_name = pgettext_lazy("model", "attendance")
        verbose_name_plural = pgettext_lazy("model", "attendance")
        ordering = ["session", "member__full_name"]
        constraints = [
            choices_check("status", AttendanceStatus, "attendance_status_valid"),
            Unique(
                fields=["session", "member"],
                name="attendance_once_per_session",
                field="member",
                message=_("This member's attendance at this session is already recorded."),
            ),
            Check(
                condition=~models.Q(status=AttendanceStatus.EXCUSED) | ~models.Q(reason=""),
                name="attendance_leave_has_reason",
                field="reason",
                message=LEAVE_REASON_MESSAGE,
            ),
        ]
        indexes = [models.Index(fields=["member", "session"], name="attendance_member_idx")]

    def __str__(self):
        return f"{self.member}: {self.get_status_display()}"
