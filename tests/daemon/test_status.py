"""`digest status`: next runs in the newsletter's time, last results, failing feeds, pending
deliveries, from a real database that a real poll and a real job run filled."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from digest.config import load_config
from digest.daemon.status import gather, lines
from digest.poll.poller import poll_feeds
from digest.store import deliveries
from digest.store import jobs as job_store
from tests.support.sendkit import add_subscribers, saved_edition

PARIS = ZoneInfo("Europe/Paris")


def test_status_reports_runs_failures_and_pending_copies(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(
        "feeds:\n  - {name: Disparu, url: missing.xml}\n"
        "schedule: {build_at: '07:30', send_at: '08:00', days: [tue, wed], grace_minutes: 120}\n",
        encoding="utf-8",
    )
    config = load_config(path)
    poll_feeds(db, config)  # the file does not exist: the feed fails
    edition = saved_edition(db)
    add_subscribers(db, 3)
    deliveries.ensure(db, edition.id)
    moment = datetime(2024, 5, 14, 8, 10, tzinfo=PARIS)
    run = job_store.start(db, "build", datetime(2024, 5, 14, 7, 30, tzinfo=PARIS), moment)
    job_store.finish(db, run, False, "failed: disk full", moment)

    text = "\n".join(lines(gather(db, config, tmp_path / "test.db", moment)))

    assert "Daemon: not running" in text
    assert "build  Tue 2024-05-14 07:30 CEST  (due, not built yet, open until 09:30)" in text
    assert "send   Tue 2024-05-14 08:00 CEST  (due, not sent yet, open until 10:00)" in text
    assert "build  Wed 2024-05-15 07:30 CEST" in text
    assert "build  Tue 2024-05-14 08:10 CEST  FAILED: failed: disk full" in text
    assert "Failing feeds: 1" in text and "Disparu (failing, 1 errors" in text
    assert "Pending deliveries: 3" in text
    assert f"edition 1 ({edition.id}, draft): 3 pending" in text
