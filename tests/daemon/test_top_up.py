"""The daemon tops up the latest edition: subscribers confirmed while it was going out (or since)
get their copy at the next poll, within a day of its sending; `digest status` exits 1 when no
daemon runs."""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from digest.cli import main
from digest.daemon.jobs import real_jobs, send_job
from digest.daemon.run import single_instance
from digest.store import now, open_db, to_text
from digest.store import subscribers as subscriber_store
from tests.support.mailserver import Recorder, smtp_server
from tests.support.sendkit import SECRET, add_subscribers, advance, config_for, saved_edition


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGEST_SECRET", SECRET)


def test_newcomers_get_the_edition_sent_less_than_a_day_ago(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    edition = saved_edition(db)
    first = add_subscribers(db, 2)
    advance(db, edition.id, "approved")
    server = Recorder()
    with smtp_server(server) as port:
        config = config_for(tmp_path, port)
        jobs = real_jobs(db, config, tmp_path / "out")
        assert (send_job(db, config) or "").startswith("edition 1 sent: sent 2")
        assert "topped up" not in jobs.poll()  # nobody waits
        late = subscriber_store.insert(db, "tardif@exemple.fr", state="pending")
        subscriber_store.set_state(db, late.id or 0, "active", only_from=("pending",))
        polled = jobs.poll()
        assert "edition topped up: sent 1" in polled
        assert "edition topped up" not in jobs.poll()  # once
        db.execute("UPDATE editions SET sent_at = ?", (to_text(now() - timedelta(hours=25)),))
        subscriber_store.insert(db, "trop-tard@exemple.fr", state="active")
        assert "topped up" not in jobs.poll()  # a day later, the next edition is theirs
    assert server.copies() == {**{a: 1 for a in first}, "tardif@exemple.fr": 1}


def run_status(folder: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    config = config_for(folder)
    db = folder / "digest.db"
    monkeypatch.setattr(sys, "argv", ["digest", "--config", str(config.path), "--db", str(db)])
    sys.argv.append("status")
    with pytest.raises(SystemExit) as stopped:
        main()
        sys.exit(0)
    return stopped.value.code or 0


def test_status_exits_1_when_the_daemon_is_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    open_db(tmp_path / "digest.db").close()
    assert run_status(tmp_path, monkeypatch) == 1
    assert "the daemon is not running" in capsys.readouterr().err
    with single_instance(tmp_path / "digest.db"):
        assert run_status(tmp_path, monkeypatch) == 0
    assert f"running (pid {os.getpid()})" in capsys.readouterr().out
