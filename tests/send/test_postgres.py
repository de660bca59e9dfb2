"""Several `digest send` on one PostgreSQL database, as on several machines: they share the
edition without doubles, and the claims of one killed mid-way are taken over once its lease ends."""

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

from digest.store import deliveries, now, open_db, to_text
from tests.support import postgres
from tests.support.mailserver import Recorder, smtp_server
from tests.support.sendkit import SECRET, add_subscribers, saved_edition, write_config

DIGEST = str(Path(sys.executable).parent / "digest")
COUNT = 300


@pytest.fixture
def setup(postgres_server: str, tmp_path: Path) -> Iterator[tuple[Path, str, str, list[str]]]:
    url = postgres.fresh(postgres_server)
    db = open_db(url)
    edition = saved_edition(db)
    addresses = add_subscribers(db, COUNT)
    db.close()
    yield tmp_path, url, edition.id, addresses
    postgres.drop(url)


def _digest(folder: Path, url: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DIGEST_SECRET": SECRET}
    env.pop("DIGEST_SMTP_PASSWORD", None)
    command = [DIGEST, "--config", str(folder / "feeds.yaml"), "--db", url]
    return subprocess.Popen(
        [*command, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def _wait_until(done: object, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not done():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.01)


def _sent(output: str) -> int:
    m = re.search(r"sent (\d+),", output)
    assert m, output
    return int(m.group(1))


def test_two_senders_share_the_edition_and_no_one_gets_two_copies(
    setup: tuple[Path, str, str, list[str]],
) -> None:
    folder, url, edition_id, addresses = setup
    server = Recorder(delay=0.004)
    with smtp_server(server) as port:
        write_config(folder, port, pool_size=2, rate_per_second=100)
        first = _digest(folder, url, "send")
        second = _digest(folder, url, "send")
        outputs = [p.communicate(timeout=120)[0] for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, outputs
    assert server.copies() == {a: 1 for a in addresses}
    shares = [_sent(o) for o in outputs]
    assert sum(shares) == COUNT and min(shares) > 0, shares  # both did part of the work
    db = open_db(url)
    assert deliveries.counts(db, edition_id)["sent"] == COUNT
    db.close()


def test_a_sender_killed_beside_another_loses_nothing_once_its_lease_ends(
    setup: tuple[Path, str, str, list[str]],
) -> None:
    folder, url, edition_id, addresses = setup
    # a slow server (40 copies/s per sender, under its rate): the killed sender always has
    # copies in flight, which a fast one (done in 4 ms) often had not at the moment of the kill
    server = Recorder(delay=0.1)
    db = open_db(url)
    with smtp_server(server) as port:
        write_config(folder, port, pool_size=4, rate_per_second=100)
        doomed = _digest(folder, url, "send")
        _wait_until(lambda: sum(server.copies().values()) >= 20, "the first sender sent nothing")
        survivor = _digest(folder, url, "send")
        _wait_until(
            lambda: sum(server.copies().values()) >= 60 or survivor.poll() is not None,
            "no progress",
        )
        doomed.send_signal(signal.SIGKILL)
        doomed.wait()
        # the survivor sends everything else, then waits on the dead sender's claims
        quiet = _Quiet(server)
        _wait_until(
            lambda: quiet() and deliveries.counts(db, edition_id)["pending"] == 0,
            "the survivor did not send the rest",
        )
        orphans = deliveries.counts(db, edition_id)["sending"]
        assert survivor.poll() is None and 0 < orphans <= 2 * 4  # at most the window
        lapsed = to_text(now() - deliveries.LEASE * 2)
        db.execute(  # as if the lease had run out
            "UPDATE deliveries SET claimed_at = ? WHERE edition_id = ? AND state = 'sending'",
            (lapsed, edition_id),
        )
        output, _ = survivor.communicate(timeout=60)
    assert survivor.returncode == 0, output
    copies = server.copies()
    assert set(copies) == set(addresses)  # nothing lost
    twice = [a for a, n in copies.items() if n > 1]
    assert max(copies.values()) <= 2 and len(twice) <= orphans  # only the killed one's in flight
    assert deliveries.counts(db, edition_id)["sent"] == COUNT
    db.close()


class _Quiet:
    """True once no copy has reached the server for half a second."""

    def __init__(self, server: Recorder) -> None:
        self.server, self.total, self.since = server, -1, 0.0

    def __call__(self) -> bool:
        total = sum(self.server.copies().values())
        if total != self.total:
            self.total, self.since = total, time.monotonic()
        return time.monotonic() - self.since > 0.5
