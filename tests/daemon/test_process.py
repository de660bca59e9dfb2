"""`digest run` as a real process: one daemon per database, a clean stop on SIGTERM and Ctrl-C,
and `digest status` reading what it did."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from digest.daemon.run import lock_holder

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Locale</title><link>https://locale.example.com/</link>
<description>Essai</description>
<item><title>Une usine à Lyon</title><link>https://locale.example.com/usine</link>
<guid>usine-1</guid><pubDate>Tue, 14 May 2024 08:00:00 +0000</pubDate>
<description>Une entreprise annonce une usine.</description></item>
</channel></rss>
"""


def digest_command(*args: str) -> list[str]:
    script = Path(sys.executable).parent / "digest"
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-c", "from digest.cli import main; main()", *args]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "feed.xml").write_text(FEED, encoding="utf-8")
    (tmp_path / "feeds.yaml").write_text(
        "feeds:\n  - {name: Locale, url: feed.xml}\n"
        "schedule: {poll_every_minutes: 30, grace_minutes: 0,"
        " days: [mon, tue, wed, thu, fri, sat, sun]}\n",
        encoding="utf-8",
    )
    return tmp_path


def _cli(workdir: Path, *args: str) -> list[str]:
    return digest_command(
        "--config", str(workdir / "feeds.yaml"), "--db", str(workdir / "d.db"), *args
    )


def _wait_until_polled(workdir: Path, proc: subprocess.Popen) -> None:
    """Until the daemon holds its lock and has recorded its first poll (or died)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if (workdir / "d.db").exists() and lock_holder(workdir / "d.db") == proc.pid:
            db = sqlite3.connect(workdir / "d.db")  # read only: the daemon migrates it
            try:
                done = db.execute("SELECT 1 FROM job_runs WHERE job = 'poll' AND ok = 1")
                if done.fetchone():
                    return
            except sqlite3.OperationalError:
                pass  # not migrated yet
            finally:
                db.close()
        time.sleep(0.2)
    raise AssertionError(f"the daemon did not start: {proc.poll()=}")


def _start(workdir: Path) -> subprocess.Popen:
    env = {**os.environ, "DIGEST_SECRET": "test-secret-0123456789abcdef"}
    return subprocess.Popen(
        _cli(workdir, "run"),
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "ctrl-c"])
def test_one_daemon_per_database_and_a_clean_stop(workdir: Path, stop_signal: int) -> None:
    first = _start(workdir)
    try:
        _wait_until_polled(workdir, first)
        second = subprocess.run(
            _cli(workdir, "run"), cwd=workdir, capture_output=True, text=True, timeout=120
        )
        assert second.returncode == 1
        assert "another digest daemon is already running" in second.stderr
        assert f"pid {first.pid}" in second.stderr
        status = subprocess.run(
            _cli(workdir, "status"), cwd=workdir, capture_output=True, text=True, timeout=120
        )
        assert status.returncode == 0, status.stderr
        assert f"Daemon: running (pid {first.pid})" in status.stdout
        assert "1 feeds polled: 1 ok" in status.stdout
        first.send_signal(stop_signal)
        stdout, stderr = first.communicate(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 0, stderr
    assert "digest daemon stopped" in stdout
    assert lock_holder(workdir / "d.db") is None
    after = subprocess.run(
        _cli(workdir, "status"), cwd=workdir, capture_output=True, text=True, timeout=120
    )
    assert "Daemon: not running" in after.stdout
