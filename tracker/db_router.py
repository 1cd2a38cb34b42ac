"""
Report reads on a read replica, everything else on the primary.

With REPLICA_DATABASE_URL set, settings add the "replica" database, this router and
ReplicaMiddleware (tracker/middleware.py). The middleware opens `replica_reads()` for a
GET or HEAD of a view marked `@reads_replica` (the reports and their downloads) when
the user has not written anything in the last REPLICA_STICKY_SECONDS. Inside it, and
only there, the report apps' tables are read from the replica. Everything else reads
the primary: forms, imports, the admin, sessions, users, the login lockout, the
uploads' cache, and any read inside a transaction. Every write goes to the primary.
"""

import contextvars
import logging
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

REPLICA = "replica"

# The apps whose tables the reports read. Sessions, users and permissions (auth), the
# lockout (axes), the admin's log and the uploads' cache are other apps: always primary.
REPORT_APPS = frozenset({"activities", "members", "reporting", "units"})

logger = logging.getLogger(__name__)

# Per request (a thread under gunicorn's sync workers): None outside replica_reads(),
# else whether the replica is usable for this request (None until first asked).
_replica = contextvars.ContextVar("replica", default=None)


class _Reads:
    usable = None


def start_replica_reads():
    """From now on the report apps' reads go to the replica; give the token to end_replica_reads."""
    return _replica.set(_Reads())


def end_replica_reads(token):
    _replica.reset(token)


@contextmanager
def replica_reads():
    """The report apps' reads within go to the replica (outside any transaction)."""
    token = start_replica_reads()
    try:
        yield
    finally:
        end_replica_reads(token)


def reads_replica(view):
    """
    Mark a view whose GET only shows reports: ReplicaMiddleware may let it read the
    replica. Above or below @login_required alike (functools.wraps copies the mark).
    """
    view.reads_replica = True
    return view


def streaming_from_replica(chunks):
    """A streamed download's chunks, each produced within replica_reads() like its view."""
    chunks = iter(chunks)
    done = object()
    while True:
        with replica_reads():
            chunk = next(chunks, done)
        if chunk is done:
            return
        yield chunk


def replica_usable(reads):
    """
    Whether the replica answers, asked once per request: a replica that is down or
    unreachable sends the request's reads to the primary instead of a server error.
    """
    if reads.usable is None:
        try:
            connections[REPLICA].ensure_connection()
            reads.usable = True
        except DatabaseError:
            logger.warning("The read replica does not answer; this request reads the primary.", exc_info=True)
            reads.usable = False
    return reads.usable


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        reads = _replica.get()
        if (
            reads is not None
            and model._meta.app_label in REPORT_APPS
            # Within a transaction a read must see what the transaction wrote, and what
            # it locks is on the primary.
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
            and replica_usable(reads)
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both databases hold the same rows.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's schema by replication.
        return db == DEFAULT_DB_ALIAS
