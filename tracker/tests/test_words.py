"""
The admin reads as natural Vietnamese: Django's awkward wording replaced, years
written as years, one spelling per word, file names that say what they hold, and an
index grouped by what people do.
"""

import datetime
import gettext
import re
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from activities.models import StudySession
from activities.tests.factories import make_initiative, make_session, make_theme
from units.models import Role, Unit
from units.services import ROLE_GROUPS, role_groups_sync, user_grant
from units.tests.factories import make_member_count


@pytest.fixture
def boss(tree):
    return user_grant(username="boss", unit_code="BLOC", role=Role.BLOC_ADMIN)[0]


@pytest.fixture
def alice(tree):
    return user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0]


def page(client, user, path):
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def test_changelist_says_add_select_to_edit_filter_by_and_run(client, boss, tree):
    make_session(tree["STP-VP"])
    body = page(client, boss, reverse("admin:activities_studysession_changelist"))
    assert "Thêm buổi sinh hoạt" in body
    assert "<h1>Chọn buổi sinh hoạt để sửa</h1>" in body
    assert "Đã chọn 0/1" in body
    assert "Thao tác:" in body
    assert ">Thực hiện</button>" in body
    assert '<option value="" selected>— Chọn thao tác —</option>' in body
    for old in ("Thêm vào", "để thay đổi", "0 của", "Hoạt động:", "Đi đến", "Bởi ", "---------"):
        assert old not in body, old


def test_filters_read_theo(client, boss, tree):
    body = page(client, boss, reverse("admin:activities_studysession_changelist"))
    titles = re.findall(r"<summary>\s*(.*?)\s*</summary>", body)
    assert titles and all(title.startswith("Theo ") for title in titles), titles


def test_history_page_says_lich_su_thay_doi(client, boss, tree):
    session = make_session(tree["STP-VP"])
    change = page(client, boss, reverse("admin:activities_studysession_change", args=[session.pk]))
    assert ">Lịch sử thay đổi</a>" in change
    history = page(client, boss, reverse("admin:activities_studysession_history", args=[session.pk]))
    assert f"<h1>Lịch sử thay đổi: {session}</h1>" in history
    for old in ("Bản ghi nhớ", "Sửa lịch sử"):
        assert old not in change and old not in history, old


def test_export_button_exports_and_import_button_checks(client, boss, tree):
    export = page(client, boss, reverse("admin:activities_studysession_export"))
    assert 'value="Xuất tệp"' in export and "Kiểm tra tệp" not in export
    upload = page(client, boss, reverse("admin:activities_studysession_import"))
    assert 'value="Kiểm tra tệp"' in upload and "Xuất tệp" not in upload


def test_selection_counter_in_javascript_reads_da_chon(client, boss):
    body = page(client, boss, reverse("admin:jsi18n"))
    assert r'"\u0110\u00e3 ch\u1ecdn %(sel)s/%(cnt)s"' in body  # "Đã chọn 1/100"


def test_years_have_no_thousands_separator_in_admin_lists(client, boss, tree):
    make_initiative(tree["STP-VP"], start_year=2024)
    make_theme(year=2025)
    make_member_count(tree["STP-VP"], year=2024)
    for name in ("activities_initiative", "activities_theme", "units_membercount"):
        body = page(client, boss, reverse(f"admin:{name}_changelist"))
        assert "2.024" not in body and "2.025" not in body, name
        assert re.search(r"<td class=\"field-(start_year|year)\">202[45]</td>", body), name


def test_year_page_links_are_plain_years(client, boss, tree):
    body = page(client, boss, "/reports/2024/")
    assert "← 2023</a>" in body and "2025 →</a>" in body
    assert "2.02" not in body


def test_catalogue_uses_one_spelling():
    path = Path(settings.BASE_DIR) / "locale/vi/LC_MESSAGES/django.mo"
    with path.open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)._catalog
    texts = [text for text in catalogue.values() if text]
    assert len(texts) > 500
    assert [text for text in texts if "tỉ lệ" in text.lower()] == []
    assert [text for text in texts if "thứ hai" in text] == []
    assert [text for text in texts if "Khối" in text and "Khối các cơ quan tỉnh" not in text] == []


@mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2026, 11, 27))
def test_admin_export_is_named_by_model_unit_period_and_day(_today, client, boss, alice, tree):
    export = reverse("admin:activities_studysession_export")
    client.force_login(boss)
    response = client.post(f"{export}?unit=STP&quarter=4&year=2026", {"format": "0", "resource": "0"})
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="buoi-sinh-hoat-stp-quy-4-2026-27-11-2026.xlsx"'
    )
    response = client.post(export, {"format": "0", "resource": "0"})
    assert response["Content-Disposition"] == 'attachment; filename="buoi-sinh-hoat-bloc-27-11-2026.xlsx"'
    client.force_login(alice)
    response = client.post(f"{reverse('admin:activities_initiative_export')}?year=2025", {"format": "0"})
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="mo-hinh-hay-cach-lam-tieu-bieu-stp-2025-27-11-2026.xlsx"'
    )


def test_report_downloads_name_the_unit(client, boss, tree):
    client.force_login(boss)
    response = client.get("/reports/2024/q1/?format=csv")
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-quy-1-2024-bloc.csv"'
    response = client.get("/reports/2024/?format=csv")
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-nam-2024-bloc.csv"'
    response = client.get("/units/STP-VP/2024/q1/?format=csv")
    assert response["Content-Disposition"] == 'attachment; filename="chi-tiet-quy-1-2024-stp-vp.csv"'


def index_groups(body):
    """[(group name, [model names])] of the admin index, in order."""
    groups = []
    for caption, rows in re.findall(r"<caption>\s*<a[^>]*>(.*?)</a>\s*</caption>(.*?)</table>", body, re.S):
        groups.append((caption, re.findall(r'<th scope="row" id="[^"]*">\s*<a[^>]*>(.*?)</a>', rows)))
    return groups


def test_cell_editor_index_is_grouped_by_task_without_reference_lists(client, alice):
    body = page(client, alice, reverse("admin:index"))
    assert index_groups(body) == [
        (
            "Ghi nhận hoạt động",
            [
                "Buổi sinh hoạt",
                "Mô hình hay, cách làm tiêu biểu",
                "Đánh giá",
                "Tuyên truyền",
                "Gương người tốt, việc tốt",
            ],
        ),
        ("Đảng viên", ["Đảng viên", "Điểm danh"]),
        ("Số liệu", ["Số liệu báo cáo", "Kết quả giải quyết thủ tục hành chính", "Số đảng viên"]),
        ("Chu kỳ báo cáo", ["Báo cáo đã nộp"]),
        ("Danh mục", ["Cán bộ", "Chức vụ"]),
    ]
    assert "<h1>Đảng bộ Khối các cơ quan tỉnh</h1>" in body


def test_bloc_admin_index_lists_everything_by_task(client, boss):
    groups = index_groups(page(client, boss, reverse("admin:index")))
    assert [name for name, _models in groups] == [
        "Ghi nhận hoạt động",
        "Đảng viên",
        "Số liệu",
        "Chu kỳ báo cáo",
        "Danh mục",
        "Người dùng và vai trò",
    ]
    assert groups[3][1] == ["Báo cáo đã nộp", "Ngoại lệ khóa sổ", "Hạn nộp báo cáo"]
    assert groups[4][1] == ["Cán bộ", "Chức vụ", "Tổ chức đảng", "Văn bản chỉ đạo", "Chuyên đề", "Nguồn"]
    assert groups[5][1] == ["Người sử dụng"]


def test_no_screen_says_khoi(client, boss, tree):
    body = page(client, boss, reverse("admin:units_unit_changelist"))
    assert "Đảng bộ cấp trên cơ sở" in body
    users = page(client, boss, reverse("admin:auth_user_changelist"))
    assert '<td class="field-role">Quản trị đảng bộ</td>' in users
    assert "Khối" not in users.replace("Đảng bộ Khối các cơ quan tỉnh", "")


def test_role_groups_named_before_2025_are_renamed_with_their_members(tree, boss):
    from django.contrib.auth.models import Group

    Group.objects.filter(name=ROLE_GROUPS[Role.BLOC_ADMIN]).update(name="Quản trị Khối")
    role_groups_sync()
    assert list(boss.groups.values_list("name", flat=True)) == ["Quản trị đảng bộ"]
    assert not Group.objects.filter(name="Quản trị Khối").exists()


def test_session_kind_inside_a_sentence_keeps_thu_hai():
    from tracker.text import lowercase_first

    with translation.override("vi"):
        label = StudySession.Kind.FIRST_MONDAY.label
        assert lowercase_first(label) == "học tập sáng thứ Hai đầu tháng"


def test_file_slug_folds_d_and_accents():
    from tracker.text import file_slug, unit_slug

    assert file_slug("Đơn vị đảng", "Quý 4", 2026, "STP-VP") == "don-vi-dang-quy-4-2026-stp-vp"
    assert unit_slug(None) == "toan-bo"
    assert unit_slug(Unit(code="KBNN-1")) == "kbnn-1"


def test_index_reads_the_same_number_of_queries_whatever_the_tree(
    client, alice, tree, django_assert_num_queries
):
    from conftest import populate

    client.force_login(alice)
    client.get(reverse("admin:index"))  # the session and permission caches
    populate(tree, 2)
    with django_assert_num_queries(7) as small:
        client.get(reverse("admin:index"))
    populate(tree, 20)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("admin:index"))


@pytest.mark.parametrize(
    "path",
    [
        "admin:activities_studysession_add",
        "admin:units_position_add",
        "admin:activities_studysession_import",
        "admin:activities_studysession_export",
    ],
)
def test_lists_open_on_a_named_empty_choice_not_dashes(client, boss, tree, path):
    body = page(client, boss, reverse(path))
    assert "— Chọn —</option>" in body
    assert "---" not in body


def test_import_templates_are_named_in_vietnamese(client, boss, tree):
    client.force_login(boss)
    response = client.get(reverse("admin:activities_studysession_import_template", args=["xlsx"]))
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-buoi-sinh-hoat.xlsx"'
    response = client.get(reverse("admin:units_official_import_template", args=["csv"]))
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-can-bo.csv"'
