from django.db import migrations

from activities import tally

# The session kinds of the triggers (activities/tally.py), as in 0009: frozen here.
KINDS = ["thematic", "monthly", "first_monday", "training"]


def recreate(apps, schema_editor):
    """The triggers again, each quarter recounted by the tally's index (the counts are unchanged)."""
    vendor = schema_editor.connection.vendor
    for statement in tally.drop_sql(vendor) + tally.create_sql(vendor, KINDS, combined=True):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("activities", "0011_meeting_tasks_and_scores")]

    operations = [migrations.RunPython(recreate, migrations.RunPython.noop, elidable=False)]
