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

import argparse
import datetime
import sys

from bench import on_throwaway_database, side_by_side

# Every unit of the subtree with its own figures for the quarter, in one statement:
# the quarter's sessions, good models by stage, outreach and exemplars, each grouped
# by unit and joined to the unit list. The overview computes the same, then rolls it up.
SQL = """
SELECT u.id, u.code, u.name, u.kind, u.parent_id, u.is_active,
       COALESCE(s.sessions, 0), COALESCE(s.thematic, 0), COALESCE(s.monthly, 0),
       COALESCE(s.first_monday, 0), COALESCE(s.attended, 0), COALESCE(s.invited, 0),
       COALESCE(i.registered, 0), COALESCE(i.in_practice, 0), COALESCE(i.evaluated, 0),
       COALESCE(i.replicated, 0), COALESCE(o.n, 0), COALESCE(e.n, 0), s.thematic_date
FROM units_unit u
LEFT JOIN (
    SELECT s.unit_id,
           COUNT(*) AS sessions,
           MIN(CASE WHEN s.kind = 'thematic' THEN s.date END) AS thematic_date,
           SUM(CASE WHEN s.kind = 'thematic' THEN 1 ELSE 0 END) AS thematic,
           COUNT(DISTINCT CASE WHEN s.kind = 'monthly' THEN {month} END) AS monthly,
           COUNT(DISTINCT CASE WHEN s.kind = 'first_monday' THEN {month} END) AS first_monday,
           SUM(CASE WHEN s.attended IS NOT NULL AND s.expected IS NOT NULL THEN s.attended END) AS attended,
           SUM(CASE WHEN s.attended IS NOT NULL AND s.expected IS NOT NULL THEN s.expected END) AS invited
    FROM activities_studysession s
    WHERE s.year = %(year)s AND s.quarter = %(quarter)s
    GROUP BY s.unit_id
) s ON s.unit_id = u.id
LEFT JOIN (
    SELECT unit_id,
           SUM(CASE WHEN status = 'registered' THEN 1 ELSE 0 END) AS registered,
           SUM(CASE WHEN status = 'in_practice' THEN 1 ELSE 0 END) AS in_practice,
           SUM(CASE WHEN status = 'evaluated' THEN 1 ELSE 0 END) AS evaluated,
           SUM(CASE WHEN status = 'replicated' THEN 1 ELSE 0 END) AS replicated
    FROM activities_initiative
    WHERE registered_on <= %(end)s
       OR (registered_on IS NULL AND (start_year <= %(year)s OR start_year IS NULL))
    GROUP BY unit_id
) i ON i.unit_id = u.id
LEFT JOIN (
    SELECT unit_id, COUNT(*) AS n FROM activities_outreach
    WHERE published_on BETWEEN %(start)s AND %(end)s GROUP BY unit_id
) o ON o.unit_id = u.id
LEFT JOIN (
    SELECT unit_id, COUNT(*) AS n FROM activities_exemplar
    WHERE recognised_on BETWEEN %(start)s AND %(end)s GROUP BY unit_id
) e ON e.unit_id = u.id
WHERE u.path >= %(low)s AND u.path < %(high)s
ORDER BY u.path
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--committees", type=int, default=100)
    parser.add_argument("--cells", type=int, default=10)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    on_throwaway_database(run, args, "reports")


def queries_of(fn, connection):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def run(args, connection):
    from activities import reports
    from activities.models import Source, StudySession
    from seeds.demo import DemoBuilder, DemoSize
    from seeds.services import DEMO_SOURCE, seed_article
    from tracker.periods import Quarter
    from units.models import Unit, path_upper_bound

    seed_article()
    source = Source.objects.create(**DEMO_SOURCE)
    root = Unit.objects.get(code="DBK")
    until = datetime.date(2025, 12, 31)
    DemoBuilder(
        DemoSize(
            committees=args.committees, cells_per_committee=args.cells, years=args.years, seed=1, until=until
        ),
        source,
        root,
    ).build()
    with connection.cursor() as cursor:
        # Fresh statistics for the planner, as autovacuum or a nightly ANALYZE gives.
        cursor.execute("ANALYZE")
    quarter = Quarter(2025, 2)
    today = datetime.date(2026, 1, 15)
    units, sessions = Unit.objects.count(), StudySession.objects.count()
    month = (
        "CAST(strftime('%%m', s.date) AS INTEGER)"
        if connection.vendor == "sqlite"
        else "EXTRACT(MONTH FROM s.date)"
    )
    sql = SQL.format(month=month)

    def hand_written(unit):
        params = {
            "year": quarter.year,
            "quarter": quarter.number,
            "start": quarter.start,
            "end": quarter.end,
            "low": unit.path,
            "high": path_upper_bound(unit.path),
        }
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def check(unit, overview):
        """The hand-written query and the overview agree, unit by unit, on every figure."""
        expected = [(*row[:-1], reports.as_date(row[-1])) for row in hand_written(unit)]
        got = [
            (
                r.unit.pk,
                r.unit.code,
                r.unit.name,
                r.unit.kind,
                r.unit.parent_id,
                r.unit.is_active,
                r.own.sessions,
                r.own.tallies["thematic"].held,
                r.own.tallies["monthly"].held,
                r.own.tallies["first_monday"].held,
                r.own.attended,
                r.own.invited,
                *r.own.initiatives.values(),
                r.own.outreach,
                r.own.exemplars,
                r.thematic_date,
            )
            for r in overview.rows
        ]
        assert got == expected, "the overview and the SQL disagree"

    committee = (
        Unit.objects.filter(kind=Unit.Kind.GRASSROOTS_COMMITTEE, code__startswith="DEMO")
        .order_by("path")
        .first()
    )
    check(root, reports.quarter_overview(root, quarter, today=today))
    check(committee, reports.quarter_overview(committee, quarter, today=today))

    cases = [
        (
            f"quarter overview, bloc ({units:,} units)",
            lambda: reports.quarter_overview(root, quarter, today=today),
            lambda: hand_written(root),
        ),
        (
            "unit quarter page, one committee",
            lambda: reports.unit_quarter(committee, quarter, today=today),
            lambda: hand_written(committee),
        ),
    ]
    print(
        f"{connection.vendor}, {units:,} units, {sessions:,} sessions, {quarter.label}, median of {args.repeat} runs"
    )
    print(f"{'case':<42} {'queries':>7} {'time ms':>9} {'SQL ms':>8} {'ratio':>7}  target 2×")
    for label, fn, baseline in cases:
        fn(), baseline()  # warm the caches of both sides alike
        seconds, base = side_by_side(fn, baseline, args.repeat)
        ratio = seconds / base
        print(
            f"{label:<42} {queries_of(fn, connection):>7} {seconds * 1000:>9.1f} {base * 1000:>8.1f} "
            f"{ratio:>6.1f}×  {'holds' if ratio <= 2 else 'misses'}"
        )


if __name__ == "__main__":
    sys.exit(main())
