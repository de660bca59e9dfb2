"""Queries of the editions and edition_stories tables.

An edition is saved once it is rendered, with a JSON snapshot of every story as it was shown:
that snapshot is what later editions compare against to mark an update. Rebuilding a period
replaces an edition not yet approved or sent; one that was approved or sent is never changed.
A new edition is stored as a draft; `edition.lifecycle` moves it on, through `move`.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from digest.codec import dumps, from_dict, loads
from digest.models import Check, Edition, EditionState, Story
from digest.store import Database, Record, StoreError, from_text, now, to_text, transaction

FINAL = ("approved", "sending", "sent")  # an edition in these states is never replaced
_COLUMNS = (
    "id, number, period_start, period_end, created_at, state, subject, preheader, html, text,"
    " checks, unsubscribe_placeholder, opening"
)


def _edition(row: Record, stories: list[Story]) -> Edition:
    return Edition(
        id=row["id"],
        number=row["number"],
        period_start=from_text(row["period_start"]),
        period_end=from_text(row["period_end"]),
        created_at=from_text(row["created_at"]),
        state=row["state"],
        subject=row["subject"],
        preheader=row["preheader"],
        stories=stories,
        html=row["html"],
        text=row["text"],
        checks=[from_dict(Check, c) for c in json.loads(row["checks"])],
        unsubscribe_placeholder=row["unsubscribe_placeholder"],
        opening=row["opening"],
    )


def stories_of(db: Database, edition_id: str, *, dropped: bool = False) -> list[Story]:
    """The stories of an edition as it showed them (or those editors dropped from it)."""
    rows = db.execute(
        "SELECT written FROM edition_stories WHERE edition_id = ? AND dropped = ?"
        " ORDER BY position, story_id",
        (edition_id, int(dropped)),
    )
    return [loads(Story, r["written"]) for r in rows]


def get(db: Database, edition_id: str) -> Edition | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM editions WHERE id = ?", (edition_id,)).fetchone()
    return None if row is None else _edition(row, stories_of(db, edition_id))


def by_number(db: Database, number: int) -> Edition | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM editions WHERE number = ?", (number,)).fetchone()
    return None if row is None else _edition(row, stories_of(db, row["id"]))


def latest(db: Database, states: tuple[str, ...] | None = None) -> Edition | None:
    """The edition with the highest number (among those in `states` when given)."""
    where = ""
    args: tuple[str, ...] = ()
    if states:
        where = f"WHERE state IN ({','.join('?' * len(states))})"
        args = tuple(states)
    row = db.execute(
        f"SELECT {_COLUMNS} FROM editions {where} ORDER BY number DESC LIMIT 1", args
    ).fetchone()
    return None if row is None else _edition(row, stories_of(db, row["id"]))


def listing(db: Database, limit: int = 50) -> list[Edition]:
    """The most recent editions, newest first, without their stories (for archives and lists)."""
    rows = db.execute(f"SELECT {_COLUMNS} FROM editions ORDER BY number DESC LIMIT ?", (limit,))
    return [_edition(r, []) for r in rows]


def story_counts(db: Database) -> dict[str, int]:
    """How many stories each edition shows (dropped ones not counted)."""
    rows = db.execute(
        "SELECT edition_id, COUNT(*) FROM edition_stories WHERE dropped = 0 GROUP BY edition_id"
    )
    return {r[0]: r[1] for r in rows}


def next_number(db: Database) -> int:
    """One more than the last edition approved or sent: unsent drafts give their number back."""
    placeholders = ",".join("?" * len(FINAL))
    row = db.execute(
        f"SELECT MAX(number) FROM editions WHERE state IN ({placeholders})", FINAL
    ).fetchone()
    return (row[0] or 0) + 1


def save(db: Database, edition: Edition) -> None:
    """Store a rendered edition as a draft with its story snapshots, replacing an unapproved
    rebuild."""
    with transaction(db):
        clash = db.execute(
            "SELECT id, state FROM editions WHERE (id = ? OR number = ?) AND state IN"
            f" ({','.join('?' * len(FINAL))})",
            (edition.id, edition.number, *FINAL),
        ).fetchone()
        if clash:
            raise StoreError(
                f"edition {clash['id']} is already {clash['state']}: it cannot be rebuilt"
                f" (build a later period with --since/--until)"
            )
        db.execute("DELETE FROM editions WHERE id = ? OR number = ?", (edition.id, edition.number))
        db.execute(
            f"INSERT INTO editions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                edition.id,
                edition.number,
                to_text(edition.period_start),
                to_text(edition.period_end),
                to_text(edition.created_at),
                "draft",
                edition.subject,
                edition.preheader,
                edition.html,
                edition.text,
                dumps(edition.checks),
                edition.unsubscribe_placeholder,
                edition.opening,
            ),
        )
        db.executemany(
            "INSERT INTO edition_stories (edition_id, story_id, position, written)"
            " VALUES (?, ?, ?, ?)",
            [(edition.id, s.id, i, dumps(s)) for i, s in enumerate(edition.stories)],
        )


def set_out_dir(db: Database, edition_id: str, path: Path) -> None:
    db.execute("UPDATE editions SET out_dir = ? WHERE id = ?", (str(path), edition_id))


def out_dir(db: Database, edition_id: str) -> Path | None:
    row = db.execute("SELECT out_dir FROM editions WHERE id = ?", (edition_id,)).fetchone()
    return Path(row[0]) if row and row[0] else None


def move(
    db: Database,
    edition_id: str,
    was: EditionState,
    to: EditionState,
    at: datetime | None = None,
) -> bool:
    """Compare-and-set: the edition goes from `was` to `to` only if it is still in `was`.

    One UPDATE, so two connections moving it from the same state cannot both succeed;
    approved_at / sent_at record when it was approved or sent."""
    stamp = {"approved": ", approved_at = ?", "sent": ", sent_at = ?"}.get(to, "")
    args = (to, to_text(at or now())) if stamp else (to,)
    cur = db.execute(
        f"UPDATE editions SET state = ?{stamp} WHERE id = ? AND state = ?", (*args, edition_id, was)
    )
    return cur.rowcount == 1


def times(db: Database, edition_id: str) -> dict[str, datetime | None]:
    """When the edition was approved and sent (None when not yet)."""
    row = db.execute(
        "SELECT approved_at, sent_at FROM editions WHERE id = ?", (edition_id,)
    ).fetchone()
    if row is None:
        return {"approved_at": None, "sent_at": None}
    return {"approved_at": from_text(row[0]), "sent_at": from_text(row[1])}


def sent_story_snapshots(db: Database) -> dict[str, Story]:
    """Each story as the last sent edition showing it said it (held or dropped ones excluded)."""
    rows = db.execute(
        "SELECT es.story_id, es.written FROM edition_stories es"
        " JOIN editions e ON e.id = es.edition_id"
        " WHERE e.state = 'sent' AND es.dropped = 0 ORDER BY e.number"
    )
    snapshots: dict[str, Story] = {}
    for row in rows:
        story = loads(Story, row["written"])
        if not story.held_reason:
            snapshots[row["story_id"]] = story
    return snapshots
