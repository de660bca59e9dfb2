"""The flow, stage after stage: poll → read → group → write → compose → render → out/.

Each stage is a function of its own module; this module only calls them in order. It is also
where a later stage's work meets an earlier one's without a back edge: the write stage notes
what changed in stories sent before, and the sender assembles the sample message of a build.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from digest.config import Config
from digest.edition import compose, lifecycle, render
from digest.models import Edition, Item, Story
from digest.send.message import build_message
from digest.send.notify import notify_editors
from digest.store import Database, history, now, story_overrides
from digest.store import editions as edition_store
from digest.store import written as written_store
from digest.store.written import WrittenStore
from digest.write import overrides, writer
from digest.write.settings import WriteSettings

log = logging.getLogger(__name__)
SAMPLE_RECIPIENT = "lectrice@example.org"


class NothingToBuild(Exception):
    """No story in the period: an edition with no story is not built."""


@dataclass
class UpdateReport:
    items_read: int
    mentions: int
    stories_touched: int
    stories_written: int


def update(db: Database, config: Config) -> UpdateReport:
    """Bring read, group and write up to date with every stored item."""
    # imported at the call: the web app and the daemon load spaCy when there is reading to do
    from digest.group import grouper
    from digest.read import reader
    from digest.store.grouping import StoryStore
    from digest.store.mentions import ReadingStore

    items_read, mentions = reader.read_pending(
        ReadingStore(db), lambda: reader.shared_reader(config)
    )
    touched = grouper.group_pending(StoryStore(db), grouper.GroupSettings.of(config))
    written = writer.write_stories(WrittenStore(db), WriteSettings.of(config))
    report = UpdateReport(items_read, mentions, len(touched), len(written))
    log.info(
        "update items_read=%d mentions=%d stories_touched=%d stories_written=%d",
        *vars(report).values(),
    )
    return report


def stories(
    db: Database, config: Config, since: datetime | None, until: datetime | None
) -> list[Story]:
    """The written stories whose items were published in [since, until)."""
    update(db, config)
    return written(db, since, until)


def written(
    db: Database, since: datetime | None, until: datetime | None, *, edition: bool = False
) -> list[Story]:
    """The written stories having an item published in [since, until) (for an edition: those
    announced in it, `load_announced`), held ones included, the most important first; the
    editors' own values over the machine's."""
    load = written_store.load_announced if edition else written_store.load_written
    found = load(db, since, until)
    edits = story_overrides.of_stories(db, [s.id for s in found])
    found = [
        overrides.apply(s, {k: o.value for k, o in edits[s.id].items()}) if s.id in edits else s
        for s in found
    ]
    return writer.ranked(found)


def choices(db: Database, edition_id: str) -> compose.Choices:
    """What editors chose for an edition: order, lead, subject, preheader, opening."""
    kept = {k: o.value for k, o in story_overrides.of_edition(db, edition_id).items()}
    return compose.Choices(
        order=kept.get("order") or [],
        lead=kept.get("lead"),
        subject=kept.get("subject") or "",
        preheader=kept.get("preheader") or "",
        opening=kept.get("opening") or "",
    )


def _local(moment: datetime, config: Config) -> str:
    """'2024-05-21 08:00 Europe/Paris': a moment as the newsletter's readers tell the time."""
    zone = config.newsletter.timezone
    return f"{moment.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M} {zone}"


def compose_edition(
    db: Database,
    config: Config,
    chosen: list[Story],
    *,
    number: int,
    period_start: datetime,
    period_end: datetime,
) -> Edition:
    """The rendered draft of these stories; those sent before come back only with news. The
    editors' choices for this edition (order, lead, wording) are kept."""
    fresh = writer.since_sent(chosen, edition_store.sent_story_snapshots(db))
    try:
        edition = compose.compose(
            fresh,
            config,
            number=number,
            period_start=period_start,
            period_end=period_end,
            created_at=now(),
            choices=choices(db, compose.edition_id(period_end, config)),
        )
    except compose.EmptyEdition as e:  # every story held back, or sent without news
        raise NothingToBuild(f"{e}; {len(chosen) - len(fresh)} sent before without news") from None
    return render.render(edition, config)


def write_out(db: Database, edition: Edition, config: Config, out_dir: Path) -> Path:
    """Write <out>/<edition-id>/: render's files and the sender's sample message.eml."""
    folder = render.write_files(edition, config, out_dir)
    sample = build_message(edition, config, to=SAMPLE_RECIPIENT, unsubscribe_url=None)
    (folder / "message.eml").write_bytes(bytes(sample))
    edition_store.set_out_dir(db, edition.id, folder)
    return folder


def build(
    db: Database,
    config: Config,
    since: datetime | None,
    until: datetime | None,
    out_dir: Path,
) -> tuple[Edition, Path]:
    """Build, store and write to disk the edition of a period (default: since the last one);
    it is approved at once unless approval is required or a blocking check failed. Every
    editor with an address is told (send.notify)."""
    update(db, config)
    moment = now()
    # A draft or held edition that never left is superseded: its period is built again.
    last = edition_store.latest(db, states=("approved", "sending", "sent"))
    since = since or (last.period_end if last else None)
    until = until or moment
    chosen = written(db, since, until, edition=True)
    if not chosen:
        start = _local(since, config) if since else "the beginning"
        raise NothingToBuild(f"no story between {start} and {_local(until, config)}")
    edition = compose_edition(
        db,
        config,
        chosen,
        number=edition_store.next_number(db),
        period_start=since or min(s.first_published or moment for s in chosen),
        period_end=until,
    )
    edition_store.save(db, edition)
    folder = write_out(db, edition, config, out_dir)
    history.record(db, edition.id, "build", "built", f"{len(edition.stories)} articles")
    edition = lifecycle.approve_if_automatic(db, edition, config.schedule.require_approval)
    notify_editors(db, config, edition)
    return edition, folder


def add_item(
    db: Database, config: Config, *, url: str, title: str, text: str, published: datetime
) -> list[str]:
    """An article no feed carried (an editor's link or pasted text), stored as an item of the
    "Ajout de la rédaction" feed and read like any item; returns the stories it went to."""
    from digest.language.detect import item_language
    from digest.poll.entries import canonical_url, content_hash
    from digest.store import items as item_store
    from digest.store import transaction

    feed_id = story_overrides.editor_feed(db)
    key = content_hash(title, text)
    item = Item(
        feed_id=feed_id,
        guid=f"editor:{key}",
        url=url,
        title=title,
        text=text,
        published=published,
        lang=item_language(title, text),
        content_hash=key,
        first_seen=now(),
    )
    with transaction(db):
        _, item_id = item_store.upsert(db, item, dated=True, canonical=canonical_url(url))
    update(db, config)
    return story_overrides.stories_of_item(db, item_id)
