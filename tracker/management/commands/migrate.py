from pathlib import Path
from urllib.parse import unquote

from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections


class Command(MigrateCommand):
    """
    Django's migrate, which first creates a missing SQLite database file: everything
    else opens the file only if it exists (settings.DATABASES), so that a missing file
    is an error rather than a new empty database.
    """

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if connection.vendor == "sqlite" and not connection.is_in_memory_db():
            Path(sqlite_path(connection.settings_dict["NAME"])).touch(exist_ok=True)
        return super().handle(*args, **options)


def sqlite_path(name):
    """The file a SQLite name points at: a path, or a URI such as file:/srv/t.sqlite3?mode=rw."""
    if name.startswith("file:"):
        return unquote(name.removeprefix("file:").partition("?")[0])
    return name
