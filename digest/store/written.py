"""Queries of the write stage: which stories need writing, their mentions, the written stories;
WrittenStore is the write stage's WriteStore over SQLite."""

from __future__ import annotations

from datetime import datetime

from digest.codec import dumps, loads
from digest.models import Item, Mention, Story
from digest.store import Database, now, to_text, transaction
from digest.store.mentions import of_item
from digest.store.stories import mentions_of

# a story is stale when its mentions (count, largest id, sum of ids) or the writer changed
_SIGNATURE = "? || ':' || COALESCE(m.n, 0) || ':' || COALESCE(m.mx, 0) || ':' || COALESCE(m.sm, 0)"
_MENTIONS = (
    "LEFT JOIN (SELECT story_id, COUNT(*) AS n, MAX(id) AS mx, SUM(id) AS sm FROM mentions"
    " WHERE story_id IS NOT NULL GROUP BY story_id) m ON m.story_id = s.id"
)


def stale(db: Database, version: str) -> list[tuple[str, str]]:
    """(story id, signature) of the stories to (re)write: never written, or written from other
    mentions or by another version of the writer. Stories without mentions are left alone."""
    rows = db.execute(
        f"SELECT s.id, {_SIGNATURE} AS signature FROM stories s {_MENTIONS}"
        " WHERE s.merged_into IS NULL AND COALESCE(m.n, 0) > 0"
        f" AND (s.written IS NULL OR COALESCE(s.written_signature, '') != {_SIGNATURE})"
        " ORDER BY s.id",
        (version, version),
    )
    return [(r[0], r[1]) for r in rows]


def pairs(db: Database, story_id: str) -> list[tuple[Mention, Item]]:
    """The story's mentions with their items."""
    return [(r.mention, r.item) for r in mentions_of(db, story_id)]


def shared_items(db: Database, story_id: str) -> set[int]:
    """Ids of the story's items that also carry a mention of another story (or of none yet)."""
    rows = db.execute(
        "SELECT DISTINCT o.item_id FROM mentions m JOIN mentions o ON o.item_id = m.item_id"
        " WHERE m.story_id = ? AND (o.story_id IS NULL OR o.story_id != ?)",
        (story_id, story_id),
    )
    return {r[0] for r in rows}


def mentions_on(db: Database, item_ids: set[int]) -> dict[int, list[Mention]]:
    """The mentions of each item, in reading order, with their stories."""
    return {i: of_item(db, i) for i in sorted(item_ids)}


def pages_of(db: Database, story_ids: set[str]) -> dict[str, int]:
    """How many items each story's mentions stand in."""
    marks = ",".join("?" * len(story_ids))
    rows = db.execute(
        "SELECT story_id, COUNT(DISTINCT item_id) FROM mentions"
        f" WHERE story_id IN ({marks}) GROUP BY story_id",
        tuple(sorted(story_ids)),
    )
    return {r[0]: r[1] for r in rows}


def actors(db: Database) -> set[str]:
    """Every investor and beneficiary read so far (whose sentences are not another story's)."""
    rows = db.execute(
        "SELECT investor FROM mentions WHERE investor IS NOT NULL"
        " UNION SELECT beneficiary FROM mentions WHERE beneficiary IS NOT NULL"
    )
    return {r[0] for r in rows}


def save_written(db: Database, story: Story, signature: str) -> None:
    db.execute(
        "UPDATE stories SET written = ?, written_at = ?, written_signature = ? WHERE id = ?",
        (dumps(story), to_text(now()), signature, story.id),
    )


def save_many(db: Database, written: list[tuple[Story, str]]) -> None:
    """Store written stories in one transaction."""
    with transaction(db):
        for story, signature in written:
            save_written(db, story, signature)


class WrittenStore:
    """The write stage's store (digest.write.writer.WriteStore) over one SQLite connection."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def actors(self) -> set[str]:
        return actors(self.db)

    def stale(self, version: str) -> list[tuple[str, str]]:
        return stale(self.db, version)

    def pairs(self, story_id: str) -> list[tuple[Mention, Item]]:
        return pairs(self.db, story_id)

    def shared_items(self, story_id: str) -> set[int]:
        return shared_items(self.db, story_id)

    def mentions_on(self, item_ids: set[int]) -> dict[int, list[Mention]]:
        return mentions_on(self.db, item_ids)

    def pages_of(self, story_ids: set[str]) -> dict[str, int]:
        return pages_of(self.db, story_ids)

    def save_many(self, written: list[tuple[Story, str]]) -> None:
        save_many(self.db, written)


def load_written(db: Database, since: datetime | None, until: datetime | None) -> list[Story]:
    """Written stories having an item published in [since, until), held ones included, by id
    (digest.write.writer.ranked puts the most important first)."""
    rows = db.execute(
        "SELECT s.written FROM stories s WHERE s.written IS NOT NULL AND s.merged_into IS NULL"
        " AND EXISTS (SELECT 1 FROM mentions m JOIN items i ON i.id = m.item_id"
        "  WHERE m.story_id = s.id AND (CAST(? AS TEXT) IS NULL OR i.published >= ?)"
        "  AND (CAST(? AS TEXT) IS NULL OR i.published < ?)) ORDER BY s.id",
        (to_text(since), to_text(since), to_text(until), to_text(until)),
    )
    return [loads(Story, r[0]) for r in rows]


def load_announced(db: Database, since: datetime | None, until: datetime | None) -> list[Story]:
    """The written stories of an edition of [since, until): those announced in it (their first
    item's date: a later page that recalls an older deal does not make it this period's news),
    and those sent before that have an item in it (digest.write.writer.since_sent keeps them
    only with a new fact); held ones included, by id."""
    within = "(CAST(? AS TEXT) IS NULL OR {0} >= ?) AND (CAST(? AS TEXT) IS NULL OR {0} < ?)"
    rows = db.execute(
        "SELECT s.written FROM stories s WHERE s.written IS NOT NULL AND s.merged_into IS NULL"
        " AND (EXISTS (SELECT 1 FROM (SELECT MIN(i.published) AS announced FROM mentions m"
        "   JOIN items i ON i.id = m.item_id WHERE m.story_id = s.id) AS a"
        f"   WHERE {within.format('a.announced')})"
        "  OR (EXISTS (SELECT 1 FROM mentions m JOIN items i ON i.id = m.item_id"
        f"   WHERE m.story_id = s.id AND {within.format('i.published')})"
        "   AND EXISTS (SELECT 1 FROM edition_stories es JOIN editions e ON e.id = es.edition_id"
        "   WHERE es.story_id = s.id AND e.state = 'sent'))) ORDER BY s.id",
        (to_text(since), to_text(since), to_text(until), to_text(until)) * 2,
    )
    return [loads(Story, r[0]) for r in rows]
