"""16.9: the sign-up answer does not tell who subscribes. Addresses already stored (active,
pending, unsubscribed, bounced) and unknown ones get the same page in the same time: the
confirmation mail (through a real SMTP server here) is sent after the answer."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import httpx

from digest.store import open_db
from digest.store import subscribers as store
from tests.security.server import digest_serve
from tests.support.mailserver import Recorder, smtp_server
from tests.support.webserver import csrf_of

TRIES = 30
STATES = ("active", "pending", "unsubscribed", "bounced")


def _sign_up(client: httpx.Client, email: str, n: int) -> tuple[float, str]:
    headers = {"X-Forwarded-For": f"198.51.{n // 200}.{n % 200}"}  # clients through the proxy
    token = csrf_of(client.get("/subscribe", headers=headers))
    started = time.perf_counter()
    answer = client.post("/subscribe", data={"csrf": token, "email": email}, headers=headers)
    took = time.perf_counter() - started
    assert answer.status_code == 200
    return took, answer.text.replace(email, "ADDRESS")


def test_known_and_unknown_addresses_answer_alike(tmp_path: Path) -> None:
    db_path = tmp_path / "timing.db"
    db = open_db(db_path)
    for state in STATES:
        rows = [(f"{state}{i}@exemple.fr", "") for i in range(TRIES + 3)]
        store.insert_many(db, rows, state=state, source="test")  # type: ignore[arg-type]
    db.close()
    recorder = Recorder()
    with (
        smtp_server(recorder) as port,
        digest_serve(tmp_path, {"trusted_proxies": ["127.0.0.1"]}, port, db_path) as served,
        httpx.Client(base_url=served.url) as client,
    ):
        for i in range(3):  # warm-up: first imports, first connections
            _sign_up(client, f"active{TRIES + i}@exemple.fr", 500 + i)
            _sign_up(client, f"warm{i}@exemple.fr", 600 + i)
        known, unknown, pages = [], [], set()
        for i in range(TRIES):
            time.sleep(0.1)  # the previous sign-up's mail is gone: measure the request alone
            took, page = _sign_up(client, f"{STATES[i % len(STATES)]}{i}@exemple.fr", 2 * i)
            known.append(took)
            pages.add(page)
            time.sleep(0.1)
            took, page = _sign_up(client, f"nouveau{i}@exemple.fr", 2 * i + 1)
            unknown.append(took)
            pages.add(page)
    assert len(pages) == 1  # the same page, word for word
    gap_ms = abs(statistics.median(known) - statistics.median(unknown)) * 1000
    # how often an unknown address answers slower than a known one: 0.5 is a coin toss
    slower = sum(u > k for u in unknown for k in known) / (TRIES * TRIES)
    assert gap_ms < 3, f"medians differ by {gap_ms:.1f} ms"
    assert 0.15 < slower < 0.85, f"an unknown address is slower {slower:.0%} of the time"
    assert recorder.copies()["nouveau0@exemple.fr"] == 1  # and the mail did go
