"""
The admin's export of every session of the province, as a user waits for it: the
export view over HTTP (django.test.Client, logged in as a bloc superuser), the whole
streamed response read, against reading the same rows and columns with values_list.

    python -m bench.exports [--committees 100 --cells 10 --years 5 --repeat 3] [--writers]
                            [--memory-only]

Also the memory the export takes as the operating system counts it: the process's
peak resident set (VmHWM, reset before the export through /proc/self/clear_refs) over
its resident set before, and, with --writers, the XLSX writers side by side on the
same rows (the comparison in bench/README.md).
"""

import gc
import sys
import tempfile

from bench import on_throwaway_database, side_by_side, timed
from bench.province import built, province_parser

EXPORT_URL = "/admin/activities/studysession/export/"
FORMATS = {"XLSX": "0", "CSV": "1"}
CSV_TARGET, XLSX_TARGET = 3, 8
MEMORY_TARGET = 300 * 2**20


def main():
    if sys.argv[1:2] == ["--measure-export"]:
        return measure_export(sys.argv[2])
    parser = province_parser(__doc__.splitlines()[1], repeat=3)
    parser.add_argument("--writers", action="store_true", help="also compare the XLSX writers")
    parser.add_argument("--memory-only", action="store_true", help="only the memory cases (for 10×)")
    args = parser.parse_args()
    on_throwaway_database(run, args, "exports")


def run(args, connection):
    from bench.__main__ import print_table

    province, header = built(args, connection)
    print(f"{header}; median of {args.repeat} runs")
    results = (
        memory_cases(province, connection) if args.memory_only else cases(province, args.repeat, connection)
    )
    if args.writers:
        results += writer_cases(province, args.repeat)
    print_table(results)


def cases(province, repeat, connection):
    from django.test import Client

    from activities.models import StudySession
    from activities.resources import StudySessionResource
    from bench.__main__ import LINEAR, Result
    from tracker.imports.exports import lookups_of

    client = Client()
    client.force_login(province.superuser)
    lookups = lookups_of(StudySessionResource().export_columns())

    def read():
        return list(StudySession.objects.values_list(*lookups))

    results = []
    for label, target in [("CSV", CSV_TARGET), ("XLSX", XLSX_TARGET)]:

        def export(label=label):
            response = client.post(EXPORT_URL, {"format": FORMATS[label], "resource": "0"})
            assert response.status_code == 200, response.status_code
            size = sum(len(chunk) for chunk in response.streaming_content)
            response.close()
            return size

        # Counted at the connection: the test client's requests reset its query log.
        queries = []

        def counted(execute, sql, *rest, queries=queries):
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(counted):
            size = export()
        seconds, baseline = side_by_side(export, read, repeat)
        results.append(
            Result(
                f"admin export of {province.sessions:,} sessions to {label} (HTTP)",
                seconds,
                baseline,
                target=target,
                queries=len(queries),
                note=f"{province.sessions / seconds:,.0f} rows/s, {size / 2**20:,.1f} MB "
                f"(values_list: {province.sessions / baseline:,.0f} rows/s)",
                growth=LINEAR,
            )
        )
    return results + memory_cases(province, connection)


def memory_cases(province, connection=None):
    """
    On PostgreSQL, each export in a fresh process that has served one page (an idle
    worker), so that its peak is the export's alone; on SQLite, whose test database lives
    in this process's memory, in this process (its allocator may reuse memory freed by
    building the province: a lower bound).
    """
    from django.db import connection as default
    from django.test import Client

    from bench.__main__ import BYTES, CONSTANT, Result

    connection = connection or default
    results = []
    for label in FORMATS:
        if connection.vendor == "postgresql":
            measured, how = measured_in_a_fresh_process(connection, label), "fresh process"
        else:
            client = Client()
            client.force_login(province.superuser)
            measured, how = (
                rss_peak_over(lambda label=label, client=client: export_once(client, label)),
                "in process",
            )
        results.append(
            Result(
                f"memory (RSS peak over idle), admin export of {province.sessions:,} sessions to {label}",
                measured,
                target=MEMORY_TARGET,
                measure=BYTES,
                growth=CONSTANT,  # streamed: a bigger file, not a bigger process
                note=how,
            )
        )
    return results


def measured_in_a_fresh_process(connection, label):
    import os
    import subprocess

    settings = connection.settings_dict
    url = "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**settings)
    output = subprocess.run(
        [sys.executable, "-m", "bench.exports", "--measure-export", label],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(output.split()[-1])


def measure_export(label):
    """In a fresh process on the bench's database: print the export's RSS peak over the idle process."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"))
    assert client.get(EXPORT_URL).status_code == 200  # the export form: every module loaded
    print(rss_peak_over(lambda: export_once(client, label)))


def export_once(client, label):
    response = client.post(EXPORT_URL, {"format": FORMATS[label], "resource": "0"})
    for _chunk in response.streaming_content:
        pass
    response.close()


def status_kb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise LookupError(field)


def rss_peak_over(fn):
    """Bytes the process's resident set peaked at during fn() over what it was before."""
    gc.collect()
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # resets VmHWM to the current resident set (Linux 4.0+)
    before = status_kb("VmRSS")
    fn()
    return max(0, status_kb("VmHWM") - before) * 1024


def writer_cases(province, repeat):
    """The same rows written by xlsx_writer.py (the export's) and openpyxl (write-only)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from activities.models import StudySession
    from activities.resources import StudySessionResource
    from bench.__main__ import BYTES, Result
    from tracker.imports.exports import SHEET_NAME, XLSX_CELLS, Kind, by_column, chunks, lookups_of, xlsx_file

    columns = StudySessionResource().export_columns()
    rows = list(StudySession.objects.order_by("pk").values_list(*lookups_of(columns)))

    def by_hand():
        xlsx_file(columns, rows).close()

    def openpyxl():
        # The export's columns and conversions, the cells written by openpyxl instead.
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(SHEET_NAME)
        sheet.freeze_panes = "A2"
        sheet.append([column.header for column in columns])
        cells = [XLSX_CELLS[column.kind] for column in columns]
        dates = [number for number, column in enumerate(columns) if column.kind is Kind.DATE]
        for chunk in chunks(rows):
            values = by_column(columns, chunk)
            for row in zip(*(cell(column) for cell, column in zip(cells, values, strict=True)), strict=True):
                row = list(row)
                for number in dates:
                    if row[number] is not None:
                        row[number] = WriteOnlyCell(sheet, value=row[number])
                        row[number].number_format = "DD/MM/YYYY"
                sheet.append(row)
        with tempfile.TemporaryFile() as out:
            workbook.save(out)

    results = []
    for label, fn in [
        ("by hand (xlsx_writer.py)", by_hand),
        ("openpyxl, write-only", openpyxl),
    ]:
        results.append(
            Result(
                f"XLSX writer alone, {len(rows):,} rows read beforehand: {label}",
                timed(fn, repeat),
            )
        )
        results.append(
            Result(
                f"memory (RSS peak over before), {label}",
                rss_peak_over(fn),
                target=MEMORY_TARGET,
                measure=BYTES,
            )
        )
    return results


if __name__ == "__main__":
    sys.exit(main())
