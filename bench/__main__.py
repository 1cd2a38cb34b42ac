"""
Every speed and memory target, measured side by side, in one table.

    python -m bench [--committees 100] [--cells 10] [--years 5] [--rows 10000]
                    [--memory-rows 50000] [--repeat 5] [--markdown] [--sizes 1,3,10]
    make bench

On a throwaway database (SQLite, or a test database on the PostgreSQL that
DATABASE_URL names) it builds the demo province, then measures each case beside its
own baseline, in the same run:

- the import of --rows sessions through the admin's code path (dry run, confirm)
  against bulk_create of the same rows (target 3×);
- the same import as users run it, through the admin's HTTP views (an XLSX posted to
  the import view, then the confirm), against the same bulk_create (target 3× each),
  with the preview page's size (target 1 MB), and the RSS high-water mark of a process
  of its own importing --memory-rows rows (target 300 MB over idle; bench/import_http.py);
- the admin's export of every session of the province to CSV and XLSX over HTTP,
  streamed, against reading the same rows with values_list (targets 3× and 8×), and
  the process's peak resident memory during each (bench/exports.py);
- the quarter overview of the bloc, and the figures of one committee's quarter page,
  against one hand-written SQL GROUP BY giving the same numbers, checked equal
  (target 2×); the whole unit quarter page, which also lists every record, for scale;
- the bloc's own pages over HTTP (its unit quarter page, a later page of its sessions, a
  committee's page, the overview, the year report, the Word report: bench/pages.py),
  against 500 ms (3 s for the Word report) and 1 MB;
- the roll call saved on the staff session form over HTTP, with 10 and 40 members on
  the register (500 ms, and the same queries for both: bench/rollcall.py);
- the admin's session list at 100 rows a page, its first page, page 500, two searches
  and the year filter, for the bloc and a committee editor (target 300 ms each);
- reading an XLSX of --rows rows as the upload form does (header, cleaning, limits)
  against openpyxl's bare read-only pass over the same file (target 1.5×);
- the peak memory (Python allocations, tracemalloc) of importing --memory-rows rows
  through the resource and of refusing an XLSX one row over IMPORT_MAX_ROWS, and the
  resident memory an export of every session adds to a process (target 300 MB).

Times are medians of --repeat runs; each page and its baseline are timed in turns.

With --sizes 1,3,10 it builds the province at each multiple of --committees in turn,
prints each table, then the growth table: each case's time at every size and its
growth from the first size to the last, against the growth of the data. A page of one
unit holds when it stays constant (at most 2× over the sizes), a bloc-wide page when it
grows no worse than linearly (at most 1.25 times the data's growth).
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
import tracemalloc
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import on_throwaway_database
from bench.province import built, province_parser

# What a case's value is, and so what its target means.
RATIO = "ratio"  # seconds; the target is the largest ratio to the baseline
SECONDS = "seconds"  # seconds; the target is the longest time
BYTES = "bytes"  # a size (memory, a page); the target is the largest size


@dataclass
class Result:
    case: str
    value: float  # seconds, or bytes
    baseline: float | None = None
    target: float | None = None  # what holds: see `measure`
    queries: int | None = None
    note: str = ""
    measure: str = RATIO
    # How the case may grow with the province: CONSTANT (a page of one unit), LINEAR
    # (a bloc-wide page or file), or None (not held to a growth target).
    growth: str | None = None

    @property
    def ratio(self):
        return None if self.baseline is None else self.value / self.baseline

    @property
    def holds(self):
        if self.target is None:
            return "—"
        measured = self.ratio if self.measure == RATIO else self.value
        return "holds" if measured <= self.target else "misses"

    def cells(self):
        if self.measure == BYTES:
            value, baseline = size(self.value), "—"
            target = "—" if self.target is None else f"≤ {size(self.target)}"
        else:
            value = f"{self.value * 1000:,.1f} ms"
            baseline = "—" if self.baseline is None else f"{self.baseline * 1000:,.1f} ms"
            target = "—" if self.target is None else f"≤ {self.target:g}×"
            if self.measure == SECONDS and self.target is not None:
                target = f"≤ {self.target * 1000:,.0f} ms"
        ratio = "—" if self.ratio is None else f"{self.ratio:.1f}×"
        queries = "—" if self.queries is None else str(self.queries)
        return [self.case, value, baseline, ratio, target, self.holds, queries, self.note]


def size(value):
    """Bytes as MB, or KB under a megabyte."""
    return f"{value / 2**20:,.0f} MB" if value >= 2**20 else f"{value / 2**10:,.0f} KB"


HEADERS = ["case", "time", "baseline", "ratio", "target", "holds", "queries", "note"]
CONSTANT, LINEAR = "constant", "linear"
CONSTANT_LIMIT, LINEAR_SLACK = 2.0, 1.25


def main():
    parser = province_parser(__doc__.splitlines()[1])
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--memory-rows", type=int, default=50000)
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument(
        "--sizes", help="multiples of --committees to run in turn, e.g. 1,3,10, then the growth table"
    )
    parser.add_argument("--results", help=argparse.SUPPRESS)  # where a run of --sizes writes its results
    args = parser.parse_args()
    if args.sizes:
        print_growth(sizes_in_turn(args), args.markdown)
        return
    sessions, results = on_throwaway_database(run, args, "suite")
    if args.results:
        Path(args.results).write_text(json.dumps([sessions, [asdict(result) for result in results]]))


def sizes_in_turn(args):
    """Run the whole suite at each size, each in a process of its own; [(multiple, sessions, results)]."""
    runs = []
    options = sys.argv[1:]
    at = options.index("--sizes")
    options = options[:at] + options[at + 2 :]
    for multiple in [int(size) for size in args.sizes.split(",")]:
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            committees = ["--committees", str(args.committees * multiple), "--results", out.name]
            subprocess.run([sys.executable, "-m", "bench", *options, *committees], check=True)
            sessions, results = json.loads(Path(out.name).read_text())
        runs.append((multiple, sessions, [Result(**result) for result in results]))
    return runs


def run(args, connection):
    from bench import adminlists, exports, import_http, imports, pages, reading, reports, rollcall

    province, header = built(args, connection)
    print(f"{header}; median of {args.repeat} runs")
    results = [
        *reports.cases(province, args.repeat, connection),
        *pages.cases(province, args.repeat, connection),
        *rollcall.cases(province, args.repeat, connection),
        *adminlists.cases(province, args.repeat, connection),
        *exports.cases(province, args.repeat, connection),
        *imports.cases(province, args.rows, args.repeat),
        *import_http.cases(province, args.repeat, connection, rows=args.rows, memory_rows=args.memory_rows),
        *reading.cases(province, args.rows, args.repeat),
        *memory_cases(province, args.memory_rows),
    ]
    print_table(results, args.markdown)
    return province.sessions, results


def print_table(results, markdown=False):
    print_rows(HEADERS, [result.cells() for result in results], markdown)


def print_rows(headers, rows, markdown=False):
    if markdown:
        print("| " + " | ".join(headers) + " |")
        print("|" + "---|" * len(headers))
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    rows = [headers, *rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(headers))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def case_key(name):
    """A case's name without its counts, which change with the size: the same case at every size."""
    return re.sub(r"\d[\d,.]*", "N", name)


def print_growth(runs, markdown=False):
    """Each case's time at every size, and its growth from the first size to the last against the data's."""
    (first, first_sessions, first_results), (last, last_sessions, _) = runs[0], runs[-1]
    data_growth = last_sessions / first_sessions
    by_size = [{case_key(r.case): r for r in results} for _multiple, _sessions, results in runs]
    headers = ["case", *[f"{multiple}× ({sessions:,} sessions)" for multiple, sessions, _ in runs]]
    headers += [f"growth {first}× → {last}×", "may grow", "holds"]
    rows = []
    for result in first_results:
        key = case_key(result.case)
        measured = [sizes.get(key) for sizes in by_size]
        if any(r is None for r in measured):
            continue
        if not measured[0].value:
            continue  # nothing measurable at the first size (a memory case of a tiny province)
        growth = measured[-1].value / measured[0].value
        limit = {CONSTANT: CONSTANT_LIMIT, LINEAR: data_growth * LINEAR_SLACK}.get(result.growth)
        holds = "—" if limit is None else ("holds" if growth <= limit else "misses")
        allowed = "—" if limit is None else f"≤ {limit:.1f}× ({result.growth})"
        rows.append([key, *[r.cells()[1] for r in measured], f"{growth:.1f}×", allowed, holds])
    print(f"\nGrowth: the data grew {data_growth:.1f}× from {first}× to {last}×")
    print_rows(headers, rows, markdown)


def peak_python_memory(fn):
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def memory_cases(province, rows):
    from django.db import transaction

    from activities.resources import StudySessionResource
    from bench.imports import new_sessions

    dataset, _objects = new_sessions(province.cells, rows, province.superuser)

    def importing():
        with transaction.atomic():
            result = StudySessionResource(user=province.superuser).import_data(
                dataset, dry_run=False, use_transactions=True
            )
            assert result.totals["new"] == rows
            transaction.set_rollback(True)

    limit = 300 * 2**20
    return [
        Result(
            f"peak memory, import of {rows:,} rows",
            peak_python_memory(importing),
            target=limit,
            measure=BYTES,
        ),
    ]


if __name__ == "__main__":
    sys.exit(main())
