"""`digest editions`, `digest approve` and `digest hold`, through the real command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from digest.store import editions as store
from digest.store import open_db
from tests.support.sendkit import advance, saved_edition, write_config


def _digest(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "digest", "--config", str(folder / "feeds.yaml"), *args],
        cwd=folder,
        env={**os.environ, "DIGEST_DB": str(folder / "digest.db")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_editors_list_approve_and_hold_from_the_command_line(tmp_path: Path) -> None:
    write_config(tmp_path)
    db = open_db(tmp_path / "digest.db")
    first, second = saved_edition(db, 1), saved_edition(db, 2)
    advance(db, first.id, "approved", "sending", "sent")
    db.close()

    listed = _digest(tmp_path, "editions")
    assert listed.returncode == 0, listed.stderr
    rows = [line.split() for line in listed.stdout.splitlines()]
    assert rows[1][:4] == ["2", second.id, "draft", "0"]  # newest first
    assert rows[2][:4] == ["1", first.id, "sent", "0"]
    assert rows[2][6] != "-" and rows[1][6] == "-"  # the sent date, only for the sent one
    assert "Microsoft investit 4 milliards" in listed.stdout and "2 editions" in listed.stdout

    held = _digest(tmp_path, "hold", "2")
    assert held.returncode == 0 and f"Edition 2 ({second.id}) is now held." in held.stdout
    approved = _digest(tmp_path, "approve", second.id)
    assert approved.returncode == 0 and "is now approved" in approved.stdout

    refused = _digest(tmp_path, "approve", "1")
    assert refused.returncode == 1
    assert "edition 1" in refused.stderr and "is sent: it cannot change any more" in refused.stderr
    unknown = _digest(tmp_path, "hold", "2099-01-01")
    assert unknown.returncode == 2 and "no edition '2099-01-01'" in unknown.stderr

    db = open_db(tmp_path / "digest.db")
    assert [e.state for e in store.listing(db)] == ["approved", "sent"]
    db.close()
