"""
Where a checked upload waits between the preview and the confirm, and how a confirm takes it.

The upload waits in the "imports" cache (settings.CACHES), a table in the database:
every app server sees it, whichever one the confirm lands on, and it expires by itself
IMPORT_UPLOAD_TTL seconds after the preview. The cache rather than a model of our own
because expiry, a bound on the table and the deletion of expired rows come with it,
without a migration or a cleaning job; and it could be Redis by changing the settings.

The key is made here: a random token under the id of the user who sent the file. The
confirm form carries only the token, and a confirm looks it up under its own user's id,
so another user's token, a guessed one or garbage finds nothing and reads nothing.

A confirm claims the upload by deleting it: the database says whether a delete removed
a row, so of two confirms of one upload (a double click, two tabs, a reload) exactly one
gets it. The other is told what became of it from two small markers with the same
lifetime: one while the import is being written, one once it is written.

Beside the upload, under the same token and lifetime, waits the full check of its rows
(check.py), which the preview offers as a download; it outlives the upload's confirm.
"""

import enum
import re
import secrets
import zlib

from django.conf import settings
from django.core.cache import caches
from import_export.tmp_storages import BaseStorage

TOKEN = re.compile(r"[0-9a-f]{32}")
BEING_IMPORTED = ":being-imported"
IMPORTED = ":imported"
CHECK = ":check"


class UploadState(enum.Enum):
    WAITING = "waiting"
    BEING_IMPORTED = "being_imported"
    IMPORTED = "imported"
    UNKNOWN = "unknown"


class PendingUpload(BaseStorage):
    """One user's checked upload, waiting for its confirm; one confirm, and only one, can claim it."""

    def __init__(self, *, user, **kwargs):
        super().__init__(**kwargs)
        self.user_id = user.pk
        self.claimed = None  # what a claim took: the stored table
        self.checked = None  # the table this request stored, read back without the cache

    @property
    def cache(self):
        return caches["imports"]

    def has_valid_name(self):
        return (
            self.user_id is not None and isinstance(self.name, str) and TOKEN.fullmatch(self.name) is not None
        )

    def key(self, suffix=""):
        if not self.has_valid_name():
            raise ValueError("not a token this storage made")
        return f"import:{self.user_id}:{self.name}{suffix}"

    def save(self, data):
        self.name = secrets.token_hex(16)
        self.cache.set(self.key(), pack(data), settings.IMPORT_UPLOAD_TTL)

    def read(self):
        if self.claimed is not None:
            return self.claimed
        if self.checked is not None:
            return self.checked
        return unpack(self.cache.get(self.key()))

    def keep(self, table):
        """Store the upload's table, and read it back in this request as it is, not decoded again."""
        self.save(table.dumps())
        self.checked = table

    def save_check(self, data):
        self.cache.set(self.key(CHECK), data, settings.IMPORT_UPLOAD_TTL)

    def read_check(self):
        """The stored check of this user's upload, or None."""
        if not self.has_valid_name():
            return None
        return self.cache.get(self.key(CHECK))

    def remove(self):
        if self.claimed is not None:
            self.cache.delete(self.key(BEING_IMPORTED))
            self.claimed = None
        elif self.has_valid_name():
            self.cache.delete(self.key())

    def claim(self):
        """Take the upload for this request; False when another took it or it is not there."""
        if not self.has_valid_name():
            return False
        data = unpack(self.cache.get(self.key()))
        if data is None:
            return False
        # The marker first, so that a confirm arriving after the delete hears "being imported".
        self.cache.set(self.key(BEING_IMPORTED), True, settings.IMPORT_UPLOAD_TTL)
        if not self.cache.delete(self.key()):
            return False
        self.claimed = data
        return True

    def release(self):
        """Give a claimed upload back, unread by anyone else, for a later confirm."""
        self.cache.set(self.key(), pack(self.claimed), settings.IMPORT_UPLOAD_TTL)
        self.cache.delete(self.key(BEING_IMPORTED))
        self.claimed = None

    def mark_imported(self):
        """Leave the marker that tells a later confirm this upload was imported."""
        self.cache.set(self.key(IMPORTED), True, settings.IMPORT_UPLOAD_TTL)
        self.remove()

    def state(self):
        if not self.has_valid_name():
            return UploadState.UNKNOWN
        found = self.cache.get_many([self.key(IMPORTED), self.key(BEING_IMPORTED), self.key()])
        if self.key(IMPORTED) in found:
            return UploadState.IMPORTED
        if self.key(BEING_IMPORTED) in found:
            return UploadState.BEING_IMPORTED
        if self.key() in found:
            return UploadState.WAITING
        return UploadState.UNKNOWN


# The table is stored compressed: 50,000 rows of JSON are tens of megabytes as the
# database cache writes them (pickled, then base64), and a tenth of that compressed.


def pack(text):
    return zlib.compress(text.encode(), 1)


def unpack(data):
    if data is None or isinstance(data, str):
        return data  # nothing, or an upload stored uncompressed before a deployment
    return zlib.decompress(data).decode()
