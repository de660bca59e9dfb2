"""read_pending over a real SQLite store: mentions stored in order with their facts, items marked
read, and nothing read twice."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from digest.codec import loads
from digest.config import Config
from digest.models import Feed, Item, Mention
from digest.read.reader import Reader, read_pending
from digest.store import feeds, mentions, transaction
from digest.store import items as item_store
from digest.store.mentions import ReadingStore


def store_items(db: sqlite3.Connection, texts: list[tuple[str, str]]) -> list[int]:
    feeds.add(db, Feed(name="Local", url="https://example.org/feed.xml"))
    feed_id = db.execute("SELECT id FROM feeds").fetchone()[0]
    ids = []
    with transaction(db):
        for n, (title, text) in enumerate(texts):
            item = Item(
                feed_id=feed_id,
                guid=f"g{n}",
                url=f"https://example.org/{n}",
                title=title,
                text=text,
                published=datetime(2025, 5, n + 1, tzinfo=UTC),
                content_hash=f"h{n}",
            )
            ids.append(item_store.upsert(db, item, dated=True, canonical=item.url)[1])
    return ids


def test_read_pending_stores_mentions_and_marks_items_read(
    db: sqlite3.Connection, reader: Reader
) -> None:
    ids = store_items(
        db,
        [
            (
                "Deux annonces",
                "Sorbel investira 250 millions d'euros à Dunkerque. Tamarix Foods met 40 millions "
                "d'euros dans une usine à Quimper.",
            ),
            ("Rien à signaler", "Le salon a fermé ses portes dimanche."),
        ],
    )
    assert read_pending(ReadingStore(db), lambda: reader) == (2, 2)
    rows = db.execute(
        "SELECT item_id, ordinal, kind, investor, beneficiary, facts, story_id FROM mentions"
        " ORDER BY item_id, ordinal"
    ).fetchall()
    assert [(r["item_id"], r["ordinal"], r["investor"]) for r in rows] == [
        (ids[0], 0, "Sorbel"),
        (ids[0], 1, "Tamarix Foods"),
    ]
    assert all(r["kind"] == "investment" and r["story_id"] is None for r in rows)
    facts = loads(Mention, rows[0]["facts"])
    assert facts.amount is not None and facts.amount.value == 2.5e8
    assert facts.item_id == ids[0] and facts.places == ["Dunkerque"]
    unread = db.execute("SELECT count(*) FROM items WHERE read_at IS NULL").fetchone()[0]
    assert unread == 0
    assert [m.investor for m in mentions.of_item(db, ids[0])] == ["Sorbel", "Tamarix Foods"]
    assert read_pending(ReadingStore(db), lambda: reader) == (0, 0)


def test_an_item_read_again_has_its_mentions_replaced(
    db: sqlite3.Connection, reader: Reader
) -> None:
    (item_id,) = store_items(db, [("Sorbel", "Sorbel investira 250 millions d'euros à Dunkerque.")])
    (item,) = item_store.get(db, [item_id])
    mentions.save(db, [(item, reader.read(item))])
    mentions.save(db, [(item, reader.read(item))])
    assert [m.investor for m in mentions.of_item(db, item_id)] == ["Sorbel"]


def test_saving_an_item_that_was_never_stored_is_refused(db: sqlite3.Connection) -> None:
    loose = Item(
        feed_id=1, guid="x", url="", title="", text="", published=datetime(2025, 1, 1, tzinfo=UTC)
    )
    with pytest.raises(ValueError, match="no id"):
        mentions.save(db, [(loose, [])])


def test_the_reader_is_loaded_once_per_configuration(config: Config) -> None:
    from digest.read.reader import shared_reader

    assert shared_reader(config) is shared_reader(config)
