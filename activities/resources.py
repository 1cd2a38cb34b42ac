"""Import and export columns for the activity records (django-import-export)."""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from tracker.imports import (
    ChoiceWidget,
    CodeWidget,
    DateWidget,
    IntegerWidget,
    QuarterField,
    TextWidget,
    TrackerResource,
    YesNoWidget,
)
from tracker.periods import Quarter
from units.models import Official, Unit

from .models import StudySession


class StudySessionResource(TrackerResource):
    unit = fields.Field(attribute="unit", column_name="Mã đơn vị", widget=CodeWidget(Unit, None))
    kind = fields.Field(attribute="kind", column_name="Loại buổi", widget=ChoiceWidget(StudySession.Kind))
    date = fields.Field(attribute="date", column_name="Ngày", widget=DateWidget())
    quarter = QuarterField(date_column="Ngày")
    topic = fields.Field(attribute="topic", column_name="Chủ đề", widget=TextWidget())
    format = fields.Field(
        attribute="format",
        column_name="Hình thức",
        widget=ChoiceWidget(StudySession.Format, blank_allowed=True),
    )
    chair = fields.Field(
        attribute="chair", column_name="Mã người chủ trì", widget=CodeWidget(Official, None, required=False)
    )
    attended = fields.Field(attribute="attended", column_name="Số có mặt", widget=IntegerWidget())
    expected = fields.Field(attribute="expected", column_name="Số được triệu tập", widget=IntegerWidget())
    has_self_criticism = fields.Field(
        attribute="has_self_criticism", column_name="Tự phê bình và phê bình", widget=YesNoWidget()
    )
    reviews_study = fields.Field(
        attribute="reviews_study", column_name="Kiểm điểm học tập và làm theo Bác", widget=YesNoWidget()
    )
    minutes = fields.Field(attribute="minutes", column_name="Biên bản", widget=TextWidget())

    # Shown in the blank template: an example, and what the column accepts.
    column_help = {
        "Mã đơn vị": ("BDVTU", _("The unit's code, as in the list of units. Only your own units.")),
        "Loại buổi": (
            "Sinh hoạt chuyên đề",
            _("Sinh hoạt chuyên đề, Sinh hoạt định kỳ, Học tập sáng thứ Hai đầu tháng or Lớp bồi dưỡng."),
        ),
        "Ngày": (
            "05/02/2024",
            _("Day/month/year (05/02/2024 is 5 February). Empty when only the quarter is known."),
        ),
        "Quý": ("Quý I/2024", _("Quý I/2024 or I/2024. Needed only when the date is empty.")),
        "Chủ đề": ("Tư tưởng, đạo đức, phong cách Hồ Chí Minh về văn hóa", _("The topic studied.")),
        "Hình thức": ("Trực tiếp", _("Trực tiếp, Trực tuyến, Trực tiếp kết hợp trực tuyến, or empty.")),
        "Mã người chủ trì": ("PHAM-THI-KIM-CHUNG", _("The official's code, or empty.")),
        "Số có mặt": ("18", _("A whole number, at most the number expected.")),
        "Số được triệu tập": ("20", _("A whole number.")),
        "Tự phê bình và phê bình": ("Không", _("Có or Không.")),
        "Kiểm điểm học tập và làm theo Bác": ("Không", _("Có or Không.")),
        "Biên bản": ("", _("Free text.")),
    }

    class Meta(TrackerResource.Meta):
        model = StudySession
        fields = [
            "unit",
            "kind",
            "date",
            "quarter",
            "topic",
            "format",
            "chair",
            "attended",
            "expected",
            "has_self_criticism",
            "reviews_study",
            "minutes",
        ]
        export_order = fields
        import_id_fields = []

    def key_of_row(self, row):
        unit = self.fields["unit"].clean(row)
        kind = self.fields["kind"].clean(row)
        date = self.fields["date"].clean(row)
        topic = self.fields["topic"].clean(row) or ""
        if date is not None:
            return (unit.pk, kind, date, topic)
        quarter = self.fields["quarter"].clean(row)
        if quarter is None:
            raise ValueError
        return (unit.pk, kind, None, quarter.year, quarter.number, topic)

    @staticmethod
    def key_of(session):
        if session.date is not None:
            return (session.unit_id, session.kind, session.date, session.topic)
        return (session.unit_id, session.kind, None, session.year, session.quarter, session.topic)

    def load_existing(self, dataset):
        units = self.fields["unit"].widget.cache.values()
        years = set()
        for row in dataset.dict:
            try:
                date = self.fields["date"].clean(row)
                quarter = Quarter.of(date) if date else self.fields["quarter"].clean(row)
            except ValueError:
                continue
            if quarter is not None:
                years.add(quarter.year)
        sessions = StudySession.objects.filter(unit__in=list(units), year__in=years).select_related("unit")
        return {self.key_of(session): session for session in sessions}
