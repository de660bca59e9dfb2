"""Moving an installation from its SQLite file to a PostgreSQL database (`digest db copy`).

Both are migrated first, so they hold the same schema; every table is then copied with its ids
(parents before children, one COPY per table, so a row may name a later row of its own table),
the identity sequences are moved past the largest id, and all of it commits at once or not at
all. A target that already holds rows is refused: the copy never merges two installations.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from digest.store import StoreError, open_db, transaction
from digest.store.postgres import PgConnection


def tables(source: sqlite3.Connection) -> list[str]:
    """The source's tables, each after the tables its foreign keys name."""
    names = [
        r[0]
        for r in source.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name != 'schema_migrations' ORDER BY name"
        )
    ]
    parents = {
        n: {r["table"] for r in source.execute(f"PRAGMA foreign_key_list({n})")} - {n}
        for n in names
    }
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [n for n in names if n not in ordered and parents[n] <= set(ordered)]
        if not ready:
            raise StoreError(f"foreign keys loop between {sorted(set(names) - set(ordered))}")
        ordered.extend(ready)
    return ordered


def _versions(db: sqlite3.Connection | PgConnection) -> list[int]:
    return [r[0] for r in db.execute("SELECT version FROM schema_migrations ORDER BY version")]


def _rows(db: PgConnection, table: str) -> int:
    return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def copy(source: sqlite3.Connection, target: PgConnection) -> dict[str, int]:
    """Copy every row of source into the empty target; return the rows copied per table."""
    if _versions(source) != _versions(target):
        raise StoreError(
            "the two databases are not at the same migration"
            f" (SQLite {_versions(source)[-1:]}, PostgreSQL {_versions(target)[-1:]})"
        )
    order = tables(source)
    busy = [t for t in order if _rows(target, t)]
    if busy:
        raise StoreError(f"the target database is not empty ({', '.join(busy)} hold rows)")
    import psycopg

    try:
        return _copy_tables(source, target, order)
    except psycopg.Error as e:
        raise StoreError(f"copy failed: {e}") from e


def _copy_tables(
    source: sqlite3.Connection, target: PgConnection, order: list[str]
) -> dict[str, int]:
    numbered = {
        r[0]
        for r in target.execute(
            "SELECT table_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'"
        )
    }
    copied: dict[str, int] = {}
    with transaction(target):
        for table in order:
            columns = [r["name"] for r in source.execute(f"PRAGMA table_info({table})")]
            names = ", ".join(columns)
            count = 0
            cur = target.raw.cursor()
            with cur.copy(f"COPY {table} ({names}) FROM STDIN") as pipe:
                for row in source.execute(f"SELECT {names} FROM {table}"):
                    pipe.write_row(tuple(row))
                    count += 1
            copied[table] = count
            if table in numbered:  # the next id comes after the largest copied
                target.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                )
    return copied


def copy_installation(sqlite_file: Path, url: str) -> dict[str, int]:
    """Open (migrating) both databases, copy the file into the server, close both."""
    source = open_db(sqlite_file)
    try:
        target = open_db(url)
        try:
            assert isinstance(source, sqlite3.Connection) and isinstance(target, PgConnection)
            return copy(source, target)
        finally:
            target.close()
    finally:
        source.close()
