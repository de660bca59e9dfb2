"""The editions store: saved once rendered, rebuilt while unsent, never changed once sent."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from digest.config import Config
from digest.edition.compose import compose
from digest.edition.render import render
from digest.models import Edition
from digest.samples.editions import WEEK_END, WEEK_START, sample_stories
from digest.store import StoreError, to_text
from digest.store import editions as store
from digest.store.stories import create_story
from tests.support.sendkit import advance


def _built(config: Config, number: int, stories=None) -> Edition:
    edition = compose(
        stories or sample_stories(),
        config,
        number=number,
        period_start=WEEK_START,
        period_end=WEEK_END,
        created_at=WEEK_END,
    )
    return render(edition, config)


@pytest.fixture
def stored(db: sqlite3.Connection) -> sqlite3.Connection:
    for story in sample_stories():
        create_story(db, story.id, to_text(WEEK_END))
    return db


def test_save_and_get_round_trip(stored: sqlite3.Connection, config: Config) -> None:
    edition = _built(config, store.next_number(stored))
    assert edition.number == 1
    store.save(stored, edition)
    again = store.get(stored, edition.id)
    assert again is not None
    assert again.html == edition.html and again.text == edition.text
    assert again.subject == edition.subject and again.state == "draft"
    assert [s.id for s in again.stories] == [s.id for s in edition.stories]
    assert again.stories[0] == edition.stories[0]  # the snapshot keeps every fact
    assert again.checks == edition.checks
    assert store.latest(stored).id == edition.id
    assert store.get(stored, "1999-01-01") is None


def test_rebuild_replaces_an_unsent_edition(stored: sqlite3.Connection, config: Config) -> None:
    strict = config.model_copy(
        update={"schedule": config.schedule.model_copy(update={"require_approval": True})}
    )
    store.save(stored, _built(strict, store.next_number(stored)))
    assert store.next_number(stored) == 1  # a draft gives its number back
    second = _built(strict, store.next_number(stored), sample_stories()[:3])
    store.save(stored, second)
    assert len(store.listing(stored)) == 1
    assert len(store.get(stored, second.id).stories) == 3


def test_a_sent_edition_is_never_replaced(stored: sqlite3.Connection, config: Config) -> None:
    edition = _built(config, 1)
    store.save(stored, edition)
    advance(stored, edition.id, "approved", "sending", "sent")
    assert store.times(stored, edition.id)["sent_at"] is not None
    assert store.next_number(stored) == 2
    with pytest.raises(StoreError, match="already sent"):
        store.save(stored, replace(edition, number=2))
    assert not store.move(stored, "nope", "draft", "approved")


def test_snapshots_come_from_sent_editions_only(
    stored: sqlite3.Connection, config: Config, tmp_path: Path
) -> None:
    edition = _built(config, 1)
    store.save(stored, edition)
    assert store.sent_story_snapshots(stored) == {}  # a draft, not sent yet
    advance(stored, edition.id, "approved", "sending", "sent")
    snapshots = store.sent_story_snapshots(stored)
    assert "s-nuage" in snapshots and "s-hydrogene" not in snapshots  # held: never sent
    assert snapshots["s-nuage"].amount == edition.stories[0].amount
    store.set_out_dir(stored, edition.id, tmp_path)
    assert store.out_dir(stored, edition.id) == tmp_path
    assert store.latest(stored, ("sent",)).id == edition.id
    assert store.latest(stored, ("draft",)) is None
