"""
Files and pages that carry unit data, whatever the stored text holds: spreadsheets and
Word documents that always open, CSV cells a spreadsheet never runs as a formula, and
pages no shared cache keeps.
"""

import csv
import io
import re
import tempfile

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from activities.models import StudySession
from activities.tests.conftest import as_user
from activities.tests.factories import make_session
from tracker.imports.formats import SafeCSV
from tracker.spreadsheets import Table, csv_text

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("admin:activities_studysession_export")
XLSX, CSV = "0", "1"
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def stored_with_controls(tree):
    """
    STP-VP's thematic topic with a vertical tab and (where the database stores it) a NUL,
    written past the forms and the fields (which strip them, even in an update) as text
    stored before they did, or from a database shell. PostgreSQL refuses a NUL in text.
    """
    nul = "\x00" if connection.vendor == "sqlite" else ""
    session = StudySession.objects.get(unit=tree["STP-VP"], topic="Về văn hóa")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE activities_studysession SET topic = %s WHERE id = %s",
            [f"Về\x0b văn{nul} hóa", session.pk],
        )
    assert StudySession.objects.values_list("topic", flat=True).get(pk=session.pk) == f"Về\x0b văn{nul} hóa"


@pytest.fixture
def openpyxl_temp(monkeypatch, tmp_path):
    """The folder openpyxl's write-only workbooks keep their temporary files in."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


class TestControlCharacters:
    def test_the_units_spreadsheet_opens(self, client, people, tree, openpyxl_temp):
        stored_with_controls(tree)
        response = as_user(client, people, "alice").get("/units/STP-VP/2024/q1/?format=xlsx")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        topics = [row[3] for row in sheet.iter_rows(min_row=3, values_only=True)]
        assert "Về văn hóa" in topics
        assert list(openpyxl_temp.iterdir()) == []

    def test_the_unit_csv_holds_the_text_without_them(self, client, people, tree):
        stored_with_controls(tree)
        response = as_user(client, people, "alice").get("/units/STP-VP/2024/q1/?format=csv")
        assert response.status_code == 200
        text = response.content.decode("utf-8-sig")
        assert '"Về văn hóa"' in text
        assert not CONTROLS.search(text)

    def test_the_admin_spreadsheet_export_opens(self, client, people, tree, openpyxl_temp):
        stored_with_controls(tree)
        as_user(client, people, "alice")
        response = client.post(EXPORT_URL, {"format": XLSX, "resource": "0", "export_items": []})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.getvalue())).active
        headers = [cell.value for cell in sheet[1]]
        topics = [row[headers.index("Chủ đề")] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert "Về văn hóa" in topics
        assert list(openpyxl_temp.iterdir()) == []

    def test_the_admin_csv_export_holds_the_text_without_them(self, client, people, tree):
        stored_with_controls(tree)
        as_user(client, people, "alice")
        response = client.post(EXPORT_URL, {"format": CSV, "resource": "0", "export_items": []})
        assert response.status_code == 200
        text = response.getvalue().decode("utf-8-sig")
        assert '"Về văn hóa"' in text
        assert not CONTROLS.search(text)

    # The bloc's report lists no session (one row per unit under it): a committee's and a cell's do.
    @pytest.mark.parametrize(("user", "code"), [("alice", "STP-VP"), ("alice", "STP"), ("carol", "STP")])
    def test_the_word_report_opens(self, client, people, tree, user, code):
        stored_with_controls(tree)
        response = as_user(client, people, user).get(f"/units/{code}/2024/q1/report/?format=docx")
        assert response.status_code == 200
        document = Document(io.BytesIO(response.content))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        assert "Về văn hóa" in cells
        assert not any(CONTROLS.search(text) for text in cells)


FORMULA_STARTS = ("=", "+", "-", "@")
DANGEROUS = ["Sinh hoạt;=1+1", "Sinh hoạt,+1", "Sinh hoạt\t@SUM(A1)", "Lớp; -2+3", "=HYPERLINK(1)"]


def cells_read_with_either_separator(text):
    """Every cell of the CSV as a spreadsheet shows it when told `,` or `;` separates fields."""
    text = text.lstrip("\ufeff")
    return [
        cell
        for delimiter in ",;"
        for line in csv.reader(io.StringIO(text), delimiter=delimiter)
        for cell in line
    ]


def formulas_in(cells):
    return [cell for cell in cells if cell.strip().startswith(FORMULA_STARTS)]


class TestCsvFormulas:
    def test_the_admin_export_quotes_text_and_neutralises_formulas_after_a_separator(
        self, client, people, tree
    ):
        for topic in DANGEROUS:
            make_session(tree["STP-VP"], topic=topic)
        as_user(client, people, "alice")
        response = client.post(EXPORT_URL, {"format": CSV, "resource": "0", "export_items": []})
        text = response.getvalue().decode("utf-8-sig")
        assert formulas_in(cells_read_with_either_separator(text)) == []
        # Read with the separator it was written with, the topic is all there, made inert.
        header, *lines = csv.reader(io.StringIO(text))
        topics = [line[header.index("Chủ đề")] for line in lines]
        assert {
            "Sinh hoạt;'=1+1",
            "Sinh hoạt,'+1",
            "Sinh hoạt\t'@SUM(A1)",
            "Lớp; '-2+3",
            "'=HYPERLINK(1)",
        } <= set(topics)
        assert '"Sinh hoạt;\'=1+1"' in text

    def test_the_report_csv_does_the_same(self):
        table = Table(title="", headers=["Chủ đề", "Số"], rows=[[topic, 3] for topic in DANGEROUS])
        text = csv_text(table)
        assert formulas_in(cells_read_with_either_separator(text)) == []
        lines = text.lstrip("\ufeff").split("\r\n")
        assert lines[:3] == ['"Chủ đề","Số"', '"Sinh hoạt;\'=1+1",3', '"Sinh hoạt,\'+1",3']

    def test_numbers_and_dates_stay_as_they_are(self):
        import datetime

        text = (
            SafeCSV.cell(datetime.date(2024, 2, 5)),
            SafeCSV.cell(None),
            SafeCSV.cell(-5),
            SafeCSV.cell("a-b"),
        )
        assert text == ("05/02/2024", "", -5, "a-b")


class TestCacheControl:
    @pytest.mark.parametrize(
        "url",
        [
            "/",
            "/reports/2024/q1/",
            "/reports/2024/q1/?format=xlsx",
            "/reports/2024/q1/?format=csv",
            "/units/STP/2024/q1/",
            "/units/STP/2024/q1/?format=xlsx",
            "/units/STP/2024/q1/?format=csv",
            "/units/STP/2024/q1/report/",
            "/units/STP/2024/q1/report/?format=docx",
            "/sessions/new/",
        ],
    )
    def test_pages_and_downloads_of_unit_data_are_kept_by_no_cache(self, client, people, url):
        response = as_user(client, people, "alice").get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"

    def test_the_admin_keeps_its_own_header(self, client, people):
        response = as_user(client, people, "alice").get(reverse("admin:index"))
        assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"

    def test_the_health_check_keeps_never_cache(self, client, people):
        response = as_user(client, people, "alice").get("/healthz")
        assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"

    def test_static_files_keep_their_own_cache(self, people, settings, tmp_path):
        # WhiteNoise answers before the middleware that marks pages as private (a
        # hashed name in production is cached for a year: test_production).
        settings.STATIC_ROOT = tmp_path
        (tmp_path / "probe.css").write_text("body {}")
        client = Client()  # WhiteNoise reads STATIC_ROOT when a client first loads the middleware
        client.force_login(people["alice"])
        response = client.get("/static/probe.css")
        assert response.status_code == 200
        assert response["Cache-Control"] == "max-age=60, public"
