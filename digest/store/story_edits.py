"""Queries of the editors' merges and splits (digest.group.edits): a story's index keys
replaced, and each edit recorded in story_edits."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from digest.store import Database, from_text, now, to_text


def replace_keys(db: Database, story_id: str, keys: Iterable[tuple[str, int]]) -> None:
    db.execute("DELETE FROM story_keys WHERE story_id = ?", (story_id,))
    db.executemany(
        "INSERT INTO story_keys (key, week, story_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        [(k, w, story_id) for k, w in keys],
    )


def record_edit(db: Database, action: str, payload: dict) -> None:
    db.execute(
        "INSERT INTO story_edits (action, payload, created_at) VALUES (?, ?, ?)",
        (action, json.dumps(payload, ensure_ascii=False), to_text(now())),
    )


def edits(db: Database) -> list[tuple[str, dict, datetime]]:
    """Every merge and split, oldest first."""
    rows = db.execute("SELECT action, payload, created_at FROM story_edits ORDER BY id")
    return [(r[0], json.loads(r[1]), from_text(r[2])) for r in rows]
