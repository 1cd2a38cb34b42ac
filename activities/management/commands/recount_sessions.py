from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from activities import tally
from activities.models import SessionKind, SessionTally


def stored(columns):
    """{(unit, year, quarter): its counts} of the quarters that have sessions."""
    rows = SessionTally.objects.values_list(*columns)
    return {tuple(row[:3]): row[3:] for row in rows}


class Command(BaseCommand):
    help = (
        "Count every unit's sessions of every quarter again from the sessions themselves "
        "(the table the bloc's reports read, kept by database triggers as sessions are "
        "written). Safe to run any time: it says how many counts differed, which should be none."
    )

    def handle(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)
        columns = ["unit_id", "year", "quarter", *tally.counted_columns(SessionKind.values, meetings=True)]
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Sessions written meanwhile wait for the recount (reads go on).
                with connection.cursor() as cursor:
                    cursor.execute(f"LOCK TABLE {tally.SESSION} IN SHARE MODE")
            before = stored(columns)
            with connection.cursor() as cursor:
                for statement in tally.fill_sql(
                    connection.vendor, SessionKind.values, combined=True, meetings=True
                ):
                    cursor.execute(statement)
            after = stored(columns)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Counted again: %(quarters)s quarters of units; %(differed)s differed from the stored counts."
                )
                % {
                    "quarters": number_format(len(after), force_grouping=True),
                    "differed": number_format(
                        sum(before.get(key) != row for key, row in after.items())
                        + len(before.keys() - after.keys()),
                        force_grouping=True,
                    ),
                }
            )
        )
