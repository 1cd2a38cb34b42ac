"""
Import of study sessions through the admin's code path, against a plain bulk_create.

    python -m bench.imports [--rows 10000] [--repeat 3]

On a throwaway database (SQLite, or DATABASE_URL's PostgreSQL): builds a bloc of
100 committees × 10 cells, a file of --rows new sessions, then times
StudySessionResource.import_data — the dry run and the confirm step, as the admin
calls them, with validation, natural-key lookups, duplicate detection and history —
beside bulk_create of the same rows. Each run is rolled back. Prints the medians and
the ratios; the target is 3×.
"""

import argparse
import datetime
import random
import statistics
import sys
import time

from bench import on_throwaway_database


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
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
    import tablib
    from django.contrib.auth import get_user_model

    from activities.models import Source, StudySession
    from activities.resources import StudySessionResource
    from seeds.demo import DemoBuilder, DemoSize
    from seeds.services import DEMO_SOURCE, seed_article
    from tracker.periods import Quarter
    from units.models import Unit

    seed_article()
    source = Source.objects.create(**DEMO_SOURCE)
    root = Unit.objects.get(code="DBK")
    builder = DemoBuilder(DemoSize(committees=100, cells_per_committee=10, years=1, seed=1), source, root)
    _committees, cells = builder.units()
    user = get_user_model().objects.create_superuser("bench", password="x")

    rng = random.Random(1)
    resource = StudySessionResource(user=user)
    headers = [field.column_name for field in resource.get_import_fields()]
    rows, objects = [], []
    for n in range(args.rows):
        cell = rng.choice(cells)
        day = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 700))
        values = {
            "Mã đơn vị": cell.code,
            "Loại buổi": "Sinh hoạt định kỳ",
            "Ngày": day.strftime("%d/%m/%Y"),
            "Quý": "",
            "Chủ đề": f"Sinh hoạt chi bộ số {n}",
            "Hình thức": "Trực tiếp",
            "Mã người chủ trì": "",
            "Số có mặt": "18",
            "Số được triệu tập": "20",
            "Tự phê bình và phê bình": "Có",
            "Kiểm điểm học tập và làm theo Bác": "Có",
            "Biên bản": "",
        }
        rows.append([values[header] for header in headers])
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
    dataset = tablib.Dataset(*rows, headers=headers)

    def bulk():
        StudySession.objects.bulk_create([StudySession(**fields) for fields in objects], batch_size=2000)

    def importing(dry_run):
        def go():
            result = StudySessionResource(user=user).import_data(
                dataset, dry_run=dry_run, use_transactions=True
            )
            assert not result.has_errors() and not result.has_validation_errors()
            assert result.totals["new"] == args.rows

        return go

    def bulk_with_history():
        from simple_history.utils import bulk_create_with_history

        bulk_create_with_history(
            [StudySession(**fields) for fields in objects], StudySession, batch_size=2000
        )

    baseline = timed(bulk, args.repeat)
    with_history = timed(bulk_with_history, args.repeat)
    print(f"{connection.vendor}, {args.rows:,} rows, median of {args.repeat} runs")
    print(f"{'case':<28} {'time s':>8} {'baseline s':>11} {'ratio':>7} {'rows/s':>8}  target 3×")
    for label, fn in [("import, dry run", importing(True)), ("import, confirm", importing(False))]:
        seconds = timed(fn, args.repeat)
        ratio = seconds / baseline
        holds = "holds" if ratio <= 3 else "misses"
        print(
            f"{label:<28} {seconds:>8.2f} {baseline:>11.3f} {ratio:>6.1f}× {args.rows / seconds:>8,.0f}  {holds}"
        )
    print(
        f"For scale: bulk_create writing history rows too takes {with_history:.2f} s, "
        f"{with_history / baseline:.1f}× the baseline."
    )


if __name__ == "__main__":
    sys.exit(main())
