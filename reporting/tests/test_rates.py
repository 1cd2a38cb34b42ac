"""Reporting rates: accepted over expected, on time, never above 100 %; who has not submitted."""

import datetime

import pytest

from activities.tests.factories import make_session
from reporting import services
from reporting.periods import Period

pytestmark = pytest.mark.django_db

Q4 = Period(2026, "quarter", 4)


@pytest.fixture
def reported(tree, people, clock):
    """
    Quarter IV/2026 under the bloc: a cell accepted, a cell excused, a cell accepted
    with an empty report, a cell that submitted and waits, an inactive cell, and two
    committees that have not submitted.
    """
    boss = people["boss"]
    tree["KBNN-2"].is_active = False
    tree["KBNN-2"].save()
    make_session(tree["STP-VP"], date=datetime.date(2026, 11, 5))
    make_session(tree["BDV"], date=datetime.date(2026, 10, 5))
    services.submit(unit=tree["STP-VP"], period=Q4, user=boss)
    services.accept(unit=tree["STP-VP"], period=Q4, user=boss)
    services.excuse(unit=tree["STP-TT"], period=Q4, user=boss, reason="Chi bộ mới thành lập tháng 12.")
    services.submit(unit=tree["KBNN-1"], period=Q4, user=boss)
    services.accept(unit=tree["KBNN-1"], period=Q4, user=boss)
    clock.set(2027, 1, 6, 9, 0)  # a day late
    services.submit(unit=tree["BDV"], period=Q4, user=boss)
    return tree


def test_rates_count_active_units_and_non_empty_reports(reported):
    total, by_level = services.rates(reported["BLOC"], Q4)
    assert total == services.Rates(
        expected=5, accepted=1, on_time=1, submitted=1, returned=0, excused=1, empty=1, not_submitted=2
    )
    assert (total.rate, total.on_time_rate) == (20.0, 20.0)
    assert by_level["cell"] == services.Rates(
        expected=3, accepted=1, on_time=1, submitted=1, returned=0, excused=1, empty=1, not_submitted=0
    )
    assert by_level["committee"] == services.Rates(
        expected=2, accepted=0, on_time=0, submitted=0, returned=0, excused=0, empty=0, not_submitted=2
    )
    # A committee's rates count its cells only.
    stp, _levels = services.rates(reported["STP"], Q4)
    assert (stp.expected, stp.accepted, stp.rate) == (1, 1, 100.0)


def test_an_inactive_unit_that_reported_still_counts_for_that_period(reported, people):
    services.submit(unit=reported["BDV"], period=Q4, user=people["boss"])
    services.accept(unit=reported["BDV"], period=Q4, user=people["boss"])
    reported["BDV"].is_active = False
    reported["BDV"].save()
    total, _levels = services.rates(reported["BLOC"], Q4)
    assert (total.expected, total.accepted, total.on_time) == (5, 2, 1)


def test_the_status_page_lists_who_has_not_submitted(client, reported, people):
    client.force_login(people["viewer"])
    page = client.get("/reporting/2026-q4/").content.decode()
    assert '<h2 id="not_submitted">Chưa nộp (2)</h2>' in page
    assert '<h2 id="submitted">Chờ duyệt (1)</h2>' in page
    assert '<h2 id="excused">Được miễn (1)</h2>' in page
    assert "Chi bộ 2 KBNN" not in page  # inactive, and never reported
    assert ">Chi bộ 1 KBNN — Đảng bộ Kho bạc Nhà nước tỉnh</a> — rỗng</li>" in page
    assert "1 báo cáo nộp rỗng, không được tính." in page
    report = client.get("/reports/2026/q4/").content.decode()
    assert "đã duyệt 1/5 (20,0%), đúng hạn 1/5 (20,0%); 2 chưa nộp, 1 chờ duyệt, 0 bị trả lại." in report
    year = client.get("/reports/2026/").content.decode()
    assert "đã duyệt 1/5 (20,0%)" in year
    assert client.get("/reporting/2026-q7/").status_code == 404


def test_the_status_page_runs_the_same_queries_for_more_units(
    client, reported, people, django_assert_num_queries
):
    from units.tests.factories import make_unit

    client.force_login(people["viewer"])
    client.get("/reporting/2026-q4/")  # the session and the user's membership, read once per login
    with django_assert_num_queries(7) as small:
        client.get("/reporting/2026-q4/")
    for n in range(20):
        make_unit(reported["STP"], code=f"STP-X{n}", name=f"Chi bộ X{n}")
    with django_assert_num_queries(len(small.captured_queries)):
        client.get("/reporting/2026-q4/")
