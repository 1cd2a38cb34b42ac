from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from tracker.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a consistent snapshot of the whole database while the app runs: SQLite's online "
        "backup (a .sqlite3 file) or pg_dump's custom format for PostgreSQL (a .dump file). "
        "By default into BACKUP_DIR (var/backups), named by date and time. The README says how to restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="The file to write (it must not exist yet).")

    def handle(self, *args, output, **options):
        translation.activate(settings.LANGUAGE_CODE)
        try:
            path = backup(output, folder=settings.BACKUP_DIR)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = path.stat().st_size
        self.stdout.write(
            self.style.SUCCESS(
                _("Backup written: %(path)s (%(size)s bytes)") % {"path": path, "size": f"{size:,}"}
            )
        )
