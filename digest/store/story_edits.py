"""Editors' merges and splits of stories: the mentions they move are pinned, both stories'
profiles and index keys are rebuilt, and each edit is recorded in story_edits."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime

from digest.group.keys import filed, story_id_for
from digest.store import from_text, now, to_text, transaction
from digest.store.stories import (
    create_story,
    exists,
    mark_merged,
    mentions_of,
    move_mentions,
    rebuilt,
    story_row,
    write_profile,
)


class StoryEditError(Exception):
    """An editor's merge or split that cannot be done; the message says why."""


def replace_keys(db: sqlite3.Connection, story_id: str, keys: Iterable[tuple[str, int]]) -> None:
    db.execute("DELETE FROM story_keys WHERE story_id = ?", (story_id,))
    db.executemany(
        "INSERT OR IGNORE INTO story_keys (key, week, story_id) VALUES (?, ?, ?)",
        [(k, w, story_id) for k, w in keys],
    )


def record_edit(db: sqlite3.Connection, action: str, payload: dict) -> None:
    db.execute(
        "INSERT INTO story_edits (action, payload, created_at) VALUES (?, ?, ?)",
        (action, json.dumps(payload, ensure_ascii=False), to_text(now())),
    )


def edits(db: sqlite3.Connection) -> list[tuple[str, dict, datetime]]:
    """Every merge and split, oldest first."""
    rows = db.execute("SELECT action, payload, created_at FROM story_edits ORDER BY id")
    return [(r[0], json.loads(r[1]), from_text(r[2])) for r in rows]


def _refile(db: sqlite3.Connection, story_id: str, stamp: str) -> None:
    """After an editor's move: the story's profile and index keys from the mentions it has now,
    pinned, since the editor placed them."""
    profile = rebuilt(db, story_id, pinned=True)
    assert profile is not None  # merges and splits leave mentions on both sides
    write_profile(db, profile, stamp)
    replace_keys(db, story_id, filed(profile))


def _live(db: sqlite3.Connection, story_id: str) -> sqlite3.Row:
    row = story_row(db, story_id)
    if row is None:
        raise StoryEditError(f"no story {story_id!r} (see `digest stories`)")
    if row["merged_into"]:
        raise StoryEditError(f"story {story_id!r} was merged into {row['merged_into']!r}")
    return row


def merge_stories(db: sqlite3.Connection, keep_id: str, other_id: str) -> None:
    """An editor's merge: every mention of other_id moves to keep_id, pinned; other_id then
    points at keep_id and leaves the index, so later polls bring its deal to keep_id."""
    if keep_id == other_id:
        raise StoryEditError("a story cannot be merged into itself")
    _live(db, keep_id)
    _live(db, other_id)
    stamp = to_text(now())
    with transaction(db):
        moved = [r.mention_id for r in mentions_of(db, other_id)]
        kept = [r.mention_id for r in mentions_of(db, keep_id)]
        move_mentions(db, moved + kept, keep_id)
        mark_merged(db, other_id, keep_id, stamp)
        _refile(db, keep_id, stamp)
        record_edit(db, "merge", {"keep": keep_id, "other": other_id, "mentions": moved})


def split_story(db: sqlite3.Connection, story_id: str, mention_ids: Sequence[int]) -> str:
    """An editor's split: the given mentions leave story_id for a new story; both sides are
    pinned so later polls leave them where the editor put them. Returns the new story's id."""
    _live(db, story_id)
    rows = mentions_of(db, story_id)
    wanted = set(mention_ids)
    moving = [r for r in rows if r.mention_id in wanted]
    strangers = wanted - {r.mention_id for r in rows}
    if strangers:
        raise StoryEditError(f"mentions {sorted(strangers)} are not in story {story_id!r}")
    if not moving:
        raise StoryEditError("name at least one mention to split off")
    if len(moving) == len(rows):
        raise StoryEditError("a split must leave at least one mention in the story")
    first = moving[0]
    new_id, n = story_id_for(first.item, first.ordinal), 1
    while exists(db, new_id):
        n += 1
        new_id = f"{story_id_for(first.item, first.ordinal)}-{n}"
    stamp = to_text(now())
    with transaction(db):
        create_story(db, new_id, stamp)
        move_mentions(db, [r.mention_id for r in moving], new_id)
        move_mentions(db, [r.mention_id for r in rows if r.mention_id not in wanted], story_id)
        for sid in (story_id, new_id):
            _refile(db, sid, stamp)
        record_edit(db, "split", {"story": story_id, "new": new_id, "mentions": sorted(wanted)})
    return new_id
