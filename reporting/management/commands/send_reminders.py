from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from reporting.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Send the reporting cycle's reminders due today (before a deadline, the day after it, a returned "
        "report) and the bloc staff's weekly summary, each once. Run it every day from cron or a systemd timer."
    )

    def handle(self, *args, **options):
        written, sent = send_reminders()
        with translation.override(settings.LANGUAGE_CODE):
            self.stdout.write(
                _("%(written)s notices written, %(sent)s emails sent.") % {"written": written, "sent": sent}
            )
