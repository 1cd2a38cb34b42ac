"""Import and export columns for units and member counts (django-import-export)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields

from tracker.imports.resources import ShownField, TrackerResource
from tracker.imports.widgets import (
    ChoiceWidget,
    CodeWidget,
    DateWidget,
    IntegerWidget,
    TextWidget,
    YesNoWidget,
)
from tracker.text import nfc

from .models import MemberCount, Official, Position, Unit

# Columns that name a row's unit for people reading the export: its code alone says
# little, and its name alone is ambiguous (every committee has its "Chi bộ Văn phòng").
UNIT_NAME_COLUMN = "Tên đơn vị"
PARENT_NAME_COLUMN = "Đơn vị cấp trên"


def unit_name_column():
    return ShownField(UNIT_NAME_COLUMN, "unit__name")


def parent_name_column():
    """The name of the row's unit's parent, read from the unit row (no join)."""
    return ShownField(PARENT_NAME_COLUMN, "unit__parent_name")


class UnitResource(TrackerResource):
    code = fields.Field(attribute="code", column_name="Mã đơn vị", widget=TextWidget())
    name = fields.Field(attribute="name", column_name="Tên đơn vị", widget=TextWidget())
    kind = fields.Field(attribute="kind", column_name="Loại", widget=ChoiceWidget(Unit.Kind))
    parent = fields.Field(
        attribute="parent", column_name="Mã đơn vị cấp trên", widget=CodeWidget(Unit, None, required=False)
    )
    parent_name = ShownField(PARENT_NAME_COLUMN, "parent_name")
    host_agency = fields.Field(attribute="host_agency", column_name="Cơ quan", widget=TextWidget())
    is_active = fields.Field(attribute="is_active", column_name="Đang hoạt động", widget=YesNoWidget())
    note = fields.Field(attribute="note", column_name="Ghi chú", widget=TextWidget())

    natural_key = ("code",)
    column_help = {
        "Mã đơn vị": ("STP-VP", _("A short code: capital letters without accents, digits, dots, hyphens.")),
        "Tên đơn vị": ("Chi bộ Văn phòng", _("The unit's name.")),
        "Loại": (
            "Chi bộ trực thuộc",
            _("Đảng bộ cấp trên cơ sở, Đảng bộ cơ sở, Chi bộ cơ sở or Chi bộ trực thuộc."),
        ),
        "Mã đơn vị cấp trên": ("STP", _("The parent unit's code; empty only for the bloc committee.")),
        "Cơ quan": ("Sở Tư pháp", _("The host agency, or empty.")),
        "Đang hoạt động": ("Có", _("Có or Không.")),
        "Ghi chú": ("", _("Free text.")),
    }

    class Meta(TrackerResource.Meta):
        model = Unit
        fields = ["code", "name", "kind", "parent", "parent_name", "host_agency", "is_active", "note"]
        export_order = fields
        import_id_fields = []

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        # A unit of the file may be the parent of a later one.
        self.fields["parent"].widget.preload(dataset["Mã đơn vị"] if "Mã đơn vị" in dataset.headers else [])

    def existing_candidates(self, dataset):
        codes = (
            [str(code).strip().upper() for code in dataset["Mã đơn vị"]]
            if "Mã đơn vị" in dataset.headers
            else []
        )
        return self.get_queryset().filter(code__in=codes)

    def key_of_row(self, row):
        return (str(row.get("Mã đơn vị") or "").strip().upper(),)

    def after_save_instance(self, instance, row, **kwargs):
        # Later rows may name this unit as their parent.
        self.fields["parent"].widget.cache[instance.code] = instance


class MemberCountResource(TrackerResource):
    unit = fields.Field(attribute="unit", column_name="Mã đơn vị", widget=CodeWidget(Unit, None))
    unit_name = unit_name_column()
    parent_name = parent_name_column()
    year = fields.Field(attribute="year", column_name="Năm", widget=IntegerWidget(required=True))
    members = fields.Field(
        attribute="members", column_name="Số đảng viên", widget=IntegerWidget(required=True)
    )
    as_of = fields.Field(attribute="as_of", column_name="Tính đến ngày", widget=DateWidget())

    natural_key = ("unit", "year")
    column_help = {
        "Mã đơn vị": ("STP", _("The unit's code, as in the list of units. Only your own units.")),
        "Năm": ("2024", _("A year.")),
        "Số đảng viên": ("35", _("A whole number.")),
        "Tính đến ngày": ("31/12/2024", _("Day/month/year within that year, or empty.")),
    }

    class Meta(TrackerResource.Meta):
        model = MemberCount
        use_bulk = True
        fields = ["unit", "unit_name", "parent_name", "year", "members", "as_of"]
        export_order = fields
        import_id_fields = []


class OfficialField(fields.Field):
    """
    The official of a position row, by code, with the name beside it: found among
    the user's officials, or created when the code is new, always with the row's
    position in one of the user's units.
    """

    def __init__(self):
        super().__init__(attribute="official", column_name="Mã cán bộ", widget=CodeWidget(Official, None))
        self.unit_field = None  # the row's unit column, set by the resource

    def clean(self, row, **kwargs):
        code = str(row.get(self.column_name) or "").strip().upper()
        name = nfc(str(row.get("Họ và tên") or ""))
        widget = self.widget
        if code and code not in widget.cache and not Official.objects.filter(code=code).exists():
            if not name:
                raise ValueError(_("A new official needs a name in the column Họ và tên."))
            try:
                self.unit_field.clean(row)
            except (ValueError, KeyError):
                # Without a position in the user's units, the official would belong to no unit.
                raise ValueError(
                    _(
                        "A new official is added with a position in one of your units, named in the column Mã đơn vị."
                    )
                ) from None
            official = Official(code=code, full_name=name)
            official.full_clean()
            official.save()
            widget.cache[code] = official
        return widget.clean(code, row)

    def save(self, instance, row, is_m2m=False, **kwargs):
        official = self.clean(row)
        name = nfc(str(row.get("Họ và tên") or ""))
        if name and official.full_name != name:
            if not official.identity_editable_by(self.widget.user):
                raise ValueError(
                    _("The file names official “%(code)s” “%(name)s”, not “%(current)s”. %(rule)s")
                    % {
                        "code": official.code,
                        "name": name,
                        "current": official.full_name,
                        "rule": official.identity_rule(),
                    }
                )
            official.full_name = name
            try:
                official.full_clean(exclude=["code"], validate_unique=False)
            except ValidationError as error:
                raise ValueError(" ".join(error.messages)) from None
            official.save(update_fields=["full_name"])
        instance.official = official


class PositionResource(TrackerResource):
    """Officials with their positions: one row per position."""

    official = OfficialField()
    full_name = fields.Field(column_name="Họ và tên", widget=TextWidget())
    unit = fields.Field(attribute="unit", column_name="Mã đơn vị", widget=CodeWidget(Unit, None))
    unit_name = unit_name_column()
    parent_name = parent_name_column()
    kind = fields.Field(attribute="kind", column_name="Loại chức vụ", widget=ChoiceWidget(Position.Kind))
    title = fields.Field(attribute="title", column_name="Chức vụ", widget=TextWidget())
    start_date = fields.Field(attribute="start_date", column_name="Từ ngày", widget=DateWidget())
    end_date = fields.Field(attribute="end_date", column_name="Đến ngày", widget=DateWidget())

    natural_key = ("official", "unit", "kind", "title", "start_date")
    column_help = {
        "Mã cán bộ": ("PHAN-QUANG-TUAN", _("The official's code; a new code adds the official.")),
        "Họ và tên": ("Phan Quang Tuấn", _("The official's full name.")),
        "Mã đơn vị": ("STP", _("The unit's code, as in the list of units. Only your own units.")),
        "Loại chức vụ": ("Chức vụ Đảng", _("Chức vụ Đảng, or Chức vụ chính quyền/cơ quan.")),
        "Chức vụ": ("Phó bí thư Đảng ủy", _("The title.")),
        "Từ ngày": ("", _("Day/month/year, or empty.")),
        "Đến ngày": ("", _("Day/month/year, or empty while the position is held.")),
    }

    class Meta(TrackerResource.Meta):
        model = Position
        use_bulk = True
        fields = [
            "official",
            "full_name",
            "unit",
            "unit_name",
            "parent_name",
            "kind",
            "title",
            "start_date",
            "end_date",
        ]
        export_order = fields
        import_id_fields = []

    export_lookups = {"full_name": "official__full_name"}

    def __init__(self, user=None, **kwargs):
        super().__init__(user, **kwargs)
        self.fields["official"].unit_field = self.fields["unit"]

    def values_of(self, instance):
        # A row that renames the official is not an unchanged row.
        return [*super().values_of(instance), instance.official.full_name]

    def existing_candidates(self, dataset):
        return super().existing_candidates(dataset).select_related("official")

    def dehydrate_full_name(self, position):
        return position.official.full_name

    def iter_queryset(self, queryset):
        return super().iter_queryset(queryset.select_related("official", "unit"))
