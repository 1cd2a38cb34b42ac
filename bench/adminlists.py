"""
The admin's session list as people open it, through the HTTP view (django.test.Client),
for the bloc's superuser and for a committee editor: the first page, page 500 (the
editor's last page: their committee has fewer), a search typed without accents, a
search matching a third of the rows, and the year filter. Target: 300 ms each on
PostgreSQL at 10× (--committees 1000, a million sessions); on SQLite the times are
reported against the same line.

    python -m bench.adminlists [--committees 100] [--cells 10] [--years 5] [--repeat 5]
"""

import math

from bench import on_throwaway_database, timed
from bench.province import built, province_parser

URL = "/admin/activities/studysession/"
TARGET = 0.300  # seconds, each page


def cases(province, repeat, connection):
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.__main__ import CONSTANT, LINEAR, SECONDS, Result

    if connection.vendor == "postgresql":
        # As autovacuum leaves a table some time after its rows were written: the
        # visibility map that lets far pages be read from the index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE activities_studysession")
    results = []
    for label, user in [("bloc", province.superuser), ("committee editor", province.editor)]:
        client = Client()
        client.force_login(user)
        first = client.get(URL)
        assert first.status_code == 200
        pages = max(1, math.ceil(first.context["cl"].result_count / first.context["cl"].list_per_page))
        last = min(500, pages)
        for case, params in [
            ("first page", {}),
            (f"page {last}, the last or the 500th", {"p": str(last)}),
            ("search “thanh tra y te”", {"q": "thanh tra y te"}),
            ("search “so hoa” (a third of the rows)", {"q": "so hoa"}),
            ("year filter 2024", {"year": "2024"}),
        ]:

            def page(client=client, params=params):
                response = client.get(URL, params)
                assert response.status_code == 200, response.status_code
                return response

            response = page()
            with CaptureQueriesContext(connection) as captured:
                page()
            queries = len(captured)  # read now: the next request clears the log
            cl = response.context["cl"]
            count = f"{'about ' if cl.paginator.estimated else ''}{cl.result_count:,} rows"
            results.append(
                Result(
                    f"admin session list, {case} ({label})",
                    timed(page, repeat),
                    target=TARGET,
                    queries=queries,
                    note=count,
                    measure=SECONDS,
                    # A committee's list holds the same rows at every size; the bloc's grows.
                    growth=CONSTANT if user == province.editor else LINEAR,
                )
            )
    return results


def main():
    args = province_parser(__doc__.strip().splitlines()[0]).parse_args()
    on_throwaway_database(run, args, "adminlists")


def run(args, connection):
    from bench.__main__ import print_table

    province, header = built(args, connection)
    print(f"{header}; median of {args.repeat} runs")
    print_table(cases(province, args.repeat, connection))


if __name__ == "__main__":
    main()
