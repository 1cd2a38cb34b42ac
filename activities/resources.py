"""Import and export columns for the activity records (django-import-export)."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields

from reporting.locks import book
from tracker.imports.resources import TrackerResource
from tracker.imports.widgets import (
    ChoiceWidget,
    CodeWidget,
    DateWidget,
    DecimalWidget,
    IntegerWidget,
    QuarterField,
    TextWidget,
    YesNoWidget,
)
from tracker.periods import Quarter
from units.models import Official, Unit
from units.resources import parent_name_column, unit_name_column

from .duplicates import occasion, occasion_of
from .models import (
    DeclaredFigure,
    Directive,
    Exemplar,
    Initiative,
    InitiativeEvaluation,
    Outreach,
    Qualifier,
    ServiceFigure,
    StudySession,
)


def unit_field():
    return fields.Field(attribute="unit", column_name="Mã đơn vị", widget=CodeWidget(Unit, None))


def column(attribute, name, widget=None):
    return fields.Field(attribute=attribute, column_name=name, widget=widget or TextWidget())


UNIT_HELP = ("STP", _("The unit's code, as in the list of units. Only your own units."))
DATE_HELP = _("Day/month/year, e.g. 05/02/2024.")
QUALIFIER_HELP = ("đúng", _("How the number was stated: đúng, trên, gần or khoảng."))


class StudySessionResource(TrackerResource):
    unit = fields.Field(attribute="unit", column_name="Mã đơn vị", widget=CodeWidget(Unit, None))
    unit_name = unit_name_column()
    parent_name = parent_name_column()
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
        use_bulk = True
        fields = [
            "unit",
            "unit_name",
            "parent_name",
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

    def required_columns(self):
        # A session is placed by its date, or by its quarter when the date is unknown.
        return (("Mã đơn vị",), ("Loại buổi",), ("Ngày", "Quý"))

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
        """
        The stored sessions the file's rows may update or repeat. A file names a few
        hundred units over a year or two, which hold tens of thousands of sessions:
        their keys are read first, as plain tuples, and only the sessions that share a
        natural key or an occasion with a row of the file are read as records.
        """
        units = self.fields["unit"].widget.cache
        keys, occasions, years, kinds = set(), set(), set(), set()
        for values in dataset:  # a row at a time: dataset.dict would hold them all at once
            row = dict(zip(dataset.headers, values, strict=True))
            if str(row.get("Mã đơn vị") or "").strip().upper() not in units:
                continue  # a code the widget would look up again: the row's error says so
            try:
                key = self.key_of_row(row)
            except ValueError:
                continue  # the row's own cells are reported
            keys.add(key)
            unit_id, kind, date, *rest = key
            occasions.add(occasion(unit_id, kind, date, *(rest[:2] if date is None else ())))
            years.add(Quarter.of(date).year if date is not None else rest[0])
            kinds.add(kind)
        # Read as a stream: at ten provinces the file's units hold hundreds of thousands
        # of sessions in its years, and only the few that match are kept.
        stored = (
            StudySession.objects.filter(unit__in=list(units.values()), year__in=years, kind__in=kinds)
            .values_list("pk", "unit_id", "kind", "date", "year", "quarter", "topic")
            .iterator(chunk_size=5000)
        )
        wanted = []
        for pk, unit_id, kind, date, year, quarter, topic in stored:
            key = (
                (unit_id, kind, date, topic)
                if date is not None
                else (unit_id, kind, None, year, quarter, topic)
            )
            if key in keys or occasion(unit_id, kind, date, year, quarter) in occasions:
                wanted.append(pk)
        order = {pk: index for index, pk in enumerate(wanted)}
        sessions = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            sessions.extend(StudySession.objects.filter(pk__in=chunk).select_related("unit"))
        sessions.sort(key=lambda session: order[session.pk])
        # The same sessions serve the possible duplicates.
        self.stored_occasions = defaultdict(list)
        self.file_occasions = defaultdict(list)
        for session in sessions:
            key = occasion_of(session)
            if key is not None:
                self.stored_occasions[key].append(session)
        return {self.key_of(session): session for session in sessions}

    def import_instance(self, instance, row, **kwargs):
        adopted, before = (instance.minutes_adopted_on, instance.minutes) if instance.pk else (None, None)
        super().import_instance(instance, row, **kwargs)
        if adopted and instance.minutes != before:
            # Adopted minutes change only with a reason, in the admin (activities.forms.AdoptedMinutesMixin).
            raise ValidationError(
                {
                    "minutes": [
                        _(
                            "The minutes were adopted on %(day)s: change them on the session's page, "
                            "with the reason."
                        )
                        % {"day": adopted.strftime("%d/%m/%Y")}
                    ]
                }
            )

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        if row_result.import_type != row_result.IMPORT_TYPE_NEW:
            return  # a row that updates or repeats a stored session adds no meeting
        unit_id, kind, date, *rest = self.cached_key(row)
        key = occasion(unit_id, kind, date, *(rest[:2] if date is None else ()))
        if key is not None:
            row_result.row_in_file = self.line(kwargs["row_number"])  # as in the spreadsheet
            self.file_occasions[key].append(row_result)

    def after_import(self, dataset, result, **kwargs):
        """Mark new rows that may be a session already recorded, or another row of the file."""
        super().after_import(dataset, result, **kwargs)
        result.possible_duplicates = 0
        for key, rows in self.file_occasions.items():
            stored = self.stored_occasions.get(key, [])
            for row_result in rows:
                row_result.duplicate_sessions = stored
                row_result.duplicate_rows = [other.row_in_file for other in rows if other is not row_result]
                if stored or row_result.duplicate_rows:
                    result.possible_duplicates += 1


class OutreachResource(TrackerResource):
    unit = unit_field()
    unit_name = unit_name_column()
    parent_name = parent_name_column()
    channel = column("channel", "Kênh", ChoiceWidget(Outreach.Channel))
    title = column("title", "Tiêu đề")
    published_on = column("published_on", "Ngày đăng", DateWidget())
    is_regular = column("is_regular", "Thường xuyên", YesNoWidget())
    url = column("url", "Đường dẫn")
    description = column("description", "Mô tả")

    natural_key = ("unit", "channel", "title", "published_on")
    column_help = {
        "Mã đơn vị": UNIT_HELP,
        "Kênh": (
            "Mạng xã hội",
            _("Mạng xã hội, Trang thông tin điện tử của cơ quan, Chuyên mục bản tin, Báo chí or Khác."),
        ),
        "Tiêu đề": (
            "Học tập và làm theo Bác trong cải cách hành chính",
            _("The title of the post or column."),
        ),
        "Ngày đăng": ("19/05/2024", _("Day/month/year. Empty only for a regular column.")),
        "Thường xuyên": ("Không", _("Có for a standing column or a habit, Không for a single post.")),
        "Đường dẫn": ("https://stp.dongnai.gov.vn/", _("A link, or empty.")),
        "Mô tả": ("", _("Free text.")),
    }

    class Meta(TrackerResource.Meta):
        model = Outreach
        use_bulk = True
        fields = [
            "unit",
            "unit_name",
            "parent_name",
            "channel",
            "title",
            "published_on",
            "is_regular",
            "url",
            "description",
        ]
        export_order = fields
        import_id_fields = []


class ExemplarResource(TrackerResource):
    unit = unit_field()
    unit_name = unit_name_column()
    parent_name = parent_name_column()
    name = column("name", "Người hoặc tập thể")
    is_collective = column("is_collective", "Tập thể", YesNoWidget())
    official = column("official", "Mã cán bộ", CodeWidget(Official, None, required=False))
    deed = column("deed", "Việc tốt")
    recognised_on = column("recognised_on", "Ngày ghi nhận", DateWidget())

    natural_key = ("unit", "name", "recognised_on")
    column_help = {
        "Mã đơn vị": UNIT_HELP,
        "Người hoặc tập thể": ("Nguyễn Văn An", _("The person's or the collective's name.")),
        "Tập thể": ("Không", _("Có for a collective, Không for a person.")),
        "Mã cán bộ": ("", _("The official's code when the person is one, or empty.")),
        "Việc tốt": ("Nhặt được của rơi trả lại người mất", _("The good deed.")),
        "Ngày ghi nhận": ("19/05/2024", DATE_HELP),
    }

    class Meta(TrackerResource.Meta):
        model = Exemplar
        use_bulk = True
        fields = [
            "unit",
            "unit_name",
            "parent_name",
            "name",
            "is_collective",
            "official",
            "deed",
            "recognised_on",
        ]
        export_order = fields
        import_id_fields = []


def qualifier_column(attribute, name):
    return column(attribute, name, ChoiceWidget(Qualifier))


class ServiceFigureResource(TrackerResource):
    unit = unit_field()
    unit_name = unit_name_column()
    parent_name = parent_name_column()
    agency = column("agency", "Cơ quan")
    period_start = column("period_start", "Từ ngày", DateWidget())
    period_end = column("period_end", "Đến ngày", DateWidget())
    received = column("received", "Tiếp nhận (kể cả chuyển sang)", IntegerWidget(required=True))
    received_qualifier = qualifier_column("received_qualifier", "Mức độ (tiếp nhận)")
    carried_over = column("carried_over", "Kỳ trước chuyển sang", IntegerWidget(required=True))
    carried_over_qualifier = qualifier_column("carried_over_qualifier", "Mức độ (chuyển sang)")
    resolved = column("resolved", "Đã giải quyết", IntegerWidget())
    resolved_qualifier = qualifier_column("resolved_qualifier", "Mức độ (đã giải quyết)")
    on_time = column("on_time", "Đúng hạn và trước hạn", IntegerWidget())
    on_time_qualifier = qualifier_column("on_time_qualifier", "Mức độ (đúng hạn)")
    on_time_rate = column("on_time_rate", "Tỷ lệ đúng hạn (%)", DecimalWidget(percent=True))
    one_stop_rate = column(
        "one_stop_rate", "Tỷ lệ xử lý trên phần mềm một cửa (%)", DecimalWidget(percent=True)
    )
    one_stop_software = column("one_stop_software", "Phần mềm một cửa")

    natural_key = ("unit", "agency", "period_start", "period_end")
    column_help = {
        "Mã đơn vị": UNIT_HELP,
        "Cơ quan": ("Sở Tư pháp", _("The agency whose dossiers these are.")),
        "Từ ngày": ("01/01/2024", DATE_HELP),
        "Đến ngày": ("31/03/2024", DATE_HELP),
        "Tiếp nhận (kể cả chuyển sang)": (
            "80.000",
            _("A whole number: every dossier handled, including those carried over."),
        ),
        "Mức độ (tiếp nhận)": QUALIFIER_HELP,
        "Kỳ trước chuyển sang": ("776", _("A whole number, part of those received.")),
        "Mức độ (chuyển sang)": QUALIFIER_HELP,
        "Đã giải quyết": ("", _("A whole number, or empty when not declared.")),
        "Mức độ (đã giải quyết)": QUALIFIER_HELP,
        "Đúng hạn và trước hạn": ("77.000", _("A whole number, or empty.")),
        "Mức độ (đúng hạn)": QUALIFIER_HELP,
        "Tỷ lệ đúng hạn (%)": ("98,06", _("The rate as declared, 0 to 100.")),
        "Tỷ lệ xử lý trên phần mềm một cửa (%)": ("100", _("0 to 100, or empty.")),
        "Phần mềm một cửa": ("eGov", _("The software's name, or empty.")),
    }

    class Meta(TrackerResource.Meta):
        model = ServiceFigure
        use_bulk = True
        fields = [
            "unit",
            "unit_name",
            "parent_name",
            "agency",
            "period_start",
            "period_end",
            "received",
            "received_qualifier",
            "carried_over",
            "carried_over_qualifier",
            "resolved",
            "resolved_qualifier",
            "on_time",
            "on_time_qualifier",
            "on_time_rate",
            "one_stop_rate",
            "one_stop_software",
        ]
        export_order = fields
        import_id_fields = []


class DeclaredFigureResource(TrackerResource):
    unit = unit_field()
    unit_name = unit_name_column()
    parent_name = parent_name_column()
    metric = column("metric", "Chỉ tiêu", ChoiceWidget(DeclaredFigure.Metric))
    value = column("value", "Giá trị", DecimalWidget())
    qualifier = qualifier_column("qualifier", "Mức độ")
    period_start = column("period_start", "Từ ngày", DateWidget())
    period_end = column("period_end", "Đến ngày", DateWidget())
    directive = column("directive", "Văn bản", CodeWidget(Directive, None, required=False))
    note = column("note", "Ghi chú")

    natural_key = ("unit", "metric", "period_start", "period_end")
    column_help = {
        "Mã đơn vị": UNIT_HELP,
        "Chỉ tiêu": ("Số buổi sinh hoạt chuyên đề đã tổ chức", _("One of the metrics listed in the admin.")),
        "Giá trị": ("13", _("A number.")),
        "Mức độ": QUALIFIER_HELP,
        "Từ ngày": ("01/01/2021", DATE_HELP),
        "Đến ngày": ("15/03/2024", DATE_HELP),
        "Văn bản": ("01-KL/TW", _("The directive's number, or empty.")),
        "Ghi chú": ("", _("Free text.")),
    }

    class Meta(TrackerResource.Meta):
        model = DeclaredFigure
        use_bulk = True
        fields = [
            "unit",
            "unit_name",
            "parent_name",
            "metric",
            "value",
            "qualifier",
            "period_start",
            "period_end",
            "directive",
            "note",
        ]
        export_order = fields
        import_id_fields = []


class InitiativeResource(TrackerResource):
    """
    Good models with their evaluations: one row per evaluation (an initiative without
    one has a row with those columns empty). A row's evaluation is added, or its
    conclusion updated, matched by date and evaluating body.
    """

    unit = unit_field()
    unit_name = unit_name_column()
    parent_name = parent_name_column()
    title = column("title", "Tên mô hình")
    group = column("group", "Nhóm", ChoiceWidget(Initiative.Group))
    status = column("status", "Giai đoạn", ChoiceWidget(Initiative.Status))
    start_year = column("start_year", "Năm bắt đầu", IntegerWidget())
    registered_on = column("registered_on", "Ngày đăng ký", DateWidget())
    description = column("description", "Mô tả")
    evaluated_on = fields.Field(column_name="Ngày đánh giá", widget=DateWidget())
    evaluator = fields.Field(column_name="Cơ quan đánh giá", widget=TextWidget())
    result = fields.Field(column_name="Kết luận đánh giá", widget=TextWidget())

    natural_key = ("unit", "title")
    export_lookups = {
        "evaluated_on": "evaluations__evaluated_on",
        "evaluator": "evaluations__evaluator",
        "result": "evaluations__result",
    }
    # As the initiative lists them (InitiativeEvaluation's ordering).
    export_ordering = ("-evaluations__evaluated_on", "evaluations__pk")
    EVALUATION_COLUMNS = ("Ngày đánh giá", "Cơ quan đánh giá", "Kết luận đánh giá")
    column_help = {
        "Mã đơn vị": UNIT_HELP,
        "Tên mô hình": ("Cơ quan văn minh, có đời sống văn hóa tốt", _("The good model's name.")),
        "Nhóm": ("Cải cách hành chính", _("One of the groups listed in the admin.")),
        "Giai đoạn": ("Đang thực hiện", _("Đăng ký, Đang thực hiện, Đã đánh giá or Đã nhân rộng.")),
        "Năm bắt đầu": ("2023", _("A year, or empty.")),
        "Ngày đăng ký": ("15/03/2023", _("Day/month/year, or empty.")),
        "Mô tả": ("", _("Free text.")),
        "Ngày đánh giá": ("", _("Day/month/year of an evaluation, or empty when there is none.")),
        "Cơ quan đánh giá": ("", _("Who evaluated; needed with a date.")),
        "Kết luận đánh giá": ("", _("What they concluded; needed with a date.")),
    }

    class Meta(TrackerResource.Meta):
        model = Initiative
        fields = [
            "unit",
            "unit_name",
            "parent_name",
            "title",
            "group",
            "status",
            "start_year",
            "registered_on",
            "description",
            "evaluated_on",
            "evaluator",
            "result",
        ]
        export_order = fields
        import_id_fields = []

    def row_identity(self, row):
        # Several rows may carry one initiative, each with another evaluation.
        evaluation = (str(row.get("Ngày đánh giá") or ""), str(row.get("Cơ quan đánh giá") or ""))
        return (*self.key_of_row(row), *evaluation)

    def iter_queryset(self, queryset):
        for initiative in super().iter_queryset(
            queryset.select_related("unit").prefetch_related("evaluations")
        ):
            for evaluation in list(initiative.evaluations.all()) or [None]:
                initiative.export_evaluation = evaluation
                yield initiative

    def dehydrate_evaluated_on(self, initiative):
        return initiative.export_evaluation.evaluated_on if initiative.export_evaluation else None

    def dehydrate_evaluator(self, initiative):
        return initiative.export_evaluation.evaluator if initiative.export_evaluation else ""

    def dehydrate_result(self, initiative):
        return initiative.export_evaluation.result if initiative.export_evaluation else ""

    def load_existing(self, dataset):
        existing = super().load_existing(dataset)
        self.evaluations = {
            (e.initiative_id, e.evaluated_on, e.evaluator): e
            for e in InitiativeEvaluation.objects.filter(initiative__in=list(existing.values()))
        }
        return existing

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        self.pending = None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            date = self.fields["evaluated_on"].clean(row)
        except ValueError as error:
            errors["Ngày đánh giá"] = [str(error)]
            date = None
        evaluator, result = self.fields["evaluator"].clean(row), self.fields["result"].clean(row)
        if date or evaluator or result:
            for column_name, value in zip(self.EVALUATION_COLUMNS, (date, evaluator, result), strict=True):
                if not value and column_name not in errors:
                    errors[column_name] = [
                        _("An evaluation needs its date, who evaluated and the conclusion.")
                    ]
            self.pending = (date, evaluator, result)
            if date and not errors and instance.unit_id and self.evaluation_changes(instance):
                # A new or changed evaluation in an accepted or closed quarter (reporting.locks).
                lock = book().lock_of(instance.unit, Quarter.of(date))
                if lock is not None:
                    errors["Ngày đánh giá"] = [lock.message]
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if self.pending and self.evaluation_changes(instance):
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def evaluation_changes(self, initiative):
        date, evaluator, result = self.pending
        current = self.evaluations.get((initiative.pk, date, evaluator))
        return current is None or current.result != result

    def after_save_instance(self, instance, row, **kwargs):
        if not self.pending or not self.evaluation_changes(instance):
            return
        date, evaluator, result = self.pending
        evaluation = self.evaluations.get((instance.pk, date, evaluator)) or InitiativeEvaluation(
            initiative=instance, evaluated_on=date, evaluator=evaluator
        )
        evaluation.result = result
        evaluation.full_clean()
        evaluation.save()
        self.evaluations[(instance.pk, date, evaluator)] = evaluation
