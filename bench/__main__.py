"""
Every speed and memory target, measured side by side, in one table.

    python -m bench [--committees 100] [--cells 10] [--years 5] [--rows 10000]
                    [--memory-rows 50000] [--repeat 5] [--markdown]
    make bench

On a throwaway database (SQLite, or a test database on the PostgreSQL that
DATABASE_URL names) it builds the demo province, then measures each case beside its
own baseline, in the same run:

- the import of --rows sessions through the admin's code path (dry run, confirm)
  against bulk_create of the same rows (target 3×);
- the export of every session of the province to XLSX and CSV against reading the
  same rows with values_list (rows/s);
- the quarter overview of the bloc, and the figures of one committee's quarter page,
  against one hand-written SQL GROUP BY giving the same numbers, checked equal
  (target 2×); the whole unit quarter page, which also lists every record, for scale;
- the admin's session list at 100 rows a page, its first page, page 500, two searches
  and the year filter, for the bloc and a committee editor (target 300 ms each);
- reading an XLSX of --rows rows as the upload form does (header, cleaning, limits)
  against openpyxl's bare read-only pass over the same file (target 1.5×);
- the peak memory (Python allocations, tracemalloc) of importing --memory-rows rows,
  of the XLSX export, and of refusing an XLSX one row over IMPORT_MAX_ROWS (target: a
  few hundred MB).

Times are medians of --repeat runs; each page and its baseline are timed in turns.
"""

import sys
import tracemalloc
from dataclasses import dataclass

from bench import on_throwaway_database, side_by_side
from bench.province import built, province_parser


@dataclass
class Result:
    case: str
    value: float  # seconds, or bytes for memory
    baseline: float | None = None
    target: float | None = None  # the largest ratio (or bytes) that holds
    queries: int | None = None
    note: str = ""
    memory: bool = False

    @property
    def ratio(self):
        return None if self.baseline is None else self.value / self.baseline

    @property
    def holds(self):
        if self.target is None:
            return "—"
        measured = self.value if self.memory else self.ratio
        return "holds" if measured <= self.target else "misses"

    def cells(self):
        if self.memory:
            value, baseline = f"{self.value / 2**20:,.0f} MB", "—"
            target = f"≤ {self.target / 2**20:,.0f} MB"
        else:
            value = f"{self.value * 1000:,.1f} ms"
            baseline = "—" if self.baseline is None else f"{self.baseline * 1000:,.1f} ms"
            target = "—" if self.target is None else f"≤ {self.target:g}×"
        ratio = "—" if self.ratio is None else f"{self.ratio:.1f}×"
        queries = "—" if self.queries is None else str(self.queries)
        return [self.case, value, baseline, ratio, target, self.holds, queries, self.note]


HEADERS = ["case", "time", "baseline", "ratio", "target", "holds", "queries", "note"]


def main():
    parser = province_parser(__doc__.splitlines()[1])
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--memory-rows", type=int, default=50000)
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args()
    on_throwaway_database(run, args, "suite")


def run(args, connection):
    from bench import adminlists, imports, reading, reports

    province, header = built(args, connection)
    print(f"{header}; median of {args.repeat} runs")
    results = [
        *reports.cases(province, args.repeat, connection),
        *adminlists.cases(province, args.repeat, connection),
        *export_cases(province, args.repeat),
        *imports.cases(province, args.rows, args.repeat),
        *reading.cases(province, args.rows, args.repeat),
        *memory_cases(province, args.memory_rows),
    ]
    print_table(results, args.markdown)


def print_table(results, markdown=False):
    rows = [HEADERS, *[result.cells() for result in results]]
    if markdown:
        print("| " + " | ".join(HEADERS) + " |")
        print("|" + "---|" * len(HEADERS))
        for row in rows[1:]:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def export_cases(province, repeat):
    """Every session of the province to XLSX and CSV, as the admin's export does, against values_list."""
    from activities.models import StudySession
    from activities.resources import StudySessionResource
    from tracker.imports.formats import SafeCSV, SafeXLSX

    queryset = StudySession.objects.order_by("pk")
    fields = ["unit__code", "kind", "date", "year", "quarter", "topic", "format", "chair__code"]
    fields += ["attended", "expected", "has_self_criticism", "reviews_study", "minutes"]

    def read():
        return list(queryset.values_list(*fields))

    results = []
    for label, file_format in [("XLSX", SafeXLSX), ("CSV", SafeCSV)]:

        def export(file_format=file_format):
            dataset = StudySessionResource(user=province.superuser).export(queryset=queryset)
            return file_format().export_data(dataset)

        seconds, baseline = side_by_side(export, read, repeat)
        results.append(
            Result(
                f"export of {province.sessions:,} sessions to {label}",
                seconds,
                baseline,
                note=f"{province.sessions / seconds:,.0f} rows/s (values_list: {province.sessions / baseline:,.0f})",
            )
        )
    return results


def peak_python_memory(fn):
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def memory_cases(province, rows):
    from django.db import transaction

    from activities.models import StudySession
    from activities.resources import StudySessionResource
    from bench.imports import new_sessions
    from tracker.imports.formats import SafeXLSX

    dataset, _objects = new_sessions(province.cells, rows, province.superuser)

    def importing():
        with transaction.atomic():
            result = StudySessionResource(user=province.superuser).import_data(
                dataset, dry_run=False, use_transactions=True
            )
            assert result.totals["new"] == rows
            transaction.set_rollback(True)

    def exporting():
        dataset = StudySessionResource(user=province.superuser).export(queryset=StudySession.objects.all())
        SafeXLSX().export_data(dataset)

    limit = 300 * 2**20
    return [
        Result(
            f"peak memory, import of {rows:,} rows", peak_python_memory(importing), target=limit, memory=True
        ),
        Result(
            f"peak memory, XLSX export of {province.sessions:,} rows",
            peak_python_memory(exporting),
            target=limit,
            memory=True,
        ),
    ]


if __name__ == "__main__":
    sys.exit(main())
