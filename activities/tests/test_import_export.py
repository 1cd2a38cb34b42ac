"""
Importing and exporting study sessions through the admin's HTTP views, with files
as they arrive: XLSX written by openpyxl, CSV in UTF-8, UTF-8 with BOM and
Windows-1258.
"""

import datetime
import io
import re
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from activities.models import StudySession
from activities.tests.factories import make_session
from units.models import Role
from units.services import user_grant
from units.tests.factories import make_official

HEADERS = [
    "Mã đơn vị",
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
# An export names each row's unit for people beside its code; the import ignores these.
EXPORT_HEADERS = [HEADERS[0], "Tên đơn vị", "Đơn vị cấp trên", *HEADERS[1:]]
IMPORT_URL = reverse("admin:activities_studysession_import")
CONFIRM_URL = reverse("admin:activities_studysession_process_import")
EXPORT_URL = reverse("admin:activities_studysession_export")
XLSX, CSV = "0", "1"


def row(
    unit="STP-VP", kind="Sinh hoạt chuyên đề", date="05/02/2024", quarter="", topic="Về văn hóa", **extra
):
    values = {
        "Mã đơn vị": unit,
        "Loại buổi": kind,
        "Ngày": date,
        "Quý": quarter,
        "Chủ đề": topic,
        "Hình thức": "Trực tiếp",
        "Mã người chủ trì": "",
        "Số có mặt": "18",
        "Số được triệu tập": "20",
        "Tự phê bình và phê bình": "Không",
        "Kiểm điểm học tập và làm theo Bác": "Có",
        "Biên bản": "",
        **extra,
    }
    return [values[header] for header in HEADERS]


def xlsx_file(rows, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("buoi.xlsx", out.getvalue())


def as_cp1258(text):
    """
    Text as Windows-1258 holds it: letters such as ư, ơ, â precomposed, tone marks
    as separate combining characters (what Excel writes on Vietnamese Windows).
    """

    def encodable(part):
        try:
            part.encode("cp1258")
            return True
        except UnicodeEncodeError:
            return False

    out = []
    for char in text:
        base, *marks = unicodedata.normalize("NFD", char)
        # ặ is ă (precomposed in Windows-1258) and a combining dot below: the mark kept
        # with the letter need not be the first in Unicode's order.
        candidates = (
            [char]
            + [
                unicodedata.normalize("NFC", base + marks[kept]) + "".join(marks[:kept] + marks[kept + 1 :])
                for kept in range(len(marks))
            ]
            + [base + "".join(marks)]
        )
        spelled = next((candidate for candidate in candidates if encodable(candidate)), None)
        assert spelled is not None, f"{char!r} cannot be written in Windows-1258"
        out.append(spelled)
    return "".join(out)


def csv_file(rows, encoding="utf-8", headers=HEADERS):
    lines = [",".join(headers)] + [",".join(f'"{value}"' for value in values) for values in rows]
    text = "\r\n".join(lines) + "\r\n"
    if encoding == "cp1258":
        text = as_cp1258(text)
        assert unicodedata.normalize("NFC", text) != text  # really decomposed tone marks
    return SimpleUploadedFile("buoi.csv", text.encode(encoding))


def dry_run(client, upload, file_format, encoding="auto"):
    return client.post(
        IMPORT_URL, {"import_file": upload, "format": file_format, "encoding": encoding, "resource": "0"}
    )


def confirm(client, response):
    form = response.context["confirm_form"]
    return client.post(CONFIRM_URL, {**form.initial, "resource": "0"})


def import_file(client, upload, file_format, encoding="auto"):
    response = dry_run(client, upload, file_format, encoding)
    assert response.status_code == 200
    assert response.context.get("confirm_form") is not None, errors_of(response)
    return confirm(client, response)


def errors_of(response):
    """[(row number, column, value, message)] of a dry run, or the form's errors."""
    result = response.context.get("result")
    if result is None:
        return response.context["form"].errors
    found = []
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            for message in messages:
                found.append((invalid.number, column, message))
    for error_row in result.error_rows:
        for error in error_row.errors:
            found.append((error_row.number, None, str(error.error)))
    return found


@pytest.fixture
def alice(client, tree):
    user = user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0]
    client.force_login(user)
    return user


class TestImport:
    def test_xlsx_with_excel_date_cells_is_imported_after_a_dry_run(self, client, alice, tree):
        upload = xlsx_file(
            [row(date=datetime.datetime(2024, 4, 3)), row(topic="Về đoàn kết", date="31/03/2024")]
        )
        response = dry_run(client, upload, XLSX)
        assert StudySession.objects.count() == 0  # the dry run writes nothing
        assert [r.import_type for r in response.context["result"].rows] == ["new", "new"]
        confirm(client, response)
        sessions = StudySession.objects.order_by("date")
        assert [(s.unit.code, s.kind, s.date, s.year, s.quarter, s.topic) for s in sessions] == [
            ("STP-VP", "thematic", datetime.date(2024, 3, 31), 2024, 1, "Về đoàn kết"),
            ("STP-VP", "thematic", datetime.date(2024, 4, 3), 2024, 2, "Về văn hóa"),
        ]
        assert sessions[0].reviews_study is True and sessions[0].has_self_criticism is False

    def test_preview_shows_dates_as_written_and_nothing_for_empty_cells(self, client, alice, tree):
        response = dry_run(client, xlsx_file([row(date="03/04/2024", **{"Biên bản": None})]), XLSX)
        body = response.content.decode()
        assert "03/04/2024" in body and "2024-04-03" not in body
        assert ">None<" not in body

    def test_preview_counts_rows_shows_saved_values_and_old_to_new_for_changed_cells(
        self, client, alice, tree
    ):
        import_file(
            client,
            xlsx_file([row(topic="Về văn hóa"), row(date="25/01/2024", kind="Sinh hoạt định kỳ")]),
            XLSX,
        )
        upload = xlsx_file(
            [
                # the same session, its self-criticism ticked with an "x": changed
                row(topic="Về văn hóa", **{"Tự phê bình và phê bình": "x"}),
                row(date="25/01/2024", kind="Sinh hoạt định kỳ"),  # unchanged
                row(
                    date="2024-03-04",
                    kind="Học tập sáng thứ Hai đầu tháng",
                    **{"Kiểm điểm học tập và làm theo Bác": "x"},
                ),
            ]
        )
        response = dry_run(client, upload, XLSX)
        body = response.content.decode()
        counts = body[
            body.index('<ul class="import-counts">') : body.index("</ul>", body.index("import-counts"))
        ]
        assert [" ".join(item.split()) for item in re.findall(r"<li>(.*?)</li>", counts, re.S)] == [
            "Dòng mới: <strong>1</strong>",
            "Dòng thay đổi: <strong>1</strong>",
            "Dòng không đổi: <strong>1</strong>",
            "Dòng có lỗi: <strong>0</strong>",
        ]
        rows = [row.diff for row in response.context["result"].valid_rows()]
        changed = rows[0]
        assert [str(cell) for cell in changed if getattr(cell, "changed", False)] == ["Không → Có"]
        assert '<td class="changed"><del>Không</del> → <ins>Có</ins></td>' in body
        new = dict(zip(HEADERS, rows[2], strict=True))
        # As saved: the "x" typed is Có, the ISO date is dd/mm/yyyy, the quarter is worked out.
        assert (new["Kiểm điểm học tập và làm theo Bác"], new["Ngày"], new["Quý"]) == (
            "Có",
            "04/03/2024",
            "Quý I/2024",
        )
        assert ">x<" not in body
        confirm = 'type="submit" class="default" name="confirm"'
        assert body.count(confirm) == 2
        assert body.count('form="confirm-import" value="Xác nhận nhập"') == 1
        assert body.index('<ul class="import-counts">') < body.index('id="confirm-import"')

    def test_preview_with_errors_counts_them_and_offers_no_confirm(self, client, alice, tree):
        response = dry_run(client, xlsx_file([row(), row(date="31/02/2024", topic="Sai ngày")]), XLSX)
        body = response.content.decode()
        assert "Dòng có lỗi: <strong>1</strong>" in body
        assert 'name="confirm"' not in body

    def test_day_comes_before_month(self, client, alice, tree):
        import_file(client, csv_file([row(date="03/04/2024")]), CSV)
        assert StudySession.objects.get().date == datetime.date(2024, 4, 3)

    @pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258"])
    def test_csv_in_each_encoding_gives_the_same_nfc_text(self, client, alice, tree, encoding):
        official = make_official(full_name="Phạm Thị Kim Chung", code="PTKC")
        official.positions.create(unit=tree["STP"], kind="party", title="Bí thư")
        upload = csv_file(
            [
                row(
                    topic="Tư tưởng, đạo đức, phong cách Hồ Chí Minh về văn hóa",
                    **{"Mã người chủ trì": "ptkc"},
                )
            ],
            encoding,
        )
        import_file(client, upload, CSV)
        session = StudySession.objects.get()
        assert session.topic == "Tư tưởng, đạo đức, phong cách Hồ Chí Minh về văn hóa"
        assert session.chair == official

    def test_undated_session_by_quarter(self, client, alice, tree):
        import_file(
            client,
            csv_file([row(date="", quarter="Quý I/2024"), row(date="", quarter="II/2024", topic="B")]),
            CSV,
        )
        assert sorted(StudySession.objects.values_list("date", "year", "quarter")) == [
            (None, 2024, 1),
            (None, 2024, 2),
        ]

    def test_same_file_twice_changes_nothing(self, client, alice, tree):
        rows = [row(), row(kind="Sinh hoạt định kỳ", date="", quarter="Quý I/2024", topic="Không ngày")]
        import_file(client, xlsx_file(rows), XLSX)
        history = StudySession.history.count()
        response = dry_run(client, xlsx_file(rows), XLSX)
        assert [r.import_type for r in response.context["result"].rows] == ["skip", "skip"]
        confirm(client, response)
        assert StudySession.objects.count() == 2
        assert StudySession.history.count() == history

    def test_imported_rows_are_in_the_history_with_the_importer(self, client, alice, tree):
        import_file(client, xlsx_file([row(), row(kind="Sinh hoạt định kỳ", topic="Khác")]), XLSX)
        records = StudySession.history.order_by("topic")
        assert [(h.topic, h.history_type, h.history_user.username) for h in records] == [
            ("Khác", "+", "alice"),
            ("Về văn hóa", "+", "alice"),
        ]

    def test_a_changed_row_updates_the_record_and_its_history(self, client, alice, tree):
        import_file(client, xlsx_file([row()]), XLSX)
        import_file(client, xlsx_file([row(**{"Số có mặt": "15"})]), XLSX)
        session = StudySession.objects.get()
        assert (session.attended, session.version) == (15, 2)  # a form opened before is now stale
        latest = session.history.latest()
        assert (latest.history_type, latest.history_user.username) == ("~", "alice")


class TestErrors:
    def test_bad_rows_are_listed_and_nothing_is_written(self, client, alice, tree):
        rows = [
            row(topic="Tốt"),
            row(date="31/02/2024", topic="Ngày sai"),
            row(unit="KBNN-1", topic="Đơn vị khác"),
            row(unit="KHONGCO", topic="Đơn vị lạ"),
            row(kind="Họp mặt", topic="Loại lạ"),
            row(topic="Quá số", **{"Số có mặt": "25"}),
            row(date="03/04/2024", quarter="Quý I/2024", topic="Lệch quý"),
            row(date="", quarter="", topic="Không thời gian"),
        ]
        response = dry_run(client, xlsx_file(rows), XLSX)
        assert response.context.get("confirm_form") is None
        errors = errors_of(response)
        assert errors == [
            (3, "Ngày", "“31/02/2024” không phải là ngày. Hãy ghi ngày/tháng/năm, ví dụ 05/02/2024."),
            (
                4,
                "Mã đơn vị",
                "Tổ chức đảng “KBNN-1” không thuộc các đơn vị của bạn: bạn không được nhập dữ liệu cho đơn vị này.",
            ),
            (5, "Mã đơn vị", "Không có tổ chức đảng nào mang mã “KHONGCO”."),
            (
                6,
                "Loại buổi",
                "“Họp mặt” không phải là một trong: Sinh hoạt chuyên đề, Sinh hoạt định kỳ, Học tập sáng thứ Hai đầu tháng, Lớp bồi dưỡng.",
            ),
            (7, "Số có mặt", "Số có mặt không được vượt quá số được triệu tập."),
            (8, "Quý", "Ngày 03/04/2024 thuộc Quý II/2024, không phải Quý I/2024."),
            (9, "Quý", "Hãy nhập ngày, hoặc quý khi không rõ ngày (Quý I/2024)."),
        ]
        assert StudySession.objects.count() == 0

    def test_a_row_repeated_in_the_file_is_an_error(self, client, alice, tree):
        response = dry_run(client, csv_file([row(), row(topic="Khác"), row()]), CSV)
        # Rows as in the spreadsheet: the header is row 1, the first data row is row 2.
        assert errors_of(response) == [(4, "__all__", "Dòng này trùng với dòng 2 của tệp.")]
        body = response.content.decode()
        assert "<td>4</td>" in body  # the third data row is the fourth row in Excel
        assert StudySession.objects.count() == 0

    def test_a_crash_in_the_middle_of_the_confirm_step_leaves_nothing(self, client, alice, tree, monkeypatch):
        from activities.resources import StudySessionResource
        from tracker.imports import resources as imports

        rows = [row(kind="Sinh hoạt định kỳ", date=f"2{n}/02/2024", topic=str(n)) for n in range(5)]
        response = dry_run(client, csv_file(rows), CSV)
        # Rows are written two at a time; the second batch fails.
        monkeypatch.setattr(StudySessionResource._meta, "batch_size", 2)
        batches = []
        real = imports.bulk_create_with_history

        def failing(objs, *args, **kwargs):
            batches.append([obj.topic for obj in objs])
            if len(batches) == 2:
                raise OSError("disk full")
            return real(objs, *args, **kwargs)

        monkeypatch.setattr(imports, "bulk_create_with_history", failing)
        result = confirm(client, response)
        assert batches == [["0", "1"], ["2", "3"], ["4"]]
        assert StudySession.objects.count() == 0
        assert StudySession.history.count() == 0
        assert result["Location"] == IMPORT_URL
        shown = [str(m) for m in client.get(IMPORT_URL).context["messages"]]
        # The cause stays in the log; the clerk reads what to do, in Vietnamese.
        assert shown == [
            "Không nhập dòng nào: lỗi khi ghi dữ liệu (cơ sở dữ liệu không nhận các dòng này; hãy thử lại "
            "hoặc báo quản trị viên). Hãy thử lại hoặc báo quản trị viên."
        ]

    def test_a_row_that_became_invalid_since_the_dry_run_rolls_back_the_file(self, client, alice, tree):
        response = dry_run(client, csv_file([row(unit="STP", topic="A"), row(unit="STP-VP", topic="B")]), CSV)
        # Meanwhile alice is moved down to the cell STP-VP: STP itself is no longer hers.
        user_grant(username="alice", unit_code="STP-VP", role=Role.UNIT_EDITOR)
        confirm(client, response)
        assert StudySession.objects.count() == 0

    def test_a_row_for_another_unit_leaves_that_units_record_untouched(self, client, alice, tree):
        foreign = make_session(tree["KBNN-1"], topic="Về văn hóa", date=datetime.date(2024, 2, 5), attended=5)
        response = dry_run(client, xlsx_file([row(unit="KBNN-1", **{"Số có mặt": "1"})]), XLSX)
        assert response.context.get("confirm_form") is None
        foreign.refresh_from_db()
        assert foreign.attended == 5

    def test_oversized_file_is_refused_before_reading(self, client, alice, tree, settings):
        settings.IMPORT_MAX_BYTES = 1000
        response = dry_run(client, SimpleUploadedFile("big.csv", b"x" * 1001), CSV)
        assert response.context["form"].errors == {
            "import_file": [
                "Tệp nặng 1001\xa0byte; giới hạn là 1000\xa0byte. Hãy chia thành các tệp nhỏ hơn."
            ]
        }

    def test_too_many_rows_are_refused(self, client, alice, tree, settings):
        settings.IMPORT_MAX_ROWS = 2
        response = dry_run(client, csv_file([row(topic=str(n)) for n in range(3)]), CSV)
        assert response.context["form"].errors == {
            "import_file": ["Tệp có hơn 2 dòng. Hãy chia thành các tệp, mỗi tệp không quá 2 dòng."]
        }
        assert StudySession.objects.count() == 0

    def test_unreadable_encoding_is_a_form_error(self, client, alice, tree):
        upload = SimpleUploadedFile("buoi.csv", "Mã đơn vị\r\nĐảng\r\n".encode("utf-16"))
        response = dry_run(client, upload, CSV, encoding="utf-8")
        assert response.status_code == 200
        assert response.context["form"].errors == {
            "import_file": [
                "Không đọc được tệp này theo bảng mã utf-8. Nếu là tệp Excel, hãy chọn định dạng Excel (.xlsx); "
                "nếu không, hãy lưu lại từ Excel dưới dạng “CSV UTF-8”."
            ]
        }

    def test_xlsx_with_an_entity_bomb_is_refused(self, client, alice, tree):
        import zipfile

        good = xlsx_file([row()]).read()
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(out, "w") as target:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    # A "billion laughs" in miniature: entities that expand entities.
                    doctype = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                    data = doctype + data.replace(b"<v>18</v>", b"<v>&b;</v>")
                target.writestr(item, data)
        response = dry_run(client, SimpleUploadedFile("bomb.xlsx", out.getvalue()), XLSX)
        assert response.status_code == 200
        assert response.context["form"].errors == {
            "import_file": [
                "Không mở được tệp này dưới dạng sổ tính Excel (.xlsx). Hãy mở tệp bằng Excel hoặc LibreOffice "
                "rồi lưu lại dưới dạng “Excel Workbook (.xlsx)”, hoặc chọn định dạng CSV."
            ]
        }
        assert StudySession.objects.count() == 0


class TestExport:
    def export(self, client, file_format, query=""):
        return client.post(EXPORT_URL + query, {"format": file_format, "resource": "0", "export_items": []})

    def test_export_holds_only_visible_rows_with_current_filters(self, client, alice, tree):
        make_session(tree["STP-VP"], topic="Của STP-VP")
        make_session(tree["STP-TT"], topic="Của STP-TT")
        make_session(tree["KBNN-1"], topic="Của KBNN")
        response = self.export(client, CSV, "?unit=STP-VP")
        text = response.getvalue().decode("utf-8-sig")
        assert "Của STP-VP" in text
        assert "Của STP-TT" not in text and "Của KBNN" not in text

    def test_export_honours_the_search(self, client, alice, tree):
        make_session(tree["STP-VP"], topic="Về văn hóa")
        make_session(tree["STP-VP"], topic="Về đoàn kết")
        text = self.export(client, CSV, "?q=đoàn").getvalue().decode("utf-8-sig")
        assert "Về đoàn kết" in text and "Về văn hóa" not in text

    def test_formulas_are_neutralised_but_numbers_and_dates_stay_typed(self, client, alice, tree):
        for n, dangerous in enumerate(["=1+1", "+1", "-1", "@SUM(A1)"]):
            make_session(tree["STP-VP"], topic=dangerous, date=datetime.date(2024, 2, 1 + n))
        response = self.export(client, XLSX)
        sheet = load_workbook(io.BytesIO(response.getvalue())).active
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        assert [cell.value for cell in sheet[1]] == EXPORT_HEADERS
        topics = sorted(r[EXPORT_HEADERS.index("Chủ đề")] for r in rows)
        assert topics == sorted(["'=1+1", "'+1", "'-1", "'@SUM(A1)"])
        assert all(isinstance(r[EXPORT_HEADERS.index("Ngày")], datetime.datetime) for r in rows)
        assert all(r[EXPORT_HEADERS.index("Số có mặt")] == 18 for r in rows)
        csv_text = self.export(client, CSV).getvalue().decode("utf-8-sig")
        assert "'=1+1" in csv_text and "01/02/2024" in csv_text

    def test_tab_and_carriage_return_are_neutralised_too(self):
        # Stored text is trimmed, so these reach an export only from other code.
        from tracker.imports.formats import neutralise

        assert [neutralise(v) for v in ["\tx", "\rx", "a=b", 5, None]] == ["'\tx", "'\rx", "a=b", 5, None]

    def test_each_row_names_its_unit_and_the_units_parent_beside_the_code(self, client, alice, tree):
        make_session(tree["STP-VP"], topic="Của chi bộ")
        make_session(tree["STP"], topic="Của đảng bộ")
        sheet = load_workbook(io.BytesIO(self.export(client, XLSX).getvalue())).active
        named = sorted(row[:3] for row in sheet.iter_rows(min_row=2, values_only=True))
        assert named == [
            ("STP", "Đảng bộ Sở Tư pháp", "Đảng bộ Khối các cơ quan tỉnh"),
            ("STP-VP", "Chi bộ VP STP", "Đảng bộ Sở Tư pháp"),
        ]

    def test_a_changed_unit_name_in_the_file_is_ignored_not_imported(self, client, alice, tree):
        session = make_session(tree["STP-VP"], topic="Có ngày")
        workbook = load_workbook(io.BytesIO(self.export(client, XLSX).getvalue()))
        workbook.active["B2"], workbook.active["C2"] = "Chi bộ khác", "Đảng bộ khác"
        out = io.BytesIO()
        workbook.save(out)
        response = dry_run(client, SimpleUploadedFile("lai.xlsx", out.getvalue()), XLSX)
        assert [r.import_type for r in response.context["result"].rows] == ["skip"]
        session.unit.refresh_from_db()
        assert (session.unit.name, session.unit.parent_name) == ("Chi bộ VP STP", "Đảng bộ Sở Tư pháp")

    def test_the_blank_template_leaves_out_the_columns_for_reading(self, client, alice):
        response = client.get(reverse("admin:activities_studysession_import_template", args=["csv"]))
        assert response.content.decode("utf-8-sig").splitlines()[0] == ",".join(HEADERS)

    def test_round_trip_changes_nothing(self, client, alice, tree):
        make_session(tree["STP-VP"], topic="Có ngày")
        make_session(tree["STP-TT"], topic="Không ngày", date=None, year=2024, quarter=3)
        exported = self.export(client, XLSX).getvalue()
        response = dry_run(client, SimpleUploadedFile("lai.xlsx", exported), XLSX)
        assert [r.import_type for r in response.context["result"].rows] == ["skip", "skip"]


class TestPermissions:
    def test_two_imports_never_share_their_code_lookups(self, tree):
        from activities.resources import StudySessionResource

        alice = user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0]
        bob = user_grant(username="bob", unit_code="KBNN", role=Role.UNIT_EDITOR)[0]
        first, second = StudySessionResource(user=alice), StudySessionResource(user=bob)
        first.fields["unit"].widget.preload(["STP-VP", "KBNN-1"])
        assert list(first.fields["unit"].widget.cache) == ["STP-VP"]
        assert second.fields["unit"].widget.cache == {}
        assert second.fields["unit"].widget.user == bob

    def test_viewer_may_export_but_not_import(self, client, tree):
        viewer = user_grant(username="viewer", unit_code="STP", role=Role.UNIT_VIEWER)[0]
        client.force_login(viewer)
        assert client.get(IMPORT_URL).status_code == 403
        assert client.get(EXPORT_URL).status_code == 200

    def test_anonymous_is_sent_to_login(self, client, db):
        assert client.get(IMPORT_URL).status_code == 302

    def test_import_page_is_vietnamese_and_offers_the_templates(self, client, alice, tree):
        body = client.get(IMPORT_URL).content.decode()
        assert "Tệp cần nhập" in body
        assert reverse("admin:activities_studysession_import_template", args=["xlsx"]) in body
        assert reverse("admin:activities_studysession_import_template", args=["csv"]) in body

    def test_blank_template_has_headers_an_example_and_a_guide(self, client, alice, tree):
        response = client.get(reverse("admin:activities_studysession_import_template", args=["xlsx"]))
        workbook = load_workbook(io.BytesIO(response.content))
        data, guide = workbook["Dữ liệu"], workbook["Hướng dẫn"]
        assert workbook.sheetnames == ["Dữ liệu", "Mã", "Hướng dẫn"]
        assert [cell.value for cell in data[1]] == HEADERS
        assert data["A2"].value == "STP-VP"  # the first cell of alice's committee, not another unit's
        assert [cell.value for cell in guide[1]] == ["Cột", "Ví dụ", "Cách ghi"]
        assert guide.max_row == len(HEADERS) + 1

    def test_template_uses_the_users_units_and_officials_and_offers_drop_downs(self, client, alice, tree):
        chair = make_official(full_name="Phạm Thị Kim Chung")
        chair.positions.create(unit=tree["STP-VP"], kind="party", title="Bí thư")
        make_official(full_name="Người của KBNN").positions.create(
            unit=tree["KBNN-1"], kind="party", title="Bí thư"
        )
        response = client.get(reverse("admin:activities_studysession_import_template", args=["xlsx"]))
        workbook = load_workbook(io.BytesIO(response.content))
        data, codes = workbook["Dữ liệu"], workbook["Mã"]
        example = dict(zip(HEADERS, (cell.value for cell in data[2]), strict=True))
        assert (example["Mã đơn vị"], example["Mã người chủ trì"]) == ("STP-VP", chair.code)
        assert list(codes.iter_rows(values_only=True)) == [
            ("Mã đơn vị", "Tên đơn vị", "Mã cán bộ", "Họ và tên"),
            ("STP", "Đảng bộ Sở Tư pháp", chair.code, "Phạm Thị Kim Chung"),
            ("STP-VP", "Chi bộ VP STP — Đảng bộ Sở Tư pháp", None, None),
            ("STP-TT", "Chi bộ TT STP — Đảng bộ Sở Tư pháp", None, None),
        ]
        rules = {str(v.sqref): (v.type, v.formula1) for v in data.data_validations.dataValidation}
        assert rules == {
            "A2:A2000": ("list", "'Mã'!$A$2:$A$4"),
            "B2:B2000": (
                "list",
                '"Sinh hoạt chuyên đề,Sinh hoạt định kỳ,Học tập sáng thứ Hai đầu tháng,Lớp bồi dưỡng"',
            ),
            "F2:F2000": ("list", '"Trực tiếp,Trực tuyến,Trực tiếp kết hợp trực tuyến"'),
            "G2:G2000": ("list", "'Mã'!$C$2:$C$2"),
            "J2:J2000": ("list", '"Có,Không"'),
            "K2:K2000": ("list", '"Có,Không"'),
        }
        widths = {letter: data.column_dimensions[letter].width for letter in "ABCK"}
        # Wide enough for the header (or the example), plus a margin.
        assert widths == {"A": 11, "B": 21, "C": 12, "K": 35}

    def test_a_filled_template_imports_as_one_new_row(self, client, alice, tree):
        chair = make_official(full_name="Phạm Thị Kim Chung")
        chair.positions.create(unit=tree["STP-VP"], kind="party", title="Bí thư")
        response = client.get(reverse("admin:activities_studysession_import_template", args=["xlsx"]))
        workbook = load_workbook(io.BytesIO(response.content))
        workbook["Dữ liệu"]["E2"] = "Về tinh thần tự học"  # the example row, filled in
        out = io.BytesIO()
        workbook.save(out)
        before = StudySession.objects.count()
        import_file(client, SimpleUploadedFile("mau.xlsx", out.getvalue()), XLSX)
        assert StudySession.objects.count() == before + 1
        session = StudySession.objects.get(topic="Về tinh thần tự học")
        assert (session.unit.code, session.chair, session.date) == (
            "STP-VP",
            chair,
            datetime.date(2024, 2, 5),
        )
