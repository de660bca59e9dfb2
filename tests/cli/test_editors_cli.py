"""`digest editors` as an operator runs it, and `digest send` refusing an edition whose blocking
check failed (an editor decides, even when sending is automatic)."""

from __future__ import annotations

import io
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from digest.models import Check
from digest.store import accounts, editions, open_db
from digest.web import sessions
from digest.web.accounts import verify
from tests.support.cli import Run, runner
from tests.support.sendkit import add_subscribers, make_edition, write_config


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    return runner(capsys, monkeypatch)


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def test_add_list_passwd_remove(tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(tmp_path)
    _stdin(monkeypatch, "un-mot-de-passe-long\n")
    added = run(tmp_path, "editors", "add", "alice", "--email", "Alice@Redaction.fr",
                "--password-stdin")  # fmt: skip
    assert added.returncode == 0, added.stderr
    db = open_db(tmp_path / "digest.db")
    found = accounts.get(db, "alice")
    assert found is not None and found.email == "Alice@redaction.fr"
    assert found.password_hash.startswith("scrypt$")
    assert "un-mot-de-passe" not in found.password_hash
    assert verify("un-mot-de-passe-long", found.password_hash)

    _stdin(monkeypatch, "un-autre-mot-de-passe\n")
    again = run(tmp_path, "editors", "add", "alice", "--password-stdin")
    assert again.returncode == 1 and "exists already" in again.stderr
    _stdin(monkeypatch, "court\n")
    short = run(tmp_path, "editors", "add", "bruno", "--password-stdin")
    assert short.returncode == 2 and "at least 10" in short.stderr
    bad = run(tmp_path, "editors", "add", "carla", "--email", "pas une adresse")
    assert bad.returncode == 2
    taken = run(tmp_path, "editors", "add", "redaction", DIGEST_EDITOR_USER="redaction")
    assert taken.returncode == 2 and "bootstrap" in taken.stderr

    listed = run(tmp_path, "editors", "list")
    assert "alice" in listed.stdout and "Alice@redaction.fr" in listed.stdout

    before = sessions.version(db, "alice")
    _stdin(monkeypatch, "nouveau-mot-de-passe\n")
    changed = run(tmp_path, "editors", "passwd", "alice", "--password-stdin")
    assert changed.returncode == 0
    after = accounts.get(db, "alice")
    assert after is not None and verify("nouveau-mot-de-passe", after.password_hash)
    assert not verify("un-mot-de-passe-long", after.password_hash)
    assert sessions.version(db, "alice") == before + 1  # every open session ends

    assert run(tmp_path, "editors", "remove", "alice").returncode == 0
    assert accounts.get(db, "alice") is None
    assert run(tmp_path, "editors", "remove", "alice").returncode == 1
    db.close()


def test_send_refuses_a_draft_whose_blocking_check_failed(tmp_path: Path, run: Run) -> None:
    write_config(tmp_path)  # sending is automatic: no require_approval
    db = open_db(tmp_path / "digest.db")
    edition = replace(make_edition(), checks=[Check("links", False, "2 cassés ou relatifs")])
    editions.save(db, edition)
    add_subscribers(db, 2)
    sent = run(tmp_path, "send")
    assert sent.returncode == 1 and "blocking checks (links)" in sent.stderr
    found = editions.get(db, edition.id)
    assert found is not None and found.state == "draft"
    outbox = tmp_path / "outbox"
    assert not outbox.exists() or not any(outbox.rglob("*.eml"))
    db.close()
