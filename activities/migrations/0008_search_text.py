from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

import tracker.text

# The folded search columns, indexed for LIKE '%word%' on PostgreSQL (pg_trgm's GIN
# trigram index); SQLite has no such index and reads the one column.
TRIGRAM_INDEXES = [
    ("session_search_trgm_idx", "activities_studysession"),
    ("unit_search_trgm_idx", "units_unit"),
]


def fold_session_search_text(apps, schema_editor):
    """
    Each session's search text, folded as StudySession.search_parts() lists it. One
    UPDATE a row, sent in batches (a pipeline on PostgreSQL): a bulk_update's CASE
    over a million rows took a quarter of an hour.
    """
    StudySession = apps.get_model("activities", "StudySession")
    rows = StudySession.objects.order_by("pk").values_list(
        "pk", "topic", "unit__code", "unit__name", "unit__parent_name"
    )
    table = schema_editor.quote_name(StudySession._meta.db_table)
    sql = f"UPDATE {table} SET search_text = %s WHERE id = %s"
    batch = []
    with schema_editor.connection.cursor() as cursor:
        for pk, *parts in rows.iterator(chunk_size=5000):
            batch.append((tracker.text.search_text(*parts), pk))
            if len(batch) == 5000:
                cursor.executemany(sql, batch)
                batch = []
        cursor.executemany(sql, batch)


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in TRIGRAM_INDEXES:
        schema_editor.execute(f"CREATE INDEX {name} ON {table} USING gin (search_text gin_trgm_ops)")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0007_constraint_messages"),
        ("units", "0007_search_text"),
    ]

    operations = [
        # A no-op on SQLite, as are the indexes below.
        TrigramExtension(),
        migrations.AddField(
            model_name="studysession",
            name="search_text",
            field=tracker.text.SearchTextField(verbose_name="search text"),
        ),
        migrations.RunPython(fold_session_search_text, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
        migrations.AddIndex(
            model_name="studysession",
            index=models.Index(fields=["year", "quarter", "date", "unit", "id"], name="session_listing_idx"),
        ),
    ]
