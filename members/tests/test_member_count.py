"""
A unit's members counted from its cells' registers, beside the count it declared for
the year: reconciled on the unit's page, flagged only when every cell keeps a register.
"""

import datetime
import re

import pytest

from members.models import MemberStatus
from members.tests.factories import make_member, make_member_status
from units.models import Role
from units.services import user_grant
from units.tests.factories import make_member_count


@pytest.fixture
def registers(tree):
    for name in ["An", "Bình", "Cường"]:
        make_member(tree["STP-VP"], full_name=name)
    gone = make_member(tree["STP-VP"], full_name="Dũng")
    make_member_status(
        gone,
        kind=MemberStatus.Kind.TRANSFERRED_OUT,
        starts_on=datetime.date(2024, 3, 1),
        ends_on=None,
        reason="",
    )
    make_member(tree["STP-TT"], full_name="Em", joined_on=datetime.date(2024, 5, 2), official_on=None)
    make_member_count(tree["STP-VP"], year=2024, members=4)
    make_member_count(tree["STP"], year=2024, members=4)


def members_row(client, code, quarter="2024/q1"):
    page = client.get(f"/units/{code}/{quarter}/").content.decode()
    row = re.search(r'<tr(?: class="row-behind")?><th scope="row">Đảng viên</th>.*?</tr>', page, re.DOTALL)
    return " ".join(re.sub(r"<[^>]+>", " ", row.group()).split()) if row else None


def test_the_register_is_reconciled_with_the_declared_count(client, tree, registers):
    client.force_login(user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0])

    # Dũng left on 1 March: three on the register at the quarter's end, four declared.
    assert members_row(client, "STP-VP") == (
        "Đảng viên 3 theo danh sách đảng viên ngày 31/03/2024. Số khai báo năm 2024: 4. Chênh lệch -1"
    )
    # Of the committee's two cells, one keeps a register in Q1 (Em joins in May): no flag.
    assert members_row(client, "STP") == (
        "Đảng viên 3 theo danh sách đảng viên ngày 31/03/2024 (1/2 chi bộ có danh sách đảng viên). "
        "Số khai báo năm 2024: 4."
    )
    # In Q2 both keep one: 3 + 1 against 4.
    assert members_row(client, "STP", "2024/q2") == (
        "Đảng viên 4 theo danh sách đảng viên ngày 30/06/2024. Số khai báo năm 2024: 4."
    )
    # A cell with neither register nor declared count shows no line.
    assert members_row(client, "KBNN-1") is None
