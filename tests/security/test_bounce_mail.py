"""Issue 16, items 2 and 7, performed as an attacker would: mail the bounce mailbox forged
reports, or one crafted message, then let the operator run the real `digest bounces import`;
and bring back, through the real web app, a subscriber a report had wrongly retired."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from pathlib import Path

import httpx
import pytest

from digest.config import load_config
from digest.send.sender import send_edition
from digest.store import open_db
from digest.store import subscribers as store
from tests.support import bouncemail as mail
from tests.support.cli import Run, runner
from tests.support.files import wait_for
from tests.support.mailserver import Recorder, smtp_server
from tests.support.sendkit import SECRET, add_subscribers, saved_edition, write_config
from tests.support.webserver import csrf_of, serving, web_env
from tests.support.webserver import write_config as web_config


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    return runner(capsys, monkeypatch)


@pytest.fixture
def sent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], dict[str, str]]:
    """Three subscribers who received a copy; the envelope sender each copy carried."""
    monkeypatch.setenv("DIGEST_SECRET", SECRET)
    db = open_db(tmp_path / "digest.db")
    people = add_subscribers(db, 3)
    recorder = Recorder()
    with smtp_server(recorder) as port:
        send_edition(db, load_config(write_config(tmp_path, port)), saved_edition(db))
    db.close()
    write_config(tmp_path)
    return people, dict(recorder.senders)


def _states(folder: Path, people: list[str]) -> list[str]:
    db = open_db(folder / "digest.db")
    try:
        return [store.find(db, p).state for p in people]  # type: ignore[union-attr]
    finally:
        db.close()


def test_forged_bounces_and_complaints_erase_nobody(tmp_path: Path, sent, run) -> None:
    people, _ = sent
    a, b, c = people
    forged = [
        mail.dsn(a, "5.1.1"),  # a DSN naming a, sent by anyone to the bounce mailbox
        mail.complaint(b),  # an ARF naming b
        mail.qmail(c, to="bounce+1.0123456789abcdef01234567@example.org"),  # a made-up token
        mail.dsn(c, "5.1.1", quoted=mail.original(c, "<digest.2024-05-14-n1.3@example.org>")),
    ]  # the last one quotes the Message-ID an older version gave c's copy: guessable
    path = mail.write_mailbox(tmp_path / "forged.mbox", forged)
    result = run(tmp_path, "bounces", "import", str(path))
    assert result.returncode == 0, result.stderr
    assert "0 subscribers bounced, 0 complained" in result.stdout
    assert "4 not tied to a copy we sent" in result.stdout
    assert _states(tmp_path, people) == ["active", "active", "active"]


def test_one_crafted_mail_does_not_block_the_others(tmp_path: Path, sent, run) -> None:
    people, verp = sent
    a, b, _ = people
    messages = [
        mail.dsn(a, "5.1.1", to=verp[a]),
        mail.nesting_bomb(5000),  # RecursionError in the parser, before
        mail.nesting_bomb(40),  # parsed, but deeper than any report
        mail.exim(b, to=verp[b]),
    ]
    path = mail.write_mailbox(tmp_path / "bounces.mbox", messages)
    result = run(tmp_path, "bounces", "import", str(path))
    assert result.returncode == 0, result.stderr
    assert "message 2: unreadable, skipped" in result.stderr
    assert "message 3: unreadable, skipped" in result.stderr
    assert "4 messages, 2 reports: 2 subscribers bounced" in result.stdout
    assert _states(tmp_path, people) == ["bounced", "bounced", "active"]


def test_a_wrongly_bounced_subscriber_comes_back_by_confirming(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web_env(monkeypatch)
    config = web_config(tmp_path)
    db_path = tmp_path / "web.db"
    db = open_db(db_path)
    store.insert(db, "lea@exemple.fr", state="bounced")
    db.close()
    with serving(config, db_path) as url, httpx.Client(base_url=url, timeout=60) as client:
        form = client.get("/subscribe")
        client.post("/subscribe", data={"csrf": csrf_of(form), "email": "lea@exemple.fr"})
        sent = config.resolve(config.sending.outbox) / "confirmations" / "lea@exemple.fr.eml"
        wait_for(sent)  # mailed by the sign-up thread, after the answer
        message = message_from_bytes(sent.read_bytes(), policy=policy.default)
        body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        link = re.search(r"https://digest\.example\.org(/confirm/\S+)", body)
        assert link, body
        page = client.get(link.group(1))
        done = client.post(link.group(1), data={"csrf": csrf_of(page)})
        assert done.status_code == 200 and "Inscription confirmée" in done.text
    db = open_db(db_path)
    assert store.find(db, "lea@exemple.fr").state == "active"  # type: ignore[union-attr]
    db.close()
