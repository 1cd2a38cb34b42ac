import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import DeclaredFigure, StudySession
from activities.tests.conftest import as_user
from conftest import populate

pytestmark = pytest.mark.django_db

QUARTER_URL = "/reports/2024/q1/"


def row_codes(response):
    return [row.unit.code for row in response.context["rows"]]


@pytest.mark.parametrize(
    "url",
    ["/", QUARTER_URL, "/reports/2024/", "/units/STP/2024/q1/", "/sessions/new/"],
)
def test_pages_ask_an_anonymous_visitor_to_log_in(client, people, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"


def test_each_user_sees_the_quarter_for_their_own_subtree(client, people):
    assert row_codes(as_user(client, people, "alice").get(QUARTER_URL)) == ["STP", "STP-VP", "STP-TT"]
    assert row_codes(as_user(client, people, "bob").get(QUARTER_URL)) == ["KBNN", "KBNN-1", "KBNN-2"]
    carol = as_user(client, people, "carol").get(QUARTER_URL)
    assert row_codes(carol) == ["BLOC", "STP", "STP-VP", "STP-TT", "KBNN", "KBNN-1", "KBNN-2", "BDV"]
    body = carol.content.decode()
    assert "Quý I/2024" in body
    assert "4/5 đơn vị đạt" in body  # thematic sessions: units on track / units expected


def test_a_user_cannot_widen_a_report_beyond_their_units(client, people):
    as_user(client, people, "alice")
    assert client.get(QUARTER_URL + "?unit=KBNN").status_code == 404
    assert client.get(QUARTER_URL + "?unit=BLOC").status_code == 404
    assert row_codes(client.get(QUARTER_URL + "?unit=STP-TT")) == ["STP-TT"]
    assert client.get("/reports/2024/?unit=KBNN").status_code == 404


def test_filters_narrow_the_rows_to_a_subtree_and_unit_kinds(client, people):
    as_user(client, people, "carol")
    assert row_codes(client.get(QUARTER_URL + "?unit=KBNN")) == ["KBNN", "KBNN-1", "KBNN-2"]
    assert row_codes(client.get(QUARTER_URL + "?kind=grassroots_committee&kind=grassroots_cell")) == [
        "STP",
        "KBNN",
        "BDV",
    ]


def test_a_unit_page_of_another_subtree_is_not_found(client, people):
    as_user(client, people, "bob")
    assert client.get("/units/STP-VP/2024/q1/").status_code == 404
    assert client.get("/units/KBNN-1/2024/q1/").status_code == 200
    assert client.get("/units/KBNN-1/2024/q5/").status_code == 404


def test_unit_quarter_page_shows_records_checks_and_disagreements(client, people):
    response = as_user(client, people, "carol").get("/units/BDV/2024/q1/")
    body = response.content.decode()
    assert [s.date for s in response.context["page"].sessions][:2] == [
        datetime.date(2024, 1, 1),
        datetime.date(2024, 1, 25),
    ]
    assert "20/03/2024" in body
    # The declared 13 (as declared: exactly) against the 1 session logged in its period.
    declared = re.sub(r"\s+", " ", body[body.index('<tr class="row-behind"><td>Chi bộ Ban Dân vận') :])
    assert declared.startswith(
        '<tr class="row-behind"><td>Chi bộ Ban Dân vận Tỉnh ủy</td><td>Số buổi sinh hoạt chuyên đề đã tổ chức</td> '
        '<td>01/01/2021–15/03/2024</td> <td class="num">đúng 13</td> <td class="num">1</td> '
        '<td class="num behind">-12 <span class="flag">không khớp</span></td></tr>'
    )
    stp = as_user(client, people, "alice").get("/units/STP/2024/q1/").content.decode()
    assert "98,06%" in stp and "98,99%" in stp  # declared and recomputed on-time rates


def test_quarter_report_downloads_as_formatted_xlsx(client, people):
    response = as_user(client, people, "carol").get(QUARTER_URL + "?format=xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-quy-1-2024-bloc.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "B3"
    assert sheet["A1"].value == "Học tập và làm theo Bác: Quý I/2024, Đảng bộ Khối các cơ quan tỉnh"
    headers = [cell.value for cell in sheet[2]]
    assert headers[:13] == [
        "Mã đơn vị",
        "Đơn vị",
        "Thuộc",
        "Ngày sinh hoạt chuyên đề",
        "Sinh hoạt chuyên đề: đã tổ chức",
        "Sinh hoạt chuyên đề: phải tổ chức trong quý",
        "Sinh hoạt chuyên đề: tình trạng",
        "Sinh hoạt định kỳ: đã tổ chức",
        "Sinh hoạt định kỳ: phải tổ chức trong quý",
        "Sinh hoạt định kỳ: tình trạng",
        "Học tập sáng thứ Hai đầu tháng: đã tổ chức",
        "Học tập sáng thứ Hai đầu tháng: phải tổ chức trong quý",
        "Học tập sáng thứ Hai đầu tháng: tình trạng",
    ]
    assert sheet[2][0].font.bold is True
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    by_code = {row[0]: row for row in rows}
    assert by_code["STP-VP"][3] == datetime.datetime(2024, 2, 15)
    assert by_code["STP-VP"][1:3] == ["        Chi bộ VP STP", "Đảng bộ Sở Tư pháp"]
    assert by_code["BDV"][1:3] == ["    Chi bộ Ban Dân vận Tỉnh ủy", "Đảng bộ Khối các cơ quan tỉnh"]
    assert by_code["BLOC"][2] is None  # the top of the report belongs to nothing in it
    assert by_code["STP"][4:13] == [
        1, 2, "1/2 đơn vị đạt (chậm)", 5, 6, "1/2 đơn vị đạt (chậm)", 3, 6, "1/2 đơn vị đạt (chậm)"
    ]  # fmt: skip
    assert by_code["STP-TT"][4:13] == [
        0, 1, "chậm: chưa tổ chức trong quý", 2, 3, "chậm: thiếu tháng 3", 0, 3, "chậm: thiếu tháng 1, 2, 3"
    ]  # fmt: skip
    assert by_code["STP-VP"][4:13] == [1, 1, "đã đủ", 3, 3, "đã đủ", 3, 3, "đã đủ"]
    completeness = rows[-2]
    assert completeness[4:13] == [4, 5, None, 4, 5, None, 3, 5, None]
    total = rows[-1]
    assert total[:2] == ["Tổng cộng", "Đảng bộ Khối các cơ quan tỉnh"]
    assert total[4:14] == [4, 5, "4/5 đơn vị đạt (chậm)", 14, 15, "4/5 đơn vị đạt (chậm)", 11, 15,
                           "3/5 đơn vị đạt (chậm)", 0.925]  # fmt: skip
    assert total[-1] == 2  # units behind
    assert sheet.cell(row=sheet.max_row, column=1).font.bold is True


def test_quarter_report_xlsx_prints_on_a4_landscape_with_a_filter_on_its_header(client, people):
    response = as_user(client, people, "carol").get(QUARTER_URL + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    setup = sheet.page_setup
    assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (9, "landscape", 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$2:$2"
    width = len(sheet[2])
    assert width == 29
    # the header and the eight units (the completeness line too; not the totals)
    assert sheet.auto_filter.ref == "A2:AC11"
    assert {cell.alignment.wrap_text for cell in sheet[2]} == {True}
    # A long header wraps over lines the row is tall enough for, in a column as wide as its numbers.
    assert sheet.column_dimensions["E"].width == 20
    assert sheet.row_dimensions[2].height == 45


def test_quarter_report_downloads_as_csv_for_the_users_subtree(client, people):
    response = as_user(client, people, "alice").get(QUARTER_URL + "?format=csv")
    text = response.content.decode("utf-8")
    assert text.startswith('\ufeff"Mã đơn vị","Đơn vị",')
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [line[0] for line in lines] == [
        "Mã đơn vị",
        "STP",
        "STP-VP",
        "STP-TT",
        "Số đơn vị đạt / số đơn vị phải tổ chức",
        "Tổng cộng",
    ]
    assert "KBNN" not in text
    assert lines[0][2] == "Thuộc"
    # Each row names what it belongs to, the report's own top unit too.
    assert [line[2] for line in lines[1:4]] == [
        "Đảng bộ Khối các cơ quan tỉnh",
        "Đảng bộ Sở Tư pháp",
        "Đảng bộ Sở Tư pháp",
    ]
    assert lines[-1][4:14] == [
        "1", "2", "1/2 đơn vị đạt (chậm)", "5", "6", "1/2 đơn vị đạt (chậm)", "3", "6",
        "1/2 đơn vị đạt (chậm)", "90,00",
    ]  # fmt: skip


def test_year_report_has_quarters_and_a_chart_with_its_data_table(client, people):
    response = as_user(client, people, "carol").get("/reports/2024/")
    quarters = response.context["quarters"]
    assert [(q["quarter"].number, q["total"].sessions) for q in quarters] == [(1, 29), (2, 1), (3, 0), (4, 0)]
    body = response.content.decode()
    assert body.count('<rect class="bar"') == 3  # IV/2023, I/2024, II/2024
    assert "<polyline" in body
    assert "<caption>Số liệu của biểu đồ</caption>" in body
    sheet_names = load_workbook(io.BytesIO(client.get("/reports/2024/?format=xlsx").content)).sheetnames
    assert sheet_names == ["2024", "Theo quý"]


def test_home_shows_the_current_quarter_and_what_is_due(client, people):
    response = as_user(client, people, "alice").get("/")
    assert response.status_code == 200
    assert response.context["root"].code == "STP"
    due = {
        item["kind"]: [(unit.code, tally.remaining, tally.missing) for unit, tally in item["units"]]
        for item in response.context["due"]
    }
    assert due["thematic"] == [("STP-VP", 1, ()), ("STP-TT", 1, ())]  # nothing logged yet this quarter
    assert 'href="/sessions/new/"' in response.content.decode()


def test_a_user_without_a_unit_is_refused(client, people, django_user_model):
    client.force_login(django_user_model.objects.create_user("dave", is_staff=True))
    assert client.get("/").status_code == 403
    assert client.get(QUARTER_URL).status_code == 403


def count_queries(client, url, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # and the unit's reports to hand in (deadlines, submissions), the reports awaiting review, the messages
        ("/", 9),
        # and the reporting rate of the quarter
        (QUARTER_URL, 8),
        (QUARTER_URL + "?format=xlsx", 4),
        # and the reporting rates of the year's six periods, one query each
        ("/reports/2024/", 17),
        # and the reports ending with the quarter: deadlines, the unit's submission
        ("/units/BLOC/2024/q1/", 16),
        ("/units/BLOC/2024/q1/?page=2", 16),
        # and the members absent with leave meeting after meeting, and the registers against the declared count
        ("/units/STP/2024/q1/", 19),
        ("/units/BLOC/2024/q1/?format=csv", 12),
    ],
)
def test_report_pages_run_the_same_queries_for_a_small_and_a_larger_dataset(
    client, people, tree, django_assert_num_queries, url, queries
):
    # populate() declares its own figures for BDV; one of them would repeat this one.
    DeclaredFigure.objects.filter(unit=tree["BDV"]).delete()
    as_user(client, people, "carol")
    count_queries(client, url, django_assert_num_queries, queries)
    populate(tree, 40)
    count_queries(client, url, django_assert_num_queries, queries)


def session_post(unit, **fields):
    return {
        "unit": unit.pk,
        "kind": "thematic",
        "date": "05/02/2024",
        "topic": "Về văn hóa",
        "format": "in_person",
        "attended": "15",
        "expected": "16",
        **fields,
    }


def test_an_editor_logs_a_session_for_a_unit_of_their_subtree(client, people, tree):
    as_user(client, people, "alice")
    form = client.get("/sessions/new/?unit=STP-TT").context["form"]
    assert form.initial["unit"] == tree["STP-TT"].pk
    assert [unit.code for unit in form.fields["unit"].queryset] == ["STP", "STP-VP", "STP-TT"]
    response = client.post("/sessions/new/", session_post(tree["STP-TT"]))
    assert response.status_code == 302
    assert response["Location"] == "/units/STP-TT/2024/q1/"
    session = StudySession.objects.get(unit=tree["STP-TT"], kind="thematic")
    assert (session.date, session.year, session.quarter, session.attended) == (
        datetime.date(2024, 2, 5),
        2024,
        1,
        15,
    )
    assert session.history.get().history_user.username == "alice"


def test_a_session_without_a_topic_takes_its_themes_title(client, people, tree):
    from activities.tests.factories import make_theme

    theme = make_theme(title="Về văn hóa trong cơ quan")
    as_user(client, people, "alice")
    response = client.post("/sessions/new/", session_post(tree["STP-TT"], topic="", theme=theme.pk))
    assert response.status_code == 302
    session = StudySession.objects.get(unit=tree["STP-TT"], kind="thematic")
    assert (session.theme, session.topic) == (theme, "Về văn hóa trong cơ quan")


def test_the_session_form_refuses_another_subtree_and_shows_errors_beside_the_fields(client, people, tree):
    as_user(client, people, "alice")
    before = StudySession.objects.count()
    response = client.post("/sessions/new/", session_post(tree["KBNN-1"], date="31/02/2024", attended="20"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["unit"] == [
        "Hãy chọn một lựa chọn hợp lệ. Lựa chọn đó không phải là một trong các lựa chọn khả thi."
    ]
    assert errors["date"] == ["Nhập một ngày hợp lệ."]
    body = response.content.decode()
    assert body.index('id="field-date"') < body.index("Nhập một ngày hợp lệ.") < body.index('id="field-year"')
    assert StudySession.objects.count() == before


def test_an_editor_corrects_only_sessions_of_their_subtree(client, people, tree):
    own = StudySession.objects.get(unit=tree["STP-VP"], kind="thematic")
    foreign = StudySession.objects.get(unit=tree["KBNN-2"], kind="thematic")
    as_user(client, people, "alice")
    assert client.get(f"/sessions/{foreign.pk}/edit/").status_code == 404
    response = client.post(
        f"/sessions/{own.pk}/edit/",
        session_post(tree["STP-VP"], date="15/02/2024", attended="19", expected="20", version=own.version),
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.attended == 19


def test_a_viewer_cannot_log_sessions(client, people):
    as_user(client, people, "carol")
    assert client.get("/sessions/new/").status_code == 403


def test_years_are_written_without_a_thousands_separator(client, people):
    as_user(client, people, "carol")
    for url in ["/", QUARTER_URL, "/reports/2024/"]:
        body = client.get(url).content.decode()
        assert "2.024" not in body
    assert ">Năm 2024</a>" in client.get(QUARTER_URL).content.decode()
