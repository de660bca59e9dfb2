"""Editors' merges and splits of stories: the mentions they move are pinned, both stories'
profiles and index keys are rebuilt, and each edit is recorded."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from digest.group.grouper import filing, order_key, rebuilt
from digest.group.keys import story_id_for
from digest.store import now, to_text
from digest.store.stories import Filed, Row


class StoryEditError(Exception):
    """An editor's merge or split that cannot be done; the message says why."""


class EditStore(Protocol):
    """What the editors' edits ask of a store (digest.store.grouping.StoryStore over SQLite)."""

    def transaction(self) -> AbstractContextManager[Any]: ...
    def mentions_of(self, story_id: str) -> list[Row]: ...
    def exists(self, story_id: str) -> bool: ...
    def merged_into(self, story_id: str) -> str | None: ...
    def create_story(self, story_id: str, stamp: str) -> None: ...
    def move_mentions(self, mention_ids: Sequence[int], story_id: str) -> None: ...
    def mark_merged(self, other: str, keep: str, stamp: str) -> None: ...
    def refile(self, filed: Filed, stamp: str) -> None: ...
    def record_edit(self, action: str, payload: dict) -> None: ...


def _refile(store: EditStore, story_id: str, stamp: str) -> None:
    """After an editor's move: the story's profile and index keys from the mentions it has now,
    pinned, since the editor placed them."""
    profile = rebuilt(store.mentions_of(story_id), story_id, pinned=True)
    assert profile is not None  # merges and splits leave mentions on both sides
    store.refile(filing(profile), stamp)


def _live(store: EditStore, story_id: str) -> None:
    merged_into = store.merged_into(story_id)
    if merged_into is None:
        raise StoryEditError(f"no story {story_id!r} (see `digest stories`)")
    if merged_into:
        raise StoryEditError(f"story {story_id!r} was merged into {merged_into!r}")


def merge_stories(store: EditStore, keep_id: str, other_id: str) -> None:
    """An editor's merge: every mention of other_id moves to keep_id, pinned; other_id then
    points at keep_id and leaves the index, so later polls bring its deal to keep_id."""
    if keep_id == other_id:
        raise StoryEditError("a story cannot be merged into itself")
    _live(store, keep_id)
    _live(store, other_id)
    stamp = to_text(now())
    with store.transaction():
        moved = [r.mention_id for r in store.mentions_of(other_id)]
        kept = [r.mention_id for r in store.mentions_of(keep_id)]
        store.move_mentions(moved + kept, keep_id)
        store.mark_merged(other_id, keep_id, stamp)
        _refile(store, keep_id, stamp)
        store.record_edit("merge", {"keep": keep_id, "other": other_id, "mentions": moved})


def split_story(store: EditStore, story_id: str, mention_ids: Sequence[int]) -> str:
    """An editor's split: the given mentions leave story_id for a new story; both sides are
    pinned so later polls leave them where the editor put them. Returns the new story's id."""
    _live(store, story_id)
    rows = store.mentions_of(story_id)
    wanted = set(mention_ids)
    moving = [r for r in rows if r.mention_id in wanted]
    strangers = wanted - {r.mention_id for r in rows}
    if strangers:
        raise StoryEditError(f"mentions {sorted(strangers)} are not in story {story_id!r}")
    if not moving:
        raise StoryEditError("name at least one mention to split off")
    if len(moving) == len(rows):
        raise StoryEditError("a split must leave at least one mention in the story")
    first = min(moving, key=lambda r: order_key(r.item, r.ordinal))
    new_id, n = story_id_for(first.item, first.ordinal), 1
    while store.exists(new_id):
        n += 1
        new_id = f"{story_id_for(first.item, first.ordinal)}-{n}"
    stamp = to_text(now())
    with store.transaction():
        store.create_story(new_id, stamp)
        store.move_mentions([r.mention_id for r in moving], new_id)
        store.move_mentions([r.mention_id for r in rows if r.mention_id not in wanted], story_id)
        for sid in (story_id, new_id):
            _refile(store, sid, stamp)
        store.record_edit("split", {"story": story_id, "new": new_id, "mentions": sorted(wanted)})
    return new_id
