"""Queries of the read stage: store the mentions of items and mark those items read; ReadingStore
is the read stage's ReadStore over SQLite."""

from __future__ import annotations

from collections.abc import Sequence

from digest.codec import dumps, loads
from digest.models import Item, Mention
from digest.store import Database, items, now, to_text, transaction


def save(db: Database, read: Sequence[tuple[Item, list[Mention]]]) -> int:
    """Store each item's mentions (numbered in item order) and set its read_at, in one
    transaction; an item read again has its unpinned mentions replaced. Returns mentions stored."""
    at = to_text(now())
    stored = 0
    with transaction(db):
        for item, mentions in read:
            if item.id is None:
                raise ValueError(f"item {item.guid!r} has no id: store it before reading it")
            db.execute("DELETE FROM mentions WHERE item_id = ? AND pinned = 0", (item.id,))
            first = db.execute(
                "SELECT COALESCE(MAX(ordinal) + 1, 0) FROM mentions WHERE item_id = ?", (item.id,)
            ).fetchone()[0]
            for ordinal, m in enumerate(mentions, start=first):
                m.item_id = item.id
                cur = db.execute(
                    "INSERT INTO mentions (item_id, ordinal, kind, investor, beneficiary, facts)"
                    " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    (item.id, ordinal, m.kind, m.investor, m.beneficiary, dumps(m)),
                )
                m.id = cur.fetchone()[0]
                stored += 1
            db.execute("UPDATE items SET read_at = ? WHERE id = ?", (at, item.id))
    return stored


def of_item(db: Database, item_id: int) -> list[Mention]:
    """The mentions of one item, in order, with their ids and stories."""
    rows = db.execute(
        "SELECT id, facts, story_id FROM mentions WHERE item_id = ? ORDER BY ordinal", (item_id,)
    )
    out = []
    for row in rows:
        m = loads(Mention, row["facts"])
        m.id, m.story_id = row["id"], row["story_id"]
        out.append(m)
    return out


class ReadingStore:
    """The read stage's store (digest.read.reader.ReadStore) over one SQLite connection."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def unread(self) -> list[Item]:
        return items.unread(self.db)

    def save(self, read: Sequence[tuple[Item, list[Mention]]]) -> int:
        return save(self.db, read)
