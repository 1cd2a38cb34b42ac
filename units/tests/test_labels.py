"""
A unit named with its parent outside its tree ("Chi bộ VP STP — Đảng bộ Sở Tư pháp"),
from a parent name kept on the unit's own row: set on save, followed on a rename and
a move, filled by bulk loads, imports and the migration.
"""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from units.models import Unit, unit_label
from units.resources import UnitResource
from units.services import unit_bulk_create_tree

from .factories import make_unit


def parent_names():
    return dict(Unit.objects.values_list("code", "parent_name"))


def labels():
    return {unit.code: unit.label for unit in Unit.objects.all()}


class TestLabel:
    def test_exact_labels_of_the_tree(self, tree):
        assert labels() == {
            "BLOC": "Đảng bộ Khối các cơ quan tỉnh",
            "STP": "Đảng bộ Sở Tư pháp",
            "STP-VP": "Chi bộ VP STP — Đảng bộ Sở Tư pháp",
            "STP-TT": "Chi bộ TT STP — Đảng bộ Sở Tư pháp",
            "KBNN": "Đảng bộ Kho bạc Nhà nước tỉnh",
            "KBNN-1": "Chi bộ 1 KBNN — Đảng bộ Kho bạc Nhà nước tỉnh",
            "KBNN-2": "Chi bộ 2 KBNN — Đảng bộ Kho bạc Nhà nước tỉnh",
            "BDV": "Chi bộ Ban Dân vận Tỉnh ủy",
        }

    def test_str_is_the_label(self, tree):
        assert str(tree["STP-VP"]) == "Chi bộ VP STP — Đảng bộ Sở Tư pháp"
        assert str(tree["BDV"]) == "Chi bộ Ban Dân vận Tỉnh ủy"

    def test_parent_name_is_stored_for_every_unit_under_the_top(self, tree):
        assert parent_names() == {
            "BLOC": "",
            "STP": "Đảng bộ Khối các cơ quan tỉnh",
            "STP-VP": "Đảng bộ Sở Tư pháp",
            "STP-TT": "Đảng bộ Sở Tư pháp",
            "KBNN": "Đảng bộ Khối các cơ quan tỉnh",
            "KBNN-1": "Đảng bộ Kho bạc Nhà nước tỉnh",
            "KBNN-2": "Đảng bộ Kho bạc Nhà nước tỉnh",
            "BDV": "Đảng bộ Khối các cơ quan tỉnh",
        }

    def test_labels_of_a_list_take_no_query_per_unit(self, tree):
        units = list(Unit.objects.all())
        with CaptureQueriesContext(connection) as queries:
            [unit.label for unit in units]
        assert len(queries) == 0

    def test_helper_gives_the_same_label_from_raw_columns(self, tree):
        rows = Unit.objects.values_list("code", "name", "parent_name", "path")
        assert {code: unit_label(name, parent, path) for code, name, parent, path in rows} == labels()

    @pytest.mark.parametrize(
        ("path", "expected"),
        [
            ("", "Chi bộ A"),
            ("00000001", "Chi bộ A"),
            ("0000000100000002", "Chi bộ A"),
            ("000000010000000200000003", "Chi bộ A — Đảng bộ B"),
            ("00000001000000020000000300000004", "Chi bộ A — Đảng bộ B"),
        ],
    )
    def test_helper_names_the_parent_from_the_second_level_down(self, path, expected):
        assert unit_label("Chi bộ A", "Đảng bộ B", path) == expected

    def test_helper_without_a_parent_name_is_the_name(self):
        assert unit_label("Chi bộ A", "", "000000010000000200000003") == "Chi bộ A"


class TestRename:
    def test_renaming_a_parent_renames_its_children_labels(self, tree):
        committee = Unit.objects.get(code="STP")
        committee.name = "Đảng bộ Sở Y tế"
        committee.save()
        assert labels()["STP-VP"] == "Chi bộ VP STP — Đảng bộ Sở Y tế"
        assert labels()["STP-TT"] == "Chi bộ TT STP — Đảng bộ Sở Y tế"
        assert parent_names()["STP"] == "Đảng bộ Khối các cơ quan tỉnh"
        assert parent_names()["KBNN-1"] == "Đảng bộ Kho bạc Nhà nước tỉnh"

    def test_renaming_is_one_update_of_the_children(self, tree):
        committee = Unit.objects.get(code="STP")
        committee.name = "Đảng bộ Sở Y tế"
        with CaptureQueriesContext(connection) as queries:
            committee.save()
        children = [q["sql"] for q in queries if 'SET "parent_name"' in q["sql"]]
        assert len(children) == 1

    def test_renaming_with_update_fields_renames_the_children_too(self, tree):
        committee = Unit.objects.get(code="STP")
        committee.name = "Đảng bộ Sở Y tế"
        committee.save(update_fields=["name"])
        assert parent_names()["STP-VP"] == "Đảng bộ Sở Y tế"

    def test_renaming_the_top_unit_changes_no_label_but_keeps_the_column_true(self, tree):
        bloc = Unit.objects.get(code="BLOC")
        before = labels()
        bloc.name = "Đảng bộ các cơ quan Đảng tỉnh"
        bloc.save()
        assert parent_names()["STP"] == "Đảng bộ các cơ quan Đảng tỉnh"
        assert labels() == {**before, "BLOC": "Đảng bộ các cơ quan Đảng tỉnh"}

    def test_a_child_saved_from_a_stale_copy_keeps_the_new_parent_name(self, tree):
        stale = Unit.objects.get(code="STP-VP")
        committee = Unit.objects.get(code="STP")
        committee.name = "Đảng bộ Sở Y tế"
        committee.save()
        stale.note = "Sửa ghi chú"
        stale.save()
        assert parent_names()["STP-VP"] == "Đảng bộ Sở Y tế"

    def test_a_save_that_keeps_the_name_updates_no_child(self, tree):
        committee = Unit.objects.get(code="STP")
        committee.note = "Ghi chú"
        with CaptureQueriesContext(connection) as queries:
            committee.save()
        assert not [q for q in queries if 'SET "parent_name"' in q["sql"]]

    def test_sync_repairs_names_changed_by_a_queryset_update(self, tree):
        Unit.objects.filter(code="KBNN").update(name="Đảng bộ Kho bạc Nhà nước khu vực XVII")
        assert Unit.objects.sync_parent_names() == 7
        assert labels()["KBNN-2"] == "Chi bộ 2 KBNN — Đảng bộ Kho bạc Nhà nước khu vực XVII"


class TestMove:
    def test_a_moved_cell_takes_its_new_parents_name(self, tree):
        cell = Unit.objects.get(code="STP-VP")
        cell.parent = Unit.objects.get(code="KBNN")
        cell.save()
        assert Unit.objects.get(code="STP-VP").label == "Chi bộ VP STP — Đảng bộ Kho bạc Nhà nước tỉnh"
        assert cell.label == "Chi bộ VP STP — Đảng bộ Kho bạc Nhà nước tỉnh"

    def test_a_moved_unit_keeps_its_childrens_parent_name(self, tree):
        committee = tree["STP"]
        other_bloc = Unit.objects.create(code="BLOC2", name="Đảng bộ Khối doanh nghiệp", kind=Unit.Kind.BLOC)
        committee.parent = other_bloc
        committee.save()
        assert parent_names()["STP"] == "Đảng bộ Khối doanh nghiệp"
        assert parent_names()["STP-VP"] == "Đảng bộ Sở Tư pháp"
        assert labels()["STP-VP"] == "Chi bộ VP STP — Đảng bộ Sở Tư pháp"

    def test_a_move_saved_with_update_fields_writes_the_parent_name(self, tree):
        cell = Unit.objects.get(code="KBNN-1")
        cell.parent = Unit.objects.get(code="STP")
        cell.save(update_fields=["parent"])
        assert parent_names()["KBNN-1"] == "Đảng bộ Sở Tư pháp"


class TestBulkPaths:
    def test_bulk_created_units_have_their_parent_names(self, tree):
        committee = Unit(
            code="BULK", name="Đảng bộ hàng loạt", kind=Unit.Kind.GRASSROOTS_COMMITTEE, parent=tree["BLOC"]
        )
        cell = Unit(code="BULK-1", name="Chi bộ Văn phòng", kind=Unit.Kind.CELL, parent=committee)
        unit_bulk_create_tree(units=[cell, committee])
        assert labels()["BULK-1"] == "Chi bộ Văn phòng — Đảng bộ hàng loạt"
        assert parent_names()["BULK"] == "Đảng bộ Khối các cơ quan tỉnh"

    def test_a_bulk_created_unit_renamed_later_renames_its_children(self, tree):
        committee = Unit(
            code="BULK", name="Đảng bộ hàng loạt", kind=Unit.Kind.GRASSROOTS_COMMITTEE, parent=tree["BLOC"]
        )
        cell = Unit(code="BULK-1", name="Chi bộ Văn phòng", kind=Unit.Kind.CELL, parent=committee)
        unit_bulk_create_tree(units=[committee, cell])
        committee.name = "Đảng bộ đổi tên"
        committee.save()
        assert parent_names()["BULK-1"] == "Đảng bộ đổi tên"

    def test_the_migration_fills_every_existing_unit(self, tree):
        migration = importlib.import_module("units.migrations.0006_unit_parent_name")
        Unit.objects.update(parent_name="")
        migration.fill_parent_names(apps, None)
        assert labels()["STP-TT"] == "Chi bộ TT STP — Đảng bộ Sở Tư pháp"
        assert parent_names()["BLOC"] == ""
        assert parent_names()["KBNN"] == "Đảng bộ Khối các cơ quan tỉnh"


def import_units(user, rows):
    import tablib

    headers = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên"]
    result = UnitResource(user=user).import_data(tablib.Dataset(*rows, headers=headers), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), [
        (row.number, row.error_dict) for row in result.invalid_rows
    ]
    return result


class TestImport:
    @pytest.fixture
    def boss(self, tree):
        from units.models import Role
        from units.services import user_grant

        return user_grant(username="boss", unit_code="BLOC", role=Role.BLOC_ADMIN)[0]

    def test_imported_units_are_labelled_with_their_parent(self, boss):
        import_units(
            boss,
            [
                ("SYT", "Đảng bộ Sở Y tế", "Đảng bộ cơ sở", "BLOC"),
                ("SYT-VP", "Chi bộ Văn phòng", "Chi bộ trực thuộc", "SYT"),
            ],
        )
        assert labels()["SYT-VP"] == "Chi bộ Văn phòng — Đảng bộ Sở Y tế"
        assert parent_names()["SYT"] == "Đảng bộ Khối các cơ quan tỉnh"

    def test_a_parent_renamed_by_an_import_renames_its_children_labels(self, boss, tree):
        import_units(boss, [("STP", "Đảng bộ Sở Tư pháp tỉnh", "Đảng bộ cơ sở", "BLOC")])
        assert labels()["STP-VP"] == "Chi bộ VP STP — Đảng bộ Sở Tư pháp tỉnh"

    def test_a_child_before_its_renamed_parent_in_the_file_follows_too(self, boss, tree):
        import_units(
            boss,
            [
                ("STP-VP", "Chi bộ Văn phòng", "Chi bộ trực thuộc", "STP"),
                ("STP", "Đảng bộ Sở Tư pháp tỉnh", "Đảng bộ cơ sở", "BLOC"),
                ("STP-TT", "Chi bộ Thanh tra", "Chi bộ trực thuộc", "STP"),
            ],
        )
        assert labels()["STP-VP"] == "Chi bộ Văn phòng — Đảng bộ Sở Tư pháp tỉnh"
        assert labels()["STP-TT"] == "Chi bộ Thanh tra — Đảng bộ Sở Tư pháp tỉnh"

    def test_a_cell_moved_by_an_import_takes_its_new_parents_name(self, boss, tree):
        import_units(boss, [("STP-VP", "Chi bộ VP STP", "Chi bộ trực thuộc", "KBNN")])
        assert labels()["STP-VP"] == "Chi bộ VP STP — Đảng bộ Kho bạc Nhà nước tỉnh"


def test_make_unit_factory_is_labelled(tree):
    assert make_unit(tree["KBNN"], name="Chi bộ Văn phòng").label == (
        "Chi bộ Văn phòng — Đảng bộ Kho bạc Nhà nước tỉnh"
    )
