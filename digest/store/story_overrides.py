"""Queries of the editors' own values: per story field (story_overrides) and per edition
(edition_overrides: wording, order of the cards, the lead). A value is JSON; undo deletes it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from digest.store import Database, Record, from_text, now, to_text, transaction

EDITOR_FEED_URL = "digest:ajout-de-la-redaction"
EDITOR_FEED_NAME = "Ajout de la rédaction"


@dataclass
class Override:
    """An editor's value of one field, who set it and when."""

    field: str
    value: Any
    editor: str
    at: datetime


def _rows(db: Database, sql: str, args: tuple) -> list[Record]:
    return db.execute(sql, args).fetchall()


def of_story(db: Database, story_id: str) -> dict[str, Override]:
    rows = _rows(
        db,
        "SELECT field, value, editor, created_at FROM story_overrides WHERE story_id = ?",
        (story_id,),
    )
    return {r[0]: Override(r[0], json.loads(r[1]), r[2], from_text(r[3])) for r in rows}


def of_stories(db: Database, ids: list[str]) -> dict[str, dict[str, Override]]:
    """The overrides of these stories, by story id (stories without any are left out)."""
    found: dict[str, dict[str, Override]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = _rows(
            db,
            "SELECT story_id, field, value, editor, created_at FROM story_overrides"
            f" WHERE story_id IN ({','.join('?' * len(chunk))})",
            tuple(chunk),
        )
        for r in rows:
            found.setdefault(r[0], {})[r[1]] = Override(
                r[1], json.loads(r[2]), r[3], from_text(r[4])
            )
    return found


def set_story(db: Database, story_id: str, values: dict[str, Any], editor: str) -> None:
    """Keep these editor's values of a story (replacing earlier ones of the same fields)."""
    _keep(db, "story_overrides", "story_id", story_id, values, editor)


def undo_story(db: Database, story_id: str, field: str) -> bool:
    """Back to the machine's value; False when the editor had not set that field."""
    return _undo(db, "story_overrides", "story_id", story_id, field)


def of_edition(db: Database, edition_id: str) -> dict[str, Override]:
    rows = _rows(
        db,
        "SELECT field, value, editor, created_at FROM edition_overrides WHERE edition_id = ?",
        (edition_id,),
    )
    return {r[0]: Override(r[0], json.loads(r[1]), r[2], from_text(r[3])) for r in rows}


def set_edition(db: Database, edition_id: str, values: dict[str, Any], editor: str) -> None:
    _keep(db, "edition_overrides", "edition_id", edition_id, values, editor)


def undo_edition(db: Database, edition_id: str, field: str) -> bool:
    return _undo(db, "edition_overrides", "edition_id", edition_id, field)


def _keep(
    db: Database, table: str, key: str, owner: str, values: dict[str, Any], editor: str
) -> None:
    """Upsert (owner, field) → value in one of the two override tables (names are ours)."""
    stamp = to_text(now())
    with transaction(db):
        db.executemany(
            f"INSERT INTO {table} ({key}, field, value, editor, created_at)"
            f" VALUES (?, ?, ?, ?, ?) ON CONFLICT ({key}, field) DO UPDATE SET"
            " value = excluded.value, editor = excluded.editor, created_at = excluded.created_at",
            [
                (owner, k, json.dumps(v, ensure_ascii=False), editor, stamp)
                for k, v in values.items()
            ],
        )


def _undo(db: Database, table: str, key: str, owner: str, field: str) -> bool:
    with transaction(db):
        cur = db.execute(f"DELETE FROM {table} WHERE {key} = ? AND field = ?", (owner, field))
    return cur.rowcount == 1


def editor_feed(db: Database) -> int:
    """The id of the "Ajout de la rédaction" feed, which holds the items editors add; created
    inactive on first use (it is never polled)."""
    with transaction(db):
        db.execute(
            "INSERT INTO feeds (name, url, active, origin) VALUES (?, ?, 0, 'editor')"
            " ON CONFLICT (url) DO NOTHING",
            (EDITOR_FEED_NAME, EDITOR_FEED_URL),
        )
    return int(db.execute("SELECT id FROM feeds WHERE url = ?", (EDITOR_FEED_URL,)).fetchone()[0])


def stories_of_item(db: Database, item_id: int) -> list[str]:
    """The live stories an item's mentions belong to (where an added article went)."""
    rows = db.execute(
        "SELECT DISTINCT COALESCE(s.merged_into, s.id) FROM mentions m"
        " JOIN stories s ON s.id = m.story_id WHERE m.item_id = ? ORDER BY 1",
        (item_id,),
    )
    return [r[0] for r in rows]
