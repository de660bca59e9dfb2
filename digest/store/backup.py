"""A consistent copy of a live SQLite database, through SQLite's online backup API.

Safe while the daemon and the web app write: in WAL mode the copy reads one snapshot while
writers go on. The copy is written beside the destination and renamed into place once checked,
so a destination never holds half a backup.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from digest.store import Database


class BackupError(Exception):
    """The backup could not be made; the message says why."""


def backup(db: Database, dest: Path, *, force: bool = False) -> int:
    """Copy the database of `db` to dest (refused when dest exists, unless force); its size."""
    if not isinstance(db, sqlite3.Connection):
        raise BackupError("this database is not SQLite: back it up with its own tools (pg_dump)")
    if dest.exists() and not force:
        raise BackupError(f"{dest} exists; choose another path, or --force to replace it")
    if dest.is_dir():
        raise BackupError(f"{dest} is a folder; give the path of the backup file")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        copy = sqlite3.connect(partial)
        try:
            db.backup(copy)  # every page in one step: one snapshot, writers not blocked
            check = copy.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            copy.close()
        if check != "ok":
            raise BackupError(f"the copy failed its integrity check: {check}")
        os.replace(partial, dest)
    except (sqlite3.Error, OSError) as e:
        raise BackupError(f"cannot write {dest}: {e}") from e
    finally:
        partial.unlink(missing_ok=True)
    return dest.stat().st_size
