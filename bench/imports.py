"""
Import of study sessions through the admin's code path, against a plain bulk_create.

    python -m bench.imports [--rows 10000] [--repeat 3] [--committees 100] [--cells 10]

On a throwaway database (SQLite, or DATABASE_URL's PostgreSQL): builds a demo bloc of
100 committees × 10 cells with a year of records, a file of --rows new sessions, then times
StudySessionResource.import_data — the dry run and the confirm step, as the admin
calls them, with validation, natural-key lookups, duplicate detection and history —
beside bulk_create of the same rows. Each run is rolled back. Prints the medians and
the ratios; the target is 3×.
"""

import datetime
import random
import statistics
import sys
import time

from bench import on_throwaway_database
from bench.province import built, province_parser


def main():
    parser = province_parser(__doc__.splitlines()[1], years=1, repeat=3)
    parser.add_argument("--rows", type=int, default=10000)
    args = parser.parse_args()

    on_throwaway_database(run, args, "imports")


class Rollback(Exception):
    pass


def timed(fn, repeat):
    """Median seconds of fn() run inside a transaction that is rolled back each time."""
    from django.db import transaction

    timings = []
    for _ in range(repeat):
        try:
            with transaction.atomic():
                start = time.perf_counter()
                fn()
                timings.append(time.perf_counter() - start)
                raise Rollback
        except Rollback:
            pass
    return statistics.median(timings)


def run(args, connection):
    from bench.__main__ import print_table

    province, header = built(args, connection)
    print(f"{header}; {args.rows:,} rows to import, median of {args.repeat} runs")
    print_table(cases(province, args.rows, args.repeat))


def new_sessions(cells, rows, user):
    """A file of `rows` new monthly meetings of the cells (a tablib Dataset), and the same rows as model fields."""
    import tablib

    from activities.resources import StudySessionResource
    from tracker.periods import Quarter

    rng = random.Random(1)
    headers = [field.column_name for field in StudySessionResource(user=user).get_import_fields()]
    lines, objects = [], []
    for n in range(rows):
        cell = rng.choice(cells)
        # Before quarter III/2025, whose reports the demo accepted (their records are locked).
        day = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 500))
        values = {
            "Mã đơn vị": cell.code,
            "Loại buổi": "Sinh hoạt định kỳ",
            "Ngày": day.strftime("%d/%m/%Y"),
            "Quý": "",
            "Chủ đề": f"Sinh hoạt chi bộ (thử) số {n}",
            "Hình thức": "Trực tiếp",
            "Mã người chủ trì": "",
            "Số có mặt": "18",
            "Số được triệu tập": "20",
            "Tự phê bình và phê bình": "Có",
            "Kiểm điểm học tập và làm theo Bác": "Có",
            "Biên bản": "",
        }
        lines.append([values[header] for header in headers])
        quarter = Quarter.of(day)
        objects.append(
            {
                "unit": cell,
                "kind": "monthly",
                "date": day,
                "year": quarter.year,
                "quarter": quarter.number,
                "topic": values["Chủ đề"],
                "format": "in_person",
                "attended": 18,
                "expected": 20,
                "has_self_criticism": True,
                "reviews_study": True,
            }
        )
    return tablib.Dataset(*lines, headers=headers), objects


def cases(province, rows, repeat):
    from activities.models import StudySession
    from activities.resources import StudySessionResource
    from bench.__main__ import CONSTANT, Result

    dataset, objects = new_sessions(province.cells, rows, province.superuser)

    def bulk():
        StudySession.objects.bulk_create([StudySession(**fields) for fields in objects], batch_size=2000)

    def importing(dry_run):
        def go():
            result = StudySessionResource(user=province.superuser).import_data(
                dataset, dry_run=dry_run, use_transactions=True
            )
            assert not result.has_errors() and not result.has_validation_errors()
            assert result.totals["new"] == rows

        return go

    baseline = timed(bulk, repeat)
    results = []
    for label, fn in [("dry run", importing(True)), ("confirm", importing(False))]:
        seconds = timed(fn, repeat)
        results.append(
            Result(
                f"import of {rows:,} sessions, {label}",
                seconds,
                baseline,
                3,
                note=f"{rows / seconds:,.0f} rows/s",
                growth=CONSTANT,  # the same file into a larger province
            )
        )
    return results


if __name__ == "__main__":
    sys.exit(main())
