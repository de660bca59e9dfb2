"""The daemon's real jobs over a real database: skip with nothing new, wait for approval, send
once to a real SMTP server, and a send slot that opens before an editor approves."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from digest.daemon.jobs import build_job, real_jobs, send_job
from digest.daemon.run import Daemon
from digest.store import editions
from digest.store import jobs as job_store
from tests.support.mailserver import Recorder, smtp_server
from tests.support.sendkit import SECRET, add_subscribers, advance, config_for, saved_edition

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGEST_SECRET", SECRET)


def test_build_with_nothing_new_is_a_skip_not_a_failure(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    config = config_for(tmp_path)
    result = build_job(db, config, tmp_path / "out")
    assert result.startswith("skipped: nothing new")
    assert editions.latest(db) is None


def test_send_skips_without_edition_and_waits_on_draft_or_held(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    config = config_for(tmp_path)
    assert send_job(db, config) == "skipped: nothing new to send"
    edition = saved_edition(db)  # a draft
    add_subscribers(db, 2)
    assert send_job(db, config) is None
    advance(db, edition.id, "held")
    assert send_job(db, config) is None
    assert not (tmp_path / "outbox").exists()


def test_approved_edition_is_sent_once_then_the_period_is_skipped(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    edition = saved_edition(db)
    addresses = add_subscribers(db, 3)
    advance(db, edition.id, "approved")
    server = Recorder()
    with smtp_server(server) as port:
        config = config_for(tmp_path, port)
        first = send_job(db, config)
        second = send_job(db, config)
    assert first is not None and first.startswith("edition 1 sent: sent 3")
    assert second is not None and second.startswith("skipped: nothing new to send")
    assert server.copies() == {a: 1 for a in addresses}
    got = editions.get(db, edition.id)
    assert got is not None and got.state == "sent"


def test_send_slot_waits_for_the_editor_then_sends_within_grace(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    edition = saved_edition(db)
    addresses = add_subscribers(db, 2)
    server = Recorder()
    with smtp_server(server) as port:
        config = config_for(tmp_path, port)
        config.schedule.days = ["tue"]
        config.schedule.require_approval = True
        daemon = Daemon(db, config, real_jobs(db, config, tmp_path / "out"))
        with time_machine.travel(datetime(2024, 5, 14, 8, 1, tzinfo=PARIS), tick=False) as clock:
            daemon.tick()
            assert server.copies() == {}
            advance(db, edition.id, "approved")  # the editor approves at 08:20
            clock.shift(timedelta(minutes=19))
            daemon.tick()
            daemon.tick()
    assert server.copies() == {a: 1 for a in addresses}
    runs = db.execute("SELECT ok, detail FROM job_runs WHERE job = 'send' ORDER BY id").fetchall()
    assert [r["ok"] for r in runs] == [0, 1]
    assert runs[0]["detail"] == "waiting for approval"
    details = {r.job: r.detail for r in job_store.last_runs(db)}
    assert details["send"].startswith("edition 1 sent")
