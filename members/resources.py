"""Import and export columns for the register of members (django-import-export)."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from activities.models import SessionKind, StudySession
from activities.resources import column
from tracker.imports.exports import Column, Kind, blank_if_none
from tracker.imports.resources import ShownField, TrackerResource
from tracker.imports.widgets import ChoiceWidget, CodeWidget, DateWidget, TextWidget
from units.models import Unit
from units.resources import parent_name_column, unit_name_column

from .models import Attendance, AttendanceStatus, Member


class MemberResource(TrackerResource):
    """
    The list a secretary copies from CSDL đảng viên 3.0 or the Sổ tay app: one row a
    member, found again by the party card number (a row with a known card number and
    another cell moves the member there).
    """

    unit = fields.Field(attribute="unit", column_name="Mã chi bộ", widget=CodeWidget(Unit, None))
    unit_name = unit_name_column()
    parent_name = parent_name_column()
    card_number = column("card_number", "Số thẻ đảng viên")
    full_name = column("full_name", "Họ và tên")
    born_on = column("born_on", "Ngày sinh", DateWidget())
    joined_on = column("joined_on", "Ngày vào Đảng", DateWidget())
    official_on = column("official_on", "Ngày chính thức", DateWidget())
    note = column("note", "Ghi chú")

    natural_key = ("card_number",)
    column_help = {
        "Mã chi bộ": ("STP-VP", _("The cell's code, as in the list of units. Only your own units.")),
        "Số thẻ đảng viên": ("79012345", _("6 to 12 digits, as on the party card.")),
        "Họ và tên": ("Nguyễn Văn An", _("The member's full name.")),
        "Ngày sinh": ("15/08/1985", _("Day/month/year, or empty.")),
        "Ngày vào Đảng": ("03/02/2010", _("Day/month/year, or empty.")),
        "Ngày chính thức": ("03/02/2011", _("Day/month/year, or empty.")),
        "Ghi chú": ("", _("Free text.")),
    }

    class Meta(TrackerResource.Meta):
        model = Member
        use_bulk = True
        fields = [
            "unit",
            "unit_name",
            "parent_name",
            "card_number",
            "full_name",
            "born_on",
            "joined_on",
            "official_on",
            "note",
        ]
        export_order = fields
        import_id_fields = []


def card_text(value):
    """A card number as typed: a number cell (79012345.0) or text, without spaces."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "".join(str(value if value is not None else "").split())


class MemberWidget(widgets.Widget):
    """A member by party card number, among those the importing user may see (preloaded)."""

    def __init__(self, user):
        self.user = user
        self.cache = {}
        super().__init__()

    def preload(self, numbers):
        numbers = list({card_text(number) for number in numbers} - {""})
        visible = Member.objects.visible_to(self.user)
        for start in range(0, len(numbers), 500):
            for member in visible.filter(card_number__in=numbers[start : start + 500]):
                self.cache[member.card_number] = member

    def clean(self, value, row=None, **kwargs):
        number = card_text(value)
        if not number:
            raise ValueError(_("This column may not be empty."))
        if number not in self.cache:
            raise ValueError(
                _("No member of your units has the party card number “%(number)s”.") % {"number": number}
            )
        return self.cache[number]


class MemberField(fields.Field):
    def get_value(self, instance):
        return instance.member.card_number

    def export_column(self):
        return Column(self.column_name, ("member__card_number",), convert=blank_if_none)


class SessionField(fields.Field):
    """
    The meeting a row is about, found by the cell's code, the meeting's date and, when
    the cell had several sessions that day, their kind or topic. Shown beside the date.
    """

    def __init__(self, resource, **kwargs):
        self.resource = resource
        super().__init__(attribute="session", column_name="Ngày họp", widget=DateWidget(), **kwargs)

    def clean(self, row, **kwargs):
        day = self.widget.clean(row.get(self.column_name))
        if day is None:
            raise ValueError(_("This column may not be empty."))
        resource = self.resource
        try:
            unit = resource.fields["unit"].clean(row)
        except ValueError:
            raise ValueError(_("The meeting is found by its cell's code: correct the code.")) from None
        found = resource.sessions.get((unit.pk, day), [])
        kind = resource.fields["kind"].clean(row) if str(row.get("Loại buổi") or "").strip() else ""
        topic = str(row.get("Chủ đề") or "").strip()
        matching = [
            session
            for session in found
            if (not kind or session.kind == kind) and (not topic or session.topic == topic)
        ]
        if not matching:
            raise ValueError(
                _("%(cell)s has no session on %(date)s: log the meeting first, then its attendance.")
                % {"cell": unit.code, "date": day.strftime("%d/%m/%Y")}
            )
        if len(matching) > 1:
            raise ValueError(
                _("%(cell)s has %(count)s sessions on %(date)s: give the kind of session or its topic.")
                % {"cell": unit.code, "count": len(matching), "date": day.strftime("%d/%m/%Y")}
            )
        return matching[0]

    def get_value(self, instance):
        return instance.session.date

    def export_column(self):
        return Column(self.column_name, ("session__date",), Kind.DATE)


class AttendanceResource(TrackerResource):
    """
    The roll call of meetings already logged, a row a member and meeting: what a
    secretary copies from the meeting's attendance sheet. The meeting's attended and
    expected figures, and its score, are counted again from the register's rows once
    the file is saved, as the phone form does.
    """

    unit = fields.Field(column_name="Mã chi bộ", widget=CodeWidget(Unit, None))
    kind = fields.Field(column_name="Loại buổi", widget=ChoiceWidget(SessionKind))
    topic = fields.Field(column_name="Chủ đề", widget=TextWidget())
    card_number = MemberField(attribute="member", column_name="Số thẻ đảng viên", widget=MemberWidget(None))
    full_name = ShownField("Họ và tên", "member__full_name")
    status = fields.Field(attribute="status", column_name="Tình trạng", widget=ChoiceWidget(AttendanceStatus))
    reason = column("reason", "Lý do")

    natural_key = ("session", "card_number")
    export_lookups = {"unit": "session__unit", "kind": "session__kind", "topic": "session__topic"}
    column_help = {
        "Mã chi bộ": ("STP-VP", _("The cell's code, as in the list of units. Only your own units.")),
        "Ngày họp": ("06/01/2025", _("The day of the meeting, already logged: day/month/year.")),
        "Loại buổi": (
            "Sinh hoạt định kỳ",
            _("Needed only when the cell logged several sessions that day."),
        ),
        "Chủ đề": ("", _("Needed only when the cell logged several sessions of that kind that day.")),
        "Số thẻ đảng viên": ("79012345", _("6 to 12 digits, as on the party card.")),
        "Tình trạng": (
            "Có mặt",
            _("Có mặt, Vắng có lý do, Vắng không lý do or Miễn sinh hoạt."),
        ),
        "Lý do": ("", _("Needed for an absence with leave.")),
    }

    class Meta(TrackerResource.Meta):
        model = Attendance
        use_bulk = True
        fields = ["unit", "session", "kind", "topic", "card_number", "full_name", "status", "reason"]
        export_order = fields
        import_id_fields = []

    def __init__(self, user=None, **kwargs):
        super().__init__(user=user, **kwargs)
        self.fields["session"] = SessionField(self)
        self.fields["card_number"].widget = MemberWidget(user)
        # Found among the preloaded meetings and members, not by a query a row.
        self.checked_by_widgets += ["session", "member"]
        self.sessions = {}
        self.touched = set()

    def required_columns(self):
        return (("Mã chi bộ",), ("Ngày họp",), ("Số thẻ đảng viên",), ("Tình trạng",))

    def key_of_row(self, row):
        return (self.fields["session"].clean(row).pk, self.fields["card_number"].clean(row).pk)

    @staticmethod
    def key_of(attendance):
        return (attendance.session_id, attendance.member_id)

    def load_existing(self, dataset):
        """The meetings the file's cells held on its days (one query), and their attendance."""
        self.fields["card_number"].widget.preload(dataset["Số thẻ đảng viên"])
        units = list(self.fields["unit"].widget.cache.values())
        days = set()
        for value in dataset["Ngày họp"]:
            try:
                days.add(self.fields["session"].widget.clean(value))
            except ValueError:
                continue  # the row's own error says so
        self.sessions = defaultdict(list)
        sessions = StudySession.objects.filter(unit__in=units, date__in=days - {None}).order_by("pk")
        for session in sessions:
            self.sessions[(session.unit_id, session.date)].append(session)
        stored = Attendance.objects.filter(session__in=[s for found in self.sessions.values() for s in found])
        return {self.key_of(attendance): attendance for attendance in stored}

    # The meeting's columns, as the streamed export writes them (export_lookups).
    def dehydrate_unit(self, attendance):
        return attendance.session.unit.code

    def dehydrate_kind(self, attendance):
        return self.fields["kind"].widget.render(attendance.session.kind)

    def dehydrate_topic(self, attendance):
        return attendance.session.topic

    def import_instance(self, instance, row, **kwargs):
        # The cell's code finds the meeting: a wrong code is said beside it, not beside the date.
        errors = {}
        try:
            self.fields["unit"].clean(row)
        except ValueError as error:
            errors["Mã chi bộ"] = [str(error)]
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "Mã chi bộ" in errors:
            errors.pop("session", None)
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        super().validate_instance(instance, import_validation_errors, validate_unique)
        locks = instance.session.locks()
        if locks:
            # The meeting's quarter is accepted or closed (reporting.locks): so is its roll call.
            raise ValidationError({"Ngày họp": [locks[0][1].message]})
        if instance.member.unit_id != instance.session.unit_id:
            raise ValidationError(
                {
                    "Số thẻ đảng viên": [
                        _("%(name)s is not a member of this session's cell.")
                        % {"name": instance.member.full_name}
                    ]
                }
            )

    def after_save_instance(self, instance, row, **kwargs):
        self.touched.add(instance.session_id)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        recount_attendance(self.touched)  # the meetings of the rows saved


def recount_attendance(session_ids):
    """
    The attended, expected and absence figures of sessions counted again from their
    roll call (one statement), then their cells' meeting scores.
    """
    from .scoring import rescore

    session_ids = list(session_ids)
    if not session_ids:
        return
    marks = Attendance.objects.filter(session=OuterRef("pk")).order_by().values("session")

    def count(*statuses, exclude=False):
        chosen = marks.exclude(status__in=statuses) if exclude else marks.filter(status__in=statuses)
        return Coalesce(Subquery(chosen.annotate(n=Count("pk")).values("n")), 0)

    sessions = StudySession.objects.filter(pk__in=session_ids)
    sessions.update(
        attended=count(AttendanceStatus.PRESENT),
        expected=count(AttendanceStatus.EXEMPT, exclude=True),
        absent_excused=count(AttendanceStatus.EXCUSED),
        absent_unexcused=count(AttendanceStatus.UNEXCUSED),
        version=F("version") + 1,
    )
    rescore(set(sessions.values_list("unit_id", flat=True)))
