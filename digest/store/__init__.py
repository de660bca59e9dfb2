"""The store: SQLite in WAL mode (the embedded default) or PostgreSQL (a postgresql:// URL), its
schema versioned by numbered migration files, one folder per engine.

This package is the only place that writes SQL; each submodule holds the queries of one area
and takes the connection as its first argument. The SQL is written once for both engines
(digest.store.postgres adapts the placeholders and the rows).
"""

from __future__ import annotations

import logging
import re
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TypeAlias, overload

from digest.store import postgres
from digest.store.postgres import PgConnection, connect, is_url

Database: TypeAlias = sqlite3.Connection | PgConnection
Record: TypeAlias = sqlite3.Row | postgres.Row  # a result row: row[0], row["name"]
Location: TypeAlias = str | Path  # a SQLite file (or ':memory:') or a postgresql:// URL
log = logging.getLogger(__name__)
_MIGRATION = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class StoreError(Exception):
    """The database cannot be used; the message says what to do."""


def now() -> datetime:
    return datetime.now(UTC)


@overload
def to_text(moment: datetime) -> str: ...
@overload
def to_text(moment: None) -> None: ...
@overload
def to_text(moment: datetime | None) -> str | None: ...
def to_text(moment: datetime | None) -> str | None:
    """A timezone-aware datetime as ISO text in UTC (the only form stored)."""
    return None if moment is None else moment.astimezone(UTC).isoformat()


@overload
def from_text(text: str) -> datetime: ...
@overload
def from_text(text: None) -> None: ...
@overload
def from_text(text: str | None) -> datetime | None: ...
def from_text(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def engine_errors() -> tuple[type[Exception], ...]:
    """The error classes of both drivers (psycopg's once it is loaded: only a URL loads it)."""
    psycopg = sys.modules.get("psycopg")
    return (sqlite3.Error,) if psycopg is None else (sqlite3.Error, psycopg.Error)


def is_postgres(db: Database) -> bool:
    return isinstance(db, PgConnection)


def json_field(db: Database, column: str, key: str) -> str:
    """SQL reading one text field of a JSON column."""
    if is_postgres(db):
        return f"({column}::jsonb ->> '{key}')"
    return f"json_extract({column}, '$.{key}')"


def migration_files(engine: str = "sqlite") -> list[tuple[int, str, str]]:
    """(version, name, sql) for every migration file of an engine (sqlite | postgres), in order."""
    found = []
    for entry in resources.files("digest.store.migrations").joinpath(engine).iterdir():
        m = _MIGRATION.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def migrate(db: Database) -> list[str]:
    """Apply the migrations this database has not seen yet; return their names."""
    if isinstance(db, PgConnection):
        return _migrate_postgres(db)
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    known = {row[0] for row in db.execute("SELECT version FROM schema_migrations")}
    applied = []
    for version, name, sql in migration_files():
        if version in known:
            continue
        try:
            # IMMEDIATE: a second process opening a fresh database waits, then sees it done.
            db.execute("BEGIN IMMEDIATE")
            done = db.execute(
                "SELECT 1 FROM schema_migrations WHERE version = ?", (version,)
            ).fetchone()
            if done:
                db.execute("COMMIT")
                continue
            for statement in _statements(sql):
                db.execute(statement)
            db.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, to_text(now())),
            )
            db.execute(f"PRAGMA user_version = {version}")
            db.execute("COMMIT")
        except sqlite3.Error as e:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise StoreError(f"migration {name} failed: {e}") from e
        log.info("migrated name=%s", name)
        applied.append(name)
    return applied


_MIGRATION_LOCK = 0x6469676573  # "diges": the advisory lock taken while migrating


def _migrate_postgres(db: PgConnection) -> list[str]:
    """As migrate(), each file in one transaction; an advisory lock makes a second process wait."""
    import psycopg

    known: set[int] = set()
    if db.execute("SELECT to_regclass('schema_migrations')").fetchone()[0]:
        known = {row[0] for row in db.execute("SELECT version FROM schema_migrations")}
    applied = []
    for version, name, sql in migration_files("postgres"):
        if version in known:
            continue
        try:
            with transaction(db):
                db.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))
                db.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
                    " name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
                done = db.execute(
                    "SELECT 1 FROM schema_migrations WHERE version = ?", (version,)
                ).fetchone()
                if done:
                    continue
                db.script(sql)
                db.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, to_text(now())),
                )
        except psycopg.Error as e:
            raise StoreError(f"migration {name} failed: {e}") from e
        log.info("migrated name=%s", name)
        applied.append(name)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a migration script into statements (sqlite3.complete_statement knows the syntax)."""
    out, buf = [], ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip() and not buf.strip().startswith("--"):
        out.append(buf.strip())
    return out


def open_db(path: Location) -> Database:
    """Open (creating if needed) and migrate the database; ':memory:' works for tests, a
    postgresql:// URL opens that server's database (which must exist)."""
    if is_url(path):
        return _open_postgres(str(path))
    path = str(path)
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        db = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)
        db.row_factory = sqlite3.Row
        _wal(db)
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA busy_timeout = 30000")
        migrate(db)
    except sqlite3.DatabaseError as e:
        raise StoreError(f"{path}: cannot open the database ({e})") from e
    return db


def _wal(db: sqlite3.Connection, patience: float = 30.0) -> None:
    """Switch to WAL. Several processes opening a fresh file at once: the switch needs the file
    alone and SQLite may refuse it at once ("database is locked") instead of waiting on the busy
    timeout, so it is tried again for a while."""
    deadline = time.monotonic() + patience
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _open_postgres(url: str) -> PgConnection:
    import psycopg

    try:
        db = connect(url)
    except psycopg.Error as e:
        raise StoreError(f"{redacted(url)}: cannot connect ({e})") from e
    try:
        migrate(db)
    except BaseException:
        db.close()
        raise
    return db


def redacted(location: Location) -> str:
    """A database location fit for messages and logs: a URL's password hidden."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", str(location))


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """BEGIN (IMMEDIATE on SQLite: the write lock up front) … COMMIT, rolled back on any
    exception."""
    db.execute("BEGIN" if isinstance(db, PgConnection) else "BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
