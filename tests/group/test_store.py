"""group_pending over a real SQLite store: incremental polls, live stories, editors' edits."""

from __future__ import annotations

import random
import sqlite3
from datetime import timedelta

import pytest

from digest.codec import dumps
from digest.group import edits
from digest.group.grouper import GroupSettings, group_pending
from digest.models import Item, Mention
from digest.store import stories as store
from digest.store import story_edits, to_text
from digest.store.grouping import StoryStore
from tests.group.test_grouper import CORPUS, EXPECTED, partition

POLLED_AFTER = timedelta(hours=1)  # a dated item is first seen after it was published


def _feed(db: sqlite3.Connection, name: str) -> int:
    row = db.execute("SELECT id FROM feeds WHERE name = ?", (name,)).fetchone()
    if row:
        return row[0]
    return db.execute(
        "INSERT INTO feeds (name, url) VALUES (?, ?) RETURNING id",
        (name, f"https://{name}.example/rss"),
    ).fetchone()[0]


def store_item(db: sqlite3.Connection, item: Item, mentions: list[Mention]) -> list[int]:
    """What poll and read leave behind: an item row and its mention rows (story_id NULL)."""
    feed_id = _feed(db, item.feed_name)
    row = db.execute("SELECT id FROM items WHERE feed_id = ? AND guid = ?", (feed_id, item.guid))
    found = row.fetchone()
    item_id = (
        found[0]
        if found
        else db.execute(
            "INSERT INTO items (feed_id, guid, url, canonical_url, title, text, published,"
            " first_seen, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                feed_id,
                item.guid,
                item.url,
                item.url,
                item.title,
                item.text,
                to_text(item.published),
                to_text(item.first_seen or item.published + POLLED_AFTER),  # a dated item
                item.guid,
            ),
        ).fetchone()[0]
    )
    start = db.execute("SELECT COUNT(*) FROM mentions WHERE item_id = ?", (item_id,)).fetchone()[0]
    ids = []
    for n, m in enumerate(mentions):
        ids.append(
            db.execute(
                "INSERT INTO mentions (item_id, ordinal, kind, investor, beneficiary, facts)"
                " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (item_id, start + n, m.kind, m.investor, m.beneficiary, dumps(m)),
            ).fetchone()[0]
        )
    return ids


def group(db: sqlite3.Connection, config) -> list[str]:
    """The group stage over SQLite, as digest.flow.update calls it."""
    return group_pending(StoryStore(db), GroupSettings.of(config))


def placements(db: sqlite3.Connection, ids: list[int]) -> list[str]:
    rows = dict(db.execute("SELECT id, story_id FROM mentions"))
    return [rows[i] for i in ids]


def test_group_pending_places_every_mention_and_creates_the_stories(db, config):
    ids = [store_item(db, item, [m])[0] for m, item in CORPUS]
    touched = group(db, config)
    got = placements(db, ids)
    assert partition(got) == EXPECTED
    assert sorted(touched) == sorted(set(got))
    rows = {r["id"]: r for r in db.execute("SELECT * FROM stories")}
    assert set(rows) == set(got)
    ms = rows[got[0]]
    assert ms["investor"] == "Microsoft" and ms["written"] is None
    assert ms["first_published"] < ms["last_published"]
    assert group(db, config) == []  # nothing pending, nothing touched


def test_polls_in_any_feed_order_give_the_same_stories(config, tmp_path):
    from digest.store import open_db

    for seed in range(3):
        conn = open_db(tmp_path / f"s{seed}.db")
        order = list(range(len(CORPUS)))
        random.Random(seed).shuffle(order)
        ids: dict[int, int] = {}
        for batch in (order[:4], order[4:8], order[8:]):  # three polls, feeds in shuffled order
            for i in batch:
                ids[i] = store_item(conn, CORPUS[i][1], [CORPUS[i][0]])[0]
            group(conn, config)
        got = placements(conn, [ids[i] for i in range(len(CORPUS))])
        conn.close()
        assert partition(got) == EXPECTED  # ids differ: a story keeps the id it was born with


def test_a_follow_up_a_week_later_joins_and_marks_the_story_for_rewriting(db, config):
    first = [store_item(db, item, [m])[0] for m, item in CORPUS[:3]]
    (sid,) = set(group(db, config))
    db.execute("UPDATE stories SET written = '{}' WHERE id = ?", (sid,))
    before = store.story_row(db, sid)["updated_at"]
    follow_up = store_item(db, CORPUS[11][1], [CORPUS[11][0]])
    assert group(db, config) == [sid]
    assert placements(db, follow_up) == [sid]
    row = store.story_row(db, sid)
    assert row["written"] is None and row["updated_at"] >= before
    assert placements(db, first) == [sid] * 3


def test_an_editors_merge_and_split_are_stored_and_respected_by_later_polls(db, config):
    ids = [store_item(db, item, [m])[0] for m, item in CORPUS]
    group(db, config)
    got = placements(db, ids)
    ms_fr, ms_de = got[0], got[3]
    edits.merge_stories(StoryStore(db), ms_fr, ms_de)
    assert set(placements(db, [ids[0], ids[3]])) == {ms_fr}
    assert store.story_row(db, ms_de)["merged_into"] == ms_fr
    new_id = edits.split_story(StoryStore(db), ms_fr, [ids[3]])
    assert placements(db, [ids[3]]) == [new_id] and new_id != ms_de
    pinned = dict(db.execute("SELECT id, pinned FROM mentions"))
    assert pinned[ids[3]] == 1 and pinned[ids[0]] == 1
    assert [e[0] for e in story_edits.edits(db)] == ["merge", "split"]
    # a later German copy of the split-off deal joins the editor's story, not the French one
    m, item = CORPUS[3]
    later = Item(**{**vars(item), "guid": "d2", "url": "https://x.example/d2", "feed_name": "X"})
    more = store_item(db, later, [m])
    group(db, config)
    assert placements(db, more) == [new_id]
    assert placements(db, [ids[3]]) == [new_id]


def test_editor_errors_say_what_is_wrong(db, config):
    ids = [store_item(db, item, [m])[0] for m, item in CORPUS[:4]]
    group(db, config)
    got = placements(db, ids)
    with pytest.raises(edits.StoryEditError, match="no story"):
        edits.merge_stories(StoryStore(db), got[0], "st-nope")
    with pytest.raises(edits.StoryEditError, match="itself"):
        edits.merge_stories(StoryStore(db), got[0], got[0])
    with pytest.raises(edits.StoryEditError, match="not in story"):
        edits.split_story(StoryStore(db), got[0], [ids[3]])
    with pytest.raises(edits.StoryEditError, match="at least one mention"):
        edits.split_story(StoryStore(db), got[0], ids[:3])


def test_a_syndicated_copy_polled_later_follows_its_original(db, config):
    m, item = CORPUS[5]
    (orig,) = store_item(db, item, [m])
    group(db, config)
    copy_item = Item(
        **{**vars(item), "guid": "amz-copy", "url": "https://copy.example/a", "feed_name": "Copy"}
    )
    copy_item.text += " (avec AFP)"
    (copy,) = store_item(db, copy_item, [Mention(item_id=0, investor="Amazon")])
    group(db, config)
    assert placements(db, [copy]) == placements(db, [orig])


def test_a_later_poll_recalls_a_deal_stored_months_before(db, config):
    from tests.group.test_grouper import eur, item, mention

    seed = dict(kind="funding_round", beneficiary="Verdalis", round="seed", amount=eur(3e6))
    old = store_item(db, item("v1", "Verdalis lève 3 M€", "Amorçage.", days=0), [mention(**seed)])
    group(db, config)
    later = item("v9", "Verdalis lève 14 M€ en série A", "Après 3 M€ d'amorçage.", days=300)
    series_a = mention(
        kind="funding_round", beneficiary="Verdalis", round="serie_a", amount=eur(14e6)
    )
    new, recalled = store_item(db, later, [series_a, mention(**seed)])
    group(db, config)
    assert placements(db, [recalled]) == placements(db, old)
    assert placements(db, [new]) != placements(db, old)


def test_an_updated_item_read_again_rejoins_its_story(db, config):
    from digest.store import mentions as mention_store

    ids = [store_item(db, item, [m])[0] for m, item in CORPUS[:3]]
    (sid,) = set(group(db, config))
    m, item = CORPUS[1]
    item.id = db.execute("SELECT item_id FROM mentions WHERE id = ?", (ids[1],)).fetchone()[0]
    mention_store.save(db, [(item, [Mention(**{**vars(m), "id": None, "story_id": None})])])
    (again,) = db.execute("SELECT id FROM mentions WHERE item_id = ?", (item.id,)).fetchall()
    assert group(db, config) == [sid]
    assert placements(db, [again[0]]) == [sid]


def test_a_backlog_is_placed_in_chunks_of_whole_items_with_the_same_stories(
    db, config, monkeypatch
):
    from digest.group import grouper

    monkeypatch.setattr(grouper, "CHUNK", 2)  # r1's two mentions must stay together
    ids = [store_item(db, item, [m])[0] for m, item in CORPUS]
    touched = group(db, config)
    got = placements(db, ids)
    assert partition(got) == EXPECTED
    assert touched == sorted(set(got))
