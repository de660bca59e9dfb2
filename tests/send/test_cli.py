"""`digest send`, `digest subscribers` and `digest bounces` as a person runs them."""

from __future__ import annotations

import email
import email.policy
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from digest.cli import main
from digest.store import deliveries, editions, open_db
from tests.support.mailserver import Recorder, smtp_server
from tests.support.sendkit import SECRET, add_subscribers, saved_edition, write_config


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Ran]:
    """Run `digest` in this process (its startup costs seconds) and capture what it prints."""

    def digest(folder: Path, *args: str, secret: bool = True) -> Ran:
        for key in [k for k in os.environ if k.startswith("DIGEST_")]:
            monkeypatch.delenv(key)
        if secret:
            monkeypatch.setenv("DIGEST_SECRET", SECRET)
        db = str(folder / "digest.db")
        monkeypatch.setattr(
            sys, "argv", ["digest", "--config", str(folder / "feeds.yaml"), "--db", db, *args]
        )
        capsys.readouterr()
        with pytest.raises(SystemExit) as stopped:
            main()
            sys.exit(0)
        captured = capsys.readouterr()
        return Ran(stopped.value.code or 0, captured.out, captured.err)

    return digest


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    db = open_db(tmp_path / "digest.db")
    saved_edition(db)
    add_subscribers(db, 3)
    db.close()
    return tmp_path


def test_without_smtp_host_copies_go_to_the_outbox_and_test_copies_touch_no_row(
    folder: Path, run: Callable[..., Ran]
) -> None:
    write_config(folder)
    test = run(folder, "send", "--test", "Redac@Exemple.fr", "chef@exemple.fr")
    assert test.returncode == 0, test.stderr
    copies = sorted((folder / "outbox" / "test-2024-05-14-n1").glob("*.eml"))
    assert [p.name for p in copies] == ["Redac@exemple.fr.eml", "chef@exemple.fr.eml"]
    msg = email.message_from_bytes(copies[0].read_bytes(), policy=email.policy.default)
    assert msg["Subject"].startswith("[TEST] ") and msg["To"] == "Redac@exemple.fr"
    db = open_db(folder / "digest.db")
    assert sum(deliveries.counts(db, "2024-05-14-n1").values()) == 0
    assert editions.get(db, "2024-05-14-n1").state == "draft"  # a test send approves nothing

    sent = run(folder, "send")
    assert sent.returncode == 0, sent.stderr
    assert "sent 3, retried 0, failed 0" in sent.stdout and "msgs/s" in sent.stdout
    files = sorted(p.name for p in (folder / "outbox" / "2024-05-14-n1").glob("*.eml"))
    assert files == [f"lecteur{i}@exemple.fr.eml" for i in range(3)]
    assert deliveries.counts(db, "2024-05-14-n1")["sent"] == 3
    assert editions.get(db, "2024-05-14-n1").state == "sent"
    db.close()


def test_a_test_send_through_smtp(folder: Path, run: Callable[..., Ran]) -> None:
    server = Recorder()
    with smtp_server(server) as port:
        write_config(folder, port)
        result = run(folder, "send", "--test", "redac@exemple.fr")
    assert result.returncode == 0, result.stderr
    (msg,) = server.messages("redac@exemple.fr")
    assert msg["Subject"] == "[TEST] Microsoft investit 4 milliards"
    assert sum(server.copies().values()) == 1


def test_exit_codes(folder: Path, run: Callable[..., Ran]) -> None:
    path = write_config(folder, 1)  # port 1: nothing listens there
    assert run(folder, "send", secret=False).returncode == 2  # no secret for real mail
    assert run(folder, "send", "a@exemple.fr").returncode == 2  # addresses need --test
    assert run(folder, "send", "--test", "pas-une-adresse").returncode == 2
    text = path.read_text()
    path.write_text(text + "schedule:\n  require_approval: true\n")
    waiting = run(folder, "send")
    assert waiting.returncode == 1 and "awaits approval" in waiting.stderr
    path.write_text(text)
    refused = run(folder, "send")
    assert refused.returncode == 1 and "cannot reach 127.0.0.1:1" in refused.stderr
    db = open_db(folder / "digest.db")
    assert editions.get(db, "2024-05-14-n1").state == "draft"  # a run that cannot send: no change
    db.close()


def test_subscriber_commands(folder: Path, run: Callable[..., Ran]) -> None:
    write_config(folder)
    (folder / "in.csv").write_text("email,name\nnew@exemple.fr,Nouveau\nfaux@,X\n")
    imported = run(folder, "subscribers", "import", str(folder / "in.csv"))
    assert imported.returncode == 1 and "in.csv:3: 'faux@'" in imported.stderr
    assert "1 added" in imported.stdout
    assert run(folder, "subscribers", "add", "Autre@Exemple.fr", "--name", "Autre").returncode == 0
    again = run(folder, "subscribers", "add", "autre@exemple.fr")
    assert again.returncode == 1 and "already stored" in again.stderr
    assert run(folder, "subscribers", "add", "faux@").returncode == 2
    assert run(folder, "subscribers", "remove", "NEW@exemple.fr").returncode == 0
    listed = run(folder, "subscribers", "list")
    assert "new@exemple.fr" in listed.stdout and "4 active, 1 unsubscribed" in listed.stdout
    exported = run(folder, "subscribers", "export", "--state", "unsubscribed")
    assert exported.stdout.splitlines()[1].startswith("new@exemple.fr,Nouveau,unsubscribed,")
    assert run(folder, "subscribers", "list", "--state", "gone").returncode == 2
    bounces = run(folder, "bounces", "import", str(folder / "in.csv"))
    assert bounces.returncode == 2 and "not an mbox" in bounces.stderr
