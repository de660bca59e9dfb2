"""16.1: a subscriber name with a line break must neither get in nor stop everyone's copy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from digest.store import deliveries, open_db
from digest.store import subscribers as store
from tests.support.cli import Ran, runner
from tests.support.mailserver import Recorder, smtp_server
from tests.support.sendkit import add_subscribers, saved_edition, write_config

INJECTED = "Eve\r\nBcc: harvest@attaquant.example"


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Ran]:
    return runner(capsys, monkeypatch)


def test_a_name_with_a_line_break_is_refused_at_import_and_add(
    tmp_path: Path, run: Callable[..., Ran]
) -> None:
    write_config(tmp_path)
    csv = tmp_path / "liste.csv"
    csv.write_text(
        f'email,name\nana@exemple.fr,Ana\neve@exemple.fr,"{INJECTED}"\nbob@exemple.fr,Bob\n',
        encoding="utf-8",
        newline="",
    )
    imported = run(tmp_path, "subscribers", "import", str(csv))
    assert imported.returncode == 1
    assert "liste.csv:4:" in imported.stderr and "line breaks" in imported.stderr
    assert "2 added" in imported.stdout
    added = run(tmp_path, "subscribers", "add", "mal@exemple.fr", "--name", INJECTED)
    assert added.returncode == 2 and "--name" in added.stderr
    db = open_db(tmp_path / "digest.db")
    assert sorted(s.email for s in store.list_all(db)) == ["ana@exemple.fr", "bob@exemple.fr"]


def test_a_bad_row_already_stored_fails_alone_and_the_others_are_sent(
    tmp_path: Path, run: Callable[..., Ran]
) -> None:
    db = open_db(tmp_path / "digest.db")
    edition = saved_edition(db)
    add_subscribers(db, 2)
    store.insert(db, "eve@exemple.fr", name=INJECTED, state="active")  # stored by an older version
    recorder = Recorder()
    with smtp_server(recorder) as port:
        write_config(tmp_path, port)
        first = run(tmp_path, "send")
        again = run(tmp_path, "send")
    assert first.returncode == 0, first.stderr
    assert "sent 2" in first.stdout and "failed 1" in first.stdout
    assert again.returncode == 0, again.stderr
    assert sorted(recorder.copies()) == ["lecteur0@exemple.fr", "lecteur1@exemple.fr"]
    assert all(b"harvest@" not in data for _, data in recorder.received)
    failed = deliveries.listing(db, edition.id, "failed")
    assert [r["email"] for r in failed] == ["eve@exemple.fr"]
    assert "CR or LF" in failed[0]["last_error"]
