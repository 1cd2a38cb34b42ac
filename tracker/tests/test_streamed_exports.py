"""
The admin's exports, streamed from a plain read of the rows: exactly the header and
rows a user expects in each format, the same values the resources' fields give for
every model, only the user's units, the list's selection, and a bounded number of
queries whatever the number of rows.
"""

import csv
import datetime
import io

import pytest
from django.contrib import admin
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import StudySession
from activities.tests.factories import make_session
from conftest import populate
from tracker.imports.admin import TrackerImportExportMixin
from tracker.imports.exports import csv_chunks, rows_of
from tracker.imports.formats import SafeCSV
from units.models import Role
from units.services import user_grant
from units.tests.factories import make_official

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("admin:activities_studysession_export")
XLSX, CSV = "0", "1"
HEADERS = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Đơn vị cấp trên",
    "Loại buổi",
    "Ngày",
    "Quý",
    "Chủ đề",
    "Hình thức",
    "Mã người chủ trì",
    "Số có mặt",
    "Số được triệu tập",
    "Tự phê bình và phê bình",
    "Kiểm điểm học tập và làm theo Bác",
    "Biên bản",
]
IMPORTABLE = [
    model
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, TrackerImportExportMixin)
]


def export(client, file_format, query="", **data):
    response = client.post(EXPORT_URL + query, {"format": file_format, "resource": "0", **data})
    assert response.status_code == 200
    assert response.streaming
    return response


@pytest.fixture
def alice(client, tree):
    user = user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0]
    client.force_login(user)
    return user


@pytest.fixture
def two_sessions(tree):
    chair = make_official(code="TRAN-THI-HOA", full_name="Trần Thị Hoa")
    dated = make_session(
        tree["STP-VP"],
        topic="=HYPERLINK(1)",
        date=datetime.date(2024, 2, 5),
        attended=18,
        expected=20,
        chair=chair,
        format=StudySession.Format.IN_PERSON,
        has_self_criticism=True,
    )
    undated = make_session(
        tree["STP"], topic="Về đoàn kết", date=None, year=2024, quarter=3, attended=None, minutes="Ghi; -2"
    )
    return dated, undated


def test_the_csv_holds_exactly_the_header_and_the_rows(client, alice, two_sessions):
    # In the list's order: the newest quarter first.
    response = export(client, CSV)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response["Content-Disposition"].endswith('.csv"')
    text = response.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.removeprefix("\ufeff")))) == [
        HEADERS,
        [
            "STP",
            "Đảng bộ Sở Tư pháp",
            "Đảng bộ Khối các cơ quan tỉnh",
            "Sinh hoạt chuyên đề",
            "",
            "Quý III/2024",
            "Về đoàn kết",
            "",
            "",
            "",
            "20",
            "Không",
            "Không",
            "Ghi; '-2",
        ],
        [
            "STP-VP",
            "Chi bộ VP STP",
            "Đảng bộ Sở Tư pháp",
            "Sinh hoạt chuyên đề",
            "05/02/2024",
            "Quý I/2024",
            "'=HYPERLINK(1)",
            "Trực tiếp",
            "TRAN-THI-HOA",
            "18",
            "20",
            "Có",
            "Không",
            "",
        ],
    ]
    # Numbers are bare, text quoted: a separator inside a text never splits it.
    assert '"Chủ đề"' in text and ',18,20,"Có"' in text


def test_the_xlsx_has_typed_dates_and_numbers_a_bold_frozen_header_and_inert_formulas(
    client, alice, two_sessions
):
    response = export(client, XLSX)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    assert workbook.sheetnames == ["Dữ liệu"]
    sheet = workbook["Dữ liệu"]
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert all(cell.font.bold for cell in sheet[1])
    assert [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)] == [
        [
            "STP",
            "Đảng bộ Sở Tư pháp",
            "Đảng bộ Khối các cơ quan tỉnh",
            "Sinh hoạt chuyên đề",
            None,
            "Quý III/2024",
            "Về đoàn kết",
            None,
            None,
            None,
            20,
            "Không",
            "Không",
            "Ghi; -2",
        ],
        [
            "STP-VP",
            "Chi bộ VP STP",
            "Đảng bộ Sở Tư pháp",
            "Sinh hoạt chuyên đề",
            datetime.datetime(2024, 2, 5),
            "Quý I/2024",
            "'=HYPERLINK(1)",
            "Trực tiếp",
            "TRAN-THI-HOA",
            18,
            20,
            "Có",
            "Không",
            None,
        ],
    ]
    date_cell = sheet.cell(row=3, column=HEADERS.index("Ngày") + 1)
    assert (date_cell.is_date, date_cell.number_format) == (True, "DD/MM/YYYY")
    assert sheet.cell(row=3, column=HEADERS.index("Số có mặt") + 1).data_type == "n"


@pytest.mark.parametrize("file_format", [XLSX, CSV], ids=["xlsx", "csv"])
def test_a_committee_editor_exports_only_their_subtree(client, tree, file_format):
    populate(tree, 10)
    for username, unit, own, other in [("alice", "STP", "STP-", "KBNN"), ("bob", "KBNN", "KBNN-", "STP")]:
        client.force_login(user_grant(username=username, unit_code=unit, role=Role.UNIT_EDITOR)[0])
        content = export(client, file_format).getvalue()
        if file_format == XLSX:
            codes = [
                row[0]
                for row in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True)
            ]
        else:
            codes = [row[0] for row in csv.reader(io.StringIO(content.decode("utf-8-sig")))][1:]
        expected = StudySession.objects.filter(unit__code__startswith=own).count()
        assert len(codes) == expected == 4
        assert all(code.startswith(own) for code in codes) and not any(other in code for code in codes)


def test_an_anonymous_visitor_is_sent_to_log_in(client, two_sessions):
    response = client.post(EXPORT_URL, {"format": CSV, "resource": "0"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_rows_selected_in_the_list_are_the_ones_exported(client, alice, two_sessions):
    dated, _undated = two_sessions
    text = export(client, CSV, export_items=[dated.pk]).getvalue().decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert [line[HEADERS.index("Chủ đề")] for line in lines[1:]] == ["'=HYPERLINK(1)"]


@pytest.mark.parametrize("file_format", [XLSX, CSV], ids=["xlsx", "csv"])
def test_an_export_runs_at_most_a_few_queries_at_two_sizes(
    client, tree, django_assert_max_num_queries, file_format
):
    client.force_login(user_grant(username="boss", unit_code="BLOC", role=Role.BLOC_ADMIN)[0])
    for copies in (5, 50):
        populate(tree, copies)
        # The session, the user and their permissions and unit, the list filters' choices
        # (units, years), and one read of the rows: 8, whatever the number of rows.
        with django_assert_max_num_queries(8):
            content = export(client, file_format).getvalue()
        assert content


@pytest.mark.parametrize("model", IMPORTABLE, ids=lambda model: model.__name__)
def test_the_streamed_rows_are_the_values_the_resource_gives(tree, model):
    """The columns read as plain values write what the library's export of the same records writes."""
    populate(tree, 7)
    user = user_grant(username="boss", unit_code="BLOC", role=Role.BLOC_ADMIN)[0]
    resource = admin.site._registry[model].get_export_resource_classes(None)[0](user=user)
    queryset = resource.get_queryset().order_by("pk")
    columns = resource.export_columns()
    streamed = b"".join(csv_chunks(columns, rows_of(queryset, columns, resource.export_ordering)))
    expected = SafeCSV().export_data(resource.export(queryset=queryset))
    assert streamed.decode() == expected
    assert len(expected.splitlines()) > 7


def test_a_list_that_needs_distinct_exports_the_same_rows_in_the_same_order(tree):
    from activities.resources import StudySessionResource

    populate(tree, 5)
    columns = StudySessionResource().export_columns()
    listed = StudySession.objects.order_by("-date", "pk")
    rows = list(rows_of(listed, columns))
    assert len(rows) == 5
    assert list(rows_of(listed.distinct(), columns)) == rows
