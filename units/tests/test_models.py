import datetime
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from units.models import MemberCount, Official, Position, Unit

from .factories import make_bloc, make_member_count, make_official, make_position, make_unit

NFD_NAME = unicodedata.normalize("NFD", "Đảng bộ Sở Tư pháp")


def refused(callable_, *args, **kwargs):
    """Run a write that the database must refuse; return the IntegrityError."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        callable_(*args, **kwargs)
    return caught.value


def codes(queryset):
    return sorted(queryset.values_list("code", flat=True))


class TestTree:
    def test_subtree_is_the_unit_and_everything_under_it(self, tree):
        assert codes(Unit.objects.for_subtree(tree["STP"])) == ["STP", "STP-TT", "STP-VP"]
        assert codes(Unit.objects.for_subtree(tree["STP-VP"])) == ["STP-VP"]
        assert Unit.objects.for_subtree(tree["BLOC"]).count() == 8

    def test_subtree_does_not_reach_a_sibling_with_a_longer_id(self, tree):
        # Ids 1 and 10 share a leading digit: the padded path keeps them apart.
        bloc = tree["BLOC"]
        extra = [make_unit(bloc, code=f"X{n}", name=f"Đơn vị thêm {n}") for n in range(12)]
        first = extra[0]
        assert codes(Unit.objects.for_subtree(first)) == [first.code]

    def test_paths_follow_the_tree(self, tree):
        bloc, stp, cell = tree["BLOC"], tree["STP"], tree["STP-VP"]
        assert bloc.path == f"{bloc.pk:08d}"
        assert cell.path == f"{bloc.pk:08d}{stp.pk:08d}{cell.pk:08d}"
        assert (bloc.depth, stp.depth, cell.depth) == (0, 1, 2)

    def test_tree_order_lists_children_right_after_their_parent(self, tree):
        ordered = list(Unit.objects.in_tree_order().values_list("code", flat=True))
        assert ordered == ["BLOC", "STP", "STP-VP", "STP-TT", "KBNN", "KBNN-1", "KBNN-2", "BDV"]

    def test_ancestors_root_first(self, tree):
        assert list(Unit.objects.ancestors_of(tree["KBNN-2"]).values_list("code", flat=True)) == [
            "BLOC",
            "KBNN",
        ]

    def test_moving_a_committee_moves_its_cells(self, tree):
        other_bloc = make_bloc(code="BLOC2", name="Đảng bộ Khối 2")
        stp = tree["STP"]
        stp.parent = other_bloc
        stp.save()
        assert codes(Unit.objects.for_subtree(other_bloc)) == ["BLOC2", "STP", "STP-TT", "STP-VP"]
        assert codes(Unit.objects.for_subtree(tree["BLOC"])) == ["BDV", "BLOC", "KBNN", "KBNN-1", "KBNN-2"]
        cell = Unit.objects.get(code="STP-VP")
        assert cell.path == f"{other_bloc.pk:08d}{stp.pk:08d}{cell.pk:08d}"

    def test_a_unit_cannot_move_under_its_own_cell(self, tree):
        stp = tree["STP"]
        stp.parent = tree["STP-VP"]
        with pytest.raises(ValidationError):
            stp.full_clean()
        with pytest.raises(ValidationError), transaction.atomic():
            stp.save()
        assert Unit.objects.get(code="STP").parent_id == tree["BLOC"].pk

    def test_clean_refuses_a_cell_directly_under_the_bloc(self, tree):
        unit = Unit(code="C1", name="Chi bộ lạc chỗ", kind=Unit.Kind.CELL, parent=tree["BLOC"])
        with pytest.raises(ValidationError) as caught:
            unit.full_clean()
        assert list(caught.value.message_dict) == ["parent"]

    def test_subtree_query_uses_the_path_index(self, tree):
        queryset = Unit.objects.for_subtree(tree["STP"])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET enable_seqscan = off")
            plan = queryset.explain()
            assert "Index" in plan and "path" in plan, plan
        else:
            plan = queryset.explain()
            assert "USING INDEX" in plan and "path>? AND path<?" in plan, plan

    def test_activity_subtree_filter_uses_the_path_index(self, tree):
        from activities.models import StudySession

        queryset = StudySession.objects.for_subtree(tree["STP"])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET enable_seqscan = off")
            plan = queryset.explain()
            assert "units_unit_path" in plan, plan
        else:
            plan = queryset.explain()
            assert "path>? AND path<?" in plan, plan


class TestUnitConstraints:
    def test_code_is_unique(self, tree):
        refused(
            Unit.objects.create,
            code="STP",
            name="Trùng mã",
            kind=Unit.Kind.GRASSROOTS_COMMITTEE,
            parent=tree["BLOC"],
        )

    def test_code_is_stored_upper_case_and_lower_case_is_refused_by_the_database(self, tree):
        unit = make_unit(tree["BLOC"], code="  stp-2 ", name="Đơn vị mới")
        assert Unit.objects.get(pk=unit.pk).code == "STP-2"
        with connection.cursor() as cursor, pytest.raises(IntegrityError), transaction.atomic():
            cursor.execute("UPDATE units_unit SET code = 'abc' WHERE id = %s", [unit.pk])

    def test_only_the_bloc_is_a_root(self, db):
        refused(Unit.objects.create, code="C", name="Chi bộ mồ côi", kind=Unit.Kind.CELL)

    def test_the_bloc_has_no_parent(self, tree):
        refused(Unit.objects.create, code="B2", name="Khối con", kind=Unit.Kind.BLOC, parent=tree["BLOC"])

    def test_unknown_kind_is_refused(self, tree):
        refused(Unit.objects.create, code="Z", name="Lạ", kind="province", parent=tree["BLOC"])

    def test_sibling_names_are_unique(self, tree):
        refused(make_unit, tree["BLOC"], code="STP2", name="Đảng bộ Sở Tư pháp")

    def test_same_name_under_different_parents_is_allowed(self, tree):
        make_unit(tree["STP"], code="STP-X", name="Chi bộ Văn phòng")
        make_unit(tree["KBNN"], code="KBNN-X", name="Chi bộ Văn phòng")
        assert Unit.objects.filter(name="Chi bộ Văn phòng").count() == 2

    def test_unit_is_not_its_own_parent(self, tree):
        with connection.cursor() as cursor, pytest.raises(IntegrityError), transaction.atomic():
            cursor.execute("UPDATE units_unit SET parent_id = id WHERE code = 'STP'")


class TestNFC:
    def test_decomposed_name_is_stored_composed(self, tree):
        unit = make_unit(tree["KBNN"], code="NFD", name=NFD_NAME)
        assert unit.name == "Đảng bộ Sở Tư pháp"
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM units_unit WHERE id = %s", [unit.pk])
            stored = cursor.fetchone()[0]
        assert stored == unicodedata.normalize("NFC", stored)
        assert len(stored) == len("Đảng bộ Sở Tư pháp")

    def test_lookup_typed_decomposed_finds_the_composed_name(self, tree):
        assert Unit.objects.get(name=NFD_NAME).code == "STP"

    def test_bulk_created_text_is_composed_too(self, tree):
        official = Official(code="X", full_name=unicodedata.normalize("NFD", "Phạm Thị Kim Chung"))
        Official.objects.bulk_create([official])
        assert Official.objects.filter(full_name="Phạm Thị Kim Chung").count() == 1


class TestOfficial:
    def test_code_is_made_from_the_name_without_accents(self, db):
        assert make_official(full_name="Đoàn Thị Thu Thủy").code == "DOAN-THI-THU-THUY"

    def test_a_namesake_gets_a_numbered_code(self, db):
        make_official(full_name="Phan Quang Tuấn")
        assert make_official(full_name="Phan Quang Tuấn").code == "PHAN-QUANG-TUAN-2"

    def test_position_ending_before_it_starts_is_refused(self, tree):
        official = make_official()
        refused(
            make_position,
            official,
            tree["STP"],
            start_date=datetime.date(2024, 1, 1),
            end_date=datetime.date(2023, 1, 1),
        )

    def test_same_position_twice_is_refused_even_without_a_start_date(self, tree):
        official = make_official()
        make_position(official, tree["STP"], title="Phó bí thư Đảng ủy")
        refused(make_position, official, tree["STP"], title="Phó bí thư Đảng ủy")
        assert Position.objects.count() == 1

    def test_same_title_in_two_periods_is_allowed(self, tree):
        official = make_official()
        make_position(
            official, tree["STP"], start_date=datetime.date(2015, 1, 1), end_date=datetime.date(2020, 1, 1)
        )
        make_position(official, tree["STP"], start_date=datetime.date(2025, 1, 1))
        assert official.positions.count() == 2

    def test_unknown_position_kind_is_refused(self, tree):
        refused(make_position, make_official(), tree["STP"], kind="union")


class TestMemberCount:
    def test_one_count_per_unit_and_year(self, tree):
        make_member_count(tree["STP"], year=2024)
        refused(make_member_count, tree["STP"], year=2024, members=31)
        assert MemberCount.objects.get().members == 30

    def test_as_of_date_must_fall_in_the_year(self, tree):
        refused(make_member_count, tree["STP"], year=2024, as_of=datetime.date(2023, 12, 31))
        make_member_count(tree["STP"], year=2024, as_of=datetime.date(2024, 12, 31))

    def test_negative_count_is_refused(self, tree):
        refused(make_member_count, tree["STP"], members=-1)

    def test_year_out_of_range_is_refused(self, tree):
        refused(make_member_count, tree["STP"], year=24)


class TestBulkTree:
    def test_bulk_created_tree_has_the_same_paths_as_saved_units(self, tree):
        from units.services import unit_bulk_create_tree

        bloc = tree["BLOC"]
        committee = Unit(
            code="BULK", name="Đảng bộ hàng loạt", kind=Unit.Kind.GRASSROOTS_COMMITTEE, parent=bloc
        )
        cells = [
            Unit(code=f"BULK-{n}", name=f"Chi bộ {n}", kind=Unit.Kind.CELL, parent=committee)
            for n in range(3)
        ]
        unit_bulk_create_tree(units=[*cells, committee])
        assert codes(Unit.objects.for_subtree(committee)) == ["BULK", "BULK-0", "BULK-1", "BULK-2"]
        stored = Unit.objects.get(code="BULK-2")
        assert stored.path == f"{bloc.pk:08d}{committee.pk:08d}{stored.pk:08d}"
