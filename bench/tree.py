"""
Which tree for Unit: the materialised path it uses, or a recursive CTE on parent_id?

    python -m bench.tree [--committees 100] [--cells 10] [--repeat 50]

Builds a bloc of committees with cells on a fresh SQLite file (or on DATABASE_URL's
PostgreSQL, in a throwaway test database), then times "this unit and everything under
it" both ways, for the whole bloc and for one committee. Prints the medians and the
ratio CTE / path.
"""

import argparse
import statistics
import sys
import time

from bench import on_throwaway_database


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--committees", type=int, default=100)
    parser.add_argument("--cells", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    on_throwaway_database(run, args, "tree")


def run(args, connection):
    from units.models import Unit, path_upper_bound

    bloc = Unit.objects.create(code="BLOC", name="Đảng bộ Khối", kind=Unit.Kind.BLOC)
    committees = []
    for c in range(args.committees):
        committee = Unit.objects.create(
            code=f"C{c}", name=f"Đảng bộ {c}", kind="grassroots_committee", parent=bloc
        )
        committees.append(committee)
        for n in range(args.cells):
            Unit.objects.create(code=f"C{c}-{n}", name=f"Chi bộ {n}", kind="cell", parent=committee)
    total = Unit.objects.count()

    cte = (
        "WITH RECURSIVE sub(id) AS (SELECT id FROM units_unit WHERE id = %s "
        "UNION ALL SELECT u.id FROM units_unit u JOIN sub ON u.parent_id = sub.id) SELECT id FROM sub"
    )

    # Both as plain SQL on the same cursor, so that only the database's work differs;
    # the SQL is the one Unit.objects.for_subtree() sends.
    def by_path(unit):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM units_unit WHERE path >= %s AND path < %s",
                [unit.path, path_upper_bound(unit.path)],
            )
            return [row[0] for row in cursor.fetchall()]

    def by_cte(unit):
        with connection.cursor() as cursor:
            cursor.execute(cte, [unit.pk])
            return [row[0] for row in cursor.fetchall()]

    def median_ms(fn, unit):
        timings = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            fn(unit)
            timings.append(time.perf_counter() - start)
        return statistics.median(timings) * 1000

    committee = committees[len(committees) // 2]
    print(f"{connection.vendor}, {total} units, median of {args.repeat} runs")
    print(f"{'subtree of':<12} {'rows':>6} {'path ms':>9} {'CTE ms':>9} {'CTE/path':>9}")
    for label, unit in [("bloc", bloc), ("committee", committee)]:
        assert sorted(by_path(unit)) == sorted(by_cte(unit))
        path_ms, cte_ms = median_ms(by_path, unit), median_ms(by_cte, unit)
        print(f"{label:<12} {len(by_path(unit)):>6} {path_ms:>9.3f} {cte_ms:>9.3f} {cte_ms / path_ms:>8.1f}x")


if __name__ == "__main__":
    sys.exit(main())
