"""
Importing files as Vietnamese offices save them: sheets saved by LibreOffice Calc itself
(Excel and CSV, UTF-8 and Windows-1258 with semicolons), with a title block, a "STT"
column, real date cells, formulas, percentages and bordered empty rows below the data;
and the ways such files go wrong, each refused with one Vietnamese sentence or a row
error naming the row and column, nothing written.
"""

import datetime
import io
import unicodedata
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from activities.models import ServiceFigure, StudySession
from activities.tests.test_import_export import CSV, HEADERS, XLSX, confirm, dry_run, errors_of, row
from tracker.tests.office import Formula, Percent, Sheet, save_as
from units.models import Role
from units.services import user_grant

THEMATIC, MONTHLY = "Sinh hoạt chuyên đề", "Sinh hoạt định kỳ"
TITLE = "DANH SÁCH BUỔI SINH HOẠT CHUYÊN ĐỀ QUÝ I/2024"
# As a clerk types the header: a row-number column, spacing and case of their own.
OFFICE_HEADER = ("STT", "Mã  đơn vị", "loại buổi", "Ngày", "CHỦ ĐỀ", "Số có mặt", "Số được triệu tập")
OFFICE_ROWS = (
    (
        1,
        "STP-VP",
        THEMATIC,
        datetime.date(2024, 2, 5),
        "Tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        Formula("of:=10+8", 18),
        20,
    ),
    (2, "STP-TT", MONTHLY, datetime.date(2024, 3, 25), "Sinh hoạt tháng 3", 15, 17),
    (3, "stp-vp", MONTHLY, datetime.date(2024, 1, 31), "Học tập và làm theo Bác", 9, 12),
)
SHEETS = {
    "sessions": Sheet(header=OFFICE_HEADER, rows=OFFICE_ROWS, title=TITLE, bordered_empty_rows=30),
    "bad_row": Sheet(
        header=OFFICE_HEADER,
        rows=(
            OFFICE_ROWS[0],
            (2, "STP-TT", MONTHLY, "31/02/2024", "Sinh hoạt tháng 2", 15, 17),
            (3, "STP-TT", MONTHLY, datetime.date(2024, 3, 25), "Sinh hoạt tháng 3", 25, 17),
        ),
        title=TITLE,
        bordered_empty_rows=5,
    ),
    "unknown_columns": Sheet(
        header=("STT", "Mã đơn vị", "Ngày", "Chủ đê", "Người ghi"),
        rows=((1, "STP-VP", datetime.date(2024, 2, 5), "Về văn hóa", "Lan"),),
        title=TITLE,
    ),
    "no_header": Sheet(header=("STP-VP", THEMATIC, "05/02/2024"), rows=(), title=TITLE),
    "figures": Sheet(
        header=(
            "Mã đơn vị",
            "Cơ quan",
            "Từ ngày",
            "Đến ngày",
            "Tiếp nhận (kể cả chuyển sang)",
            "Mức độ (tiếp nhận)",
            "Kỳ trước chuyển sang",
            "Mức độ (chuyển sang)",
            "Tỷ lệ đúng hạn (%)",
        ),
        rows=(
            (
                "STP",
                "Sở Tư pháp",
                datetime.date(2024, 1, 1),
                datetime.date(2024, 3, 31),
                "80.000",
                "trên",
                776,
                "đúng",
                Percent(0.9551),
            ),
        ),
        title="SỐ LIỆU GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        bordered_empty_rows=10,
    ),
}
FIGURES_IMPORT_URL = reverse("admin:activities_servicefigure_import")


@pytest.fixture(scope="session")
def office_files(tmp_path_factory):
    return save_as(SHEETS, tmp_path_factory.mktemp("office"))


@pytest.fixture
def alice(client, tree):
    user = user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0]
    client.force_login(user)
    return user


def upload(office_files, name, target):
    suffix = "xlsx" if target == "xlsx" else "csv"
    return SimpleUploadedFile(f"{name}.{suffix}", office_files[(name, target)])


def stored_sessions():
    return sorted(
        StudySession.objects.values_list(
            "unit__code", "kind", "date", "topic", "attended", "expected", "year", "quarter"
        )
    )


EXPECTED_SESSIONS = [
    ("STP-TT", "monthly", datetime.date(2024, 3, 25), "Sinh hoạt tháng 3", 15, 17, 2024, 1),
    ("STP-VP", "monthly", datetime.date(2024, 1, 31), "Học tập và làm theo Bác", 9, 12, 2024, 1),
    (
        "STP-VP",
        "thematic",
        datetime.date(2024, 2, 5),
        "Tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        18,
        20,
        2024,
        1,
    ),
]


@pytest.mark.parametrize("target", ["xlsx", "utf8.csv", "cp1258.csv"])
def test_a_sheet_saved_by_calc_is_imported_whole(client, alice, office_files, target):
    # A merged title, a blank row, an STT column, typed dates, a formula, and thirty
    # bordered empty rows: three sessions, rows numbered as in the sheet.
    response = dry_run(client, upload(office_files, "sessions", target), XLSX if target == "xlsx" else CSV)
    assert errors_of(response) == []
    result = response.context["result"]
    assert [row.import_type for row in result.rows] == ["new", "new", "new"]
    assert StudySession.objects.count() == 0  # the check writes nothing
    confirm(client, response)
    assert stored_sessions() == EXPECTED_SESSIONS


def test_windows_1258_csv_from_calc_really_is_windows_1258_with_semicolons(office_files):
    data = office_files[("sessions", "cp1258.csv")]
    text = data.decode("cp1258")
    header = text.splitlines()[2]
    assert unicodedata.normalize("NFC", header).startswith('"STT";"Mã  đơn vị";"loại buổi"')
    assert unicodedata.normalize("NFC", header) != header  # tone marks as combining characters
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


@pytest.mark.parametrize("target", ["xlsx", "cp1258.csv"])
def test_bad_rows_of_a_calc_sheet_are_named_by_their_row_in_the_sheet(client, alice, office_files, target):
    response = dry_run(client, upload(office_files, "bad_row", target), XLSX if target == "xlsx" else CSV)
    # Title on row 1, a blank row, the header on row 3: data rows are 4, 5 and 6.
    assert errors_of(response) == [
        (5, "Ngày", "“31/02/2024” không phải là ngày. Hãy ghi ngày/tháng/năm, ví dụ 05/02/2024."),
        (6, "Số có mặt", "Số có mặt không được vượt quá số được triệu tập."),
    ]
    assert response.context.get("confirm_form") is None
    body = response.content.decode()
    assert "<td>5</td>" in body and "<td>6</td>" in body
    # The sheet has no "Quý" column: its cell is blank in the error table, not "---".
    result = response.context["result"]
    quarter = result.diff_headers.index("Quý")
    assert [row.values[quarter] for row in result.invalid_rows] == ["", ""]
    assert "<td>---</td>" not in body
    assert StudySession.objects.count() == 0


@pytest.mark.parametrize("target", ["xlsx", "utf8.csv"])
def test_unknown_and_missing_columns_are_named(client, alice, office_files, target):
    response = dry_run(
        client, upload(office_files, "unknown_columns", target), XLSX if target == "xlsx" else CSV
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "import_file": ["Dòng tiêu đề (dòng 3) thiếu cột “Loại buổi”; tệp nào cũng phải có cột này."]
    }


def test_unknown_columns_are_named_with_their_letter(client, alice):
    headers = ["STT", *HEADERS, "Người ghi", "Địa điểm"]
    text = ",".join(headers) + "\r\n" + ",".join(["1", *row(), "Lan", "x"]) + "\r\n"
    response = dry_run(client, SimpleUploadedFile("a.csv", text.encode()), CSV)
    assert response.context["form"].errors == {
        "import_file": [
            "Dòng tiêu đề (dòng 1) có cột không thuộc mẫu nhập: “Người ghi” (cột N), “Địa điểm” (cột O). "
            "Hãy sửa lại tên hoặc xoá các cột đó; các cột của mẫu là: " + ", ".join(HEADERS) + "."
        ]
    }


@pytest.mark.parametrize("target", ["xlsx", "utf8.csv"])
def test_a_sheet_without_the_header_row_is_refused_with_the_columns_it_needs(
    client, alice, office_files, target
):
    response = dry_run(client, upload(office_files, "no_header", target), XLSX if target == "xlsx" else CSV)
    separators = "" if target == "xlsx" else ", ngăn cách bằng dấu phẩy hoặc dấu chấm phẩy"
    assert response.context["form"].errors == {
        "import_file": [
            f"Không tìm thấy dòng tiêu đề: dòng đầu của bảng phải có các cột sau{separators}: "
            + ", ".join(HEADERS)
            + ". Hãy tải tệp mẫu để xem."
        ]
    }


@pytest.mark.parametrize("target", ["xlsx", "cp1258.csv"])
def test_a_percentage_cell_and_thousands_separators_from_calc(client, alice, office_files, target):
    response = client.post(
        FIGURES_IMPORT_URL,
        {
            "import_file": upload(office_files, "figures", target),
            "format": XLSX if target == "xlsx" else CSV,
            "resource": "0",
        },
    )
    assert errors_of(response) == []
    confirm_form = response.context["confirm_form"]
    client.post(
        reverse("admin:activities_servicefigure_process_import"), {**confirm_form.initial, "resource": "0"}
    )
    figure = ServiceFigure.objects.get()
    assert (figure.received, figure.received_qualifier, figure.carried_over, figure.on_time_rate) == (
        80000,
        "over",
        776,
        Decimal("95.51"),
    )


# Files written by other programs: what Calc never produces.


def xlsx(rows, *, formulas=()):
    workbook = Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append(values)
    for reference, formula in formulas:
        sheet[reference] = formula
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("f.xlsx", out.getvalue())


def test_a_formula_without_a_computed_value_is_a_row_error_naming_the_cell(client, alice):
    # openpyxl, like many programs that write XLSX, stores the formula only.
    upload = xlsx([HEADERS, row(), row(topic="B")], formulas=[("H3", "=10+8")])
    response = dry_run(client, upload, XLSX)
    assert errors_of(response) == [
        (
            3,
            "Số có mặt",
            "Ô H3 là công thức chưa có giá trị tính sẵn. Hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi "
            "nhập lại; hoặc gõ trực tiếp giá trị.",
        )
    ]


def test_a_header_typed_with_decomposed_marks_is_read_in_xlsx(client, alice):
    decomposed = [unicodedata.normalize("NFD", header) for header in HEADERS]
    assert decomposed != HEADERS
    response = dry_run(client, xlsx([decomposed, row()]), XLSX)
    assert errors_of(response) == []
    confirm(client, response)
    assert StudySession.objects.get().attended == 18


def test_separator_only_lines_and_control_characters_in_a_csv(client, alice):
    lines = [
        ";".join(HEADERS),
        ";".join(row(topic="Về\x00 văn\x0b hóa")),
        ";" * (len(HEADERS) - 1),
        ";".join(row(kind="Sinh hoạt định kỳ", topic="Khác", date="45356")),  # Excel's day number of a date
        ";" * (len(HEADERS) - 1),
    ]
    response = dry_run(client, SimpleUploadedFile("a.csv", "\r\n".join(lines).encode("utf-8")), CSV)
    assert errors_of(response) == []
    confirm(client, response)
    assert sorted(StudySession.objects.values_list("topic", "date")) == [
        ("Khác", datetime.date(2024, 3, 5)),
        ("Về văn hóa", datetime.date(2024, 2, 5)),
    ]


def test_values_under_no_header_are_refused_not_lost(client, alice):
    lines = [",".join(HEADERS), ",".join([*row(), "ghi chú lạc"])]
    response = dry_run(client, SimpleUploadedFile("a.csv", "\r\n".join(lines).encode()), CSV)
    assert response.context["form"].errors == {
        "import_file": [
            "Dòng 2 có dữ liệu ở ô không có tiêu đề cột (M2). Hãy đặt tiêu đề cho cột đó hoặc xoá các ô này."
        ]
    }


def test_a_header_with_nothing_below_it_is_refused(client, alice):
    response = dry_run(client, SimpleUploadedFile("a.csv", (",".join(HEADERS) + "\r\n,,,\r\n").encode()), CSV)
    assert response.context["form"].errors == {
        "import_file": [
            "Tệp có dòng tiêu đề nhưng không có dòng dữ liệu nào bên dưới. Hãy điền dữ liệu rồi nhập lại."
        ]
    }


# Limits hold whatever the file says about itself.

TOO_MANY = {"import_file": ["Tệp có hơn 3 dòng. Hãy chia thành các tệp, mỗi tệp không quá 3 dòng."]}


def test_a_csv_with_carriage_return_line_ends_is_counted_row_by_row(client, alice, settings):
    settings.IMPORT_MAX_ROWS = 3
    text = "\r".join([",".join(HEADERS)] + [",".join(row(topic=str(n))) for n in range(4)])
    assert "\n" not in text
    response = dry_run(client, SimpleUploadedFile("a.csv", text.encode()), CSV)
    assert response.context["form"].errors == TOO_MANY
    settings.IMPORT_MAX_ROWS = 4
    assert errors_of(dry_run(client, SimpleUploadedFile("a.csv", text.encode()), CSV)) == []


def test_an_xlsx_without_a_dimension_record_is_counted_row_by_row(client, alice, settings):
    settings.IMPORT_MAX_ROWS = 3
    # Written row by row, as some programs write it: no <dimension> in the sheet.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADERS)
    for n in range(4):
        sheet.append(row(topic=str(n)))
    out = io.BytesIO()
    workbook.save(out)
    assert b"<dimension" not in _sheet_xml(out.getvalue())
    response = dry_run(client, SimpleUploadedFile("a.xlsx", out.getvalue()), XLSX)
    assert response.context["form"].errors == TOO_MANY
    assert StudySession.objects.count() == 0


def _sheet_xml(data):
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(next(name for name in archive.namelist() if name.startswith("xl/worksheets/")))


def test_a_cell_longer_than_excel_allows_is_refused_naming_the_cell(client, alice):
    import zipfile

    # Excel and openpyxl never write more than 32,767 characters in a cell; a crafted
    # file can hold megabytes in one string.
    source = xlsx([HEADERS, row(), row(topic="B", **{"Biên bản": "VERY-LONG"})]).read()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source)) as archive,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in archive.infolist():
            data = archive.read(item.filename)
            target.writestr(item, data.replace(b"VERY-LONG", b"x" * 40000))
    response = dry_run(client, SimpleUploadedFile("a.xlsx", out.getvalue()), XLSX)
    assert response.context["form"].errors == {
        "import_file": ["Ô L3 có 40000 ký tự; mỗi ô chỉ được tối đa 32767 ký tự."]
    }


def test_an_xlsx_that_unpacks_beyond_the_limit_is_refused(client, alice, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 20_000
    upload = xlsx([HEADERS, *[row(topic=f"Chủ đề số {n}") for n in range(200)]])
    assert upload.size < 20_000
    response = dry_run(client, upload, XLSX)
    assert response.context["form"].errors == {
        "import_file": [
            "Khi giải nén, sổ tính này chứa hơn 19,5\xa0KB dữ liệu. Hãy chia thành các tệp nhỏ hơn."
        ]
    }


def test_a_csv_chosen_as_xlsx_is_refused_with_what_to_do(client, alice):
    text = ",".join(HEADERS) + "\r\n" + ",".join(row()) + "\r\n"
    response = dry_run(client, SimpleUploadedFile("a.xlsx", text.encode()), XLSX)
    assert response.context["form"].errors == {
        "import_file": [
            "Tệp này không phải sổ tính Excel (.xlsx). Nếu là tệp CSV, hãy chọn định dạng CSV; nếu là tệp "
            "Excel cũ (.xls), hãy lưu lại dưới dạng “Excel Workbook (.xlsx)”."
        ]
    }


def test_a_column_given_twice_is_refused(client, alice):
    text = ",".join([*HEADERS, "Ngày"]) + "\r\n" + ",".join([*row(), "06/02/2024"]) + "\r\n"
    response = dry_run(client, SimpleUploadedFile("a.csv", text.encode()), CSV)
    assert response.context["form"].errors == {
        "import_file": ["Dòng 1 có cột “Ngày” hai lần. Hãy giữ lại một cột."]
    }


# Rows that break a rule the database keeps: caught with the row, before anything is written.

DECLARED_HEADER = "Mã đơn vị,Chỉ tiêu,Giá trị,Mức độ,Từ ngày,Đến ngày\r\n"
FIGURES_HEADER = "Mã đơn vị,Cơ quan,Từ ngày,Đến ngày,Tiếp nhận (kể cả chuyển sang),Kỳ trước chuyển sang,Đã giải quyết,Đúng hạn và trước hạn,Tỷ lệ đúng hạn (%)\r\n"


def check(client, model_name, text):
    response = client.post(
        reverse(f"admin:activities_{model_name}_import"),
        {"import_file": SimpleUploadedFile("a.csv", text.encode()), "format": CSV, "resource": "0"},
    )
    assert response.status_code == 200
    assert response.context.get("confirm_form") is None
    return errors_of(response)


def test_a_negative_declared_figure_is_a_row_error(client, alice):
    from activities.models import DeclaredFigure

    text = DECLARED_HEADER + "STP,Số buổi sinh hoạt chuyên đề đã tổ chức,-1,đúng,01/01/2024,31/03/2024\r\n"
    assert check(client, "declaredfigure", text) == [(2, "Giá trị", "Số liệu báo cáo không được là số âm.")]
    assert DeclaredFigure.objects.count() == 0


def test_an_on_time_rate_above_100_and_more_on_time_than_resolved_are_row_errors(client, alice):
    text = FIGURES_HEADER + (
        "STP,Sở Tư pháp,01/01/2024,31/03/2024,100,0,80,80,98\r\n"
        "STP,Sở Y tế,01/01/2024,31/03/2024,100,0,80,90,150%\r\n"
    )
    assert check(client, "servicefigure", text) == [
        (
            3,
            "Đúng hạn và trước hạn",
            "Số hồ sơ giải quyết đúng hạn không được vượt quá số hồ sơ đã giải quyết hoặc số hồ sơ tiếp nhận.",
        ),
        (3, "Tỷ lệ đúng hạn (%)", "Tỷ lệ phải nằm trong khoảng từ 0 đến 100."),
    ]
    assert ServiceFigure.objects.count() == 0


def test_a_rate_with_more_digits_than_kept_is_a_row_error_not_rounded(client, alice):
    text = FIGURES_HEADER + 'STP,Sở Tư pháp,01/01/2024,31/03/2024,100,0,80,80,"99,999%"\r\n'
    assert check(client, "servicefigure", text) == [
        (
            2,
            "Tỷ lệ đúng hạn (%)",
            "“99,999%” có nhiều hơn 2 chữ số sau dấu phẩy thập phân: chỉ ghi tối đa 2 chữ số, ví dụ 98,06.",
        )
    ]
    assert ServiceFigure.objects.count() == 0


def test_a_failed_write_is_explained_without_the_databases_words():
    from django.db import IntegrityError

    from tracker.imports.resources import explain

    assert explain(IntegrityError("CHECK constraint failed: declared_value_not_negative")) == (
        "Số liệu báo cáo không được là số âm."
    )
    assert explain(
        IntegrityError('duplicate key value violates unique constraint "session_natural_key_dated"')
    ) == ("có dòng trùng với một buổi sinh hoạt đã có")
    assert explain(IntegrityError("UNIQUE constraint failed: activities_studysession.unit_id")) == (
        "có dòng trùng với bản ghi đã có, hoặc trái với quy định về dữ liệu"
    )
    assert (
        explain(OSError("disk full"))
        == "cơ sở dữ liệu không nhận các dòng này; hãy thử lại hoặc báo quản trị viên"
    )


def test_possible_duplicates_within_a_file_are_named_by_their_row_in_the_sheet(client, alice):
    lines = [
        "DANH SÁCH BUỔI SINH HOẠT,,,,,,,,,,,",
        ",,,,,,,,,,,",
        ",".join(HEADERS),
        ",".join(row(kind=MONTHLY, topic="Họp chi bộ")),
        ",".join(row(kind=MONTHLY, topic="Sinh hoạt chi bộ tháng 2")),
    ]
    response = dry_run(client, SimpleUploadedFile("a.csv", "\r\n".join(lines).encode()), CSV)
    result = response.context["result"]
    assert [row.duplicate_rows for row in result.valid_rows()] == [[5], [4]]
    body = response.content.decode()
    assert "<li>dòng 5 của tệp</li>" in body and "<li>dòng 4 của tệp</li>" in body
