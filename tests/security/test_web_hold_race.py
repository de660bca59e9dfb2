"""16.5: an editor's hold posted through the web while `digest send` is starting. Either the hold
wins (the page says the edition is held and no copy leaves) or the send wins (the page does not
claim a hold, and every copy goes): never "retenue" while copies go out."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx

from digest.store import open_db
from tests.security.server import command, digest_serve, environment
from tests.support.mailserver import Recorder, smtp_server
from tests.support.sendkit import add_subscribers, advance, saved_edition
from tests.support.webserver import csrf_of, login

SUBSCRIBERS = 200
DELAYS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)  # hold this long after `digest send` was started


def _state(db_path: Path, edition_id: str) -> str:
    db = open_db(db_path)
    try:
        return db.execute("SELECT state FROM editions WHERE id = ?", (edition_id,)).fetchone()[0]
    finally:
        db.close()


def test_a_hold_and_a_starting_send_never_both_win(tmp_path: Path) -> None:
    db_path = tmp_path / "race.db"
    db = open_db(db_path)
    add_subscribers(db, SUBSCRIBERS)
    db.close()
    recorder = Recorder(delay=0.002)
    outcomes = []
    with (
        smtp_server(recorder) as port,
        digest_serve(tmp_path, smtp_port=port, db=db_path) as served,
        httpx.Client(base_url=served.url, timeout=60) as editor,
    ):
        assert login(editor).status_code == 303
        for number, delay in enumerate(DELAYS, start=1):
            db = open_db(db_path)
            edition = saved_edition(db, number)
            advance(db, edition.id, "approved")
            db.close()
            before = len(recorder.received)
            sender = subprocess.Popen(
                command(served.config, db_path, "send"),
                env=environment(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            page_url = f"/editor/editions/{edition.id}"
            try:
                csrf = csrf_of(editor.get(page_url))
                time.sleep(delay)
                posted = editor.post(f"{page_url}/hold", data={"csrf": csrf})
                page = editor.get(posted.headers["location"]).text
            finally:
                sender.wait(120)
            copies = len(recorder.received) - before
            state = _state(db_path, edition.id)
            held_said = f"Édition n° {number} retenue" in page
            if held_said:
                assert state == "held" and copies == 0, (delay, state, copies)
            else:
                assert "flash error" in page, (delay, page)
                assert state == "sent" and copies == SUBSCRIBERS, (delay, state, copies)
            outcomes.append("hold" if held_said else "send")
    assert outcomes[0] == "hold", outcomes  # a hold before the send starts always wins
