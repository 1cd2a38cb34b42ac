import datetime
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from seeds.demo import DemoSize
from seeds.services import DemoExists, demo_generate, demo_purge


class Command(BaseCommand):
    help = (
        "Build a synthetic bloc under the seeded bloc committee: grassroots committees with "
        "cells, members, officials, sessions at the campaign's cadence with gaps and late "
        "entries, good models, outreach, exemplars, service and declared figures. Every row "
        "points at the source 'DEMO'; purge_demo removes them. Deterministic for a given "
        "--seed and --until."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--committees", type=int, default=100, help="Grassroots committees (default 100)."
        )
        parser.add_argument(
            "--cells-per-committee", type=int, default=10, help="Cells in each committee (default 10)."
        )
        parser.add_argument(
            "--years", type=int, default=5, help="Years of records up to --until (default 5)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--until",
            type=datetime.date.fromisoformat,
            default=None,
            help="Last day with records, YYYY-MM-DD (default: today).",
        )
        parser.add_argument("--replace", action="store_true", help="Remove existing demo data first.")

    def handle(self, *args, committees, cells_per_committee, years, seed, until, replace, **options):
        translation.activate(settings.LANGUAGE_CODE)
        if min(committees, years) < 1 or cells_per_committee < 0:
            raise CommandError(
                _("--committees and --years must be at least 1, --cells-per-committee at least 0.")
            )
        if replace:
            demo_purge()
        size = DemoSize(committees, cells_per_committee, years, seed, until)
        started = time.perf_counter()
        try:
            counts = demo_generate(size=size)
        except DemoExists as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        for model, count in counts.items():
            self.stdout.write(
                f"  {model._meta.verbose_name_plural}: {number_format(count, force_grouping=True)}"
            )
        self.stdout.write(_("Demo data generated in %(seconds).1f s.") % {"seconds": elapsed})
