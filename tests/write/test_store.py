"""write_stories and load_written over a real SQLite store, after the real group stage."""

from __future__ import annotations

from datetime import timedelta

from digest.models import Amount
from digest.store import written as written_store
from digest.store.written import WrittenStore
from digest.write.settings import WriteSettings
from digest.write.writer import ranked, write_stories
from tests.group.test_store import group, store_item
from tests.write.test_writer import T0, microsoft, round_pairs


def test_stories_are_written_once_then_again_only_when_their_mentions_change(db, config):
    for m, item in microsoft()[:2] + round_pairs():
        store_item(db, item, [m])
    group(db, config)
    first = write_stories(WrittenStore(db), WriteSettings.of(config))
    assert len(first) == 2
    assert all(s.headline and s.summary and not s.held_reason for s in first)
    assert (
        write_stories(WrittenStore(db), WriteSettings.of(config)) == []
    )  # nothing changed, nothing rewritten
    m, item = microsoft()[2]
    store_item(db, item, [m])
    group(db, config)
    (again,) = write_stories(WrittenStore(db), WriteSettings.of(config))
    assert again.investor == "Microsoft" and len(again.sources) == 3


def test_load_written_selects_by_publication_and_an_edition_by_announcement(db, config):
    for m, item in microsoft() + round_pairs():
        store_item(db, item, [m])
    group(db, config)
    write_stories(WrittenStore(db), WriteSettings.of(config))
    stories = ranked(written_store.load_written(db, None, None))
    assert [s.investor or s.beneficiary for s in stories] == ["Microsoft", "Qontrol"]
    later = (T0 + timedelta(hours=2), T0 + timedelta(hours=5))
    assert [s.investor for s in written_store.load_written(db, *later)] == ["Microsoft"]
    first = written_store.load_announced(db, T0 + timedelta(hours=1), T0 + timedelta(hours=5))
    assert [s.investor for s in first] == ["Microsoft"]  # announced at 9:00
    # its items of 10:00 and 11:00 tell a deal announced before: not this edition's news
    assert written_store.load_announced(db, *later) == []
    assert written_store.load_written(db, None, T0 + timedelta(hours=1)) == []


def test_held_stories_are_loaded_with_their_reason(db, config):
    pairs = microsoft()
    for m, _ in pairs:
        m.amount = Amount(4.5e9, "EUR")  # a figure no source gives
    for m, item in pairs:
        store_item(db, item, [m])
    group(db, config)
    write_stories(WrittenStore(db), WriteSettings.of(config))
    (story,) = written_store.load_written(db, None, None)
    assert story.held_reason and "4,5 milliards" in story.held_reason


def test_a_story_sent_before_comes_back_in_a_later_period_only_through_its_new_items(db, config):
    from digest.edition.compose import compose
    from digest.edition.render import render
    from digest.store import editions as edition_store
    from tests.support.sendkit import advance

    for m, item in microsoft()[:1]:
        store_item(db, item, [m])
    group(db, config)
    write_stories(WrittenStore(db), WriteSettings.of(config))
    (story,) = written_store.load_written(db, None, None)
    edition = compose(
        [story], config, number=1, period_start=T0, period_end=T0 + timedelta(hours=2),
        created_at=T0 + timedelta(hours=2),
    )  # fmt: skip
    edition_store.save(db, render(edition, config))
    later = (T0 + timedelta(hours=2), T0 + timedelta(hours=5))
    for m, item in microsoft()[1:]:
        store_item(db, item, [m])
    group(db, config)
    write_stories(WrittenStore(db), WriteSettings.of(config))
    assert written_store.load_announced(db, *later) == []  # built, never sent: not news again
    advance(db, edition.id, "approved", "sending", "sent")
    assert [s.id for s in written_store.load_announced(db, *later)] == [story.id]
