"""16.15: operator input must not reach mail headers, and a YAML alias bomb must not hang
loading, whether in feeds.yaml or in an aliases file it names."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from digest.store import open_db
from tests.support.cli import Ran, runner
from tests.support.mailserver import Recorder, smtp_server
from tests.support.pollserver import rss
from tests.support.sendkit import add_subscribers, saved_edition, write_config


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Ran]:
    return runner(capsys, monkeypatch)


def bomb(levels: int = 9, indent: str = "") -> str:
    """The billion laughs in YAML: each level lists the previous one nine times (9^9 values)."""
    lines = [f'{indent}a0: &a0 ["lol"]']
    for i in range(1, levels + 1):
        lines.append(f"{indent}a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


def test_a_line_break_in_the_sender_is_refused_before_any_copy(
    tmp_path: Path, run: Callable[..., Ran]
) -> None:
    db = open_db(tmp_path / "digest.db")
    saved_edition(db)
    add_subscribers(db, 2)
    recorder = Recorder()
    with smtp_server(recorder) as port:
        config = write_config(tmp_path, port)
        injected = '"Le Digest <digest@example.org>\\r\\nBcc: harvest@attaquant.example"'
        text = config.read_text(encoding="utf-8")
        config.write_text(text + f"newsletter:\n  sender: {injected}\n", encoding="utf-8")
        ran = run(tmp_path, "send")
    assert ran.returncode == 2
    assert "feeds.yaml:" in ran.stderr and "newsletter.sender" in ran.stderr
    assert "one line" in ran.stderr
    assert recorder.received == []


def test_an_alias_bomb_in_feeds_yaml_is_refused_at_once(
    tmp_path: Path, run: Callable[..., Ran]
) -> None:
    (tmp_path / "feeds.yaml").write_text(
        "feeds:\n  - {name: Local, url: feed.xml}\n" + bomb(), encoding="utf-8"
    )
    started = time.monotonic()
    ran = run(tmp_path, "feeds")
    assert time.monotonic() - started < 5
    assert ran.returncode == 2 and "alias bomb" in ran.stderr and "feeds.yaml" in ran.stderr


def test_an_alias_bomb_in_an_aliases_file_is_refused_at_once(
    tmp_path: Path, run: Callable[..., Ran]
) -> None:
    (tmp_path / "bomb.yaml").write_text("names:\n" + bomb(indent="  "), encoding="utf-8")
    (tmp_path / "feed.xml").write_bytes(
        rss([{"title": "Mistral lève 600 millions d'euros", "guid": "1", "link": "https://x.fr/1"}])
    )
    (tmp_path / "feeds.yaml").write_text(
        "feeds:\n  - {name: Local, url: feed.xml}\nreading:\n  aliases: [bomb.yaml]\n",
        encoding="utf-8",
    )
    assert run(tmp_path, "poll").returncode == 0
    started = time.monotonic()
    ran = run(tmp_path, "stories")
    assert time.monotonic() - started < 60
    assert ran.returncode == 2 and "alias bomb" in ran.stderr and "bomb.yaml" in ran.stderr
