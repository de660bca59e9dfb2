"""What only PostgreSQL has: its migrations beside SQLite's, `digest db copy`, the daemon's
advisory lock. The store's queries themselves run on both engines through the `db` fixture."""

from __future__ import annotations

import multiprocessing
import os
from importlib import resources
from pathlib import Path

import pytest

from digest.cli import main
from digest.config import database_path, load_config
from digest.daemon.run import AlreadyRunning, lock_holder, single_instance
from digest.store import deliveries, migration_files, open_db, redacted
from digest.store import subscribers as subscriber_store
from digest.store.transfer import tables
from tests.support import postgres
from tests.support.sendkit import add_subscribers, saved_edition


def test_each_engine_has_every_migration_and_none_is_left_outside_its_folder() -> None:
    root = resources.files("digest.store.migrations")
    assert not [e.name for e in root.iterdir() if e.name.endswith(".sql")]
    sqlite = [(v, n) for v, n, _ in migration_files("sqlite")]
    assert sqlite and sqlite == [(v, n) for v, n, _ in migration_files("postgres")]


def _versions(url: str) -> list[int]:
    db = open_db(url)
    versions = [r[0] for r in db.execute("SELECT version FROM schema_migrations ORDER BY version")]
    db.close()
    return versions


def test_processes_migrating_a_fresh_server_database_together_do_not_collide(
    postgres_server: str,
) -> None:
    url = postgres.fresh(postgres_server, migrated=False)
    try:
        with multiprocessing.get_context("spawn").Pool(3) as pool:
            results = pool.map(_versions, [url] * 3)
        expected = [v for v, _, _ in migration_files("postgres")]
        assert results == [expected] * 3
    finally:
        postgres.drop(url)


def test_a_password_never_reaches_a_message() -> None:
    assert redacted("postgresql://digest:s3cret@db.example/news") == (
        "postgresql://digest:***@db.example/news"
    )


def _digest(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str]:
    monkeypatch.setattr("sys.argv", ["digest", *args])
    with pytest.raises(SystemExit) as stopped:
        main()
    captured = capsys.readouterr()
    return int(stopped.value.code or 0), captured.out + captured.err


def test_db_copy_moves_every_row_with_its_id_and_refuses_a_target_in_use(
    postgres_server: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = open_db(tmp_path / "digest.db")
    edition = saved_edition(source)
    add_subscribers(source, 5)
    subscriber_store.forget(source, 2)  # a gap in the ids, which the copy must keep
    deliveries.ensure(source, edition.id)
    source.execute("INSERT INTO feeds (name, url) VALUES ('Le Fil', 'https://fil.example/rss')")
    source.execute(
        "INSERT INTO items (feed_id, guid, url, canonical_url, title, text, published,"
        " first_seen, content_hash, duplicate_of) VALUES (1, 'b', 'u', 'u', 't', 'x', '2024',"
        " '2024', 'h', NULL), (1, 'a', 'u', 'u', 't', 'x', '2024', '2024', 'h', 1)"
    )
    counts = {t: source.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables(source)}
    source.close()
    url = postgres.fresh(postgres_server, migrated=False)
    try:
        code, output = _digest(capsys, monkeypatch, "db", "copy", str(tmp_path / "digest.db"), url)
        assert code == 0, output
        assert f"Copied {sum(counts.values())} rows of {len(counts)} tables" in output
        target = open_db(url)
        for table, count in counts.items():
            assert target.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == count, table
        ids = [r[0] for r in target.execute("SELECT id FROM subscribers ORDER BY id")]
        assert ids == [1, 3, 4, 5]
        assert subscriber_store.insert(target, "nouveau@exemple.fr").id == 6  # sequence moved on
        assert deliveries.counts(target, edition.id)["pending"] == 4
        target.close()
        code, output = _digest(capsys, monkeypatch, "db", "copy", str(tmp_path / "digest.db"), url)
        assert code == 1 and "not empty" in output and "nothing was copied" in output
    finally:
        postgres.drop(url)


def test_one_daemon_per_database_a_lock_file_or_an_advisory_lock(db_location: str) -> None:
    assert lock_holder(db_location) is None
    with single_instance(db_location):
        assert lock_holder(db_location) == os.getpid()
        with (
            pytest.raises(AlreadyRunning, match=f"pid {os.getpid()}"),
            single_instance(db_location),
        ):
            pass
    assert lock_holder(db_location) is None


def test_a_postgresql_url_is_taken_as_it_is_from_the_config_the_option_or_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "postgresql://digest@db.example/news"
    path = tmp_path / "feeds.yaml"
    path.write_text(f"feeds: []\ndatabase: {url}\n", encoding="utf-8")
    monkeypatch.delenv("DIGEST_DB", raising=False)
    assert database_path(load_config(path)) == url
    path.write_text("feeds: []\ndatabase: data/digest.db\n", encoding="utf-8")
    assert database_path(load_config(path)) == tmp_path / "data" / "digest.db"
    assert database_path(load_config(path), url) == url
    monkeypatch.setenv("DIGEST_DB", url)
    assert database_path(load_config(path)) == url
