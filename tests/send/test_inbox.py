"""`digest inbox import`: the mailto of List-Unsubscribe and the bounces, read by the real CLI from
an mbox file and from a real IMAP server (Dovecot on 127.0.0.1); and the daemon's inbox job."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from digest.config import load_config
from digest.daemon.jobs import real_jobs
from digest.daemon.run import Daemon
from digest.send.sender import send_edition
from digest.store import jobs as job_store
from digest.store import open_db
from digest.store import subscribers as store
from tests.support import bouncemail as mail
from tests.support.cli import Run, runner
from tests.support.imapserver import Imap, dovecot
from tests.support.mailserver import Recorder, smtp_server
from tests.support.sendkit import SECRET, add_subscribers, saved_edition, write_config

_MAILTO = re.compile(r"<mailto:(unsubscribe\+[^@>]+@[^?>]+)\?subject=unsubscribe>")


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    return runner(capsys, monkeypatch)


@dataclass
class Sent:
    folder: Path
    people: list[str]
    mailto: dict[str, str]  # the unsubscribe+TOKEN@ address each copy advertises
    verp: dict[str, str]  # the envelope sender of each copy


@pytest.fixture
def sent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Sent:
    """Four subscribers who each received a copy through a local SMTP server."""
    monkeypatch.setenv("DIGEST_SECRET", SECRET)
    db = open_db(tmp_path / "digest.db")
    people = add_subscribers(db, 4)
    recorder = Recorder()
    with smtp_server(recorder) as port:
        send_edition(db, load_config(write_config(tmp_path, port)), saved_edition(db))
    db.close()
    mailto = {}
    for who in people:
        (copy,) = recorder.messages(who)
        found = _MAILTO.search(str(copy["List-Unsubscribe"]))
        assert found, copy["List-Unsubscribe"]
        mailto[who] = found.group(1)
    write_config(tmp_path)  # the copies are out; the rest needs no SMTP server
    return Sent(tmp_path, people, mailto, dict(recorder.senders))


def _states(folder: Path, people: list[str]) -> list[str]:
    db = open_db(folder / "digest.db")
    try:
        return [store.find(db, p).state for p in people]  # type: ignore[union-attr]
    finally:
        db.close()


def _forged(address: str) -> str:
    """The same mailto with the last characters of its signature changed."""
    local, _, domain = address.partition("@")
    return f"{local[:-2]}{'AA' if not local.endswith('AA') else 'BB'}@{domain}"


def _mails(sent: Sent) -> list[bytes]:
    a, b, c, _ = sent.people
    return [
        mail.mailto_unsubscribe(sent.mailto[a], sender=a),  # a's own mailto: a leaves
        mail.mailto_unsubscribe(_forged(sent.mailto[b])),  # forged signature: nothing
        mail.mailto_unsubscribe("unsubscribe@example.org", sender=b),  # unsigned: nothing
        mail.nesting_bomb(),  # unreadable: reported by position, the next ones still read
        mail.dsn(c, "5.1.1", to=sent.verp[c]),  # a bounce tied to c's copy
        mail.dsn(b, "5.1.1"),  # a forged bounce naming b
    ]


def test_mailto_unsubscribes_and_bounces_from_an_mbox(sent: Sent, run) -> None:
    path = mail.write_mailbox(sent.folder / "inbox.mbox", _mails(sent))
    result = run(sent.folder, "inbox", "import", str(path))
    assert result.returncode == 0, result.stderr
    assert "1 unsubscribed by mail, 1 unsubscribe mails with a token that is not ours" in (
        result.stdout
    )
    assert "1 subscribers bounced" in result.stdout and "1 not tied" in result.stdout
    assert "message 4: unreadable, skipped" in result.stderr
    assert _states(sent.folder, sent.people) == ["unsubscribed", "active", "bounced", "active"]


def _imap_config(folder: Path, server: Imap) -> None:
    path = folder / "feeds.yaml"
    inbox = (
        f"inbox: {{host: 127.0.0.1, port: {server.port}, security: none,"
        f" username: {server.user}, folder: INBOX, every_minutes: 5}}\n"
    )
    path.write_text(path.read_text(encoding="utf-8") + inbox, encoding="utf-8")


def test_mailto_unsubscribes_and_bounces_from_a_real_imap_server(sent: Sent, run) -> None:
    with dovecot() as server:
        server.append(_mails(sent))
        _imap_config(sent.folder, server)
        wrong = run(sent.folder, "inbox", "import", DIGEST_INBOX_PASSWORD="not-the-password")
        assert wrong.returncode == 1 and "127.0.0.1" in wrong.stderr
        assert server.unseen() == 6  # a failed run marks nothing seen
        assert _states(sent.folder, sent.people) == ["active"] * 4
        result = run(sent.folder, "inbox", "import", DIGEST_INBOX_PASSWORD=server.password)
        assert result.returncode == 0, result.stderr
        assert "1 unsubscribed by mail" in result.stdout
        assert "message 4 (UID 4): unreadable" in result.stderr
        assert _states(sent.folder, sent.people) == ["unsubscribed", "active", "bounced", "active"]
        assert server.unseen() == 0  # each message handled once
        again = run(sent.folder, "inbox", "import", DIGEST_INBOX_PASSWORD=server.password)
        assert again.returncode == 0 and again.stdout.startswith("0 unsubscribed by mail")
        assert "0 messages" in again.stdout


def test_the_daemon_reads_the_inbox_on_its_schedule(
    sent: Sent, monkeypatch: pytest.MonkeyPatch
) -> None:
    with dovecot() as server:
        _imap_config(sent.folder, server)
        monkeypatch.setenv("DIGEST_INBOX_PASSWORD", server.password)
        config = load_config(sent.folder / "feeds.yaml")
        db = open_db(sent.folder / "digest.db")
        try:
            daemon = Daemon(db, config, real_jobs(db, config, sent.folder / "out"))
            every = {j.job_func.func.__name__: j.interval for j in daemon.scheduler.jobs}
            assert every["inbox"] == 5  # minutes, from inbox.every_minutes
            server.append([mail.mailto_unsubscribe(sent.mailto[sent.people[3]])])
            daemon.inbox()
            (last,) = [r for r in job_store.last_runs(db) if r.job == "inbox"]
            assert last.ok and "1 unsubscribed by mail" in last.detail
        finally:
            db.close()
        assert _states(sent.folder, sent.people)[3] == "unsubscribed"
