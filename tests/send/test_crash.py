"""Crash safety of `digest send` as a real process: killed at any moment, or stopped by SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.store import deliveries, open_db
from tests.support.mailserver import Recorder, smtp_server
from tests.support.sendkit import SECRET, add_subscribers, saved_edition, write_config

DIGEST = str(Path(sys.executable).parent / "digest")
COUNT = 150


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[Path, str, list[str]]]:
    db = open_db(tmp_path / "digest.db")
    edition = saved_edition(db)
    addresses = add_subscribers(db, COUNT)
    db.close()
    yield tmp_path, edition.id, addresses


def _digest(folder: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DIGEST_SECRET": SECRET}
    env.pop("DIGEST_SMTP_PASSWORD", None)
    command = [DIGEST, "--config", str(folder / "feeds.yaml"), "--db", str(folder / "digest.db")]
    return subprocess.Popen(
        [*command, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def _wait_for(server: Recorder, copies: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while sum(server.copies().values()) < copies:
        assert process.poll() is None, process.communicate()[0]
        assert time.monotonic() < deadline, "the sender made no progress"
        time.sleep(0.005)


@pytest.mark.parametrize("kill_after", [1, 40, 100])
def test_killed_then_resumed_every_subscriber_gets_it_and_duplicates_are_bounded(
    setup: tuple[Path, str, list[str]], kill_after: int
) -> None:
    folder, edition_id, addresses = setup
    server = Recorder(delay=0.004)
    with smtp_server(server) as port:
        write_config(folder, port, pool_size=4, rate_per_second=500)
        first = _digest(folder, "send")
        _wait_for(server, kill_after, first)
        first.send_signal(signal.SIGKILL)
        first.wait()
        before = sum(server.copies().values())
        second = _digest(folder, "send")
        output, _ = second.communicate(timeout=120)
    assert second.returncode == 0, output
    m = re.search(r"(\d+) copies were in flight when the previous run stopped", output)
    in_flight = int(m.group(1)) if m else 0
    copies = server.copies()
    assert set(copies) == set(addresses)  # everyone got the edition
    twice = [a for a, n in copies.items() if n == 2]
    assert max(copies.values()) <= 2
    assert len(twice) <= in_flight <= 2 * 4  # at most what was in flight; at most the window
    assert before < COUNT  # the kill did interrupt the run
    db = open_db(folder / "digest.db")
    assert deliveries.counts(db, edition_id)["sent"] == COUNT
    db.close()


def test_sigterm_finishes_copies_in_flight_and_stops_cleanly(
    setup: tuple[Path, str, list[str]],
) -> None:
    folder, edition_id, addresses = setup
    server = Recorder(delay=0.004)
    with smtp_server(server) as port:
        write_config(folder, port, pool_size=4, rate_per_second=500)
        first = _digest(folder, "send")
        _wait_for(server, 30, first)
        first.send_signal(signal.SIGTERM)
        output, _ = first.communicate(timeout=60)
        assert first.returncode == 1 and "stopped on request" in output, output
        db = open_db(folder / "digest.db")
        counts = deliveries.counts(db, edition_id)
        assert counts["sending"] == 0  # nothing left claimed: no possible duplicate
        assert counts["sent"] == sum(server.copies().values()) < COUNT
        db.close()
        second = _digest(folder, "send")
        output, _ = second.communicate(timeout=120)
    assert second.returncode == 0, output
    assert "in flight" not in output
    assert server.copies() == {a: 1 for a in addresses}
