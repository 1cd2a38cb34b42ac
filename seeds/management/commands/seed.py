from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from seeds.services import seed_article


class Command(BaseCommand):
    help = (
        "Load the facts of the seed article (seeds/article.py): units, officials, directives, "
        "the quarter I/2024 theme and session, declared and service figures, outreach and good "
        "models. Safe to run again: rows that exist are left exactly as they are. Lists each "
        "row created; with -v 2, each row left alone too."
    )

    def handle(self, *args, verbosity, **options):
        translation.activate(settings.LANGUAGE_CODE)
        report = seed_article()
        if verbosity >= 1:
            for obj in report.created:
                self.stdout.write(
                    _("  created: %(model)s — %(row)s") % {"model": obj._meta.verbose_name, "row": obj}
                )
            if verbosity >= 2:
                for obj in report.kept:
                    self.stdout.write(
                        _("  left alone: %(model)s — %(row)s") % {"model": obj._meta.verbose_name, "row": obj}
                    )
            elif report.kept:
                counts = Counter(str(obj._meta.verbose_name) for obj in report.kept)
                summary = ", ".join(f"{count} {name}" for name, count in counts.items())
                self.stdout.write(_("  left alone: %(summary)s") % {"summary": summary})
        self.stdout.write(
            _("Seed article: %(created)d rows created, %(kept)d already there and left alone.")
            % {"created": len(report.created), "kept": len(report.kept)}
        )
