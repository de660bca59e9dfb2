"""16.9: the sign-up answer does not tell who subscribes. Addresses already stored (active,
pending, unsubscribed, bounced) and unknown ones get the same page in the same time: the
confirmation mail (through a real SMTP server here) is sent after the answer. Before, the
unknown ones took the time of an insert and an SMTP conversation, tens of milliseconds."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from digest.store import open_db
from digest.store import subscribers as store
from tests.security.server import Served, client_from, digest_serve
from tests.support.mailserver import Recorder, smtp_server
from tests.support.webserver import csrf_of

TRIES = 30
STATES = ("active", "pending", "unsubscribed", "bounced")


def _sign_up(served: Served, email: str, n: int) -> tuple[float, str]:
    with client_from(served, n) as client:  # each from its own address: no per-client limit
        token = csrf_of(client.get("/subscribe"))
        started = time.perf_counter()
        answer = client.post("/subscribe", data={"csrf": token, "email": email})
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
        digest_serve(tmp_path, smtp_port=port, db=db_path) as served,
    ):
        for i in range(3):  # warm-up: first imports, first connections
            _sign_up(served, f"active{TRIES + i}@exemple.fr", 500 + i)
            _sign_up(served, f"warm{i}@exemple.fr", 600 + i)
        known, unknown, pages = [], [], set()
        for i in range(TRIES):
            pair = [(known, f"{STATES[i % len(STATES)]}{i}@exemple.fr"), (unknown, f"new{i}@x.fr")]
            for times, email in pair[:: 1 if i % 2 else -1]:  # which goes first alternates
                time.sleep(0.15)  # the previous sign-up's mail is gone: time the request alone
                took, page = _sign_up(served, email, len(known) + len(unknown))
                times.append(took)
                pages.add(page)
    assert len(pages) == 1  # the same page, word for word
    gap_ms = abs(statistics.median(known) - statistics.median(unknown)) * 1000
    # how often an unknown address answers slower than a known one: 0.5 is a coin toss
    slower = sum(u > k for u in unknown for k in known) / (TRIES * TRIES)
    assert gap_ms < 5, f"medians differ by {gap_ms:.1f} ms"
    assert 0.15 < slower < 0.85, f"an unknown address is slower {slower:.0%} of the time"
    assert recorder.copies()["new0@x.fr"] == 1  # and the mail did go
