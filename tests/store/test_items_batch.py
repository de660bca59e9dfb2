"""One feed's entries stored in one call: the same outcome as one by one, in three queries
besides the inserts whatever the number of entries."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from digest.models import Feed, Item
from digest.poll.entries import content_hash
from digest.store import feeds as feed_store
from digest.store import items as item_store
from digest.store import open_db

MOMENT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def entry(feed_id: int, guid: str, link: str, text: str) -> tuple[Item, bool, str]:
    item = Item(
        feed_id=feed_id,
        guid=guid,
        url=link,
        title=f"Titre {text}",
        text=text,
        published=MOMENT,
        content_hash=content_hash(f"Titre {text}", text),
        first_seen=MOMENT,
    )
    return item, True, link


def feed(db: sqlite3.Connection, url: str) -> int:
    feed_store.add(db, Feed(name=url, url=url))
    return db.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()[0]


def test_a_batch_finds_copies_in_the_store_and_within_itself(tmp_path: Path) -> None:
    db = open_db(tmp_path / "batch.db")  # SQLite: its trace callback counts the statements
    first = feed(db, "https://a.example/feed")
    (_, original), (_, known) = item_store.upsert_many(
        db,
        [
            entry(first, "a1", "https://a.example/1", "levée de fonds"),
            entry(first, "a2", "https://a.example/2", "autre texte"),
        ],
    )
    statements: list[str] = []
    db.set_trace_callback(statements.append)
    changed = entry(first, "a2", "https://a.example/2", "autre texte, corrigé")
    results = item_store.upsert_many(
        db,
        [
            entry(first, "a1", "https://a.example/1", "levée de fonds"),  # same
            changed,  # updated
            entry(first, "a3", "https://a.example/3", "nouveau"),  # new
            entry(first, "a4", "https://a.example/3", "nouveau, repris"),  # same link as a3
            entry(first, "a5", "https://a.example/5", "levée de fonds"),  # same text as a1
        ]
        + [entry(first, f"n{i}", f"https://a.example/n{i}", f"texte {i}") for i in range(40)],
    )
    db.set_trace_callback(None)
    assert [r[0] for r in results[:5]] == ["same", "updated", "new", "new", "new"]
    assert results[0][1] == original and results[1][1] == known
    copies = dict(db.execute("SELECT guid, duplicate_of FROM items").fetchall())
    assert copies["a4"] == results[2][1] and copies["a5"] == original
    assert copies["a3"] is None and copies["n0"] is None
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 3  # known guids, first copies by link, first copies by text
