"""
Audit history for rows written in bulk, as django-simple-history records them,
without building a model instance per history row.

simple_history's bulk_create_with_history makes one historical instance per row and
saves them with bulk_create, which costs as much again as writing the rows
themselves. Here the history rows go to the database as plain tuples (a COPY on
PostgreSQL, executemany on SQLite): the same table, the same columns, the same values.
"""

from django.db import connections, router, transaction
from django.utils import timezone

# Field types whose Python value is already what the database driver takes, so that
# get_db_prep_save would hand it back unchanged. Text fields here hold values that
# were normalised by pre_save when the row itself was written.
PASSTHROUGH = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def history_columns(model):
    """The historical model's columns, each with how to read it from a row and prepare it."""
    historical = model.history.model
    tracked = {field.attname for field in historical.tracked_fields}
    columns = []
    for field in historical._meta.concrete_fields:
        if field.primary_key:
            continue  # history_id: the database numbers it
        prepare = None
        internal = field.get_internal_type()
        if internal == "ForeignKey":
            internal = field.target_field.get_internal_type()
        if internal not in PASSTHROUGH:
            prepare = field.get_db_prep_save
        columns.append((field.column, field.attname, field.attname in tracked, prepare))
    return historical, columns


def write_history(objs, model, history_type, user=None, batch_size=2000):
    """
    Record saved objects in the audit history: "+" for created, "~" for changed, by
    `user`, now. Objects must have their primary keys.
    """
    if not objs:
        return
    using = router.db_for_write(model)
    connection = connections[using]
    historical, columns = history_columns(model)
    own = {
        "history_date": timezone.now(),
        "history_change_reason": None,
        "history_type": history_type,
        "history_user_id": user.pk if user is not None else None,
    }
    # The history's own columns are the same for every row: prepared once.
    for _column, attname, tracked, prepare in columns:
        if not tracked and prepare is not None:
            own[attname] = prepare(own[attname], connection)
    rows = [
        [
            (prepare(getattr(obj, attname), connection) if prepare else getattr(obj, attname))
            if tracked
            else own[attname]
            for _column, attname, tracked, prepare in columns
        ]
        for obj in objs
    ]
    quote = connection.ops.quote_name
    table = quote(historical._meta.db_table)
    names = ", ".join(quote(column) for column, *_ in columns)
    with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows in one statement: several times faster than
            # executemany, which sends one INSERT per row even when pipelined.
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
            for start in range(0, len(rows), batch_size):
                cursor.executemany(sql, rows[start : start + batch_size])


def bulk_create_with_history(objs, model, batch_size=None, user=None):
    """bulk_create, then the history of the new rows, in one transaction."""
    with transaction.atomic(using=router.db_for_write(model), savepoint=False):
        created = model._default_manager.bulk_create(objs, batch_size=batch_size)
        if created and created[0].pk is None:
            raise NotImplementedError("The database did not return the new rows' primary keys.")
        write_history(created, model, "+", user)
    return created


def bulk_update_with_history(objs, model, fields, batch_size=None, user=None):
    """bulk_update, then the history of the changed rows, in one transaction."""
    with transaction.atomic(using=router.db_for_write(model), savepoint=False):
        model._default_manager.bulk_update(objs, fields, batch_size=batch_size)
        write_history(objs, model, "~", user)
