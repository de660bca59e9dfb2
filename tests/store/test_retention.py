"""Retention: old item text is emptied once its stories were sent; the row and its keys stay,
so the next poll still knows the item."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from digest.models import Feed, Item
from digest.poll.entries import content_hash
from digest.store import feeds as feed_store
from digest.store import items as item_store
from digest.store import to_text
from digest.store.retention import drop_old_texts

NOW = datetime(2026, 6, 1, tzinfo=UTC)
OLD = NOW - timedelta(days=120)
RECENT = NOW - timedelta(days=10)


def item(feed_id: int, guid: str, seen: datetime) -> Item:
    text = f"Le corps de l'article {guid}, assez long pour compter."
    return Item(
        feed_id=feed_id,
        guid=guid,
        url=f"https://outlet.example/{guid}",
        title=f"Titre {guid}",
        text=text,
        published=seen,
        content_hash=content_hash(f"Titre {guid}", text),
        first_seen=seen,
    )


def story(db: sqlite3.Connection, story_id: str, edition_state: str | None) -> None:
    """A story, in an edition of that state (None: in no edition)."""
    moment = to_text(OLD)
    db.execute(
        "INSERT INTO stories (id, created_at, updated_at) VALUES (?, ?, ?)",
        (story_id, moment, moment),
    )
    if edition_state is not None:
        number = db.execute("SELECT count(*) + 1 FROM editions").fetchone()[0]
        db.execute(
            "INSERT INTO editions (id, number, period_start, period_end, created_at, state,"
            " subject, preheader, html, text) VALUES (?, ?, ?, ?, ?, ?, 's', 'p', 'h', 't')",
            (f"e{number}", number, moment, moment, moment, edition_state),
        )
        db.execute(
            "INSERT INTO edition_stories (edition_id, story_id, position, written)"
            " VALUES (?, ?, 1, '{}')",
            (f"e{number}", story_id),
        )


def mention(db: sqlite3.Connection, item_id: int, story_id: str | None) -> None:
    db.execute(
        "INSERT INTO mentions (item_id, ordinal, facts, story_id) VALUES (?, "
        "(SELECT count(*) FROM mentions WHERE item_id = ?), '{}', ?)",
        (item_id, item_id, story_id),
    )


def test_old_text_goes_once_every_story_is_sent_and_the_item_stays_known(
    db: sqlite3.Connection,
) -> None:
    feed_store.add(db, Feed(name="Outlet", url="https://outlet.example/feed"))
    feed_id = db.execute("SELECT id FROM feeds").fetchone()[0]
    rows = {
        "sent": item(feed_id, "sent", OLD),
        "no-story": item(feed_id, "no-story", OLD),
        "one-unsent": item(feed_id, "one-unsent", OLD),
        "ungrouped": item(feed_id, "ungrouped", OLD),
        "unread": item(feed_id, "unread", OLD),
        "recent": item(feed_id, "recent", RECENT),
        "merged": item(feed_id, "merged", OLD),
    }
    ids = {k: item_store.upsert(db, v, dated=True, canonical=v.url)[1] for k, v in rows.items()}
    item_store.mark_read(db, [i for k, i in ids.items() if k != "unread"], NOW)
    story(db, "s-sent", "sent")
    story(db, "s-draft", "draft")
    story(db, "s-none", None)
    story(db, "s-merged", None)
    db.execute("UPDATE stories SET merged_into = 's-sent' WHERE id = 's-merged'")
    mention(db, ids["sent"], "s-sent")
    mention(db, ids["one-unsent"], "s-sent")
    mention(db, ids["one-unsent"], "s-draft")
    mention(db, ids["ungrouped"], None)
    mention(db, ids["recent"], "s-sent")
    mention(db, ids["merged"], "s-merged")

    assert drop_old_texts(db, 0, NOW) == 0  # 0 days: kept forever
    assert drop_old_texts(db, 90, NOW) == 3
    texts = {r["guid"]: r for r in db.execute("SELECT * FROM items")}
    assert {g for g, r in texts.items() if r["text"] == ""} == {"sent", "no-story", "merged"}
    kept = texts["sent"]
    assert (kept["title"], kept["url"]) == ("Titre sent", "https://outlet.example/sent")
    assert kept["canonical_url"] and kept["content_hash"] == rows["sent"].content_hash
    # the next poll still carries the item: the same one, not a new one
    again = item_store.upsert(db, rows["sent"], dated=True, canonical=rows["sent"].url)
    assert again == ("same", ids["sent"])
    assert drop_old_texts(db, 90, NOW) == 0  # already done
