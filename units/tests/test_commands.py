import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command


def test_first_run_creates_an_admin_with_a_printed_generated_password(db, capsys):
    call_command("create_local_admin")
    output = capsys.readouterr().out
    password = re.search(r"password: (\S+)", output).group(1)
    assert len(password) >= 16
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)


def test_second_run_creates_nothing_and_prints_no_password(db, capsys):
    call_command("create_local_admin")
    capsys.readouterr()
    call_command("create_local_admin")
    output = capsys.readouterr().out
    assert output == "A superuser exists already; no password printed.\n"
    assert get_user_model().objects.count() == 1


def test_passwords_differ_between_installations(db, capsys):
    call_command("create_local_admin")
    first = re.search(r"password: (\S+)", capsys.readouterr().out).group(1)
    get_user_model().objects.all().delete()
    call_command("create_local_admin")
    second = re.search(r"password: (\S+)", capsys.readouterr().out).group(1)
    assert first != second


def test_grant_creates_a_unit_editor_and_prints_a_password_without_a_terminal(tree, capsys):
    call_command("grant", "alice", unit="STP", role="unit-editor")
    output = capsys.readouterr().out
    password = re.search(r"Mật khẩu \(chỉ hiện lần này\): (\S+)", output).group(1)
    alice = get_user_model().objects.get(username="alice")
    assert alice.check_password(password) and alice.is_staff and not alice.is_superuser
    assert (alice.membership.unit.code, alice.membership.role) == ("STP", "unit_editor")
    assert list(alice.groups.values_list("name", flat=True)) == ["Biên tập đơn vị"]
    assert output.startswith("Đã tạo: alice — Biên tập đơn vị — Đảng bộ Sở Tư pháp\n")


def test_grant_updates_role_and_unit_and_keeps_the_password(tree, capsys):
    call_command("grant", "alice", unit="STP", role="unit-editor")
    password_hash = get_user_model().objects.get(username="alice").password
    call_command("grant", "alice", unit="KBNN", role="unit-viewer")
    output = capsys.readouterr().out
    alice = get_user_model().objects.get(username="alice")
    assert (alice.membership.unit.code, alice.membership.role) == ("KBNN", "unit_viewer")
    assert list(alice.groups.values_list("name", flat=True)) == ["Xem đơn vị"]
    assert alice.password == password_hash
    assert output.endswith("Đã cập nhật: alice — Xem đơn vị — Đảng bộ Kho bạc Nhà nước tỉnh\n")


def test_grant_refuses_an_unknown_unit_and_a_bloc_role_below_the_bloc(tree):
    with pytest.raises(CommandError, match="Không có đơn vị nào mang mã NOPE."):
        call_command("grant", "carol", unit="NOPE", role="unit-viewer")
    with pytest.raises(CommandError, match="Vai trò cấp đảng bộ phải gắn với chính đơn vị cấp cao nhất."):
        call_command("grant", "carol", unit="STP", role="bloc-admin")
    assert not get_user_model().objects.filter(username="carol").exists()


def test_role_groups_carry_the_right_permissions(tree):
    from units.services import role_groups_sync

    groups = role_groups_sync()
    editor = set(groups["unit_editor"].permissions.values_list("codename", flat=True))
    assert {"add_studysession", "change_studysession", "delete_studysession", "view_unit"} <= editor
    assert not {"add_unit", "change_unit", "change_source", "add_directive", "change_user"} & editor
    viewer = set(groups["unit_viewer"].permissions.values_list("codename", flat=True))
    assert viewer and all(codename.startswith(("view_", "export_")) for codename in viewer)
    admin = set(groups["bloc_admin"].permissions.values_list("codename", flat=True))
    assert {"add_unit", "change_user", "delete_declaredfigure"} <= admin


def test_role_groups_are_complete_right_after_migrate(db):
    from django.contrib.auth.models import Group

    # The test database was just migrated; nobody has been granted anything yet.
    editor = set(Group.objects.get(name="Biên tập đơn vị").permissions.values_list("codename", flat=True))
    assert {"import_studysession", "export_studysession", "import_declaredfigure", "view_unit"} <= editor
    assert "import_unit" not in editor
