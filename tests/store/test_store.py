"""The store's schema: migrations applied once, whoever opens the database first."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

from digest.store import migration_files, open_db


def _open(path: str) -> list[int]:
    db = open_db(path)
    versions = [r[0] for r in db.execute("SELECT version FROM schema_migrations ORDER BY version")]
    db.close()
    return versions


def test_every_migration_is_applied_once_and_reopening_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    expected = [v for v, _, _ in migration_files()]
    assert _open(str(path)) == expected
    assert _open(str(path)) == expected
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == expected[-1]
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_processes_opening_a_fresh_database_together_do_not_collide(tmp_path: Path) -> None:
    path = str(tmp_path / "fresh.db")
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(_open, [path] * 4)
    expected = [v for v, _, _ in migration_files()]
    assert results == [expected] * 4
