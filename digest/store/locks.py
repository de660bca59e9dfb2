"""Advisory locks of PostgreSQL, held by a connection: what replaces the lock files beside a
SQLite database when several machines share one server. A lock goes with its connection, so a
killed process never leaves one behind."""

from __future__ import annotations

from digest.store.postgres import PgConnection

DAEMON = 0x64616E  # "dan": the daemon's single-instance lock


def try_hold(db: PgConnection, key: int) -> bool:
    """Take the lock for this connection's lifetime; False when another session holds it."""
    return bool(db.execute("SELECT pg_try_advisory_lock(?)", (key,)).fetchone()[0])


def holder(db: PgConnection, key: int) -> int | None:
    """The pid of the digest process holding the lock (from its application_name, which
    digest.store.postgres.connect sets to `digest <program> <pid>`); -1 when it cannot be told,
    None when nobody holds it."""
    row = db.execute(
        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
        " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = ?"
        " AND l.objsubid = 1",
        (key,),
    ).fetchone()
    if row is None:
        return None
    last = (row[0] or "").rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else -1
