"""
Where an upload waits between the preview and the confirm, and how a confirm takes it.

The preview stores the file under a random name. The confirm renames it to a claimed
name before reading it: a rename is atomic, so of two confirms of one upload (a double
click, two tabs, a reload) exactly one gets the file. The other is told what became of
it, read from what is left on disk: a small marker once the import is written, the
claimed file while it is being written, nothing at all for an upload that has expired
or never existed. Only names this module made are ever opened.
"""

import contextlib
import enum
import os
import re
import secrets
import tempfile

from import_export.tmp_storages import TempFolderStorage

NAME = re.compile(r"[0-9a-f]{32}")


class UploadState(enum.Enum):
    WAITING = "waiting"
    BEING_IMPORTED = "being_imported"
    IMPORTED = "imported"
    UNKNOWN = "unknown"


class ClaimableTempStorage(TempFolderStorage):
    """A stored upload that one confirm, and only one, can claim."""

    # None: a folder of its own in the system's temporary folder.
    directory = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.claimed = False

    @classmethod
    def folder(cls):
        return cls.directory or os.path.join(tempfile.gettempdir(), "tracker-imports")

    def has_valid_name(self):
        return isinstance(self.name, str) and NAME.fullmatch(self.name) is not None

    def path(self, suffix=""):
        if not self.has_valid_name():
            raise ValueError("not a name this storage made")
        return os.path.join(self.folder(), self.name + suffix)

    def get_full_path(self):
        return self.path(".claimed" if self.claimed else "")

    def save(self, data):
        if isinstance(data, str):
            data = data.encode(self.encoding or "utf-8")
        os.makedirs(self.folder(), mode=0o700, exist_ok=True)
        self.name = secrets.token_hex(16)
        # Written aside, then renamed: a confirm never claims half a file.
        with open(self.path(".part"), "wb") as file:
            file.write(data)
        os.rename(self.path(".part"), self.path())

    def read(self):
        with open(self.get_full_path(), self.read_mode, encoding=self.encoding) as file:
            return file.read()

    def remove(self):
        with contextlib.suppress(FileNotFoundError):
            os.remove(self.get_full_path())

    def claim(self):
        """Take the upload for this request; False when another took it or it is not there."""
        if not self.has_valid_name():
            return False
        try:
            os.rename(self.path(), self.path(".claimed"))
        except FileNotFoundError:
            return False
        self.claimed = True
        return True

    def release(self):
        """Give a claimed upload back, unread by anyone else, for a later confirm."""
        os.rename(self.path(".claimed"), self.path())
        self.claimed = False

    def mark_imported(self):
        """Leave the marker that tells a later confirm this upload was imported."""
        with open(self.path(".imported"), "wb"):
            pass
        self.remove()

    def state(self):
        if not self.has_valid_name():
            return UploadState.UNKNOWN
        if os.path.exists(self.path(".imported")):
            return UploadState.IMPORTED
        if os.path.exists(self.path(".claimed")):
            return UploadState.BEING_IMPORTED
        if os.path.exists(self.path()):
            return UploadState.WAITING
        return UploadState.UNKNOWN
