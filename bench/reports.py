"""
The quarter overview and the unit quarter page against one hand-written SQL GROUP BY.

    python -m bench.reports [--committees 100] [--cells 10] [--years 5] [--repeat 5]

On a throwaway database (SQLite, or DATABASE_URL's PostgreSQL): builds the demo
province (by default about 1,100 units and 100,000 sessions), then times
`reports.quarter_overview` for the whole bloc and `reports.unit_quarter` for one
committee, each beside one hand-written SQL query that groups the quarter's sessions
by unit and gives the same per-unit numbers (checked before timing). Prints medians,
query counts and ratios; the target is 2×.
"""

import datetime
import sys

from bench import on_throwaway_database, side_by_side
from bench.province import built, province_parser
from tracker.periods import Quarter

QUARTER = Quarter(2025, 2)
# A quarter whose regular meetings record what the 2025 rules ask (seeds.demo.RULES_2025).
MEETINGS_QUARTER = Quarter(2025, 4)
TODAY = datetime.date(2026, 1, 15)

# Every unit of the subtree with its own figures for the quarter, in one statement:
# the quarter's sessions, good models by stage, outreach and exemplars, each grouped
# by unit and joined to the unit list. The overview computes the same, then rolls it up.
SQL = """
SELECT u.id, u.code, u.name, u.kind, u.parent_id, u.is_active,
       COALESCE(s.sessions, 0), COALESCE(s.thematic, 0), COALESCE(s.monthly, 0),
       COALESCE(s.first_monday, 0), COALESCE(s.attended, 0), COALESCE(s.invited, 0),
       COALESCE(r.present, 0), COALESCE(r.called, 0), COALESCE(r.unexcused, 0),
       COALESCE(s.short, 0), COALESCE(s.late, 0), COALESCE(s.good, 0), COALESCE(s.fair, 0),
       COALESCE(s.average, 0), COALESCE(s.poor, 0),
       COALESCE(i.registered, 0), COALESCE(i.in_practice, 0), COALESCE(i.evaluated, 0),
       COALESCE(i.replicated, 0), COALESCE(o.n, 0), COALESCE(e.n, 0), s.thematic_date
FROM units_unit u
LEFT JOIN (
    SELECT s.unit_id,
           COUNT(*) AS sessions,
           MIN(CASE WHEN s.kind = 'thematic' OR s.also_thematic THEN s.date END) AS thematic_date,
           SUM(CASE WHEN s.kind = 'thematic' OR s.also_thematic THEN 1 ELSE 0 END) AS thematic,
           COUNT(DISTINCT CASE WHEN s.kind = 'monthly' THEN {month} END) AS monthly,
           COUNT(DISTINCT CASE WHEN s.kind = 'first_monday' THEN {month} END) AS first_monday,
           SUM(CASE WHEN s.attended IS NOT NULL AND s.expected IS NOT NULL THEN s.attended END) AS attended,
           SUM(CASE WHEN s.attended IS NOT NULL AND s.expected IS NOT NULL THEN s.expected END) AS invited,
           SUM(CASE WHEN s.is_short THEN 1 ELSE 0 END) AS short,
           SUM(CASE WHEN s.documents_late THEN 1 ELSE 0 END) AS late,
           SUM(CASE WHEN s.grade = 'good' THEN 1 ELSE 0 END) AS good,
           SUM(CASE WHEN s.grade = 'fair' THEN 1 ELSE 0 END) AS fair,
           SUM(CASE WHEN s.grade = 'average' THEN 1 ELSE 0 END) AS average,
           SUM(CASE WHEN s.grade = 'poor' THEN 1 ELSE 0 END) AS poor
    FROM activities_studysession s
    WHERE s.unit_id IN (SELECT id FROM units_unit WHERE path >= %(low)s AND path < %(high)s)
      AND s.year = %(year)s AND s.quarter = %(quarter)s
    GROUP BY s.unit_id
) s ON s.unit_id = u.id
LEFT JOIN (
    -- The roll calls, from the register's rows themselves.
    SELECT s.unit_id,
           SUM(CASE WHEN a.status = 'present' THEN 1 ELSE 0 END) AS present,
           SUM(CASE WHEN a.status <> 'exempt' THEN 1 ELSE 0 END) AS called,
           SUM(CASE WHEN a.status = 'unexcused' THEN 1 ELSE 0 END) AS unexcused
    FROM members_attendance a
    JOIN activities_studysession s ON s.id = a.session_id
    WHERE s.unit_id IN (SELECT id FROM units_unit WHERE path >= %(low)s AND path < %(high)s)
      AND s.year = %(year)s AND s.quarter = %(quarter)s
    GROUP BY s.unit_id
) r ON r.unit_id = u.id
LEFT JOIN (
    SELECT unit_id,
           SUM(CASE WHEN status = 'registered' THEN 1 ELSE 0 END) AS registered,
           SUM(CASE WHEN status = 'in_practice' THEN 1 ELSE 0 END) AS in_practice,
           SUM(CASE WHEN status = 'evaluated' THEN 1 ELSE 0 END) AS evaluated,
           SUM(CASE WHEN status = 'replicated' THEN 1 ELSE 0 END) AS replicated
    FROM activities_initiative
    WHERE unit_id IN (SELECT id FROM units_unit WHERE path >= %(low)s AND path < %(high)s)
      AND (registered_on <= %(end)s
           OR (registered_on IS NULL AND (start_year <= %(year)s OR start_year IS NULL)))
    GROUP BY unit_id
) i ON i.unit_id = u.id
LEFT JOIN (
    SELECT unit_id, COUNT(*) AS n FROM activities_outreach
    WHERE unit_id IN (SELECT id FROM units_unit WHERE path >= %(low)s AND path < %(high)s)
      AND published_on BETWEEN %(start)s AND %(end)s GROUP BY unit_id
) o ON o.unit_id = u.id
LEFT JOIN (
    SELECT unit_id, COUNT(*) AS n FROM activities_exemplar
    WHERE unit_id IN (SELECT id FROM units_unit WHERE path >= %(low)s AND path < %(high)s)
      AND recognised_on BETWEEN %(start)s AND %(end)s GROUP BY unit_id
) e ON e.unit_id = u.id
WHERE u.path >= %(low)s AND u.path < %(high)s
ORDER BY u.path
"""


def main():
    args = province_parser(__doc__.splitlines()[1]).parse_args()
    on_throwaway_database(run, args, "reports")


def run(args, connection):
    from bench.__main__ import print_table

    province, header = built(args, connection)
    print(f"{header}, {QUARTER.label}, median of {args.repeat} runs")
    print_table(cases(province, args.repeat, connection))


def queries_of(fn, connection):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def hand_written(unit, connection, quarter=QUARTER):
    """SQL's per-unit figures for unit's subtree in a quarter."""
    from units.models import path_upper_bound

    month = (
        "CAST(strftime('%%m', s.date) AS INTEGER)"
        if connection.vendor == "sqlite"
        else "EXTRACT(MONTH FROM s.date)"
    )
    params = {
        "year": quarter.year,
        "quarter": quarter.number,
        "start": quarter.start,
        "end": quarter.end,
        "low": unit.path,
        "high": path_upper_bound(unit.path),
    }
    with connection.cursor() as cursor:
        cursor.execute(SQL.format(month=month), params)
        return cursor.fetchall()


def check(unit, overview, connection):
    """The hand-written query and the overview agree, unit by unit, on every figure."""
    from activities import reports

    rows = hand_written(unit, connection, overview.quarter)
    expected = [(*row[:-1], reports.as_date(row[-1])) for row in rows]
    got = [
        (
            r.unit.pk,
            r.unit.code,
            r.unit.name,
            r.unit.kind,
            r.unit.parent_id,
            r.unit.is_active,
            r.own.sessions,
            # What was recorded: held toward what is owed, plus what goes beyond it.
            *(
                r.own.tallies[kind].held + r.own.tallies[kind].extra
                for kind in ("thematic", "monthly", "first_monday")
            ),
            r.own.attended,
            r.own.invited,
            r.own.roll_present,
            r.own.roll_expected,
            r.own.unexcused,
            r.own.short_meetings,
            r.own.late_documents,
            *r.own.grades.values(),
            *r.own.initiatives.values(),
            r.own.outreach,
            r.own.exemplars,
            r.thematic_date,
        )
        for r in overview.rows
    ]
    assert got == expected, "the overview and the SQL disagree"


def cases(province, repeat, connection):
    from activities import docx_report, reports
    from activities.quarter_document import quarter_document
    from bench.__main__ import CONSTANT, LINEAR, Result

    root, committee = province.root, province.committee
    check(root, reports.quarter_overview(root, QUARTER, today=TODAY), connection)
    check(committee, reports.quarter_overview(committee, QUARTER, today=TODAY), connection)
    check(root, reports.quarter_overview(root, MEETINGS_QUARTER, today=TODAY), connection)
    measured = [
        (
            f"quarter overview, bloc ({province.units:,} units)",
            lambda: reports.quarter_overview(root, QUARTER, today=TODAY),
            lambda: hand_written(root, connection),
            2,
            "baseline reads the roll-call rows",
        ),
        (
            f"quarter overview, bloc, {MEETINGS_QUARTER.label} (meetings under the 2025 rules)",
            lambda: reports.quarter_overview(root, MEETINGS_QUARTER, today=TODAY),
            lambda: hand_written(root, connection, MEETINGS_QUARTER),
            2,
            "durations, documents, grades too",
        ),
        (
            "unit quarter page, figures (one committee)",
            lambda: reports.quarter_overview(committee, QUARTER, today=TODAY),
            lambda: hand_written(committee, connection),
            2,
            "",
        ),
        (
            "unit quarter page, whole (one committee)",
            lambda: reports.unit_quarter(committee, QUARTER, today=TODAY),
            lambda: hand_written(committee, connection),
            None,
            "also lists every record and reconciles declared figures",
        ),
        (
            "Word report, bloc (one row per unit under it)",
            lambda: docx_report.document_bytes(quarter_document(root, QUARTER, today=TODAY)),
            lambda: reports.quarter_overview(root, QUARTER, today=TODAY),
            None,
            "baseline: the overview it reads",
        ),
    ]
    results = []
    for label, fn, baseline, target, note in measured:
        fn(), baseline()  # warm the caches of both sides alike
        seconds, base = side_by_side(fn, baseline, repeat)
        growth = CONSTANT if "one committee" in label else LINEAR
        results.append(Result(label, seconds, base, target, queries_of(fn, connection), note, growth=growth))
    return results + page_cases(province, repeat, connection)


def page_cases(province, repeat, connection):
    """
    The quarter overview as a bloc user receives it (view, template, response), with
    committees collapsed (the default) and with every one of its rows shown, beside
    the hand-written statement alone. No target of its own: the load test's is the
    p95 of this page under load.
    """
    from django.test import Client
    from django.utils import translation

    from bench.__main__ import LINEAR, Result

    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(province.superuser)
    url = f"/reports/{QUARTER.year}/q{QUARTER.number}/"
    results = []
    for label, query in [("collapsed", ""), ("every row", "?all=1")]:

        def page(query=query):
            response = client.get(url + query)
            assert response.status_code == 200
            return response

        rows = page().content.count(b"<tr")
        seconds, base = side_by_side(page, lambda: hand_written(province.root, connection), repeat)
        results.append(
            Result(
                f"quarter overview page, bloc, {label}",
                seconds,
                base,
                None,
                queries_of(page, connection),
                f"{rows:,} table rows in the page",
                growth=LINEAR,
            )
        )
    translation.deactivate()
    return results


if __name__ == "__main__":
    sys.exit(main())
