"""
Every importable model, through the admin's HTTP views: an export imports back
unchanged (XLSX and CSV), the same file twice changes nothing the second time,
formula cells are neutralised, and an export holds only the user's units.
"""

import io

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from conftest import populate
from tracker.imports.admin import TrackerImportExportMixin
from units.models import Role
from units.services import user_grant

IMPORTABLE = [
    model
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, TrackerImportExportMixin)
]
XLSX, CSV = "0", "1"
# A text column of each model, and the field behind it, to plant a formula in.
TEXT = {
    "Unit": ("name", "Tên đơn vị"),
    "MemberCount": None,
    "Official": ("full_name", "Họ và tên"),
    "StudySession": ("topic", "Chủ đề"),
    "Initiative": ("title", "Tên mô hình"),
    "Outreach": ("title", "Tiêu đề"),
    "Exemplar": ("name", "Người hoặc tập thể"),
    "ServiceFigure": ("agency", "Cơ quan"),
    "DeclaredFigure": ("note", "Ghi chú"),
    "Member": ("full_name", "Họ và tên"),
    "Attendance": ("reason", "Lý do"),
}


def url(model, view):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


def export(client, model, file_format, query=""):
    response = client.post(url(model, "export") + query, {"format": file_format, "resource": "0"})
    assert response.status_code == 200, response.content[:500]
    return response.getvalue()


def dry_run(client, model, content, file_format):
    name = "tep.xlsx" if file_format == XLSX else "tep.csv"
    response = client.post(
        url(model, "import"),
        {
            "import_file": SimpleUploadedFile(name, content),
            "format": file_format,
            "encoding": "auto",
            "resource": "0",
        },
    )
    assert response.status_code == 200
    result = response.context.get("result")
    assert result is not None, response.context["form"].errors
    return response, result


@pytest.fixture
def boss(client, tree):
    populate(tree, 6)
    user = user_grant(username="boss", unit_code="BLOC", role=Role.BLOC_ADMIN)[0]
    client.force_login(user)
    return user


def test_the_nine_models_of_the_issue_and_members_are_importable():
    assert sorted(model.__name__ for model in IMPORTABLE) == sorted(TEXT)


@pytest.mark.parametrize("file_format", [XLSX, CSV], ids=["xlsx", "csv"])
@pytest.mark.parametrize("model", IMPORTABLE, ids=lambda model: model.__name__)
def test_an_export_imports_back_unchanged(client, boss, model, file_format):
    content = export(client, model, file_format)
    _response, result = dry_run(client, model, content, file_format)
    assert not result.has_errors() and not result.has_validation_errors(), [
        (row.number, row.error_dict) for row in result.invalid_rows
    ] + [(row.number, [str(e.error) for e in row.errors]) for row in result.error_rows]
    kinds = {row.import_type for row in result.rows}
    assert kinds == {"skip"}, [
        (row.import_type, row.diff) for row in result.rows if row.import_type != "skip"
    ]
    assert len(result.rows) >= 6


@pytest.mark.parametrize("model", IMPORTABLE, ids=lambda model: model.__name__)
def test_the_same_file_twice_changes_nothing_the_second_time(client, boss, model):
    content = export(client, model, XLSX)
    # Empty the table (children first where needed), import, then import again.
    rows = model.objects.count()
    response, result = dry_run(client, model, content, XLSX)
    form = response.context["confirm_form"]
    client.post(url(model, "process_import"), {**form.initial, "resource": "0"})
    assert model.objects.count() == rows
    _response, again = dry_run(client, model, content, XLSX)
    assert {row.import_type for row in again.rows} == {"skip"}


@pytest.mark.parametrize(
    "model", [m for m in IMPORTABLE if TEXT[m.__name__]], ids=lambda model: model.__name__
)
def test_formula_cells_are_neutralised_in_both_formats(client, boss, model):
    field, column = TEXT[model.__name__]
    target = model.objects.order_by("pk").first()
    model.objects.filter(pk=target.pk).update(**{field: '=HYPERLINK("http://x")'})
    sheet = load_workbook(io.BytesIO(export(client, model, XLSX))).active
    headers = [cell.value for cell in sheet[1]]
    values = [row[headers.index(column)] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x")' in values
    assert not any(isinstance(value, str) and value.startswith("=") for value in values)
    assert "'=HYPERLINK" in export(client, model, CSV).decode("utf-8-sig")


@pytest.mark.parametrize("model", IMPORTABLE, ids=lambda model: model.__name__)
def test_an_export_holds_only_the_users_units(client, tree, model):
    populate(tree, 6)
    alice = user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0]
    # Members' export is a permission of its own (units.services.OWN_EXPORT_PERMISSIONS).
    alice.user_permissions.add(*Permission.objects.filter(codename__startswith="export_"))
    client.force_login(alice)
    response = client.post(url(model, "export"), {"format": CSV, "resource": "0"})
    assert response.status_code == 200
    text = response.getvalue().decode("utf-8-sig")
    assert "STP" in text  # her own units' rows are there
    assert "KBNN" not in text and "Kho bạc" not in text


def test_a_good_model_with_two_evaluations_makes_two_rows_and_comes_back_unchanged(client, boss, tree):
    import datetime

    from activities.models import Initiative, InitiativeEvaluation
    from activities.tests.factories import make_evaluation

    initiative = Initiative.objects.order_by("pk").first()
    make_evaluation(
        initiative, evaluated_on=datetime.date(2025, 6, 30), evaluator="Ban Thường vụ Đảng ủy Khối"
    )
    content = export(client, Initiative, XLSX)
    sheet = load_workbook(io.BytesIO(content)).active
    column = [cell.value for cell in sheet[1]].index("Tên mô hình")
    titles = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles.count(initiative.title) == 2
    _response, result = dry_run(client, Initiative, content, XLSX)
    assert {row.import_type for row in result.rows} == {"skip"}
    assert InitiativeEvaluation.objects.filter(initiative=initiative).count() == 2


def test_a_new_evaluation_in_a_file_is_added_to_its_good_model(client, boss, tree):
    import datetime

    from activities.models import Initiative

    initiative = Initiative.objects.order_by("pk").first()
    import csv

    rows = list(csv.reader(io.StringIO(export(client, Initiative, CSV).decode("utf-8-sig"))))
    header, first = rows[0], next(row for row in rows[1:] if initiative.title in row)
    first[-3:] = ["01/12/2025", "Ban Tuyên giáo Đảng ủy Khối", "Nhân rộng toàn khối"]
    out = io.StringIO()
    csv.writer(out).writerows([header, first])
    response, result = dry_run(client, Initiative, out.getvalue().encode(), CSV)
    assert [row.import_type for row in result.rows] == ["update"]
    form = response.context["confirm_form"]
    client.post(url(Initiative, "process_import"), {**form.initial, "resource": "0"})
    latest = initiative.evaluations.get(evaluated_on=datetime.date(2025, 12, 1))
    assert (latest.evaluator, latest.result) == ("Ban Tuyên giáo Đảng ủy Khối", "Nhân rộng toàn khối")
    assert latest.history.get().history_user.username == "boss"


def position_file(rows):
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Mã cán bộ", "Họ và tên", "Mã đơn vị", "Loại chức vụ", "Chức vụ", "Từ ngày", "Đến ngày"])
    writer.writerows(rows)
    return out.getvalue().encode()


def test_a_new_officials_position_creates_the_official(client, tree):
    from units.models import Official

    alice = user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0]
    client.force_login(alice)
    content = position_file(
        [["NVA", "Nguyễn Văn A", "STP-VP", "Chức vụ Đảng", "Bí thư chi bộ", "01/01/2024", ""]]
    )
    response, result = dry_run(client, Official, content, CSV)
    assert [row.import_type for row in result.rows] == ["new"]
    assert not Official.objects.filter(code="NVA").exists()  # the dry run left nothing
    form = response.context["confirm_form"]
    client.post(url(Official, "process_import"), {**form.initial, "resource": "0"})
    official = Official.objects.get(code="NVA")
    assert official.full_name == "Nguyễn Văn A"
    assert list(official.positions.values_list("unit__code", "title")) == [("STP-VP", "Bí thư chi bộ")]


def test_another_units_official_cannot_be_given_a_position(client, tree):
    from units.models import Official
    from units.tests.factories import make_official, make_position

    make_position(make_official(code="BOB", full_name="Trần Văn Bob"), tree["KBNN-1"])
    alice = user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0]
    client.force_login(alice)
    content = position_file([["BOB", "Trần Văn Bob", "STP-VP", "Chức vụ Đảng", "Phó bí thư", "", ""]])
    _response, result = dry_run(client, Official, content, CSV)
    assert [(row.number, row.error_dict) for row in result.invalid_rows] == [
        (
            2,
            {
                "Mã cán bộ": [
                    "Cán bộ “BOB” không thuộc các đơn vị của bạn: bạn không được nhập dữ liệu cho đơn vị này."
                ]
            },
        )
    ]
    assert Official.objects.get(code="BOB").positions.count() == 1


@pytest.mark.parametrize("model", IMPORTABLE, ids=lambda model: model.__name__)
def test_every_model_has_a_blank_template_with_a_guide(client, boss, model):
    model_admin = admin.site._registry[model]
    resource = model_admin.get_import_resource_classes(None)[0](user=boss)
    headers = [field.column_name for field in resource.get_import_fields()]
    response = client.get(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import_template", args=["xlsx"])
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert [cell.value for cell in workbook["Dữ liệu"][1]] == headers
    guide = list(workbook["Hướng dẫn"].iter_rows(min_row=2, values_only=True))
    assert [line[0] for line in guide] == headers
    assert all(line[2] for line in guide), "every column says what it accepts"
    csv_text = client.get(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import_template", args=["csv"])
    ).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == ",".join(headers)


@pytest.mark.parametrize("model", IMPORTABLE, ids=lambda model: model.__name__)
def test_an_export_runs_the_same_queries_for_more_rows(client, boss, tree, model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        export(client, model, XLSX)
    populate(tree, 6)
    with CaptureQueriesContext(connection) as after:
        export(client, model, XLSX)
    assert len(after) == len(before), [q["sql"][:120] for q in after.captured_queries]
