"""Editors' drops: a story dropped from an edition keeps its edition_stories row, dropped = 1,
so that a rebuild of the edition leaves it out again."""

from __future__ import annotations

from digest.codec import dumps
from digest.models import Story
from digest.store import Database, transaction
from digest.store.editions import stories_of


def dropped(db: Database, edition_id: str) -> list[Story]:
    """The stories editors dropped from this edition, as the edition last showed them."""
    return stories_of(db, edition_id, dropped=True)


def set_dropped(db: Database, edition_id: str, story_id: str, drop: bool) -> bool:
    """Drop a story from an edition (or bring it back); False when it is not in the edition."""
    cur = db.execute(
        "UPDATE edition_stories SET dropped = ? WHERE edition_id = ? AND story_id = ?",
        (int(drop), edition_id, story_id),
    )
    return cur.rowcount == 1


def keep_dropped(db: Database, edition_id: str, stories: list[Story]) -> None:
    """Record again, after a rebuild replaced the edition, the stories it leaves out."""
    with transaction(db):
        db.executemany(
            "INSERT INTO edition_stories (edition_id, story_id, position, written, dropped)"
            " VALUES (?, ?, ?, ?, 1) ON CONFLICT DO NOTHING",
            [(edition_id, s.id, -1, dumps(s)) for s in stories],
        )
