from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from seeds.services import DemoInUse, demo_purge


class Command(BaseCommand):
    help = "Remove exactly the rows generate_demo made (those whose source is 'DEMO') and nothing else."

    def handle(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)
        try:
            counts = demo_purge()
        except DemoInUse as error:
            raise CommandError(
                _(
                    "Nothing was removed: real records (%(models)s) refer to demo data. Move or delete them first."
                )
                % {"models": ", ".join(error.models)}
            ) from error
        if not counts:
            self.stdout.write(_("No demo data to remove."))
            return
        for model, count in counts.items():
            self.stdout.write(
                f"  {model._meta.verbose_name_plural}: {number_format(count, force_grouping=True)}"
            )
        self.stdout.write(_("Demo data removed."))
