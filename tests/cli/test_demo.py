"""`digest demo` keeps its database (--db here) and says how to open the editors' app on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.store import editions, open_db
from tests.support.cli import runner


def test_demo_keeps_its_database_and_prints_the_editors_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run = runner(capsys, monkeypatch)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "feeds.yaml").write_text("feeds: []\n", encoding="utf-8")  # runner's --config
    done = run(tmp_path, "demo", "--out", str(tmp_path / "out"))  # runner passes --db digest.db
    assert done.returncode == 0, done.stderr
    command = " ".join(done.stdout.split())
    kept = tmp_path / "digest.db"
    assert f"--db {kept} serve" in command and "DIGEST_EDITOR_PASSWORD=" in command
    db = open_db(kept)
    assert editions.latest(db) is not None
    db.close()
