"""
Several people saving at once into one SQLite file, with the project's settings.
test_sqlite_concurrency runs it in a process of its own (DATABASE_URL names a
migrated file) and reads the JSON report it prints:

    python -m tracker.tests.sqlite_writers race THREADS SAVES
    python -m tracker.tests.sqlite_writers crossing [--deferred]

`race`: THREADS threads each save SAVES sessions, every save a transaction that reads
before it writes, as a form does. `crossing`: two transactions that both read before
either writes, in a fixed order: the second writes after the first has committed.
`--deferred` switches the settings' IMMEDIATE transactions back to SQLite's default.
"""

import datetime
import json
import os
import sys
import threading
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")


def save_session(unit, topic, between=lambda: None):
    from django.db import transaction

    from activities.models import StudySession

    with transaction.atomic():
        StudySession.objects.filter(unit=unit).count()  # read first, as a form's checks do
        between()
        StudySession.objects.create(
            unit=unit, kind="thematic", date=datetime.date(2024, 2, 5), topic=topic, attended=1, expected=1
        )


def in_thread(work, errors):
    from django.db import OperationalError, connection

    def run():
        try:
            work()
        except OperationalError as error:
            errors.append(str(error))
        finally:
            connection.close()

    return threading.Thread(target=run)


def race(unit, threads, saves):
    errors = []

    def writer(n):
        def work():
            for i in range(saves):
                save_session(unit, f"race {n}-{i}", between=lambda: time.sleep(0.002))

        return work

    workers = [in_thread(writer(n), errors) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return errors


def crossing(unit):
    errors = []
    first_read, first_done = threading.Event(), threading.Event()

    def first():
        try:
            # With IMMEDIATE, the second cannot even start its transaction meanwhile.
            save_session(unit, "first", between=lambda: (first_read.set(), time.sleep(0.5)))
        finally:
            first_done.set()

    def second():
        first_read.wait(10)
        save_session(unit, "second", between=lambda: first_done.wait(10))

    workers = [in_thread(first, errors), in_thread(second, errors)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return errors


def main():
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from activities.models import StudySession
    from units.models import Unit

    if "--deferred" in sys.argv:
        settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] = "DEFERRED"
    unit = Unit.objects.create(
        code=f"CONCURRENT{os.getpid()}", name=f"Khối thử {os.getpid()}", kind=Unit.Kind.BLOC
    )
    connection.close()
    errors = race(unit, int(sys.argv[2]), int(sys.argv[3])) if sys.argv[1] == "race" else crossing(unit)
    topics = sorted(StudySession.objects.filter(unit=unit).values_list("topic", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
    print(json.dumps({"errors": errors, "topics": topics, "journal_mode": journal}))


if __name__ == "__main__":
    main()
