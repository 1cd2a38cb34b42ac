"""Small builders for tests: each makes a valid row, overridable by keyword."""

import itertools

from units.models import MemberCount, Official, Position, Unit

_numbers = itertools.count(1)


def make_bloc(**fields):
    n = next(_numbers)
    fields = {"code": f"BLOC{n}", "name": f"Đảng bộ Khối {n}", "kind": Unit.Kind.BLOC, **fields}
    return Unit.objects.create(**fields)


def make_unit(parent, **fields):
    """A unit under `parent`; its kind follows the parent's unless given."""
    n = next(_numbers)
    kind = Unit.Kind.CELL if parent.kind == Unit.Kind.GRASSROOTS_COMMITTEE else Unit.Kind.GRASSROOTS_COMMITTEE
    fields = {"code": f"U{n}", "name": f"Đơn vị {n}", "kind": kind, "parent": parent, **fields}
    return Unit.objects.create(**fields)


def make_official(**fields):
    n = next(_numbers)
    return Official.objects.create(**{"full_name": f"Nguyễn Văn {n}", **fields})


def make_position(official, unit, **fields):
    fields = {"kind": Position.Kind.PARTY, "title": "Bí thư chi bộ", **fields}
    return Position.objects.create(official=official, unit=unit, **fields)


def make_member_count(unit, **fields):
    return MemberCount.objects.create(unit=unit, **{"year": 2024, "members": 30, **fields})
