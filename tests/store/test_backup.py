"""`digest backup`: a copy taken while another connection writes opens, passes its check and
holds the same rows; an existing file is kept unless --force."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from digest.models import Feed
from digest.store import feeds as feed_store
from digest.store import open_db
from digest.store.backup import BackupError, backup
from tests.support.cli import runner


def counts(db: sqlite3.Connection) -> dict[str, int]:
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_backup_while_another_connection_writes(tmp_path: Path) -> None:
    db = open_db(tmp_path / "digest.db")
    for i in range(200):
        feed_store.add(db, Feed(name=f"Outlet {i}", url=f"https://o{i}.example/feed"))
    writer = open_db(tmp_path / "digest.db")
    writer.execute("BEGIN IMMEDIATE")  # a write under way, not committed: not in the copy
    writer.execute("DELETE FROM feeds")

    size = backup(db, tmp_path / "copy.db")

    writer.execute("ROLLBACK")
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert size == (tmp_path / "copy.db").stat().st_size
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert counts(copy) == counts(db) and counts(copy)["feeds"] == 200
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []
    copy.close()
    writer.close()
    db.close()


def test_an_existing_file_is_replaced_only_with_force(tmp_path: Path) -> None:
    db = open_db(tmp_path / "digest.db")
    dest = tmp_path / "copy.db"
    dest.write_bytes(b"an older backup")
    with pytest.raises(BackupError, match="exists"):
        backup(db, dest)
    assert dest.read_bytes() == b"an older backup"
    backup(db, dest, force=True)
    assert sqlite3.connect(dest).execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
    db.close()


def test_the_command_prints_size_and_time_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    digest = runner(capsys, monkeypatch)
    (tmp_path / "feeds.yaml").write_text("feeds:\n  - {name: A, url: a.xml}\n", "utf-8")
    dest = tmp_path / "backups" / "digest.db"
    first = digest(tmp_path, "backup", str(dest))
    assert first.returncode == 0, first.stderr
    assert f"written to {dest}: " in first.stdout and " MB in " in first.stdout
    again = digest(tmp_path, "backup", str(dest))
    assert again.returncode == 1 and "--force" in again.stderr
    assert digest(tmp_path, "backup", str(dest), "--force").returncode == 0
