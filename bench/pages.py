"""
The bloc's own pages as a bloc user receives them (django.test.Client: view,
templates, response), each against a time (and the unit page against a size).

    python -m bench.pages [--committees 100] [--cells 10] [--years 5] [--repeat 5]

On a throwaway database (SQLite, or DATABASE_URL's PostgreSQL) with the demo province:
the bloc's unit quarter page (≤ 500 ms, under 1 MB), one of its later pages of
sessions, the quarter overview page with committees collapsed (≤ 500 ms), the year
report (≤ 500 ms), the bloc's Word report (≤ 3 s), who has reported for a quarter
(≤ 500 ms), the bloc's report for a year (≤ 2 s) and its sơ kết document (≤ 3 s), each beside the hand-written
GROUP BY of bench/reports.py in the same run. On PostgreSQL, also the declared-figures
query and the overview's statement with JIT on and off (the choice in settings).
"""

import sys

from bench import on_throwaway_database, side_by_side
from bench.province import built, province_parser
from bench.reports import QUARTER, hand_written, queries_of

PAGE_SECONDS = 0.5
WORD_SECONDS = 3.0
# A year's report reads four quarters' overviews.
YEAR_SECONDS = 2.0
PAGE_BYTES = 2**20


def main():
    args = province_parser(__doc__.splitlines()[1]).parse_args()
    on_throwaway_database(run, args, "pages")


def run(args, connection):
    from bench.__main__ import print_table

    province, header = built(args, connection)
    print(f"{header}, {QUARTER.label}, median of {args.repeat} runs")
    print_table(cases(province, args.repeat, connection))


def cases(province, repeat, connection):
    from django.test import Client
    from django.utils import translation

    from bench.__main__ import BYTES, CONSTANT, LINEAR, SECONDS, Result
    from reporting.periods import Period
    from units.models import Role
    from units.services import user_grant

    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    viewer, _ = user_grant(username="bench-bloc-viewer", unit_code=province.root.code, role=Role.BLOC_VIEWER)
    client.force_login(viewer)
    root, committee = province.root, province.committee
    quarter = f"{QUARTER.year}/q{QUARTER.number}"
    # The demo hands in the reports of the last quarter over (seeds/demo.py).
    reported = Period(QUARTER.year, "quarter", 3)
    unit_page = f"/units/{root.code}/{quarter}/"
    pages = [
        ("the bloc's unit quarter page", unit_page, PAGE_SECONDS),
        ("the bloc's unit quarter page, sessions page 40", unit_page + "?page=40", PAGE_SECONDS),
        ("a committee's unit quarter page", f"/units/{committee.code}/{quarter}/", PAGE_SECONDS),
        ("quarter overview page, committees collapsed", f"/reports/{quarter}/", PAGE_SECONDS),
        ("year report page", f"/reports/{QUARTER.year}/", PAGE_SECONDS),
        ("Word report of the whole bloc", f"/units/{root.code}/{quarter}/report/?format=docx", WORD_SECONDS),
        # The reporting cycle: who has reported for the quarter the demo handed in, the
        # bloc's report for a year (the figures of four quarters) and its sơ kết document.
        ("who has reported for a quarter, whole bloc", f"/reporting/{reported.slug}/", PAGE_SECONDS),
        ("the bloc's report for a year page", f"/units/{root.code}/reports/{QUARTER.year}/", YEAR_SECONDS),
        (
            "Word sơ kết (6 months) of the whole bloc",
            f"/units/{root.code}/reports/{QUARTER.year}-h1/report/?format=docx",
            WORD_SECONDS,
        ),
    ]
    results = []
    for label, url, limit in pages:

        def page(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        size = len(page().content)
        seconds, base = side_by_side(page, lambda: hand_written(root, connection), repeat)
        note = f"{size / 1024:,.0f} KB; baseline: the hand-written GROUP BY"
        growth = CONSTANT if label.startswith("a committee") else LINEAR
        results.append(
            Result(label, seconds, base, limit, queries_of(page, connection), note, SECONDS, growth)
        )
        if url == unit_page:
            results.append(Result(f"{label}, size", size, target=PAGE_BYTES, measure=BYTES, growth=LINEAR))
    translation.deactivate()
    if connection.vendor == "postgresql":
        results += jit_cases(province, repeat, connection)
    return results


def jit_cases(province, repeat, connection):
    """The declared-figures query and the overview's statement, JIT on against JIT off."""
    from activities import reports
    from bench.__main__ import Result

    def with_jit(setting, fn):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(f"SET jit = {setting}")
            try:
                fn()
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("RESET jit")

        return run

    queries = [
        ("declared figures of the whole bloc", lambda: reports.reconciliation(province.root, QUARTER)),
        ("quarter overview statement, bloc", lambda: reports.recorded_by_unit(province.root, QUARTER, None)),
    ]
    results = []
    for label, fn in queries:
        on, off = with_jit("on", fn), with_jit("off", fn)
        on(), off()
        seconds_on, seconds_off = side_by_side(on, off, repeat)
        results.append(Result(f"{label}, JIT on (baseline: off)", seconds_on, seconds_off))
    return results


if __name__ == "__main__":
    sys.exit(main())
