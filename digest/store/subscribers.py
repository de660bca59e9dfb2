"""Queries of the subscribers table: one row per address, compared case-insensitively."""

from __future__ import annotations

from collections.abc import Iterable

from digest.models import Subscriber, SubscriberState
from digest.store import Database, Record, from_text, now, to_text, transaction

STATES: tuple[SubscriberState, ...] = ("pending", "active", "unsubscribed", "bounced", "complained")
LEFT: tuple[SubscriberState, ...] = ("unsubscribed", "bounced", "complained")


def key(email: str) -> str:
    """The address as compared: one address, one row, whatever its case."""
    return email.strip().lower()


def _row(row: Record) -> Subscriber:
    return Subscriber(
        email=row["email"],
        id=row["id"],
        name=row["name"],
        state=row["state"],
        created_at=from_text(row["created_at"]),
    )


def get(db: Database, subscriber_id: int) -> Subscriber | None:
    row = db.execute("SELECT * FROM subscribers WHERE id = ?", (subscriber_id,)).fetchone()
    return _row(row) if row else None


def find(db: Database, email: str) -> Subscriber | None:
    row = db.execute("SELECT * FROM subscribers WHERE email_key = ?", (key(email),)).fetchone()
    return _row(row) if row else None


def known_rows(db: Database) -> list[tuple[str, int, SubscriberState]]:
    """(address key, id, state) of every stored subscriber."""
    return [tuple(r) for r in db.execute("SELECT email_key, id, state FROM subscribers")]


def row(db: Database, subscriber_id: int) -> dict[str, object]:
    """Every stored column of one subscriber (an access request shows them all)."""
    found = db.execute("SELECT * FROM subscribers WHERE id = ?", (subscriber_id,)).fetchone()
    return dict(found) if found else {}


def insert(
    db: Database,
    email: str,
    *,
    name: str = "",
    state: SubscriberState = "active",
    source: str | None = None,
) -> Subscriber:
    """A new subscriber; an address already stored (in any case) raises the engine's
    IntegrityError."""
    moment = to_text(now())
    cur = db.execute(
        "INSERT INTO subscribers (email, email_key, name, state, created_at, updated_at, source)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (email, key(email), name, state, moment, moment, source),
    )
    sub = get(db, int(cur.fetchone()[0]))
    assert sub is not None
    return sub


def insert_many(
    db: Database, rows: Iterable[tuple[str, str]], *, state: SubscriberState, source: str
) -> int:
    """Insert (email, name) pairs in one transaction, skipping addresses already stored."""
    moment = to_text(now())
    with transaction(db):
        cur = db.executemany(
            "INSERT INTO subscribers"
            " (email, email_key, name, state, created_at, updated_at, source)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [(e, key(e), n, state, moment, moment, source) for e, n in rows],
        )
    return cur.rowcount


def list_all(db: Database, state: str | None = None) -> list[Subscriber]:
    sql = "SELECT * FROM subscribers"
    args: tuple[str, ...] = ()
    if state:
        sql += " WHERE state = ?"
        args = (state,)
    return [_row(r) for r in db.execute(sql + " ORDER BY id", args)]


def counts(db: Database) -> dict[str, int]:
    """Number of subscribers per state, every state present."""
    found = dict(db.execute("SELECT state, COUNT(*) FROM subscribers GROUP BY state").fetchall())
    return {s: found.get(s, 0) for s in STATES}


def set_state(
    db: Database, subscriber_id: int, state: SubscriberState, *, only_from: Iterable[str]
) -> bool:
    """Move a subscriber to `state` if it is in one of `only_from`; True when it moved."""
    allowed = tuple(only_from)
    marks = ",".join("?" * len(allowed))
    cur = db.execute(
        f"UPDATE subscribers SET state = ?, updated_at = ? WHERE id = ? AND state IN ({marks})",
        (state, to_text(now()), subscriber_id, *allowed),
    )
    return cur.rowcount == 1


def suppress(db: Database, digest: str) -> None:
    """Keep the keyed hash of an erased address (see send.subscribers.suppression_hash)."""
    db.execute(
        "INSERT INTO suppressions (hash, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (digest, to_text(now())),
    )


def suppressed(db: Database, digests: Iterable[str]) -> set[str]:
    """Those of these hashes that are suppressed."""
    wanted = list(digests)
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(f"SELECT hash FROM suppressions WHERE hash IN ({marks})", chunk)
        found.update(r[0] for r in rows)
    return found


def forget(db: Database, subscriber_id: int, digest: str | None = None) -> None:
    """Erase a subscriber and its delivery rows (a right-to-erasure request), keeping `digest`."""
    with transaction(db):
        db.execute("DELETE FROM deliveries WHERE subscriber_id = ?", (subscriber_id,))
        db.execute("DELETE FROM subscribers WHERE id = ?", (subscriber_id,))
        if digest is not None:
            suppress(db, digest)
