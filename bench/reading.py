"""
Reading an uploaded workbook, as the import's upload form does (`tracker.imports.reading`):
the header found, every cell cleaned, rows and unpacked size counted while reading.

Measured beside openpyxl's own read-only pass over the same file, the least any reader
of the workbook costs, in the same run; and the peak memory of refusing a workbook with
more rows than IMPORT_MAX_ROWS and no dimension record, as some programs write it.
"""

import io


def workbook_of(dataset):
    from tracker.imports.formats import SafeXLSX

    return SafeXLSX().export_data(dataset)


def cases(province, rows, repeat):
    from django.conf import settings
    from openpyxl import load_workbook

    from activities.resources import StudySessionResource
    from bench import timed
    from bench.__main__ import BYTES, Result, peak_python_memory
    from bench.imports import new_sessions
    from tracker.imports.reading import FileRefused, read_upload

    columns = StudySessionResource().import_columns()
    dataset, _objects = new_sessions(province.cells, rows, province.superuser)
    data = workbook_of(dataset)

    def bare():
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        assert sum(1 for _row in workbook.active.iter_rows(values_only=True)) == rows + 1
        workbook.close()

    def reading():
        assert len(read_upload(data, file_format="xlsx", columns=columns).rows) == rows

    limit = settings.IMPORT_MAX_ROWS
    too_many, _objects = new_sessions(province.cells, limit + 1, province.superuser)
    oversized = workbook_of(too_many)

    def refusing():
        try:
            read_upload(oversized, file_format="xlsx", columns=columns)
        except FileRefused:
            return
        raise AssertionError("a file over the row limit was read")

    baseline = timed(bare, repeat)
    seconds = timed(reading, repeat)
    return [
        Result(
            f"reading an XLSX of {rows:,} rows", seconds, baseline, 1.5, note=f"{rows / seconds:,.0f} rows/s"
        ),
        Result(
            f"peak memory, refusing an XLSX of {limit + 1:,} rows",
            peak_python_memory(refusing),
            target=300 * 2**20,
            measure=BYTES,
            note=f"limit {limit:,} rows",
        ),
    ]
