"""Import and export columns for the register of members (django-import-export)."""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from activities.resources import column
from tracker.imports.resources import TrackerResource
from tracker.imports.widgets import CodeWidget, DateWidget
from units.models import Unit
from units.resources import parent_name_column, unit_name_column

from .models import Member


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
