"""
Who may add an official and who may rename one, through the admin and through import.

An official belongs to the units of their positions. One is always added with a
position in the creator's units; their name and code are changed only by whoever
answers for all their home units (the units of their current party positions).
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from tracker.tests.formposts import form_data
from tracker.tests.test_import_export_models import CSV, dry_run, position_file, url
from units.models import Official, Position, Role
from units.services import user_grant
from units.tests.factories import make_official, make_position

RULE_STP_VP = (
    "Chỉ Quản trị đảng bộ hoặc người biên tập của Chi bộ VP STP — Đảng bộ Sở Tư pháp "
    "mới được sửa họ tên và mã của cán bộ này."
)
NEEDS_A_POSITION = "Cán bộ phải giữ ít nhất một chức vụ tại một trong các đơn vị của bạn."


def admin_url(view, *args):
    return reverse(f"admin:units_official_{view}", args=args)


@pytest.fixture
def staff(tree):
    loner = get_user_model().objects.create_user("loner", password="x", is_staff=True)
    loner.user_permissions.add(*Permission.objects.filter(codename__endswith="_official"))
    loner.user_permissions.add(*Permission.objects.filter(codename__endswith="_position"))
    return {
        "alice": user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0],
        "bob": user_grant(username="bob", unit_code="KBNN", role=Role.UNIT_EDITOR)[0],
        "boss": user_grant(username="boss", unit_code="BLOC", role=Role.BLOC_ADMIN)[0],
        "loner": loner,
    }


@pytest.fixture
def shared(tree):
    """An official of the STP cell by their party title, who also holds an agency title in KBNN."""
    official = make_official(code="CHUNG", full_name="Trần Văn Chung")
    make_position(official, tree["STP-VP"], title="Bí thư chi bộ")
    make_position(official, tree["KBNN-1"], kind=Position.Kind.AGENCY, title="Chuyên viên")
    return official


def new_official_form(unit, total="1"):
    return {
        "code": "",
        "full_name": "Lê Thị Mới",
        "note": "",
        "positions-TOTAL_FORMS": total,
        "positions-INITIAL_FORMS": "0",
        "positions-MIN_NUM_FORMS": "1",
        "positions-MAX_NUM_FORMS": "1000",
        "positions-0-kind": "party",
        "positions-0-title": "Phó bí thư chi bộ",
        "positions-0-unit": unit.pk if unit else "",
    }


class TestAddingAnOfficial:
    def test_a_staff_user_without_a_unit_cannot_add_one(self, client, tree, staff):
        client.force_login(staff["loner"])
        assert client.get(admin_url("add")).status_code == 403
        response = client.post(admin_url("add"), new_official_form(tree["STP-VP"], total="0"))
        assert response.status_code == 403
        assert not Official.objects.filter(full_name="Lê Thị Mới").exists()

    @pytest.mark.parametrize("who", ["alice", "boss"])
    def test_an_official_without_a_position_is_refused(self, client, tree, staff, who):
        client.force_login(staff[who])
        response = client.post(admin_url("add"), new_official_form(None, total="0"))
        assert response.status_code == 200
        assert response.context["inline_admin_formsets"][0].formset.non_form_errors() == [NEEDS_A_POSITION]
        assert not Official.objects.filter(full_name="Lê Thị Mới").exists()

    def test_an_official_with_a_position_in_own_units_is_added(self, client, tree, staff):
        client.force_login(staff["alice"])
        response = client.post(admin_url("add"), new_official_form(tree["STP-TT"]))
        assert response.status_code == 302
        official = Official.objects.get(full_name="Lê Thị Mới")
        assert list(official.positions.values_list("unit__code", flat=True)) == ["STP-TT"]

    def test_the_last_position_cannot_be_removed(self, client, tree, staff):
        official = make_official(full_name="Đỗ Văn Một")
        position = make_position(official, tree["STP-VP"])
        client.force_login(staff["alice"])
        data = form_data(client.get(admin_url("change", official.pk)).content.decode(), "official_form")
        data["positions-0-DELETE"] = ["on"]
        response = client.post(admin_url("change", official.pk), data)
        assert response.status_code == 200
        assert response.context["inline_admin_formsets"][0].formset.non_form_errors() == [NEEDS_A_POSITION]
        assert Position.objects.filter(pk=position.pk).exists()

    def test_an_import_by_a_user_without_a_unit_adds_no_official(self, client, tree, staff):
        staff["loner"].user_permissions.add(Permission.objects.get(codename="import_official"))
        client.force_login(staff["loner"])
        content = position_file([["MOI", "Lê Thị Mới", "STP-VP", "Chức vụ Đảng", "Bí thư chi bộ", "", ""]])
        _response, result = dry_run(client, Official, content, CSV)
        assert [(row.number, row.error_dict) for row in result.invalid_rows] == [
            (
                2,
                {
                    "Mã cán bộ": [
                        "Cán bộ mới phải được thêm cùng một chức vụ tại một trong các đơn vị của bạn, "
                        "ghi ở cột Mã đơn vị."
                    ],
                    "Mã đơn vị": [
                        "Tổ chức đảng “STP-VP” không thuộc các đơn vị của bạn: bạn không được nhập dữ liệu "
                        "cho đơn vị này."
                    ],
                },
            )
        ]
        assert not Official.objects.filter(code="MOI").exists()


def rename(client, official, name):
    data = form_data(client.get(admin_url("change", official.pk)).content.decode(), "official_form")
    data["full_name"] = [name]
    data["code"] = ["DA-DOI"]
    return client.post(admin_url("change", official.pk), data)


class TestRenamingInTheAdmin:
    def test_another_units_editor_sees_the_name_read_only_and_why(self, client, staff, shared):
        client.force_login(staff["bob"])
        response = client.get(admin_url("change", shared.pk))
        assert "full_name" not in response.context["adminform"].form.fields
        assert "code" not in response.context["adminform"].form.fields
        assert RULE_STP_VP in response.content.decode()

    def test_another_units_editor_cannot_rename(self, client, staff, shared):
        client.force_login(staff["bob"])
        assert rename(client, shared, "Trần Văn Trung").status_code == 302
        shared.refresh_from_db()
        assert (shared.code, shared.full_name) == ("CHUNG", "Trần Văn Chung")

    @pytest.mark.parametrize("who", ["alice", "boss"])
    def test_the_party_units_editor_or_the_bloc_administrator_renames(self, client, staff, shared, who):
        client.force_login(staff[who])
        assert rename(client, shared, "Trần Văn Trung").status_code == 302
        shared.refresh_from_db()
        assert (shared.code, shared.full_name) == ("DA-DOI", "Trần Văn Trung")

    def test_an_ended_party_position_passes_the_name_to_the_current_one(self, client, tree, staff, shared):
        shared.positions.filter(unit__code="STP-VP").update(end_date=datetime.date(2020, 1, 1))
        make_position(shared, tree["KBNN-1"], title="Bí thư chi bộ")
        client.force_login(staff["alice"])
        assert rename(client, shared, "Trần Văn Trung").status_code == 302
        shared.refresh_from_db()
        assert shared.full_name == "Trần Văn Chung"
        client.force_login(staff["bob"])
        assert rename(client, shared, "Trần Văn Trung").status_code == 302
        shared.refresh_from_db()
        assert shared.full_name == "Trần Văn Trung"


def agency_row(name):
    return ["CHUNG", name, "KBNN-1", "Chức vụ chính quyền/cơ quan", "Chuyên viên", "", ""]


def party_row(name):
    return ["CHUNG", name, "STP-VP", "Chức vụ Đảng", "Bí thư chi bộ", "", ""]


class TestRenamingByImport:
    def test_another_units_editor_gets_a_row_error_saying_who_may(self, client, staff, shared):
        client.force_login(staff["bob"])
        _response, result = dry_run(client, Official, position_file([agency_row("Trần Văn Trung")]), CSV)
        assert [(row.number, row.error_dict) for row in result.invalid_rows] == [
            (
                2,
                {
                    "Mã cán bộ": [
                        "Tệp ghi cán bộ “CHUNG” là “Trần Văn Trung”, khác với tên đang lưu “Trần Văn Chung”. "
                        + RULE_STP_VP
                    ]
                },
            )
        ]
        shared.refresh_from_db()
        assert shared.full_name == "Trần Văn Chung"

    def test_the_same_name_is_unchanged(self, client, staff, shared):
        client.force_login(staff["bob"])
        _response, result = dry_run(client, Official, position_file([agency_row("Trần Văn Chung")]), CSV)
        assert [row.import_type for row in result.rows] == ["skip"]

    def test_a_rename_by_the_party_units_editor_is_reported_as_a_change(self, client, staff, shared):
        client.force_login(staff["alice"])
        response, result = dry_run(client, Official, position_file([party_row("Trần Văn Trung")]), CSV)
        assert [row.import_type for row in result.rows] == ["update"]
        shared.refresh_from_db()
        assert shared.full_name == "Trần Văn Chung"  # the dry run wrote nothing
        form = response.context["confirm_form"]
        client.post(url(Official, "process_import"), {**form.initial, "resource": "0"})
        shared.refresh_from_db()
        assert shared.full_name == "Trần Văn Trung"


def test_reverting_to_an_old_name_is_a_rename_too(client, staff, shared):
    old = shared.history.earliest()
    client.force_login(staff["alice"])
    assert rename(client, shared, "Trần Văn Trung").status_code == 302
    client.force_login(staff["bob"])
    revert = reverse("admin:units_official_simple_history", args=[shared.pk, old.history_id])
    data = form_data(client.get(revert).content.decode(), "official_form")
    response = client.post(revert, data, follow=True)
    assert [str(message) for message in response.context["messages"]] == [
        RULE_STP_VP,
        f'cán bộ “<a href="/admin/units/official/{shared.pk}/history/{old.history_id}/">Trần Văn Trung</a>” '
        "đã được thay đổi thành công.",
    ]
    shared.refresh_from_db()
    assert (shared.code, shared.full_name) == ("DA-DOI", "Trần Văn Trung")
