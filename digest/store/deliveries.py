"""Queries of the deliveries table: one row per (edition, subscriber), claimed before it is sent.

A row's life: pending → sending (claimed, committed before the SMTP DATA) → sent | pending again
(temporary failure, with next_attempt) | failed | bounced. Rows found in `sending` when a run
starts were in flight when the previous run was killed: at most those can reach a subscriber twice.

On SQLite one sender runs at a time (a lock file), so every `sending` row found at start is a
crashed run's. On PostgreSQL several senders share an edition: a claim takes rows FOR UPDATE SKIP
LOCKED, so two never take the same one, and holds them for a lease (claimed_at + LEASE); only a
claim whose lease ran out is taken again, its sender being presumed dead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from digest.store import Database, Record, from_text, is_postgres, now, to_text, transaction

STATES = ("pending", "sending", "sent", "failed", "bounced")
# longer than a copy can stay claimed by a live sender (its queue of 2 × pool, SMTP timeouts)
LEASE = timedelta(minutes=10)


@dataclass(frozen=True)
class ClaimedCopy:
    """A delivery taken for sending: to whom, and its attempts so far (this one included)."""

    id: int
    subscriber_id: int
    email: str
    name: str
    attempts: int


@dataclass(frozen=True)
class Outcome:
    """What became of a claimed delivery: state sent | pending (to retry) | failed | bounced."""

    id: int
    state: str
    error: str | None = None
    message_id: str | None = None
    next_attempt: datetime | None = None


def ensure(db: Database, edition_id: str) -> int:
    """Add a pending row for every active subscriber that has none yet; return how many."""
    with transaction(db):
        cur = db.execute(
            "INSERT INTO deliveries (edition_id, subscriber_id)"
            " SELECT ?, id FROM subscribers WHERE state = 'active' ORDER BY id"
            " ON CONFLICT DO NOTHING",
            (edition_id,),
        )
    return cur.rowcount


def missing(db: Database, edition_id: str) -> int:
    """Active subscribers with no row for this edition (they became active after it started)."""
    row = db.execute(
        "SELECT COUNT(*) FROM subscribers s WHERE s.state = 'active' AND NOT EXISTS"
        " (SELECT 1 FROM deliveries d WHERE d.edition_id = ? AND d.subscriber_id = s.id)",
        (edition_id,),
    ).fetchone()
    return int(row[0])


def _lapsed(db: Database) -> str:
    """Claims before this moment were made by a sender presumed dead (every claim on SQLite,
    where a run starts only once the previous one has stopped)."""
    return to_text(now() - LEASE) if is_postgres(db) else "9999"


def recover(db: Database, edition_id: str) -> int:
    """Put rows left `sending` by a killed run back to pending; return how many were in flight."""
    with transaction(db):
        cur = db.execute(
            "UPDATE deliveries SET state = 'pending', next_attempt = NULL,"
            " last_error = 'in flight when an earlier run stopped'"
            " WHERE edition_id = ? AND state = 'sending' AND claimed_at < ?",
            (edition_id, _lapsed(db)),
        )
    return cur.rowcount


def claim(db: Database, edition_id: str, limit: int) -> list[ClaimedCopy]:
    """Take up to `limit` due rows of active subscribers (pending, or claimed by a sender whose
    lease ran out), committed as `sending`; rows another sender holds locked are skipped."""
    moment = now()
    stamp = to_text(moment)
    skip_locked = " FOR UPDATE OF d SKIP LOCKED" if is_postgres(db) else ""
    with transaction(db):
        rows = db.execute(
            "SELECT d.id, d.subscriber_id, s.email, s.name, d.attempts + 1 AS attempts"
            " FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id"
            " WHERE d.edition_id = ? AND s.state = 'active'"
            " AND ((d.state = 'pending' AND (d.next_attempt IS NULL OR d.next_attempt <= ?))"
            " OR (d.state = 'sending' AND d.claimed_at < ?))"
            f" ORDER BY d.id LIMIT ?{skip_locked}",
            (edition_id, stamp, to_text(moment - LEASE), limit),
        ).fetchall()
        db.executemany(
            "UPDATE deliveries SET state = 'sending', claimed_at = ?, attempts = attempts + 1"
            " WHERE id = ?",
            [(stamp, r["id"]) for r in rows],
        )
    return [ClaimedCopy(*r) for r in rows]


def held(db: Database, edition_id: str) -> int:
    """Rows of the edition claimed under a lease that still runs (by us or another sender)."""
    row = db.execute(
        "SELECT COUNT(*) FROM deliveries WHERE edition_id = ? AND state = 'sending'"
        " AND claimed_at >= ?",
        (edition_id, to_text(now() - LEASE)),
    ).fetchone()
    return int(row[0])


def release(db: Database, ids: Iterable[int]) -> None:
    """Give back claims that were never handed to the server (a clean stop)."""
    with transaction(db):
        db.executemany(
            "UPDATE deliveries SET state = 'pending', attempts = attempts - 1"
            " WHERE id = ? AND state = 'sending'",
            [(i,) for i in ids],
        )


def record(db: Database, outcomes: Iterable[Outcome]) -> None:
    """Store the outcomes of claimed deliveries in one transaction; bounces mark the subscriber."""
    moment = to_text(now())
    with transaction(db):
        for o in outcomes:
            db.execute(
                "UPDATE deliveries SET state = ?, last_error = ?,"
                " message_id = COALESCE(?, message_id), next_attempt = ?,"
                " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END WHERE id = ?",
                (o.state, o.error, o.message_id, to_text(o.next_attempt), o.state, moment, o.id),
            )
            if o.state == "bounced":
                db.execute(
                    "UPDATE subscribers SET state = 'bounced', updated_at = ?"
                    " WHERE id = (SELECT subscriber_id FROM deliveries WHERE id = ?)"
                    " AND state IN ('active', 'pending')",
                    (moment, o.id),
                )


def next_due(db: Database, edition_id: str) -> datetime | None:
    """When the earliest retry waiting for an active subscriber falls due; None if none waits."""
    row = db.execute(
        "SELECT MIN(d.next_attempt) FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id"
        " WHERE d.edition_id = ? AND d.state = 'pending' AND s.state = 'active'",
        (edition_id,),
    ).fetchone()
    return from_text(row[0]) if row and row[0] else None


def remaining(db: Database, edition_id: str) -> int:
    """Rows still to send (pending or sending) whose subscriber is active."""
    row = db.execute(
        "SELECT COUNT(*) FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id"
        " WHERE d.edition_id = ? AND d.state IN ('pending', 'sending') AND s.state = 'active'",
        (edition_id,),
    ).fetchone()
    return int(row[0])


def counts(db: Database, edition_id: str) -> dict[str, int]:
    """Number of rows per state for an edition, every state present."""
    found = dict(
        db.execute(
            "SELECT state, COUNT(*) FROM deliveries WHERE edition_id = ? GROUP BY state",
            (edition_id,),
        ).fetchall()
    )
    return {s: found.get(s, 0) for s in STATES}


def listing(db: Database, edition_id: str, state: str | None = None) -> list[Record]:
    """The rows of an edition (in one state when given) with each subscriber's address."""
    sql = (
        "SELECT d.*, s.email FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id"
        " WHERE d.edition_id = ?"
    )
    args: tuple[str, ...] = (edition_id,)
    if state:
        sql, args = sql + " AND d.state = ?", (edition_id, state)
    return db.execute(sql + " ORDER BY d.id", args).fetchall()


def of_subscriber(db: Database, subscriber_id: int) -> list[dict[str, object]]:
    """Every delivery row of one subscriber, oldest first (an access request shows them all)."""
    rows = db.execute(
        "SELECT * FROM deliveries WHERE subscriber_id = ? ORDER BY id", (subscriber_id,)
    )
    return [dict(r) for r in rows]


def by_message_id(db: Database, message_id: str) -> tuple[int, int] | None:
    """(delivery id, subscriber id) of the copy that carried this Message-ID."""
    row = db.execute(
        "SELECT id, subscriber_id FROM deliveries WHERE message_id = ?", (message_id,)
    ).fetchone()
    return (row[0], row[1]) if row else None


def mark_bounced(db: Database, delivery_id: int, error: str) -> None:
    """A bounce that came back later (a DSN): the copy did not arrive."""
    db.execute(
        "UPDATE deliveries SET state = 'bounced', last_error = ? WHERE id = ?",
        (error, delivery_id),
    )


def database_file(db: Database) -> str | None:
    """The file of the main database; None for an in-memory one or a PostgreSQL server."""
    if is_postgres(db):
        return None
    row = db.execute("PRAGMA database_list").fetchone()
    return row["file"] if row and row["file"] else None


def owner(db: Database, delivery_id: int) -> tuple[int, str] | None:
    """(subscriber id, edition id) of a delivery row."""
    row = db.execute(
        "SELECT subscriber_id, edition_id FROM deliveries WHERE id = ?", (delivery_id,)
    ).fetchone()
    return (row[0], row[1]) if row else None
