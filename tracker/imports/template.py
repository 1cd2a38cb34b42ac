"""
The import template a user downloads and fills: the headers with one example row made
of the user's own codes; drop-downs for the columns with a fixed list (the Vietnamese
labels the importer reads); a sheet of the unit and official codes the user may use;
a guide to each column.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from units.models import Official, Unit, unit_label

from .formats import neutralise
from .widgets import ChoiceWidget, CodeWidget, YesNoWidget

DATA, CODES, GUIDE = "Dữ liệu", "Mã", "Hướng dẫn"
LAST_ROW = 2000  # how far down the drop-downs reach
CELL_KINDS = (Unit.Kind.CELL, Unit.Kind.GRASSROOTS_CELL)


class ImportTemplate:
    def __init__(self, resource, user):
        self.resource = resource
        self.fields = resource.get_import_fields()
        self.headers = [field.column_name for field in self.fields]
        self.units = [
            (code, unit_label(name, parent_name, path), kind)
            for code, name, parent_name, path, kind in Unit.objects.visible_to(user)
            .order_by("path")
            .values_list("code", "name", "parent_name", "path", "kind")
        ]
        self.officials = list(
            Official.objects.filter(positions__unit__in=Unit.objects.visible_to(user))
            .distinct()
            .order_by("full_name", "code")
            .values_list("code", "full_name")
        )
        self.example = [self.example_value(field) for field in self.fields]

    def example_value(self, field):
        """The guide's example, but the user's own unit (a cell of theirs, if any) and one of its officials."""
        widget = field.widget
        sample = self.resource.column_help.get(field.column_name, ("", ""))[0]
        if isinstance(widget, CodeWidget) and widget.model is Unit and self.units:
            cells = [code for code, _name, kind in self.units if kind in CELL_KINDS]
            return cells[0] if cells else self.units[0][0]
        if isinstance(widget, CodeWidget) and widget.model is Official and sample and self.officials:
            return self.officials[0][0]
        return sample

    def choices(self, field):
        """The values a column's drop-down offers, or None for a free column."""
        widget = field.widget
        if isinstance(widget, YesNoWidget):
            return ["Có", "Không"]
        if isinstance(widget, ChoiceWidget):
            return list(widget.table()[1].values())
        return None

    def xlsx_bytes(self):
        workbook = Workbook()
        data = workbook.active
        data.title = DATA
        data.append([neutralise(header) for header in self.headers])
        data.append([neutralise(value) for value in self.example])
        for cell in data[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        data.freeze_panes = "A2"
        codes = self.codes_sheet(workbook)
        for index, (field, header, example) in enumerate(
            zip(self.fields, self.headers, self.example, strict=True), start=1
        ):
            letter = get_column_letter(index)
            width = max(len(str(header)), len(str(example or ""))) + 2
            data.column_dimensions[letter].width = min(max(width, 10), 50)
            validation = self.validation(field, codes)
            if validation is not None:
                data.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}{LAST_ROW}")
        self.guide_sheet(workbook)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    def validation(self, field, codes):
        widget = field.widget
        values = self.choices(field)
        if values is not None:
            # A list written in the rule itself: Excel allows 255 characters and no commas in a value.
            formula = '"' + ",".join(values) + '"'
            if len(formula) > 255 or any("," in value for value in values):
                return None
            validation = DataValidation(type="list", formula1=formula, allow_blank=True)
            validation.error = f"Chọn một trong: {', '.join(values)}."
        elif isinstance(widget, CodeWidget) and self.units:
            column, count = ("A", len(self.units)) if widget.model is Unit else ("C", len(self.officials))
            if not count:
                return None
            validation = DataValidation(
                type="list", formula1=f"{quote_sheetname(codes.title)}!${column}$2:${column}${count + 1}"
            )
            validation.allow_blank = True
            validation.error = f"Chọn một mã trong trang “{CODES}”."
        else:
            return None
        validation.showErrorMessage = True
        validation.errorTitle = "Giá trị không hợp lệ"
        return validation

    def codes_sheet(self, workbook):
        codes = workbook.create_sheet(CODES)
        codes.append(["Mã đơn vị", "Tên đơn vị", "Mã cán bộ", "Họ và tên"])
        for cell in codes[1]:
            cell.font = Font(bold=True)
        for row, (code, name, _kind) in enumerate(self.units, start=2):
            codes.cell(row=row, column=1, value=neutralise(code))
            codes.cell(row=row, column=2, value=neutralise(name))
        for row, (code, name) in enumerate(self.officials, start=2):
            codes.cell(row=row, column=3, value=neutralise(code))
            codes.cell(row=row, column=4, value=neutralise(name))
        for letter, width in zip("ABCD", (16, 45, 24, 30), strict=True):
            codes.column_dimensions[letter].width = width
        codes.freeze_panes = "A2"
        return codes

    def guide_sheet(self, workbook):
        guide = workbook.create_sheet(GUIDE)
        guide.append(["Cột", "Ví dụ", "Cách ghi"])
        for cell in guide[1]:
            cell.font = Font(bold=True)
        for header, example in zip(self.headers, self.example, strict=True):
            rule = self.resource.column_help.get(header, ("", ""))[1]
            guide.append([neutralise(header), neutralise(example), neutralise(str(rule))])
        for letter, width in zip("ABC", (30, 30, 80), strict=True):
            guide.column_dimensions[letter].width = width
