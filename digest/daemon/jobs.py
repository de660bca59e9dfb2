"""The daemon's real jobs: poll the feeds, build the edition, send it once approved, and read
the mailbox of replies (mailto unsubscribes, bounces) when `inbox:` is configured, and once a
day empty the text of old items (`retention:`).

Each job returns the one line `digest status` shows; send returns None while the edition waits
for an editor (a draft, or held), so that its slot stays open until the grace period ends. Each
poll also tops up the latest edition sent less than a day ago: subscribers confirmed while it was
going out (or since) get their copy.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from digest import flow
from digest.config import Config
from digest.daemon.run import Jobs
from digest.poll.poller import poll_feeds
from digest.send.inbox import import_inbox
from digest.send.mailing import send_latest, top_up
from digest.send.sender import SendFailed
from digest.store import Database, editions, now
from digest.store.retention import drop_old_texts

log = logging.getLogger(__name__)


class SendIncomplete(Exception):
    """Copies are still to send; the daemon tries again at its next tick."""


def poll_job(db: Database, config: Config) -> str:
    return poll_feeds(db, config, only_due=True).summary()


def top_up_job(db: Database, config: Config, stop: threading.Event | None = None) -> str | None:
    """The latest sent edition to newly active subscribers; None when nobody waits for it."""
    try:
        report = top_up(db, config, stop=stop)
    except SendFailed as e:
        raise SendIncomplete(f"top-up of the latest edition: {e}") from None
    if report is None:
        return None
    line = f"edition topped up: {report.summary()}"
    if report.remaining:
        raise SendIncomplete(f"{line}; tried again at the next poll")
    return line


def _poll_and_top_up(db: Database, config: Config, stop: threading.Event | None) -> str:
    polled = poll_job(db, config)
    topped = top_up_job(db, config, stop)
    return f"{polled}; {topped}" if topped else polled


def build_job(db: Database, config: Config, out_dir: Path) -> str:
    """Build the edition since the last one; a period with nothing new is skipped, not failed."""
    try:
        edition, folder = flow.build(db, config, None, None, out_dir)
    except flow.NothingToBuild as e:  # also an edition left empty (all held or sent)
        return f"skipped: nothing new ({e})"
    waiting = ""
    if edition.state == "draft":
        failed = [c.name for c in edition.checks if not c.ok]
        why = f"checks failed: {', '.join(failed)}" if failed else "require_approval is true"
        waiting = f", awaiting approval ({why})"
    return (
        f"edition {edition.number} ({edition.id}) built: {len(edition.stories)} stories,"
        f" {edition.state}{waiting}; {folder}"
    )


def send_job(db: Database, config: Config, stop: threading.Event | None = None) -> str | None:
    """Send the latest edition once approved: None while it waits for an editor."""
    edition = editions.latest(db)
    if edition is None or edition.state == "sent":
        last = f" (edition {edition.number} is {edition.state})" if edition else ""
        return f"skipped: nothing new to send{last}"
    if edition.state in ("draft", "held"):
        log.info("send edition=%s state=%s waiting", edition.id, edition.state)
        return None
    report = send_latest(db, config, stop=stop)
    if report.remaining:
        raise SendIncomplete(
            f"edition {edition.number}: {report.summary()}; {report.remaining} copies still to"
            " send, tried again at the next tick"
        )
    return f"edition {edition.number} sent: {report.summary()}"


def inbox_job(db: Database, config: Config) -> str:
    """The IMAP folder of `inbox:`: unseen mails handled, then marked seen."""
    return import_inbox(db, config).summary()


def prune_job(db: Database, config: Config) -> str:
    days = config.retention.items_days
    return f"{drop_old_texts(db, days, now())} item texts older than {days} days emptied"


def real_jobs(
    db: Database, config: Config, out_dir: Path, stop: threading.Event | None = None
) -> Jobs:
    """The jobs `digest run` schedules, over one database connection."""
    return Jobs(
        poll=lambda: _poll_and_top_up(db, config, stop),
        build=lambda: build_job(db, config, out_dir),
        send=lambda: send_job(db, config, stop),
        inbox=(lambda: inbox_job(db, config)) if config.inbox is not None else None,
        prune=(lambda: prune_job(db, config)) if config.retention.items_days else None,
    )
