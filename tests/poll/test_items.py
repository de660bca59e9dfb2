"""Items as stored by a poll of file feeds: de-duplication, updates, dates, clean text, and the
feeds table following feeds.yaml."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from digest.config import Config, load_config
from digest.poll.poller import poll_feeds
from digest.store import feeds as feed_store
from digest.store import items as item_store
from digest.store import now
from tests.support.pollserver import rss


def write_config(tmp_path: Path, feeds: list[dict[str, object]]) -> Config:
    path = tmp_path / "feeds.yaml"
    path.write_text(yaml.safe_dump({"feeds": feeds}), encoding="utf-8")
    return load_config(path)


def one_feed(tmp_path: Path, items: list[dict[str, str]], **extra: object) -> Config:
    (tmp_path / "feed.xml").write_bytes(rss(items))
    return write_config(tmp_path, [{"name": "Local", "url": "feed.xml", **extra}])


def by_title(db) -> dict[str, object]:
    return {i.title: i for i in item_store.unread(db)}


def test_items_are_stored_once_and_an_edit_updates_the_item_and_asks_for_a_new_read(tmp_path, db):
    items = [
        {"title": "Alpha lève 3 M€", "guid": "a", "link": "https://ex.org/a", "description": "v1"},
        {"title": "Beta", "guid": "b", "link": "https://ex.org/b", "description": "b"},
    ]
    config = one_feed(tmp_path, items)
    assert poll_feeds(db, config).new_items == 2
    again = poll_feeds(db, config)
    assert (again.new_items, again.updated_items) == (0, 0)
    ids = [i.id for i in item_store.unread(db)]
    item_store.mark_read(db, ids)
    assert item_store.unread(db) == []

    items[0] = {**items[0], "title": "Alpha lève 4 M€", "description": "v2"}
    config = one_feed(tmp_path, items)
    report = poll_feeds(db, config)
    assert (report.new_items, report.updated_items) == (0, 1)
    [changed] = item_store.unread(db)
    assert (changed.id, changed.title, changed.text) == (ids[0], "Alpha lève 4 M€", "v2")
    assert item_store.get(db, ids)[1].title == "Beta"


def test_without_guid_the_canonical_link_then_the_content_identify_an_item(tmp_path, db):
    items = [
        {"title": "Linked", "link": "https://www.ex.org/x?utm_source=rss&id=7#top"},
        {"title": "Bare", "description": "nothing but content"},
    ]
    config = one_feed(tmp_path, items)
    poll_feeds(db, config)
    # the tracking parameter changes, the order changes: still the same two items
    items = [
        {"title": "Bare", "description": "nothing but content"},
        {"title": "Linked", "link": "https://ex.org/x?id=7&utm_medium=email&fbclid=abc"},
    ]
    config = one_feed(tmp_path, items)
    report = poll_feeds(db, config)
    assert (report.new_items, report.updated_items) == (0, 0)
    stored = by_title(db)
    assert stored["Linked"].url == "https://www.ex.org/x?utm_source=rss&id=7#top"
    assert stored["Linked"].guid == "link:https://ex.org/x?id=7"
    assert stored["Bare"].guid.startswith("hash:")


def test_one_guid_on_different_links_is_never_merged_and_versions_keep_the_newest(tmp_path, db):
    day = "Mon, 15 Jan 2024 10:00:00 GMT"
    later = "Wed, 17 Jan 2024 10:00:00 GMT"
    items = [
        {"title": "A original", "guid": "dup", "link": "https://ex.org/a", "pubDate": day},
        {"title": "B other", "guid": "dup", "link": "https://ex.org/b", "pubDate": day},
        {"title": "A original", "guid": "dup", "link": "https://ex.org/a", "pubDate": day},
        {"title": "A updated", "guid": "dup", "link": "https://ex.org/a", "pubDate": later},
        {"title": "Same twice", "description": "no guid, no link"},
        {"title": "Same twice", "description": "no guid, no link"},
    ]
    config = one_feed(tmp_path, items)
    assert poll_feeds(db, config).new_items == 3
    assert set(by_title(db)) == {"A updated", "B other", "Same twice"}
    assert poll_feeds(db, config).updated_items == 0  # stable from one poll to the next


def test_the_same_article_in_two_feeds_is_one_article(tmp_path, db):
    article = {
        "title": "Gamma lève 10 M€",
        "guid": "g1",
        "link": "https://gamma.fr/news?xtor=RSS-1",
    }
    (tmp_path / "one.xml").write_bytes(rss([article]))
    (tmp_path / "two.xml").write_bytes(
        rss([{**article, "guid": "other-id", "link": "http://www.gamma.fr/news"}])
    )
    config = write_config(
        tmp_path, [{"name": "One", "url": "one.xml"}, {"name": "Two", "url": "two.xml"}]
    )
    poll_feeds(db, config)
    stored = sorted(item_store.unread(db), key=lambda i: i.id)
    assert len(stored) == 2
    assert stored[0].duplicate_of is None and stored[1].duplicate_of == stored[0].id


def test_dates_are_utc_and_fall_back_to_first_seen_future_dates_are_clamped(tmp_path, db):
    future = (datetime.now(UTC) + timedelta(days=30)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    items = [
        {"title": "paris", "guid": "1", "pubDate": "Mon, 15 Jan 2024 10:00:00 +0100"},
        {"title": "none", "guid": "2"},
        {"title": "zero", "guid": "3", "pubDate": "0000-00-00T00:00:00Z"},
        {"title": "old", "guid": "4", "pubDate": "Mon, 01 Jan 1900 00:00:00 GMT"},
        {"title": "future", "guid": "5", "pubDate": future},
        {"title": "français", "guid": "6", "pubDate": "lundi 15 janvier 2024 10h30"},
        {"title": "numérique", "guid": "7", "pubDate": "1er août 2024 à 9h"},
    ]
    before = now()
    poll_feeds(db, one_feed(tmp_path, items))
    after = now()
    stored = by_title(db)
    assert stored["paris"].published == datetime(2024, 1, 15, 9, 0, tzinfo=UTC)
    assert stored["français"].published == datetime(2024, 1, 15, 9, 30, tzinfo=UTC)  # Paris time
    assert stored["numérique"].published == datetime(2024, 8, 1, 7, 0, tzinfo=UTC)  # summer time
    for title in ("none", "zero", "old", "future"):
        assert stored[title].published.tzinfo is not None
        assert before <= stored[title].published <= after, title


def test_a_negative_year_falls_back_to_first_seen_not_to_the_year_2000(tmp_path, db):
    # PHP's zero date: feedparser reads it as 2000-01-01, which the 1990 guard would let pass
    items = [{"title": "php", "guid": "1", "pubDate": "-0001-11-30T00:00:00+00:00"}]
    before = now()
    poll_feeds(db, one_feed(tmp_path, items))
    after = now()
    assert before <= by_title(db)["php"].published <= after


def test_text_is_plain_safe_and_links_are_http_only(tmp_path, db):
    html = (
        "<p>Delta lève <b>5&nbsp;M&euro;</b>.</p><script>alert(1)</script>"
        "<style>p{color:red}</style><p>Suite &amp; fin\x07.</p>"
    )
    items = [
        {
            "title": "<b>Delta</b> &amp; co",
            "guid": "d",
            "link": "java\tscript:alert(1)",
            "description": html,
        },
        {"title": "Epsilon", "guid": "e", "link": "&#106;avascript:alert(1)"},
        {"title": "Zeta", "guid": "z", "link": "https://zeta.fr/a"},
    ]
    poll_feeds(db, one_feed(tmp_path, items, lang="en"))
    stored = by_title(db)
    delta = stored["Delta & co"]
    assert delta.text == "Delta lève 5\u00a0M€.\nSuite & fin."
    assert delta.url == "" and stored["Epsilon"].url == ""
    assert stored["Zeta"].url == "https://zeta.fr/a"
    assert delta.lang == "en" and delta.feed_name == "Local"


def test_feeds_follow_feeds_yaml_by_url(tmp_path, db):
    (tmp_path / "a.xml").write_bytes(rss([{"title": "a", "guid": "a"}]))
    (tmp_path / "b.xml").write_bytes(rss([{"title": "b", "guid": "b"}]))
    config = write_config(tmp_path, [{"name": "A", "url": "a.xml"}, {"name": "B", "url": "b.xml"}])
    poll_feeds(db, config)
    config = write_config(tmp_path, [{"name": "A renamed", "url": "a.xml", "priority": 5}])
    report = poll_feeds(db, config)
    assert [o.name for o in report.outcomes] == ["A renamed"]
    listed = {f.name: f for f in feed_store.listed(db)}
    assert listed["A renamed"].priority == 5 and listed["A renamed"].active
    assert not listed["B"].active and listed["B"].items_seen == 1  # deactivated, items kept
    assert listed["A renamed"].url == (tmp_path / "a.xml").resolve().as_uri()
    assert len(item_store.unread(db)) == 2
