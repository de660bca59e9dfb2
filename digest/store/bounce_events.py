"""Queries of the bounce_events table: what reports said about an address, tied or not."""

from __future__ import annotations

from digest.store import Database, Record, now, to_text


def add(
    db: Database,
    subscriber_id: int,
    edition_id: str | None,
    kind: str,
    *,
    tied: bool,
    source: str,
    detail: str = "",
) -> None:
    db.execute(
        "INSERT INTO bounce_events"
        " (subscriber_id, edition_id, kind, tied, source, detail, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (subscriber_id, edition_id, kind, int(tied), source, detail[:500], to_text(now())),
    )


def soft_editions(db: Database, subscriber_id: int, last: int) -> int:
    """In how many of the `last` editions this subscriber had a tied soft bounce."""
    row = db.execute(
        "SELECT COUNT(DISTINCT e.edition_id) FROM bounce_events e"
        " WHERE e.subscriber_id = ? AND e.kind = 'soft' AND e.tied = 1"
        " AND e.edition_id IN (SELECT id FROM editions ORDER BY number DESC LIMIT ?)",
        (subscriber_id, last),
    ).fetchone()
    return int(row[0])


def latest_edition_sent_to(db: Database, subscriber_id: int) -> str | None:
    """The newest edition a copy went to this subscriber (an ESP report rarely names ours)."""
    row = db.execute(
        "SELECT d.edition_id FROM deliveries d JOIN editions e ON e.id = d.edition_id"
        " WHERE d.subscriber_id = ? AND d.state IN ('sent', 'bounced')"
        " ORDER BY e.number DESC LIMIT 1",
        (subscriber_id,),
    ).fetchone()
    return row[0] if row else None


def listing(db: Database, subscriber_id: int) -> list[Record]:
    return db.execute(
        "SELECT * FROM bounce_events WHERE subscriber_id = ? ORDER BY id", (subscriber_id,)
    ).fetchall()
