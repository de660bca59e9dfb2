"""The group stage's store over SQLite: the methods digest.group.grouper.GroupStore and
digest.group.edits.EditStore name, each one query of digest.store.stories or story_edits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager

from digest.store import Database, stories, story_edits, transaction
from digest.store.stories import Batch, Filed, Original, Row


class StoryStore:
    """Stories, mentions and the grouping index of one SQLite connection."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def transaction(self) -> AbstractContextManager[Database]:
        return transaction(self.db)

    def pending(self, limit: int | None = None) -> list[Row]:
        return stories.pending(self.db, limit)

    def live(self, ids: Iterable[str]) -> list[str]:
        return stories.live(self.db, ids)

    def mentions_of(self, story_id: str) -> list[Row]:
        return stories.mentions_of(self.db, story_id)

    def exists(self, story_id: str) -> bool:
        return stories.exists(self.db, story_id)

    def merged_into(self, story_id: str) -> str | None:
        """The story a merged one went into; "" when it was not merged; None when none exists."""
        row = stories.story_row(self.db, story_id)
        return None if row is None else row["merged_into"] or ""

    def candidate_ids(self, wanted: dict[str, tuple[int, int]]) -> set[str]:
        return stories.candidate_ids(self.db, wanted)

    def profiles(self, ids: Iterable[str]) -> list[str]:
        return stories.profiles(self.db, ids)

    def frequencies(self, terms: Iterable[str]) -> tuple[dict[str, int], int]:
        return stories.frequencies(self.db, terms)

    def originals(
        self, band_keys: Iterable[int], item_ids: Iterable[int], weeks: range
    ) -> list[Original]:
        return stories.originals(self.db, band_keys, item_ids, weeks)

    def save(self, batch: Batch) -> None:
        stories.save(self.db, batch)

    def create_story(self, story_id: str, stamp: str) -> None:
        stories.create_story(self.db, story_id, stamp)

    def move_mentions(self, mention_ids: Sequence[int], story_id: str) -> None:
        stories.move_mentions(self.db, mention_ids, story_id)

    def mark_merged(self, other: str, keep: str, stamp: str) -> None:
        stories.mark_merged(self.db, other, keep, stamp)

    def refile(self, filed: Filed, stamp: str) -> None:
        """A story's profile and index keys replaced by those given."""
        stories.write_profile(self.db, filed, stamp)
        story_edits.replace_keys(self.db, filed.story_id, filed.keys)

    def record_edit(self, action: str, payload: dict) -> None:
        story_edits.record_edit(self.db, action, payload)
