"""An edition's history: every change of state and every editor's edit, with who and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from digest.store import Database, from_text, now, to_text


@dataclass(frozen=True)
class Entry:
    at: datetime
    by: str
    action: str
    detail: str


def record(db: Database, edition_id: str, by: str, action: str, detail: str = "") -> None:
    db.execute(
        'INSERT INTO edition_history (edition_id, at, "by", action, detail) VALUES (?, ?, ?, ?, ?)',
        (edition_id, to_text(now()), by, action, detail),
    )


def of(db: Database, edition_id: str) -> list[Entry]:
    """Newest first."""
    rows = db.execute(
        'SELECT at, "by", action, detail FROM edition_history WHERE edition_id = ?'
        " ORDER BY id DESC",
        (edition_id,),
    )
    return [Entry(from_text(r[0]), r[1], r[2], r[3]) for r in rows]
