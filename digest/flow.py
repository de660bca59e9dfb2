"""The flow, stage after stage: poll → read → group → write → compose → render → out/.

Each stage is a function of its own module; this module only calls them in order.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from digest.config import Config
from digest.edition import compose, render
from digest.models import Edition, Story
from digest.store import editions as edition_store
from digest.store import now
from digest.store import written as written_store

log = logging.getLogger(__name__)


class NothingToBuild(Exception):
    """No story in the period: an edition with no story is not built."""


@dataclass
class UpdateReport:
    items_read: int
    mentions: int
    stories_touched: int
    stories_written: int


def update(db: sqlite3.Connection, config: Config) -> UpdateReport:
    """Bring read, group and write up to date with every stored item."""
    # imported at the call: the web app and the daemon load spaCy when there is reading to do
    from digest.group import grouper
    from digest.read import reader
    from digest.write import writer

    items_read, mentions = reader.read_pending(db, config)
    touched = grouper.group_pending(db, config)
    written = writer.write_stories(db, config)
    report = UpdateReport(items_read, mentions, len(touched), len(written))
    log.info(
        "update items_read=%d mentions=%d stories_touched=%d stories_written=%d",
        *vars(report).values(),
    )
    return report


def stories(
    db: sqlite3.Connection, config: Config, since: datetime | None, until: datetime | None
) -> list[Story]:
    """The written stories whose items were published in [since, until)."""
    update(db, config)
    return written_store.load_written(db, since, until)


def _local(moment: datetime, config: Config) -> str:
    """'2024-05-21 08:00 Europe/Paris': a moment as the newsletter's readers tell the time."""
    zone = config.newsletter.timezone
    return f"{moment.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M} {zone}"


def build(
    db: sqlite3.Connection,
    config: Config,
    since: datetime | None,
    until: datetime | None,
    out_dir: Path,
) -> tuple[Edition, Path]:
    """Build, store and write to disk the edition of a period (default: since the last one)."""
    update(db, config)
    moment = now()
    # A draft or held edition that never left is superseded: its period is built again.
    last = edition_store.latest(db, states=("approved", "sending", "sent"))
    since = since or (last.period_end if last else None)
    until = until or moment
    chosen = written_store.load_written(db, since, until)
    if not chosen:
        start = _local(since, config) if since else "the beginning"
        raise NothingToBuild(f"no story between {start} and {_local(until, config)}")
    try:
        edition = compose.compose(
            chosen,
            config,
            number=edition_store.next_number(db),
            period_start=since or min(s.first_published or moment for s in chosen),
            period_end=until,
            created_at=moment,
            sent_before=edition_store.sent_story_snapshots(db),
        )
    except compose.EmptyEdition as e:  # every story held back, or sent without news
        raise NothingToBuild(str(e)) from None
    edition = render.render(edition, config)
    edition_store.save(db, edition)
    folder = render.write_files(edition, config, out_dir)
    edition_store.set_out_dir(db, edition.id, folder)
    return edition, folder
